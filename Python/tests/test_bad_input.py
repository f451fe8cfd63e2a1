"""Bad input raises AtomProbeError with the command line's one-line message (the peer: the
atomprobe executable's "Error: ..." line for the same arguments) and never kills the
interpreter: a fuzz-style loop over options runs in a child interpreter that must survive."""
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import atomprobekit as apk
from conftest import RANGES, REPO, SAMPLE


def cli_error(cli, *args):
    r = cli(*args, check=False)
    assert r.returncode != 0
    line = r.stderr.strip().splitlines()[-1]
    assert line.startswith("Error: ")
    return r.returncode, line[len("Error: "):]


@pytest.mark.parametrize("call,args", [
    (lambda: apk.read("/nonexistent/x.pos"), ["info", "/nonexistent/x.pos"]),
    (lambda: apk.read_ranges(REPO / "README.md"), ["ranges", REPO / "README.md"]),
    (lambda: apk.composition(SAMPLE, RANGES, box=[1, 2, 3], progress=False),
     ["composition", SAMPLE, "--ranges", RANGES, "--box", "1,2,3"]),
    (lambda: apk.composition(SAMPLE, RANGES, memory_limit_gb=float("nan"), progress=False),
     ["composition", SAMPLE, "--ranges", RANGES, "--memory-limit-gb", "nan"]),
    (lambda: apk.analyze(SAMPLE, RANGES, "Li", 142, progress=False),
     ["analyze", SAMPLE, "--ranges", RANGES, "--species", "Li", "--threshold", "142", "--output", "/tmp/apk-never"]),
    (lambda: apk.analyze(SAMPLE, RANGES, "Xx", 42, progress=False),
     ["analyze", SAMPLE, "--ranges", RANGES, "--species", "Xx", "--threshold", "42", "--output", "/tmp/apk-never"]),
    (lambda: apk.profile(SAMPLE, RANGES, from_=[0, 0, 0], to=[0, 0, 0], radius=5, progress=False),
     ["profile", SAMPLE, "--ranges", RANGES, "--from", "0,0,0", "--to", "0,0,0", "--radius", "5", "--output", "/tmp/apk-never"]),
])
def test_errors_are_the_cli_line(cli, call, args):
    code, line = cli_error(cli, *args)
    with pytest.raises(apk.AtomProbeError) as e:
        call()
    assert str(e.value) == line and e.value.code == code
    assert "\n" not in str(e.value)


def test_wrong_arrays():
    with pytest.raises(apk.AtomProbeError, match="N x 3"):
        apk.Reconstruction(np.zeros((4, 2), np.float32), np.zeros(4, np.float32))
    with pytest.raises(apk.AtomProbeError, match="mass_to_charge"):
        apk.Reconstruction(np.zeros((4, 3), np.float32), np.zeros(5, np.float32))
    with pytest.raises(apk.AtomProbeError, match="real numbers"):
        apk.Reconstruction(np.array([["a", "b", "c"]]), np.zeros(1, np.float32))
    r = apk.Reconstruction(np.zeros((3, 3), np.float64), [1.0, 2.0, 3.0])
    assert r.xyz.dtype == np.float32
    with pytest.raises(apk.AtomProbeError, match="mask"):
        r[np.array([True, False])]


FUZZ = textwrap.dedent("""
    import random, math, sys
    import numpy as np
    import atomprobekit as apk
    sample, ranges = sys.argv[1], sys.argv[2]
    r = apk.read(sample)[:20000]
    rng = random.Random(7)
    values = [float("nan"), float("inf"), -1, 0, 1e308, -1e308, 2**63, "abc", "", "1,2", "-5", 0.5, 3, [1, 2, 3], [1e9] * 6, True]
    options = ["box", "sphere", "cylinder", "mode", "exclude", "background", "background_model", "background_windows",
               "errors", "memory_limit_gb", "non_finite", "voxel_nm", "delocalization_nm", "threshold", "bin_width", "radius",
               "dmax", "nmin", "order", "envelope", "erosion", "atoms_per_bin", "map_points", "species"]
    ok = refused = 0
    for i in range(120):
        kw = {o: rng.choice(values) for o in rng.sample(options, 2)}
        what = rng.choice(["composition", "profile", "clusters", "spectrum"])
        try:
            if what == "composition":
                apk.composition(r, ranges, progress=False, **kw)
            elif what == "profile":
                apk.profile(r, ranges, progress=False, **{"from_": [0, 0, -10], "to": [0, 0, -1], **kw})
            elif what == "clusters":
                apk.clusters(r, ranges, "Ta", progress=False, **kw)
            else:
                apk.spectrum(r, progress=False, **kw)
            ok += 1
        except apk.AtomProbeError as e:
            assert "\\n" not in str(e) and str(e), (what, kw, str(e))
            refused += 1
    print("survived", ok, refused)
""")


def test_fuzzed_options_never_kill_the_interpreter():
    r = subprocess.run([sys.executable, "-c", FUZZ, str(SAMPLE), str(RANGES)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    survived = r.stdout.split()
    assert survived[0] == "survived" and int(survived[1]) + int(survived[2]) == 120


def test_non_finite_arrays_follow_the_policy(sample):
    xyz = np.array(sample.xyz[:1000])
    xyz[5, 0] = np.nan
    r = apk.Reconstruction(xyz, sample.mass_to_charge[:1000])
    with pytest.raises(apk.AtomProbeError, match="NaN or infinite"):
        apk.composition(r, RANGES, progress=False)
    dropped = apk.composition(r, RANGES, non_finite="drop", progress=False)
    assert dropped.ranged_ions + dropped.unranged_ions == 999
    kept = apk.composition(r, RANGES, non_finite="keep", progress=False)
    assert kept.ranged_ions + kept.unranged_ions == 1000
