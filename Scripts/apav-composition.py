#!/usr/bin/env python3
"""Peer for Scripts/benchmark-composition.sh: apav 1.4.0 (PyPI; needs numpy < 2) ranges a POS with
an RRNG and computes the decomposed composition. Usage: apav-composition.py FILE.pos FILE.rrng"""
import sys
import time

import apav
from apav.analysis import RangedMassSpectrum

pos, rrng = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
roi = apav.Roi.from_pos(pos)
t1 = time.perf_counter()
ranges = apav.RangeCollection.from_rrng(rrng)
t2 = time.perf_counter()
spectrum = RangedMassSpectrum(roi, ranges, decompose=True)
quant = spectrum.quant_dict
t3 = time.perf_counter()
print(f"apav {apav.__version__}: {len(roi.mass)} ions; read {t1 - t0:.3f} s, ranges {t2 - t1:.3f} s, "
      f"ranging + decomposed composition {t3 - t2:.3f} s, total {t3 - t0:.3f} s")
print("  " + ", ".join(f"{k} {v[0] * 100:.4f}" for k, v in quant.items()) + " at.%")
