"""Compositions from Python equal the command line's JSON to the last digit (the peer here is
the atomprobe executable built with the same library), for whole files and for subsets made in
NumPy (against --box, the same region)."""
import json

import numpy as np
import pytest

import atomprobekit as apk
from conftest import RANGES, SAMPLE, shared


def cli_json(cli, *args):
    return json.loads(cli("composition", *args, "--json").stdout)


@pytest.mark.parametrize("options,flags", [
    ({}, []),
    ({"mode": "ionic"}, ["--mode", "ionic"]),
    ({"background": "fit", "deconvolve": True}, ["--background", "fit", "--deconvolve"]),
    ({"errors": "multinomial", "exclude": "Ta"}, ["--errors", "multinomial", "--exclude", "Ta"]),
])
def test_whole_file_equals_cli(cli, sample, options, flags):
    py = apk.composition(sample, apk.read_ranges(RANGES), progress=False, **options)
    assert py.json == cli_json(cli, SAMPLE, "--ranges", RANGES, *flags)


def test_numpy_subset_equals_cli_box(cli, sample):
    lo, hi = np.array([-10.0, -8.0, -40.0]), np.array([12.0, 9.0, -15.0])
    # --box keeps lo <= p <= hi on every axis.
    inside = np.all((sample.xyz >= lo) & (sample.xyz <= hi), axis=1)
    py = apk.composition(sample[inside], RANGES, progress=False)
    box = cli_json(cli, SAMPLE, "--ranges", RANGES, "--box", ",".join(map(str, [*lo, *hi])))
    assert py.ranged_ions + py.unranged_ions == box["ranged_ions"] + box["unranged_ions"] == int(inside.sum())
    assert py.json["elements"] == box["elements"]


def test_real_si_equals_cli_and_known_answer(cli):
    pos, rrng = shared("Si.pos"), shared("Si.RRNG")
    py = apk.composition(apk.read(pos), apk.read_ranges(rrng), progress=False)
    assert py.json == cli_json(cli, pos, "--ranges", rrng)
    # SOURCES.md: Si 74.6770, Cr 16.6319, O 8.5590 at.% (numpy and apav 1.4.0 agree).
    for el, want in {"Si": 74.6770, "Cr": 16.6319, "O": 8.5590}.items():
        assert abs(py[el]["at_pct"] - want) < 5e-5
    sub = apk.read(pos)
    sub = sub[sub.xyz[:, 2] >= -30]  # --box is inclusive on both sides
    assert apk.composition(sub, rrng, progress=False).json["elements"] == \
        cli_json(cli, pos, "--ranges", rrng, "--box", "-1e9,-1e9,-30,1e9,1e9,1e9")["elements"]


def test_to_frame(sample):
    frame = apk.composition(sample, RANGES, progress=False).to_frame()
    assert {"at_pct", "sigma_at_pct", "count"} <= set(frame.columns) and "Li" in frame.index
