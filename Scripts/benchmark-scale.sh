#!/usr/bin/env bash
# Issue 12: analyze against the ion count, release build, files in the page cache. Makes the
# inputs when missing: synthetic tips (synth) and z-tilings of the 10.5M-ion tall tip
# (Scripts/tile-pos.py). Prints a table and writes bench-data/scale.csv and bench-data/scale.svg.
# Every run gets issue 12's budget, --memory-limit-gb 4 (the 1e9 run builds its distance query
# lists in 10 slabs within it).
# Usage: Scripts/benchmark-scale.sh [--with-1e9]   (the 1e9 file takes 16.8 GB of disk)
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/swift-release.sh --product atomprobe >/dev/null
B=.build/release/atomprobe
mkdir -p bench-data
[ -f bench-data/llzo-1000000.pos ] || $B synth --ions 1000000 --seed 1 --no-epos -o bench-data --name llzo-1000000 >/dev/null 2>&1
[ -f bench-data/tall-10500000.pos ] || $B synth --ions 10500000 --seed 5 --objects 20 --object-length 15 --no-epos -o bench-data --name tall-10500000 >/dev/null 2>&1
if [ ! -f bench-data/tiled-105000000.pos ]; then
    python3 Scripts/tile-pos.py bench-data/tall-10500000.pos 10 bench-data/tiled-105000000.pos
    cp bench-data/tall-10500000.rrng bench-data/tiled-105000000.rrng
fi
sets="llzo-1000000 tall-10500000 tiled-105000000"
if [ "${1:-}" = "--with-1e9" ]; then
    if [ ! -f bench-data/tiled-1050000000.pos ]; then
        python3 Scripts/tile-pos.py bench-data/tall-10500000.pos 100 bench-data/tiled-1050000000.pos
        cp bench-data/tall-10500000.rrng bench-data/tiled-1050000000.rrng
    fi
    sets="$sets tiled-1050000000"
fi
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r)"
echo "ions,wall_s,user_s,peak_mb,objects,triangles" > bench-data/scale.csv
for s in $sets; do
    f=bench-data/$s
    cat "$f.pos" > /dev/null
    ions=$(( $(stat -c %s "$f.pos") / 16 ))
    out=$(/usr/bin/time -f "TIME %e %U %M" $B analyze "$f.pos" --ranges "$f.rrng" --species Li --threshold 42 --memory-limit-gb 4 -o bench-data/scale-$s 2>&1 || true)
    t=$(echo "$out" | awk '/^TIME/{print $2","$3","int($4/1024)}')
    head=$(head -1 bench-data/scale-$s/summary.txt 2>/dev/null | sed -E 's/.* ([0-9]+) object\(s\), ([0-9]+) triangles.*/\1,\2/')
    echo "$ions,$t,$head" | tee -a bench-data/scale.csv
    echo "$out" | grep -E "^Error" || true
done
python3 - <<'PY'
import csv
rows = list(csv.DictReader(open("bench-data/scale.csv")))
rows = [r for r in rows if r["wall_s"]]
import math
W, H, L, T, R, Bm = 640, 400, 70, 40, 70, 50
xs = [math.log10(float(r["ions"])) for r in rows]
x0, x1 = 6, 9.2
def X(v): return L + (v - x0) / (x1 - x0) * (W - L - R)
tmax = max(float(r["wall_s"]) for r in rows) * 1.2
mmax = max(float(r["peak_mb"]) for r in rows) * 1.2
def Y(v, top): return H - Bm - v / top * (H - T - Bm)
s = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
     f'<text x="{W/2}" y="20" text-anchor="middle" font-size="14">analyze: wall time and peak memory against ions</text>',
     f'<line x1="{L}" y1="{H-Bm}" x2="{W-R}" y2="{H-Bm}" stroke="#333"/>',
     f'<line x1="{L}" y1="{T}" x2="{L}" y2="{H-Bm}" stroke="#1f77b4"/>',
     f'<line x1="{W-R}" y1="{T}" x2="{W-R}" y2="{H-Bm}" stroke="#d62728"/>']
for e in range(6, 10):
    s.append(f'<text x="{X(e)}" y="{H-Bm+18}" text-anchor="middle">1e{e}</text>')
s.append(f'<text x="{W/2}" y="{H-10}" text-anchor="middle">ions (log scale)</text>')
for k in range(0, 5):
    v = tmax * k / 4; s.append(f'<text x="{L-6}" y="{Y(v, tmax)+4}" text-anchor="end" fill="#1f77b4">{v:.0f}</text>')
    m = mmax * k / 4; s.append(f'<text x="{W-R+6}" y="{Y(m, mmax)+4}" fill="#d62728">{m:.0f}</text>')
s.append(f'<text x="20" y="{H/2}" transform="rotate(-90 20 {H/2})" text-anchor="middle" fill="#1f77b4">wall time (s)</text>')
s.append(f'<text x="{W-15}" y="{H/2}" transform="rotate(90 {W-15} {H/2})" text-anchor="middle" fill="#d62728">peak memory (MB)</text>')
for key, top, color in (("wall_s", tmax, "#1f77b4"), ("peak_mb", mmax, "#d62728")):
    pts = " ".join(f"{X(x):.1f},{Y(float(r[key]), top):.1f}" for x, r in zip(xs, rows))
    s.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="2"/>')
    for x, r in zip(xs, rows):
        s.append(f'<circle cx="{X(x):.1f}" cy="{Y(float(r[key]), top):.1f}" r="4" fill="{color}"/>')
s.append("</svg>")
open("bench-data/scale.svg", "w").write("\n".join(s))
print("wrote bench-data/scale.csv and bench-data/scale.svg")
PY
