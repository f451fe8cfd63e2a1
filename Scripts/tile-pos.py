#!/usr/bin/env python3
"""Tiles a POS file along z for scale benchmarks (issue 12): writes COPIES copies of IN, each
shifted down by the input's z extent, to OUT (block by block: memory stays at one copy).
Usage: tile-pos.py IN.pos COPIES OUT.pos"""
import sys

import numpy as np

src, copies, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
a = np.fromfile(src, dtype=">f4").reshape(-1, 4)
z = a[:, 2].astype(np.float64)
length = float(z.max() - z.min()) + 1.0
with open(out, "wb") as f:
    for k in range(copies):
        b = a.copy()
        b[:, 2] = (z - k * length).astype(">f4")
        b.tofile(f)
        print(f"tile {k + 1}/{copies}", file=sys.stderr, end="\r")
print(f"\n{out}: {copies * len(a)} ions, tiles {length:.1f} nm apart", file=sys.stderr)
