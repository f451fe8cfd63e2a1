#!/usr/bin/env bash
# Builds the release binary and runs the main job on the bundled sample data: `atomprobe demo`
# (analysis of SampleData/llzo-sample.pos, FEM simulations, comparisons, the interface sample ranked
# like for like), then prints the key
# results next to the ground truth. The report is out/demo/index.html. The binary carries the Swift
# runtime and Foundation (--static-swift-stdlib): it runs where no Swift toolchain is installed
# (copy it to a cluster) and starts faster.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/swift-release.sh --product atomprobe
bin=.build/release/atomprobe
"$bin" demo -o out/demo
echo
echo "== composition table (out/demo/analysis/table.txt)"
cat out/demo/analysis/table.txt
echo "== ground truth (at.% of the atoms generated in each region, SampleData/llzo-sample.truth.json)"
python3 - SampleData/llzo-sample.truth.json <<'PY' || true
import json, sys
t = json.load(open(sys.argv[1]))
for r in t["regions"]:
    print(f'{r["name"]:>12}: ' + "  ".join(f'{k} {v["at_pct"]:.3f} ± {v["sigma_at_pct"]:.3f}' for k, v in r["elements"].items()))
PY
echo "== measured vs simulated Li profiles"
for d in out/demo/compare_*; do
    echo "-- ${d##*/}"
    if [ -f "$d/comparison.txt" ]; then sed -n 2p "$d/comparison.txt"; else sed -n '1,3p' "$d/ranking.txt"; fi
done
for r in out/demo/interface/ranking_*; do
    [ -f "$r/ranking.txt" ] || continue
    echo "== the Li/LLZO interface sample against the interface scenarios (${r##*/ranking_})"
    cat "$r/ranking.txt"
done
echo
echo "report: out/demo/index.html"
