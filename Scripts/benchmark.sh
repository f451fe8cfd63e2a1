#!/usr/bin/env bash
# Release-build benchmarks with their peers, side by side in one run. Results go to stdout;
# copy them into BENCHMARKS.md with the machine description.
#   Scripts/benchmark.sh [SIZE_GIB]      (default 1: a 1 GiB POS, 67M ions)
set -euo pipefail
cd "$(dirname "$0")/.."
gib=${1:-1}
bash Scripts/swift-release.sh --product atomprobe-bench >/dev/null
bench=.build/release/atomprobe-bench
mkdir -p bench-data
pos=bench-data/bench-${gib}g.pos
ions=$(( gib * 1024 * 1024 * 1024 / 16 ))
[ -f "$pos" ] || "$bench" make-pos "$ions" "$pos"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r)"
echo "file: $pos ($(stat -c %s "$pos") bytes, $ions ions); warming the page cache"
cat "$pos" > /dev/null
echo "--- peer: numpy fromfile('>f4') + astype('<f4') (5 runs)"
python3 - "$pos" <<'PY'
import sys, time, numpy as np
times = []
for _ in range(5):
    t0 = time.perf_counter()
    a = np.fromfile(sys.argv[1], dtype=">f4").astype("<f4").reshape(-1, 4)
    times.append(time.perf_counter() - t0)
    del a
print("numpy: runs " + " ".join(f"{t:.3f}" for t in times) + f" s; median {sorted(times)[2]:.3f} s")
PY
echo "--- AtomProbeKit: ReconstructionIO.load (pread in 1 MiB pieces + parallel decode into 4 Float columns) (5 runs)"
"$bench" decode "$pos" 5
