#!/usr/bin/env bash
# Reading a 265 MB POS (16,560,000 ions) from Python: atomprobekit.read against
# numpy.fromfile(..., '>f4').astype('<f4') (the issue's yardstick) and apav 1.4.0's Roi.from_pos,
# five alternating runs each in a fresh interpreter, file in the page cache. Needs the README's
# install step (.venv-python) and, for apav, APAV_PYTHON=/path/to/python of a venv with apav
# (numpy<2): python3 -m venv /tmp/apav-venv && /tmp/apav-venv/bin/pip install "numpy<2" apav.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/swift-release.sh --product atomprobe >/dev/null
bash Scripts/swift-release.sh --product AtomProbeKitC >/dev/null
# The package from its sources over this release build (the README's install step puts the same
# build into .venv-python).
export PYTHONPATH="$PWD/Python/src" ATOMPROBEKIT_LIB="$PWD/.build/release/libAtomProbeKitC.so"
mkdir -p bench-data
big=bench-data/llzo-16560000
[ -f "$big.pos" ] || .build/release/atomprobe synth --ions 16560000 --seed 1 --objects 8 --no-epos -o bench-data --name llzo-16560000 >/dev/null 2>&1
py=.venv-python/bin/python
cat "$big.pos" > /dev/null
time_of() { "$@" 2>/dev/null | tail -1; }
echo "run atomprobekit numpy apav"
for i in 1 2 3 4 5; do
    a=$(time_of "$py" -c "import time, atomprobekit as a; t=time.perf_counter(); r=a.read('$big.pos'); print(f'{time.perf_counter()-t:.3f}')")
    n=$(time_of "$py" -c "import time, numpy as np; t=time.perf_counter(); d=np.fromfile('$big.pos', '>f4').astype('<f4').reshape(-1, 4); print(f'{time.perf_counter()-t:.3f}')")
    p="-"
    if [ -n "${APAV_PYTHON:-}" ]; then
        p=$(time_of "$APAV_PYTHON" -c "import time, apav; t=time.perf_counter(); r=apav.Roi.from_pos('$big.pos'); print(f'{time.perf_counter()-t:.3f}')")
    fi
    echo "$i $a $n $p"
done
