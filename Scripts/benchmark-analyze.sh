#!/usr/bin/env bash
# Times the whole `atomprobe analyze` chain (read, range, voxelize, iso-surface, distances,
# proxigrams, table, outputs) on synthetic LLZO of 1e6, 1e7 and 3e7 ions, with peak memory.
#   Scripts/benchmark-analyze.sh [SIZES...]    (default: 1000000 10000000 30000000)
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/swift-release.sh --product atomprobe >/dev/null
bin=.build/release/atomprobe
mkdir -p bench-data
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1000000 10000000 30000000)
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r)"
for n in "${sizes[@]}"; do
    objects=$(( n >= 10000000 ? 8 : 2 ))
    base=bench-data/llzo-$n
    [ -f "$base.pos" ] || "$bin" synth --ions "$n" --seed 1 --objects "$objects" --no-epos -o bench-data --name "llzo-$n" >/dev/null 2>&1
    cat "$base.pos" > /dev/null
    /usr/bin/time -f "%e s wall, %U s user, %M KB peak" -o /tmp/apk-time "$bin" analyze "$base.pos" --ranges "$base.rrng" \
        --species Li --threshold 42 -o "bench-data/analyze-$n" > /dev/null 2>/tmp/apk-err || { cat /tmp/apk-err; exit 1; }
    objs=$(python3 -c "import json;print(len(json.load(open('bench-data/analyze-$n/objects.json'))))")
    echo "analyze $n ions ($objs objects): $(cat /tmp/apk-time)"
done
