#!/usr/bin/env bash
# `atomprobe profile` (read, range, select a cylinder, bin, write) on the real Si run and on
# synthetic LLZO of 1e7 ions, with a numpy peer recomputing every bin in the same run
# (Scripts/peer-profile.py: the counts must be identical).
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/swift-release.sh --product atomprobe >/dev/null
bin=.build/release/atomprobe
mkdir -p bench-data
big=bench-data/llzo-10000000
[ -f "$big.pos" ] || "$bin" synth --ions 10000000 --seed 1 --objects 8 --no-epos -o bench-data --name llzo-10000000 >/dev/null 2>&1
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r)"
run() {  # file ranges from to radius
    [ -f "$1" ] || { echo "$1 missing: skipped"; return; }
    cat "$1" > /dev/null
    "$bin" ranges "$2" --json > bench-data/ranges.json
    for k in 1 2 3; do
        /usr/bin/time -f "  atomprobe profile: %e s wall, %U s user, %M KB peak" "$bin" profile "$1" --ranges "$2" \
            --from "$3" --to "$4" --radius "$5" --bin-width 0.2 -o bench-data/profile 2>&1 >/dev/null | grep -v "^atomprobe:"
    done
    python3 Scripts/peer-profile.py "$1" bench-data/ranges.json "$3" "$4" "$5" 0.2 bench-data/profile/profile.csv | sed 's/^/  /'
}
echo "--- Si.pos (945,211 ions), tilted axis"
run ../shared/external-data/jesseds_apav/apav/tests/Si.pos ../shared/external-data/jesseds_apav/apav/tests/Si.RRNG 3,-2,-70 -4,5,-5 8
echo "--- $big.pos (1e7 ions)"
run "$big.pos" "$big.rrng" 0,0,-80 0,0,0 10
