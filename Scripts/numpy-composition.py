#!/usr/bin/env python3
"""Peer for Scripts/benchmark-composition.sh (issue 12): a vectorized numpy script doing the same
ranging and decomposed composition as `atomprobe composition` on a POS and an RRNG.
Usage: numpy-composition.py FILE.pos FILE.rrng. Prints the wall time of the whole script's work
(read, range, count, decompose) and the composition."""
import re
import sys
import time

import numpy as np

t0 = time.perf_counter()
pos, rrng = sys.argv[1], sys.argv[2]
lows, highs, atoms = [], [], []
for line in open(rrng, encoding="latin-1"):
    m = re.match(r"\s*Range\d+\s*=\s*([\d.eE+-]+)\s+([\d.eE+-]+)(.*)", line)
    if not m:
        continue
    lows.append(float(m.group(1)))
    highs.append(float(m.group(2)))
    parts = dict(re.findall(r"(\w+):([\d.]+)", m.group(3)))
    atoms.append({k: int(float(v)) for k, v in parts.items() if k not in ("Vol", "Color", "Name")})
order = np.argsort(lows)
lows, highs = np.array(lows)[order], np.array(highs)[order]
atoms = [atoms[i] for i in order]
mass = np.fromfile(pos, dtype=">f4")[3::4].astype(np.float64)
k = np.searchsorted(lows, mass, side="right") - 1
ranged = (k >= 0) & (mass < highs[np.clip(k, 0, None)])
counts = np.bincount(k[ranged], minlength=len(lows))
elements = {}
for c, a in zip(counts, atoms):
    for el, n in a.items():
        elements[el] = elements.get(el, 0) + n * int(c)
total = sum(elements.values())
t1 = time.perf_counter()
print(f"numpy {np.__version__}: {mass.size} ions, {int(ranged.sum())} ranged; total {t1 - t0:.3f} s")
print("  " + ", ".join(f"{el} {100 * n / total:.4f}" for el, n in elements.items()) + " at.%")
