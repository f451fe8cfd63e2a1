#!/usr/bin/env bash
# The one release build every script uses (the flags are part of SwiftPM's build key: builds with
# other flags recompile everything). --static-swift-stdlib links the Swift runtime into the
# executable; the library search path of the static runtime lets the Python package's shared
# library (AtomProbeKitC) link with the same flags. Usage: Scripts/swift-release.sh --product X
set -euo pipefail
cd "$(dirname "$0")/.."
toolchain="$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")"
exec swift build -c release --static-swift-stdlib -Xlinker -L"$toolchain/lib/swift_static/linux" "$@"
