#!/usr/bin/env python3
"""Reads an AtomProbeKit results bundle with h5py (PyPI) and checks its documented layout
(docs/bundle.md). Exit 0 and a summary when everything is there, 1 with the problem otherwise.

    python3 Scripts/check-bundle.py out/demo/results.h5
"""
import json
import sys

import h5py
import numpy as np


def fail(message):
    print(f"check-bundle: {message}", file=sys.stderr)
    sys.exit(1)


def text(dataset):
    value = dataset[()]
    return value.decode() if isinstance(value, bytes) else str(value)


def main(path):
    with h5py.File(path, "r") as f:
        if f.attrs.get("format") not in ("AtomProbeKit results bundle 1", b"AtomProbeKit results bundle 1"):
            fail("not an AtomProbeKit bundle (format attribute)")
        for key in ("toolkit_version", "command_line", "created_utc"):
            if key not in f.attrs:
                fail(f"root attribute {key} missing")
        if not any(k in f for k in ("analysis", "simulation", "comparison")):
            fail("no analysis, simulation or comparison group")
        summary = []
        if "analysis" in f:
            summary.append(check_analysis(f["analysis"]))
        sims = list(f["simulation"].keys()) if "simulation" in f else []
        for s in sims:
            g = f["simulation"][s]
            c = np.asarray(g["fields/c"])
            nodes = np.asarray(g["mesh/nodes_nm"])
            if c.shape[0] != nodes.shape[0] or not np.all((c > 0) & (c < 1)):
                fail(f"simulation {s}: c has {c.shape[0]} values for {nodes.shape[0]} nodes or leaves (0, 1)")
            if json.loads(text(g["summary_json"])).get("scenario") not in ("dislocation", "interface"):
                fail(f"simulation {s}: summary_json has no scenario")
        if sims:
            summary.append("simulations " + ", ".join(sims))
        comps = [k for k in f["comparison"].keys() if k != "ranking_json"] if "comparison" in f else []
        if "comparison" in f and "ranking_json" in f["comparison"]:
            r = json.loads(text(f["comparison"]["ranking_json"]))
            if r.get("best") not in comps:
                fail("ranking_json names no stored comparison as best")
            summary.append(f"ranking (best {r['best']})")
        for c in comps:
            g = f["comparison"][c]
            j = json.loads(text(g["comparison_json"]))
            if "chi_square_per_dof" not in j or np.asarray(g["measured"]).shape != np.asarray(g["simulated"]).shape:
                fail(f"comparison {c}: incomplete")
        if comps:
            summary.append("comparisons " + ", ".join(comps))
        print(f"{path}: " + "; ".join(summary) + ": OK")


def check_analysis(a):
    table = json.loads(text(a["table_json"]))
    if [r["region"] for r in table["rows"]][:1] != ["bulk"]:
        fail("table_json has no bulk row first")
    objects = json.loads(text(a["objects_json"]))
    proxigrams = a["proxigram"]
    for name in ["all"] + [f"object{o['object_id']}" for o in objects]:
        g = proxigrams[name]
        d = np.asarray(g["distance_nm"])
        li = np.asarray(g["Li_at_pct"])
        if d.shape != li.shape or d.ndim != 1:
            fail(f"proxigram {name}: shapes {d.shape} and {li.shape}")
    tri = np.asarray(a["isosurface/triangles"])
    if tri.ndim != 2 or tri.shape[1] != 3:
        fail("isosurface/triangles is not M x 3")
    bulk_li = table["rows"][0]["elements"]["Li"]["at_pct"]
    return f"analysis ({len(objects)} objects, bulk Li {bulk_li:.2f} at.%)"


if __name__ == "__main__":
    if len(sys.argv) != 2:
        fail("usage: check-bundle.py BUNDLE.h5")
    main(sys.argv[1])
