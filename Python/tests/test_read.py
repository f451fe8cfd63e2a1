"""read/write: exactly the file's values (checked against an independent NumPy decoding of the
bytes), EPOS/APT extras, subsets, round trips."""
import numpy as np
import pytest

import atomprobekit as apk
from conftest import RANGES, SAMPLE, shared


def numpy_pos(path):
    rec = np.fromfile(path, dtype=">f4").reshape(-1, 4).astype("<f4")
    return rec[:, :3], rec[:, 3]


def test_read_pos_equals_numpy_decoding(sample):
    xyz, m = numpy_pos(SAMPLE)
    assert sample.xyz.dtype == np.float32 and sample.xyz.shape == (1_000_000, 3)
    assert sample.mass_to_charge.dtype == np.float32 and sample.mass_to_charge.shape == (1_000_000,)
    assert np.array_equal(sample.xyz, xyz) and np.array_equal(sample.mass_to_charge, m)
    assert sample.extras == {} and sample.path == str(SAMPLE)
    assert not sample.xyz.flags.writeable


def test_read_real_si_pos_and_epos():
    pos = apk.read(shared("Si.pos"))
    xyz, m = numpy_pos(shared("Si.pos"))
    assert len(pos) == 945_211  # SOURCES.md
    assert np.array_equal(pos.xyz, xyz) and np.array_equal(pos.mass_to_charge, m)
    path = shared("Si.first100000.DERIVED.epos")
    epos = apk.read(path)
    raw = np.fromfile(path, dtype=np.dtype([("f", ">f4", 9), ("i", ">i4", 2)]))
    assert np.array_equal(epos.xyz, raw["f"][:, :3].astype("<f4"))
    assert np.array_equal(epos.mass_to_charge, raw["f"][:, 3].astype("<f4"))
    assert np.array_equal(epos.extras["detector_x"], raw["f"][:, 7].astype("<f4"))
    assert np.array_equal(epos.extras["ions_per_pulse"], raw["i"][:, 1])
    # The ipp histogram of the first 100,000 records (SOURCES.md).
    values, counts = np.unique(epos.extras["ions_per_pulse"], return_counts=True)
    assert dict(zip(values.tolist(), counts.tolist())) == {0: 2088, 1: 95966, 2: 1821, 3: 112, 4: 11, 5: 1, 7: 1}
    apt = apk.read(shared("Si.first100000.DERIVED.apt"))
    assert np.array_equal(apt.xyz, pos.xyz[:100_000]) and np.array_equal(apt.mass_to_charge, pos.mass_to_charge[:100_000])


def test_subsets_and_round_trip(tmp_path, sample):
    mask = sample.xyz[:, 2] > -20
    sub = sample[mask]
    assert len(sub) == int(mask.sum()) and sub.path is None
    assert np.array_equal(sample[np.flatnonzero(mask)].xyz, sub.xyz)
    assert len(sample[10:20]) == 10 and len(sample[5]) == 1
    out = tmp_path / "sub.epos"
    apk.write(sub, out)
    back = apk.read(out)
    assert np.array_equal(back.xyz, sub.xyz) and np.array_equal(back.mass_to_charge, sub.mass_to_charge)
    with pytest.raises(apk.AtomProbeError, match="exists"):
        apk.write(sub, out)
    apk.write(sub, out, overwrite=True)


def test_ranges():
    r = apk.read_ranges(RANGES)
    assert len(r) == 36 and len(r.ions) == 10
    assert {"low_da", "high_da", "ion"} <= set(r.ranges[0])
    si = apk.read_ranges(shared("Si.RRNG"))
    # apav test_from_rrng: 25 ranges, the last ion Cr2O (apav keeps file order; ours are sorted by m/n).
    assert len(si) == 25 and "Cr2O" in {i["name"] for i in si.ions}
