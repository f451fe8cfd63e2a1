#!/usr/bin/env bash
# FEM benchmarks with the peers in the same run: the dislocation scenario on N x N bilinear quads
# (elastic only, and coupled to steady state) and scikit-fem's plane-strain elasticity on the same
# mesh size (assembly + one direct solve with scipy's default sparse solver), and FEniCSx's
# (Debian python3-dolfinx, when installed) on the same problem.
#   Scripts/benchmark-fem.sh [N]        (default 200; TRANSIENT=1 also times the time-stepped run)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
bash Scripts/swift-release.sh --product atomprobe-bench >/dev/null
bench=.build/release/atomprobe-bench
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r)"
"$bench" fem-elastic "$n"
/usr/bin/time -f "  peak memory %M kB, wall %e s" "$bench" fem-steady "$n"
[ "${TRANSIENT:-0}" = 1 ] && /usr/bin/time -f "  peak memory %M kB, wall %e s" "$bench" fem-transient "$n"
if python3 -m pip show scikit-fem >/dev/null 2>&1 || python3 -m pip install -q scikit-fem >/dev/null 2>&1; then
python3 - "$n" <<'PY'
import sys, time
import numpy as np, skfem
from skfem import MeshQuad, ElementVector, ElementQuad1, Basis, asm, condense, solve
from skfem.models.elasticity import linear_elasticity, lame_parameters
n = int(sys.argv[1])
t0 = time.perf_counter()
m = MeshQuad.init_tensor(np.linspace(-20, 20, n + 1), np.linspace(-20, 20, n + 1))
basis = Basis(m, ElementVector(ElementQuad1()))
K = asm(linear_elasticity(*lame_parameters(150.0, 0.257)), basis)   # plane strain, GPa
t1 = time.perf_counter()
# Load: uniform x-traction on the right edge, left edge clamped.
from skfem import FacetBasis, LinearForm
fb = FacetBasis(m, ElementVector(ElementQuad1()), facets=m.facets_satisfying(lambda x: x[0] > 19.999))
@LinearForm
def traction(v, w): return 1.0 * v[0]
f = asm(traction, fb)
D = basis.get_dofs(lambda x: x[0] < -19.999).all()
t2 = time.perf_counter()
u = solve(*condense(K, f, D=D))
t3 = time.perf_counter()
print(f"scikit-fem {skfem.__version__} plane-strain elasticity {n}x{n} Q1 ({K.shape[0]} unknowns): assembly {t1-t0:.2f} s, direct solve {t3-t2:.2f} s")
PY
else
    echo "scikit-fem not installable: that peer skipped"
fi
if /usr/bin/python3 -c "import dolfinx" 2>/dev/null; then
    /usr/bin/python3 Scripts/fenicsx-elasticity.py "$n" 2>/dev/null | grep FEniCSx   # first call compiles the forms
    /usr/bin/python3 Scripts/fenicsx-elasticity.py "$n" 2>/dev/null | grep FEniCSx
else
    echo "FEniCSx (Debian python3-dolfinx) not installed: that peer skipped"
fi
