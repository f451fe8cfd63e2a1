#!/usr/bin/env bash
# Installs the system packages AtomProbeKit builds against (Debian/Ubuntu; run as root or with sudo).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
    libhdf5-dev libopenblas-dev libsuitesparse-dev libopenmpi-dev openmpi-bin pkg-config librsvg2-bin chromium >/dev/null
# h5py reads the HDF5 results bundle in Scripts/check-bundle.py (and in the tests).
python3 -m pip install -q h5py numpy >/dev/null 2>&1 || echo "note: h5py not installed; the bundle check will be skipped"
echo "system packages installed"
