#!/bin/sh
# Streamed `atomprobe multihit` on the real Si.epos tiled to N records (issue 28), with a numpy
# peer of the ions-per-pulse histogram on the same file. Needs the full Si.epos from the apav
# 1.4.0 sdist (SOURCES.md; not committed): SI_EPOS=/path/Si.epos Scripts/benchmark-multihit.sh TILES
# Release build first: bash Scripts/swift-release.sh --product atomprobe
set -e
TILES=${1:-11}
SI=${SI_EPOS:?set SI_EPOS to the full Si.epos}
RRNG=$(dirname "$0")/../../shared/external-data/jesseds_apav/apav/tests/Si.RRNG
WORK=${WORK:-/tmp/multihit-bench}
mkdir -p "$WORK"
BIG="$WORK/si-x$TILES.epos"
[ -f "$BIG" ] || { i=0; : > "$BIG"; while [ $i -lt "$TILES" ]; do cat "$SI" >> "$BIG"; i=$((i + 1)); done; }
cat "$BIG" > /dev/null   # into the page cache
rm -rf "$WORK/out"
/usr/bin/time -v "$(dirname "$0")/../.build/release/atomprobe" multihit "$BIG" --ranges "$RRNG" -o "$WORK/out" 2> "$WORK/time.txt" | head -1
grep -E "Elapsed|Maximum resident" "$WORK/time.txt"
python3 - "$BIG" <<'PY'
import sys, time, numpy as np
t = time.time()
ipp = np.memmap(sys.argv[1], dtype='>i4', mode='r').reshape(-1, 11)[:, 10]
v, c = np.unique(ipp, return_counts=True)
print("numpy ipp histogram", dict(zip(v.tolist(), c.tolist())), "in %.1f s" % (time.time() - t))
PY
