#!/usr/bin/env bash
# Installs the system packages AtomProbeKit builds against (Debian/Ubuntu; run as root or with sudo).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
    libhdf5-dev libopenblas-dev libsuitesparse-dev libopenmpi-dev openmpi-bin pkg-config librsvg2-bin chromium python3-venv >/dev/null
# h5py reads the HDF5 results bundle in Scripts/check-bundle.py (and in the tests).
python3 -m pip install -q h5py numpy >/dev/null 2>&1 || echo "note: h5py not installed; the bundle check will be skipped"
# FAIRmat's NeXus validator for the NXapm export (Scripts/check-nxapm.sh and the tests), in its own
# virtual environment beside the repository.
venv="$(cd "$(dirname "$0")/.." && pwd)/.venv-nexus"
if [ ! -x "$venv/bin/validate_nexus" ]; then
    $SUDO apt-get install -y -qq --no-install-recommends python3-venv >/dev/null 2>&1 || true
    (python3 -m venv "$venv" && "$venv/bin/pip" install -q pynxtools pynxtools-apm >/dev/null 2>&1) \
        || echo "note: pynxtools not installed; the NXapm validation will be skipped"
fi
# The Python package (Python/, `import atomprobekit`) in its own virtual environment beside the
# repository, with pandas and pytest: `pip install ./Python` builds the Swift library it loads
# (Scripts/swift-release.sh, the same release build as the demo's).
pyvenv="$(cd "$(dirname "$0")/.." && pwd)/.venv-python"
repo="$(cd "$(dirname "$0")/.." && pwd)"
[ -x "$pyvenv/bin/python" ] || python3 -m venv "$pyvenv"
"$pyvenv/bin/pip" install -q "$repo/Python[test]"
echo "system packages and the Python package installed"
