import os
import subprocess
from pathlib import Path

import pytest

import atomprobekit
from atomprobekit import _native

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "SampleData" / "llzo-sample.pos"
RANGES = REPO / "SampleData" / "llzo-sample.rrng"
SHARED = REPO.parent / "shared" / "external-data" / "jesseds_apav" / "apav" / "tests"


@pytest.fixture(scope="session")
def cli():
    """The atomprobe executable built with the library the package loaded: the peer the package
    must equal to the last digit."""
    exe = _native.HDF5_CHECKER
    if exe is None:
        pytest.skip("no atomprobe executable beside " + str(_native.LIBRARY_PATH))

    def run(*args, check=True):
        r = subprocess.run([exe.decode(), *map(str, args)], capture_output=True, text=True, cwd=REPO)
        if check and r.returncode != 0:
            raise AssertionError(f"atomprobe {' '.join(map(str, args))} exited {r.returncode}: {r.stderr}")
        return r
    return run


@pytest.fixture(scope="session")
def sample():
    return atomprobekit.read(SAMPLE)


def shared(name):
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"../shared is absent ({path})")
    return path
