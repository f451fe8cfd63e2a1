#!/usr/bin/env bash
# Builds the release binary and runs the main job on the bundled sample data; results in out/sample/.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product atomprobe
bin=.build/release/atomprobe
out=out/sample
mkdir -p "$out"
data=SampleData/llzo-sample
echo "== atomprobe info"
"$bin" info "$data.pos"
echo "== atomprobe ranges (summary)"
"$bin" ranges "$data.rrng" | head -n 16
echo "== atomprobe spectrum"
"$bin" spectrum "$data.pos" --ranges "$data.rrng" -o "$out/spectrum"
echo "== atomprobe composition"
"$bin" composition "$data.pos" --ranges "$data.rrng" | tee "$out/composition.txt"
"$bin" composition "$data.pos" --ranges "$data.rrng" --json -o "$out/composition.json"
echo "== atomprobe analyze (Li 42 at.% iso-surface, proxigrams, composition table)"
"$bin" analyze "$data.pos" --ranges "$data.rrng" --species Li --threshold 42 -o "$out/analysis" 2>/dev/null
echo "== ground truth (at.% of the atoms generated in each region)"
python3 - "$data.truth.json" <<'PY' || true
import json, sys
t = json.load(open(sys.argv[1]))
for r in t["regions"]:
    print(f'{r["name"]:>12}: ' + "  ".join(f'{k} {v["at_pct"]:.3f} ± {v["sigma_at_pct"]:.3f}' for k, v in r["elements"].items()))
PY
echo "results in $out/"
