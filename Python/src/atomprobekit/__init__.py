"""AtomProbeKit from Python: the Swift toolkit's readers and analyses on NumPy arrays.

    import atomprobekit as apk
    r = apk.read("SampleData/llzo-sample.pos")
    ranges = apk.read_ranges("SampleData/llzo-sample.rrng")
    apk.composition(r[r.xyz[:, 2] > -20], ranges)["Li"]["at_pct"]

The numbers are the command line's (the same library code runs in this process); errors are its
one-line messages, raised as `AtomProbeError`.
"""
from ._native import AtomProbeError, version as _version
from .reconstruction import Reconstruction, read, write
from .runs import Composition, Ranges, Result, analyze, autorange, clusters, composition, info, multihit, profile, read_ranges, run, spectrum, stats

__version__ = _version()

__all__ = ["AtomProbeError", "Reconstruction", "read", "write", "read_ranges", "Ranges", "composition", "Composition",
           "analyze", "autorange", "profile", "clusters", "stats", "multihit", "spectrum", "info", "run", "Result"]
