"""analyze, profile, clusters and spectrum from Python write and return what the command line
writes for the same input, byte for byte (the peer: the atomprobe executable built with the
same library); a NumPy subset is analysed like the same ions in a file."""
import filecmp
import json
from pathlib import Path

import numpy as np
import pytest

import atomprobekit as apk
from conftest import RANGES, SAMPLE, shared

SAME = ["table.csv", "table.json", "objects.json", "proxigram_all.csv", "summary.txt"]


def test_analyze_equals_cli(cli, tmp_path, sample):
    cli("analyze", SAMPLE, "--ranges", RANGES, "--species", "Li", "--threshold", "42", "--output", tmp_path / "cli")
    r = apk.analyze(sample, apk.read_ranges(RANGES), "Li", 42, output=tmp_path / "py", progress=False)
    for name in SAME:
        assert filecmp.cmp(tmp_path / "cli" / name, tmp_path / "py" / name, shallow=False), name
    assert len(r.objects) == len(json.loads((tmp_path / "cli" / "objects.json").read_text()))
    assert list(r.table.columns[:3]) == (tmp_path / "cli" / "table.csv").read_text().splitlines()[0].split(",")[:3]
    assert "all" in r.proxigrams and len(r.proxigrams) == len(list((tmp_path / "cli").glob("proxigram_*.csv")))
    # Without an output folder the results come back and nothing is left behind.
    again = apk.analyze(SAMPLE, RANGES, "Li", 42, progress=False)
    assert again.output is None and again.table.equals(r.table)


def test_subset_profile_equals_cli_on_the_same_ions(cli, tmp_path, sample):
    sub = sample[sample.xyz[:, 2] > -30]
    apk.write(sub, tmp_path / "sub.pos")
    opts = dict(from_=[0, 0, -29], to=[0, 0, -1], radius=8, bin_width=1.0)
    py = apk.profile(sub, RANGES, output=tmp_path / "py", progress=False, **opts)
    cli("profile", tmp_path / "sub.pos", "--ranges", RANGES, "--from", "0,0,-29", "--to", "0,0,-1", "--radius", "8",
        "--bin-width", "1.0", "--output", tmp_path / "cli")
    assert filecmp.cmp(tmp_path / "cli" / "profile.csv", tmp_path / "py" / "profile.csv", shallow=False)
    assert len(py.profile) == len((tmp_path / "cli" / "profile.csv").read_text().splitlines()) - 1


def test_clusters_and_spectrum_equal_cli(cli, tmp_path):
    pos, rrng = shared("Si.pos"), shared("Si.RRNG")
    r = apk.read(pos)
    sub = r[r.xyz[:, 2] > -15]
    apk.write(sub, tmp_path / "sub.pos")
    py = apk.clusters(sub, rrng, ["Cr"], dmax=0.6, nmin=10, output=tmp_path / "py", progress=False)
    cli("clusters", tmp_path / "sub.pos", "--ranges", rrng, "--solutes", "Cr", "--dmax", "0.6", "--nmin", "10", "--output", tmp_path / "cli")
    assert filecmp.cmp(tmp_path / "cli" / "clusters.csv", tmp_path / "py" / "clusters.csv", shallow=False)
    assert len(py.clusters) == len(py.json)
    frame = apk.spectrum(sub, bin_width=0.05, progress=False)
    cli("spectrum", tmp_path / "sub.pos", "--bin-width", "0.05", "--output", tmp_path / "spec")
    assert frame.equals(__import__("pandas").read_csv(tmp_path / "spec.csv"))
    assert frame["counts"].sum() <= len(sub) and list(frame.columns) == ["mass_to_charge_da", "counts"]


def test_info(sample):
    assert apk.info(sample)["ions"] == 1_000_000
    assert apk.info(sample[:10])["ions"] == 10


def test_multihit_equals_cli(cli, tmp_path):
    epos, rrng = shared("Si.first100000.DERIVED.epos"), shared("Si.RRNG")
    r = apk.read(epos)
    py = apk.multihit(r, rrng, track="CrO++ -> Cr+ + O+", output=tmp_path / "py", progress=False)
    cli("multihit", epos, "--ranges", rrng, "--track", "CrO++ -> Cr+ + O+", "--output", tmp_path / "cli")
    for name in ("multihit.json", "correlation.csv"):
        assert filecmp.cmp(tmp_path / "cli" / name, tmp_path / "py" / name, shallow=False), name
    # SOURCES.md: the ipp histogram of the first 100,000 records.
    assert py.json["ipp_histogram"] == {"0": 2088, "1": 95966, "2": 1821, "3": 112, "4": 11, "5": 1, "7": 1}
    # A subset through a temporary EPOS keeps the detector columns.
    assert apk.multihit(r[:50_000], rrng, progress=False).json["ipp_histogram"]["1"] > 0


def test_autorange_equals_cli(cli, tmp_path, sample):
    py = apk.autorange(sample, ["Li", "O", "Zr", "La", "Ta"], output=tmp_path / "py", progress=False)
    cli("autorange", SAMPLE, "--elements", "Li,O,Zr,La,Ta", "--output", tmp_path / "cli")
    for name in ("ranges.rrng", "ranges.json"):
        assert filecmp.cmp(tmp_path / "cli" / name, tmp_path / "py" / name, shallow=False), name
    assert len(py.table) == len(py.ranges) > 0
    # The automatic ranges feed a composition like any range file.
    assert apk.composition(sample, py.ranges, progress=False)["Li"]["at_pct"] > 0


def test_stats_equals_cli(cli, tmp_path, sample):
    py = apk.stats(sample, RANGES, ["Ta"], output=tmp_path / "py", progress=False)
    cli("stats", SAMPLE, "--ranges", RANGES, "--solutes", "Ta", "--output", tmp_path / "cli")
    for name in ("stats.json", "fda.csv", "nn.csv", "rdf.csv"):
        assert filecmp.cmp(tmp_path / "cli" / name, tmp_path / "py" / name, shallow=False), name
    assert list(py.rdf.columns[:2]) == ["r_nm", "g"] and 0 <= py.json["frequency_distribution"]["p_value"] <= 1
