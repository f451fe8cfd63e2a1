"""The C ABI of the Swift library (libAtomProbeKitC), loaded with ctypes.

Every call returns 0 or the command line's exit code with its one-line message; that message
becomes an `AtomProbeError`. Long calls run on a worker thread so that Ctrl-C reaches Python at
once (see `call`).
"""
from __future__ import annotations

import atexit
import ctypes
import glob
import os
import shutil
import sys
import threading
import time
from pathlib import Path

LIBRARY = "libAtomProbeKitC.so"


class AtomProbeError(ValueError):
    """A refused input or option: the message is the command line's one line (it names the
    file or the option); `code` is its exit code (1 a refused input, 64 a refused option)."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def _candidates():
    env = os.environ.get("ATOMPROBEKIT_LIB")
    if env:
        yield Path(env)
        return
    here = Path(__file__).resolve().parent
    yield here / "_bin" / LIBRARY
    # A source checkout: Python/src/atomprobekit -> the repository's .build, newest first.
    repo = here.parents[2]
    built = [repo / ".build" / c / LIBRARY for c in ("release", "debug")]
    yield from sorted((p for p in built if p.exists()), key=lambda p: p.stat().st_mtime, reverse=True)


def _load():
    tried = []
    for path in _candidates():
        if path.exists():
            lib = ctypes.CDLL(str(path))
            checker = path.parent / "atomprobe"
            return lib, (str(checker).encode() if checker.exists() else None), path
        tried.append(str(path))
    raise ImportError("atomprobekit: the Swift library is not built; run `pip install ./Python` "
                      "(or `swift build -c release --product AtomProbeKitC`); looked for " + ", ".join(tried))


_lib, HDF5_CHECKER, LIBRARY_PATH = _load()

_c_char_pp = ctypes.POINTER(ctypes.c_char_p)
_f32p = ctypes.POINTER(ctypes.c_float)
_i32p = ctypes.POINTER(ctypes.c_int32)
_err = ctypes.POINTER(ctypes.c_void_p)
PROGRESS = ctypes.CFUNCTYPE(None, ctypes.c_int32, ctypes.c_char_p, ctypes.c_double, ctypes.c_void_p)

_lib.apk_version.restype = ctypes.c_void_p
_lib.apk_free.argtypes = [ctypes.c_void_p]
_lib.apk_read_open.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p),
                               ctypes.POINTER(ctypes.c_int64), ctypes.POINTER(ctypes.c_int32), _err]
_lib.apk_read_open.restype = ctypes.c_int32
_lib.apk_read_fill.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, _err]
_lib.apk_read_fill.restype = ctypes.c_int32
_lib.apk_read_release.argtypes = [ctypes.c_void_p]
_lib.apk_write.argtypes = [ctypes.c_char_p, ctypes.c_int64, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p,
                           ctypes.c_int32, _err]
_lib.apk_write.restype = ctypes.c_int32
_lib.apk_run.argtypes = [ctypes.c_int32, _c_char_pp, ctypes.c_int64, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p,
                         ctypes.c_void_p, ctypes.c_char_p, PROGRESS, ctypes.c_void_p, _err, _err]
_lib.apk_run.restype = ctypes.c_int32


def _take_string(p: ctypes.c_void_p) -> str:
    """A malloc'd C string from the library, freed."""
    if not p.value:
        return ""
    try:
        return ctypes.string_at(p.value).decode("utf-8", "replace")
    finally:
        _lib.apk_free(p.value)


def version() -> str:
    return _take_string(ctypes.c_void_p(_lib.apk_version()))


def check(status: int, error: ctypes.c_void_p):
    if status != 0:
        raise AtomProbeError(_take_string(error) or f"the library failed (code {status})", status)


def call(work, progress, cancel=None):
    """Runs `work()` (a foreign call, which releases the GIL) on a worker thread and waits for it,
    so that Ctrl-C raises KeyboardInterrupt here at once. The library cannot stop in the middle
    of a computation: `cancel` (a `Cancel`) then marks the run abandoned, so that it publishes
    nothing when it ends on its thread, which then tidies up (and what is left goes at exit if the
    interpreter ends first)."""
    box = {}

    def target():
        try:
            box["value"] = work()
        except BaseException as e:  # re-raised on the caller's thread
            box["error"] = e
        finally:
            if cancel is not None and cancel.requested:
                cancel.tidy()

    t = threading.Thread(target=target, name="atomprobekit", daemon=True)
    try:
        t.start()  # inside: an interrupt while the thread starts must cancel it too
        while t.is_alive():
            t.join(0.05)
    except KeyboardInterrupt:
        if cancel is not None:
            cancel.now()
            atexit.register(cancel.at_exit, t)
        raise
    finally:
        progress.close()
    if "error" in box:
        raise box["error"]
    return box.get("value")


