#!/usr/bin/env bash
# Validates an NXapm file with FAIRmat's validator (pynxtools' validate_nexus, installed by
# Scripts/install-deps.sh in .venv-nexus). pynxtools 0.13-0.16 cannot tick off the @units that
# NXapm declares as an explicit attribute of a field without a unit category (the axes of
# naive_discretization; docs/nxapm.md has the report): this script applies a three-line patch to
# the venv's copy of the validator (in _handle_field: a units attribute that is present and
# required is removed from the required set), then requires "is valid" and not one WARNING,
# ERROR or "has no documentation" line. The validator exits 0 either way, so its text is read.
#   Usage: Scripts/check-nxapm.sh FILE.nxs
set -euo pipefail
file=${1:?usage: check-nxapm.sh FILE.nxs}
root=$(cd "$(dirname "$0")/.." && pwd)
v="$root/.venv-nexus/bin/validate_nexus"
[ -x "$v" ] || { echo "check-nxapm: validate_nexus not installed (Scripts/install-deps.sh)" >&2; exit 2; }
"$root/.venv-nexus/bin/python" - <<'PY'
import pathlib, pynxtools.dataconverter.validation as m
p = pathlib.Path(m.__file__)
s = p.read_text()
marker = "# atomprobekit: explicit @units patch"
old = """        elif units is not None:
            if not self._ignore_undocumented and self._is_canonical_path(path):"""
new = """        elif units is not None and f"{path}/@units" in self._required_entities:  """ + marker + """
            self._remove_from_req_entities(f"{path}/@units")
        elif units is not None:
            if not self._ignore_undocumented and self._is_canonical_path(path):"""
if marker not in s:
    if old not in s:
        raise SystemExit("check-nxapm: this pynxtools has no line to patch; see docs/nxapm.md")
    p.write_text(s.replace(old, new, 1))
PY
out=$("$v" "$file" 2>&1 || true)
problems=$(echo "$out" | grep -E "WARNING|ERROR|has no documentation|Invalid|not valid|NOT valid" || true)
if [ -n "$problems" ] || ! echo "$out" | grep -q "is valid"; then
    echo "$out" >&2
    echo "check-nxapm: $file is not a valid NXapm entry" >&2
    exit 1
fi
echo "check-nxapm: $file is valid NXapm (pynxtools' explicit-@units defect patched)"
