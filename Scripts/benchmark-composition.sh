#!/usr/bin/env bash
# Reading + ranging + decomposed composition, AtomProbeKit against apav 1.4.0 (PyPI) in the same
# run, on the real Si run (945,211 ions) and on a synthetic 1e7-ion LLZO file.
# apav 1.4.0 needs numpy < 2: it runs in its own virtual environment under bench-data/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/swift-release.sh --product atomprobe-bench >/dev/null
bash Scripts/swift-release.sh --product atomprobe >/dev/null
mkdir -p bench-data
venv=bench-data/apav-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" && "$venv/bin/pip" install -q "numpy<2" apav==1.4.0 >/dev/null 2>&1 || echo "apav not installable: peer skipped"
fi
big=bench-data/llzo-10000000
[ -f "$big.pos" ] || .build/release/atomprobe synth --ions 10000000 --seed 1 --objects 8 --no-epos -o bench-data --name llzo-10000000 >/dev/null 2>&1
# Issue 12's file: a 265 MB POS (16.56 million ions), against a vectorized numpy script.
huge=bench-data/llzo-16560000
[ -f "$huge.pos" ] || .build/release/atomprobe synth --ions 16560000 --seed 1 --objects 8 --no-epos -o bench-data --name llzo-16560000 >/dev/null 2>&1
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r)"
for pair in "../shared/external-data/jesseds_apav/apav/tests/Si.pos ../shared/external-data/jesseds_apav/apav/tests/Si.RRNG" "$big.pos $big.rrng" "$huge.pos $huge.rrng"; do
    set -- $pair
    [ -f "$1" ] || { echo "$1 missing: skipped"; continue; }
    cat "$1" > /dev/null
    echo "--- $1"
    /usr/bin/time -f "  AtomProbeKit total %e s wall (read + range + composition), %M KB peak" \
        .build/release/atomprobe composition "$1" --ranges "$2" --format csv 2>&1 >/dev/null | grep -v "^atomprobe:" || true
    .build/release/atomprobe-bench range "$1" "$2" | sed 's/^/  AtomProbeKit /'
    [ -x "$venv/bin/python" ] && /usr/bin/time -f "  apav total %e s wall, %M KB peak" "$venv/bin/python" Scripts/apav-composition.py "$1" "$2" 2>&1 | sed 's/^apav/  apav/'
    # The streamed command and the numpy peer, five runs each, alternating.
    for run in 1 2 3 4 5; do
        /usr/bin/time -f "  run $run AtomProbeKit composition %e s wall, %M KB peak" .build/release/atomprobe composition "$1" --ranges "$2" --format csv 2>&1 >/dev/null | grep -v "^atomprobe:" || true
        /usr/bin/time -f "  run $run numpy script %e s wall, %M KB peak" python3 Scripts/numpy-composition.py "$1" "$2" 2>&1 | grep -v "at.%" | grep -v "^numpy" || true
    done
done
