"""Builds the Swift library the package loads (`swift build -c release`) and puts it, with the
`atomprobe` executable that checks HDF5 files in a child process, into atomprobekit/_bin."""
import os
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

REPO = Path(os.environ.get("ATOMPROBEKIT_REPO", Path(__file__).resolve().parent.parent))
PRODUCTS = {"AtomProbeKitC": "libAtomProbeKitC.so", "atomprobe": "atomprobe"}


class BuildWithSwift(build_py):
    def run(self):
        super().run()
        release = ["bash", str(REPO / "Scripts" / "swift-release.sh")]
        for product in PRODUCTS:
            subprocess.check_call(release + ["--product", product], cwd=REPO)
        bin_path = Path(subprocess.check_output(release + ["--show-bin-path"], cwd=REPO, text=True).strip())
        target = Path(self.build_lib) / "atomprobekit" / "_bin"
        target.mkdir(parents=True, exist_ok=True)
        for name in PRODUCTS.values():
            shutil.copy2(bin_path / name, target / name)


class BinaryDistribution(Distribution):
    """The wheel holds a compiled library: it is for this platform only."""

    def has_ext_modules(self):
        return True


setup(cmdclass={"build_py": BuildWithSwift}, distclass=BinaryDistribution)
