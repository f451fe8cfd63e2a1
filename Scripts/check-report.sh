#!/usr/bin/env bash
# Opens a demo report in headless Chromium (Debian's `chromium`): it must load without console
# errors and render every inline figure. Writes a screenshot next to the report.
#   Scripts/check-report.sh out/demo/index.html
set -euo pipefail
report=$(realpath "${1:?usage: check-report.sh REPORT.html}")
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "check-report: chromium not installed" >&2; exit 2; }
dir=$(dirname "$report")
log=$(mktemp)
# Software GL (SwiftShader) so the WebGL atom map draws without a GPU and without warnings.
flags=(--headless --no-sandbox --use-angle=swiftshader --enable-unsafe-swiftshader --hide-scrollbars)
timeout 120 "$browser" "${flags[@]}" --window-size=1280,6000 --screenshot="$dir/report-screenshot.png" \
    --enable-logging=stderr --v=0 "file://$report" 2>"$log" >/dev/null || { cat "$log" >&2; exit 1; }
if grep -E "CONSOLE|Uncaught|ERROR:.*(javascript|console)" "$log" | grep -v "dbus\|gpu\|GPU\|sandbox" >&2; then
    echo "check-report: console errors while loading $report" >&2; exit 1
fi
expected=$(grep -oE '<(div|figure) class="figure"><svg' "$report" | wc -l)
# The report's own script counts the figures laid out with a non-zero size after load.
state=$(timeout 120 "$browser" "${flags[@]}" --virtual-time-budget=5000 --run-all-compositor-stages-before-draw \
    --dump-dom "file://$report" 2>/dev/null | grep -o 'data-figures="[0-9]*/[0-9]*"' | head -1)
[ "$state" = "data-figures=\"$expected/$expected\"" ] || { echo "check-report: figures rendered: ${state:-none} (expected $expected)" >&2; exit 1; }
rendered=$expected
# The 3D atom map (WebGL through SwiftShader, Chromium's software GL): points drawn after the first frame.
points=""
if grep -q 'id="atom-map"' "$report"; then
    points=$(timeout 120 "$browser" --headless --no-sandbox --use-angle=swiftshader --enable-unsafe-swiftshader --hide-scrollbars \
        --virtual-time-budget=5000 --run-all-compositor-stages-before-draw --dump-dom "file://$report" 2>/dev/null \
        | grep -o '<canvas id="atom-map"[^>]*data-points="[0-9]*"' | grep -o 'data-points="[0-9]*"' | grep -o '[0-9]*' | head -1)
    [ -n "$points" ] && [ "$points" -gt 0 ] || { echo "check-report: the 3D atom map drew no points (data-points: ${points:-none})" >&2; exit 1; }
    points="; atom map drew $points points"
fi
[ -s "$dir/report-screenshot.png" ] || { echo "check-report: no screenshot" >&2; exit 1; }
echo "check-report: $report loads without console errors; $rendered figures rendered$points; screenshot $dir/report-screenshot.png"
