#!/usr/bin/env python3
"""Peer check and timing of `atomprobe profile` (cylinder, fixed-width bins) with numpy alone.

    Scripts/peer-profile.py RECON.pos RANGES.json FROM TO RADIUS BIN_WIDTH PROFILE.csv

RANGES.json is `atomprobe ranges FILE --json`; PROFILE.csv is what `atomprobe profile` wrote for
the same region. Recomputes every bin's atom count per element independently (decomposed, ranges
[low, high), distance from FROM along the axis) and compares them; prints the time numpy takes
(reading, ranging, selecting, binning).
"""
import json, sys, time
import numpy as np

pos, ranges_json, a, b, radius, width, csv = sys.argv[1:8]
a = np.array([float(v) for v in a.split(",")]); b = np.array([float(v) for v in b.split(",")])
radius = float(radius); width = float(width)
t0 = time.perf_counter()
d = np.fromfile(pos, dtype=">f4").reshape(-1, 4).astype(np.float64)
xyz, m = d[:, :3], d[:, 3]
spec = json.load(open(ranges_json))
elements = []
for r in spec["ranges"]:
    for el in r["atoms"]:
        if el not in elements:
            elements.append(el)
lows = np.array([r["low_da"] for r in spec["ranges"]]); highs = np.array([r["high_da"] for r in spec["ranges"]])
order = np.argsort(lows); lows, highs = lows[order], highs[order]
atoms = np.array([[spec["ranges"][k]["atoms"].get(el, 0) for el in elements] for k in order])
k = np.searchsorted(lows, m, side="right") - 1
ranged = (k >= 0) & (m < highs[np.clip(k, 0, None)])
length = np.linalg.norm(b - a); axis = (b - a) / length
rel = xyz - a
t = rel @ axis
radial = rel - np.outer(t, axis)
inside = ranged & (t >= 0) & (t <= length) & (np.einsum("ij,ij->i", radial, radial) <= radius * radius)
nb = int(np.ceil(length / width))
bins = np.minimum((t[inside] / width).astype(np.int64), nb - 1)
counts = np.zeros((nb, len(elements)), dtype=np.int64)
np.add.at(counts, bins, atoms[k[inside]])
elapsed = time.perf_counter() - t0
header = open(csv).readline().strip().split(",")
ours = np.loadtxt(csv, delimiter=",", skiprows=1, usecols=[header.index(f"{el}_count") for el in elements], dtype=np.int64, ndmin=2)
same = ours.shape == counts.shape and np.array_equal(ours, counts)
print(f"numpy peer: {inside.sum()} ions in the cylinder, {counts.sum()} atoms in {nb} bins, {elapsed:.3f} s; "
      f"per-bin counts {'identical to' if same else 'DIFFERENT from'} atomprobe's")
sys.exit(0 if same else 1)
