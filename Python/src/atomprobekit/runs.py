"""The toolkit's analyses, run in this process by the same code as the command line.

Each function takes a reconstruction (a `Reconstruction`, whole file or subset, or a path) and
options named as the command line's, with underscores (`voxel_nm=1.0` is `--voxel-nm 1.0`;
True is a flag; a list is comma-separated). Errors are the command line's one-line messages
(an `AtomProbeError`). Results come as pandas DataFrames with the columns of the CSV files, and
the JSON files as dicts.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from . import _native
from .reconstruction import COLUMNS, Reconstruction, write


def options(**kwargs):
    """Keyword arguments as command-line options."""
    out = []
    for key, value in kwargs.items():
        if value is None or value is False:
            continue
        flag = "--" + key.replace("_", "-")
        if value is True:
            out.append(flag)
        elif isinstance(value, (list, tuple)):
            out += [flag, ",".join(_number(v) for v in value)]
        else:
            out += [flag, _number(value)]
    return out


def _number(v):
    # repr gives the shortest text that reads back as the same double.
    return repr(float(v)) if isinstance(v, float) else str(v)


def _path(ranges):
    return ranges.path if hasattr(ranges, "ions") and hasattr(ranges, "path") else os.fspath(ranges)


@contextlib.contextmanager
def _as_file(recon):
    """The reconstruction as a file the command reads: its own file when it is one, whole and
    unchanged; else its ions written to a temporary POS, or EPOS when it has every detector
    column (float32 values, exactly)."""
    if not isinstance(recon, Reconstruction):
        yield os.fspath(recon)
        return
    if recon.path is not None:
        yield recon.path
        return
    folder = tempfile.mkdtemp(prefix="atomprobekit-")
    try:
        path = os.path.join(folder, "subset.epos" if all(c in recon.extras for c in COLUMNS) else "subset.pos")
        write(recon, path)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _output(output):
    """The folder a run writes, and how to abandon it on Ctrl-C: `output` when given (kept),
    else a temporary one (removed once the results are read)."""
    if output is not None:
        yield os.fspath(output), _native.Cancel(output)
        return
    folder = tempfile.mkdtemp(prefix="atomprobekit-")
    try:
        run = os.path.join(folder, "run")
        yield run, _native.Cancel(run, also=lambda: shutil.rmtree(folder, ignore_errors=True))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(command, *arguments, progress=True, **kwargs):
    """Any command of the command line, in this process: `run("info", path, json=True)`.
    Returns what it would print."""
    return _native.run([command, *map(os.fspath, arguments), *options(**kwargs)], progress=progress)


def _frame(path):
    import pandas as pd
    return pd.read_csv(path)


def _json(path):
    with open(path) as f:
        return json.load(f)


class Composition(dict):
    """A composition: element (ion type in ionic mode) -> {"count", "at_pct", "sigma_at_pct",
    ...}, with the whole JSON of `composition --json` in `.json` and `.to_frame()`."""

    def __init__(self, data):
        super().__init__(data["ion_types"] if data.get("mode") == "ionic" else data["elements"])
        self.json = data
        self.mode = data.get("mode")
        self.ranged_ions = data.get("ranged_ions")
        self.unranged_ions = data.get("unranged_ions")
        self.atoms = data.get("atoms")

    def to_frame(self):
        import pandas as pd
        return pd.DataFrame.from_dict(dict(self), orient="index")


def composition(recon, ranges, progress=True, **kwargs):
    """The composition with one-sigma errors, as `atomprobe composition ... --json`: options
    mode, exclude, box, sphere, cylinder, background, background_model, background_windows,
    deconvolve, errors, non_finite, memory_limit_gb, allow_overlaps. A subset is counted in
    memory; a whole file is streamed from its file."""
    ions = None
    target = recon
    if isinstance(recon, Reconstruction):
        target = recon.path
        if target is None:
            ions, target = recon, "<numpy arrays>"
    args = ["composition", os.fspath(target), "--ranges", _path(ranges), "--json", *options(**kwargs)]
    return Composition(json.loads(_native.run(args, ions=ions, progress=progress)))


class Ranges:
    """A range file: `ions` and `ranges` as `atomprobe ranges FILE --json` gives them; `path` is
    what the analyses read."""

    def __init__(self, path, data):
        self.path = path
        self.ions = data["ions"]
        self.ranges = data["ranges"]

    def __repr__(self):
        return f"<Ranges {self.path}: {len(self.ions)} ions, {len(self.ranges)} ranges>"

    def __len__(self):
        return len(self.ranges)

    def to_frame(self):
        import pandas as pd
        return pd.DataFrame(self.ranges)


def read_ranges(path, allow_overlaps=False):
    """Reads a RRNG, RNG or ENV range file."""
    path = os.fspath(path)
    data = json.loads(_native.run(["ranges", path, "--json", *options(allow_overlaps=allow_overlaps)], progress=False))
    return Ranges(path, data)


class Result:
    """A run's results: its DataFrames and dicts as attributes, `files` (the folder's file names),
    `text` (what the command line prints) and `output` (the folder, when one was asked for)."""

    def __init__(self, output, text, keep):
        self.text = text
        self.output = output if keep else None
        self.files = sorted(os.listdir(output)) if os.path.isdir(output) else []

    def __repr__(self):
        fields = ", ".join(k for k in vars(self) if k not in ("text", "output", "files"))
        return f"<Result: {fields}>"


def _run_to_folder(command, recon, ranges, output, progress, kwargs, load, extra=()):
    with _as_file(recon) as path, _output(output) as (folder, cancel):
        args = [command, path] + (["--ranges", _path(ranges)] if ranges is not None else []) + list(extra)
        text = _native.run(args + ["--output", folder, *options(**kwargs)], progress=progress, cancel=cancel)
        result = Result(folder, text, keep=output is not None)
        load(result, Path(folder))
        return result


def analyze(recon, ranges, species, threshold, output=None, progress=True, **kwargs):
    """The iso-surface chain (`atomprobe analyze`): `objects` (objects.json as a DataFrame),
    `table` (table.csv), `table_json`, `proxigrams` ("all" and each object id -> DataFrame)."""
    def load(r, d):
        import pandas as pd
        r.objects = pd.DataFrame(_json(d / "objects.json"))
        r.table = _frame(d / "table.csv")
        r.table_json = _json(d / "table.json")
        names = (p.stem.removeprefix("proxigram_") for p in sorted(d.glob("proxigram_*.csv")))
        r.proxigrams = {(n if n == "all" else int(n.removeprefix("object"))): _frame(d / f"proxigram_{n}.csv") for n in names}
    return _run_to_folder("analyze", recon, ranges, output, progress,
                          dict(species=species, threshold=threshold, **kwargs), load)


def profile(recon, ranges, output=None, progress=True, **kwargs):
    """A 1D profile (`atomprobe profile`, options from_, to, radius, axis, bin_nm, species...):
    `profile` (profile.csv) and `json` (profile.json). `from_` is the `--from` option."""
    if "from_" in kwargs:
        kwargs["from"] = kwargs.pop("from_")

    def load(r, d):
        r.profile = _frame(d / "profile.csv")
        r.json = _json(d / "profile.json")
    return _run_to_folder("profile", recon, ranges, output, progress, kwargs, load)


def clusters(recon, ranges, solutes, output=None, progress=True, **kwargs):
    """Maximum-separation clusters (`atomprobe clusters`): `clusters` (clusters.csv), `json`
    (clusters.json) and `matrix` (matrix.json)."""
    def load(r, d):
        r.clusters = _frame(d / "clusters.csv")
        r.json = _json(d / "clusters.json")
        r.matrix = _json(d / "matrix.json")
    return _run_to_folder("clusters", recon, ranges, output, progress,
                          dict(solutes=",".join(solutes) if isinstance(solutes, (list, tuple)) else solutes, **kwargs), load)


def spectrum(recon, ranges=None, output=None, progress=True, **kwargs):
    """The mass spectrum (`atomprobe spectrum`): a DataFrame of its CSV (with `output`, the
    prefix of PREFIX.csv and PREFIX.svg, the files are kept)."""
    with _as_file(recon) as path, _output(None) as (folder, _):
        prefix = os.fspath(output) if output is not None else folder
        args = ["spectrum", path, "--output", prefix] + (["--ranges", _path(ranges)] if ranges is not None else [])
        if output is None:
            os.makedirs(os.path.dirname(prefix), exist_ok=True)
        _native.run(args + options(**kwargs), progress=progress)
        return _frame(prefix + ".csv")


def autorange(recon, elements, output=None, progress=True, **kwargs):
    """Ranges from the spectrum alone (`atomprobe autorange`; options max_atoms, charges,
    width_rule, min_significance, bin_width): `ranges` (a `Ranges` of the folder's ranges.rrng,
    kept only with `output`), `json` (ranges.json) and `table` (its ranges as a DataFrame)."""
    def load(r, d):
        import pandas as pd
        r.json = _json(d / "ranges.json")
        r.table = pd.DataFrame(r.json["ranges"])
        if output is not None:
            r.ranges = read_ranges(d / "ranges.rrng")
    return _run_to_folder("autorange", recon, None, output, progress,
                          dict(elements=",".join(elements) if isinstance(elements, (list, tuple)) else elements, **kwargs), load)


def stats(recon, ranges, solutes, output=None, progress=True, **kwargs):
    """Is a solute random? (`atomprobe stats`; options block_atoms, k, randomizations, seed,
    rdf_max_nm, rdf_bin_nm): `json` (stats.json), `fda` (fda.csv), `nn` (nn.csv) and `rdf`
    (rdf.csv) as DataFrames."""
    def load(r, d):
        r.json = _json(d / "stats.json")
        r.fda, r.nn, r.rdf = _frame(d / "fda.csv"), _frame(d / "nn.csv"), _frame(d / "rdf.csv")
    return _run_to_folder("stats", recon, ranges, output, progress,
                          dict(solutes=",".join(solutes) if isinstance(solutes, (list, tuple)) else solutes, **kwargs), load)


def multihit(recon, ranges, output=None, progress=True, **kwargs):
    """Multiple hits of an EPOS or APT file (`atomprobe multihit`; options track, correlation_bin_da,
    max_mass_da, dead_zone_mm, fit_width_mm, dead_time_correction): `json` (multihit.json),
    `correlation` (correlation.csv). `track` is one reaction or a list. A subset keeps its
    multiple-hit events only where it keeps every record of each."""
    tracks = kwargs.pop("track", None) or []
    tracks = [tracks] if isinstance(tracks, str) else list(tracks)

    def load(r, d):
        r.json = _json(d / "multihit.json")
        r.correlation = _frame(d / "correlation.csv")
    return _run_to_folder("multihit", recon, ranges, output, progress, kwargs, load,
                          extra=[a for t in tracks for a in ("--track", t)])


def info(recon):
    """What `atomprobe info FILE --json` reports."""
    with _as_file(recon) as path:
        return json.loads(_native.run(["info", path, "--json"], progress=False))
