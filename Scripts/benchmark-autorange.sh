#!/usr/bin/env bash
# autorange (issue 24) on 1e7 and 1e8 ions, against a numpy histogram of the same file at the same
# 0.002 Da bins (the peer does only the histogram: reading and binning). Both files are generated
# independently (`synth`, seeds 1 and 2; the 1e8-ion file is 1.6 GB and takes a few minutes and
# about 8 GB to make), so the 1e8 spectrum has its own noise, not ten copies of the 1e7 file's.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/swift-release.sh --product atomprobe >/dev/null
mkdir -p bench-data
big=bench-data/llzo-10000000
[ -f "$big.pos" ] || .build/release/atomprobe synth --ions 10000000 --seed 1 --objects 8 --no-epos -o bench-data --name llzo-10000000 >/dev/null 2>&1
huge=bench-data/llzo-100000000.pos
[ -f "$huge" ] || .build/release/atomprobe synth --ions 100000000 --seed 2 --objects 8 --no-epos --memory-limit-gb 12 -o bench-data --name llzo-100000000 >/dev/null
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r)"
for f in "$big.pos" "$huge"; do
    cat "$f" > /dev/null
    echo "--- $f ($(( $(stat -c %s "$f") / 16 )) ions)"
    for run in 1 2 3; do
        /usr/bin/time -f "  run $run atomprobe autorange %e s wall, %M KB peak" .build/release/atomprobe autorange "$f" --elements Li,O,Zr,La,Ta -o bench-data/autorange-out 2>&1 >/dev/null | grep -v "^atomprobe:" || true
        /usr/bin/time -f "  run $run numpy histogram %e s wall, %M KB peak" python3 -c "
import numpy as np, sys
m = np.fromfile(sys.argv[1], '>f4')[3::4].astype(np.float32)
h = np.bincount(np.clip((m / 0.002).astype(np.int64), 0, 500000), minlength=500001)
" "$f" 2>&1 || true
    done
done