class Cancel:
    """Abandons a run that writes `folder`. The library's run folders publish nothing while the
    folder holds this process's cancel marker (`RunFolder.cancelPrefix`: `.atomprobe-cancel-PID`),
    whether the run has begun to write or not yet. `tidy` (when the run has ended, or at exit)
    removes the marker, the run's staging folder, and the folder when this call made it."""

    PREFIX = ".atomprobe-cancel-"

    def __init__(self, folder, also=None):
        self.folder = os.fspath(folder)
        self.made = not os.path.exists(self.folder)
        self.also = also
        self.requested = False
        self.marker = os.path.join(self.folder, f"{self.PREFIX}{os.getpid()}")

    def now(self):
        self.requested = True
        try:
            os.makedirs(self.folder, exist_ok=True)
            open(self.marker, "w").close()
        except OSError:
            pass

    def _staging(self):
        return glob.glob(os.path.join(glob.escape(self.folder), f".atomprobe-staging-{os.getpid()}-*"))

    def at_exit(self, worker, wait=10.0):
        """Tidies up when the interpreter ends before the run has: first waits (at most `wait` s)
        until the run has made its staging folder or ended, since a run that has not yet begun
        would otherwise find no marker once `tidy` removed it, and leave its staging folder."""
        deadline = time.monotonic() + wait
        while worker.is_alive() and not self._staging() and time.monotonic() < deadline:
            time.sleep(0.02)
        self.tidy()

    def tidy(self):
        for staging in self._staging():
            shutil.rmtree(staging, ignore_errors=True)
        try:
            os.remove(self.marker)
        except OSError:
            pass
        if self.made:
            try:
                os.rmdir(self.folder)
            except OSError:
                pass
        if self.also is not None:
            self.also()


def run(arguments, ions=None, progress=None, cancel=None):
    """Runs a command of the command line in this process (`arguments` as typed after
    `atomprobe`); returns what it would print. `ions`: a Reconstruction whose arrays are the
    reconstruction of a composition."""
    args = [str(a).encode() for a in arguments]
    argv = (ctypes.c_char_p * len(args))(*args)
    count, pointers = -1, [None, None, None, None]
    if ions is not None:
        count, pointers = len(ions), ions._pointers()
    sink = Progress(progress)
    callback = PROGRESS(sink.receive)

    def work():
        out, err = ctypes.c_void_p(), ctypes.c_void_p()
        status = _lib.apk_run(len(args), argv, count, *pointers, HDF5_CHECKER, callback, None, ctypes.byref(out), ctypes.byref(err))
        check(status, err)
        return _take_string(out)

    return call(work, sink, cancel)


class Progress:
    """Where a call's progress goes: `True` prints stage lines on stderr (and a tqdm bar when tqdm
    is installed), a callable receives (kind, text, fraction) with kind "note", "stage" or
    "fraction", None or False shows nothing."""

    KINDS = {0: "note", 1: "stage", 2: "fraction"}

    def __init__(self, how):
        self.how = how
        self.bars = {}
        self.lock = threading.Lock()

    def receive(self, kind, text, fraction, _context):
        if not self.how:
            return
        text = text.decode("utf-8", "replace") if text else ""
        name = self.KINDS.get(kind, "note")
        if callable(self.how):
            try:
                self.how(name, text, fraction)
            except Exception as e:  # a callback's error must not cross into the library
                print(f"atomprobekit: progress callback failed: {e}", file=sys.stderr)
            return
        with self.lock:
            if name != "fraction":
                print("atomprobe: " + text, file=sys.stderr)
                return
            bar = self.bars.get(text)
            if bar is None:
                try:
                    from tqdm.auto import tqdm
                except ImportError:
                    return
                bar = self.bars[text] = tqdm(total=100, desc=text, leave=False)
            bar.n = round(100 * fraction)
            bar.refresh()

    def close(self):
        with self.lock:
            for bar in self.bars.values():
                bar.close()
            self.bars.clear()
