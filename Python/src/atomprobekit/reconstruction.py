"""A reconstruction in NumPy: positions, mass-to-charge and the detector columns of EPOS/APT."""
from __future__ import annotations

import ctypes
import os

import numpy as np

from . import _native

#: The detector columns of EPOS (and of APT files that carry them), in the library's order.
DETAIL = ("tof", "voltage_dc", "voltage_pulse", "detector_x", "detector_y")
PULSES = ("delta_pulse", "ions_per_pulse")
COLUMNS = DETAIL + PULSES


class Reconstruction:
    """Ions as NumPy arrays: `xyz` (N x 3 float32, nm), `mass_to_charge` (N float32, Da) and
    `extras` (the EPOS/APT detector columns the file has: tof, voltage_dc, voltage_pulse,
    detector_x, detector_y as float32; delta_pulse, ions_per_pulse as int32).

    Index it with a boolean mask, an index array or a slice to get a subset (`r[r.xyz[:, 2] > 0]`);
    every function of the package takes a subset as it takes a whole file. Arrays read from a file
    are read-only (copy them to change values), so a reconstruction that still is its whole file
    is analysed from that file, exactly as the command line does."""

    def __init__(self, xyz, mass_to_charge, extras=None, *, source=None):
        xyz = _floats(xyz, "xyz")
        mass = _floats(mass_to_charge, "mass_to_charge")
        if xyz.ndim != 2 or xyz.shape[1] != 3:
            raise _native.AtomProbeError(f"xyz must be an N x 3 array, got shape {xyz.shape}")
        if mass.ndim != 1 or len(mass) != len(xyz):
            raise _native.AtomProbeError(f"mass_to_charge must be a 1-D array of {len(xyz)} values (one per row of xyz), got shape {mass.shape}")
        self.xyz, self.mass_to_charge = xyz, mass
        self.extras = {}
        for name, values in (extras or {}).items():
            if name not in COLUMNS:
                raise _native.AtomProbeError(f"extras: unknown column {name!r}; known: {', '.join(COLUMNS)}")
            arr = _floats(values, name) if name in DETAIL else _ints(values, name)
            if arr.shape != (len(xyz),):
                raise _native.AtomProbeError(f"extras[{name!r}] must hold {len(xyz)} values, got shape {arr.shape}")
            self.extras[name] = arr
        # (path, size, mtime) of the file these arrays are, whole and unchanged.
        self._source = source

    def __len__(self):
        return len(self.mass_to_charge)

    def __repr__(self):
        where = f" from {self._source[0]}" if self._source else ""
        extra = f", extras: {', '.join(self.extras)}" if self.extras else ""
        return f"<Reconstruction: {len(self)} ions{where}{extra}>"

    def __getitem__(self, index):
        if isinstance(index, (int, np.integer)):
            index = [index]
        if isinstance(index, np.ndarray) and index.dtype == bool and index.shape != (len(self),):
            raise _native.AtomProbeError(f"a mask must hold {len(self)} booleans, got shape {index.shape}")
        return Reconstruction(self.xyz[index], self.mass_to_charge[index], {k: v[index] for k, v in self.extras.items()})

    @property
    def path(self):
        """The file these ions are, whole and unchanged since it was read (else None)."""
        if self._source is None:
            return None
        path, size, mtime = self._source
        try:
            st = os.stat(path)
        except OSError:
            return None
        return path if (st.st_size, st.st_mtime_ns) == (size, mtime) else None

    def _pointers(self):
        """The arrays as the C ABI takes them (contiguous; kept alive by this object)."""
        self._xyz_c = np.ascontiguousarray(self.xyz, dtype=np.float32)
        self._mass_c = np.ascontiguousarray(self.mass_to_charge, dtype=np.float32)
        detail = pulses = None
        if all(c in self.extras for c in COLUMNS):
            self._detail_c = np.ascontiguousarray(np.stack([self.extras[c] for c in DETAIL]), dtype=np.float32)
            self._pulses_c = np.ascontiguousarray(np.stack([self.extras[c] for c in PULSES]), dtype=np.int32)
            detail, pulses = self._detail_c.ctypes.data, self._pulses_c.ctypes.data
        return [self._xyz_c.ctypes.data, self._mass_c.ctypes.data, detail, pulses]


def _floats(values, name):
    arr = np.asarray(values)
    if arr.dtype.kind not in "fiu":
        raise _native.AtomProbeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    return arr if arr.dtype == np.float32 else arr.astype(np.float32)


def _ints(values, name):
    arr = np.asarray(values)
    if arr.dtype.kind not in "iu":
        raise _native.AtomProbeError(f"{name} must hold integers, got dtype {arr.dtype}")
    return arr if arr.dtype == np.int32 else arr.astype(np.int32)


def read(path, non_finite="reject"):
    """Reads a POS, EPOS, APT or NeXus NXapm file: exactly the file's values.
    `non_finite`: reject (the default: a NaN or infinite value is an error), drop or keep."""
    path = os.fspath(path)
    st = os.stat(path) if os.path.exists(path) else None
    handle, count, columns = ctypes.c_void_p(), ctypes.c_int64(), ctypes.c_int32()
    err = ctypes.c_void_p()
    status = _native._lib.apk_read_open(path.encode(), str(non_finite).encode(), _native.HDF5_CHECKER, ctypes.byref(handle),
                                        ctypes.byref(count), ctypes.byref(columns), ctypes.byref(err))
    _native.check(status, err)
    n = count.value
    if columns.value & (1 << 30):
        # A POS file: its records land as they are, n x 4 floats (x, y, z, m/n), in one pass;
        # the positions and m/n are views of them (no copy).
        records = np.empty((n, 4), dtype=np.float32)
        status = _native._lib.apk_read_fill(handle, records.ctypes.data, None, None, None, ctypes.byref(err))
        _native.check(status, err)
        records.flags.writeable = False
        xyz, mass, extras = records[:, :3], records[:, 3], {}
    else:
        xyz = np.empty((n, 3), dtype=np.float32)
        mass = np.empty(n, dtype=np.float32)
        detail = np.empty((5, n), dtype=np.float32) if columns.value else None
        pulses = np.empty((2, n), dtype=np.int32) if columns.value else None
        status = _native._lib.apk_read_fill(handle, xyz.ctypes.data, mass.ctypes.data, None if detail is None else detail.ctypes.data,
                                            None if pulses is None else pulses.ctypes.data, ctypes.byref(err))
        _native.check(status, err)
        extras = {}
        if columns.value:
            names = ("tof", "voltage_dc", "voltage_pulse", "detector_x", "detector_y", "delta_pulse", "ions_per_pulse")
            rows = list(detail) + list(pulses)
            extras = {name: rows[i] for i, name in enumerate(names) if columns.value & (1 << i)}
    for arr in (xyz, mass, *extras.values()):
        arr.flags.writeable = False
    whole = st is not None and str(non_finite) != "drop"
    return Reconstruction(xyz, mass, extras, source=(path, st.st_size, st.st_mtime_ns) if whole else None)


def write(recon: Reconstruction, path, overwrite=False):
    """Writes POS or EPOS (from the extension), atomically; an existing file is refused unless
    `overwrite`."""
    pointers = recon._pointers()
    err = ctypes.c_void_p()
    status = _native._lib.apk_write(os.fspath(path).encode(), len(recon), *pointers, 1 if overwrite else 0, ctypes.byref(err))
    _native.check(status, err)
