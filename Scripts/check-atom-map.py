#!/usr/bin/env python3
"""Checks the default view of a report's 3D atom map the way a person would look at it
(issue 25): a headless Chromium screenshot, in which each object's surface colour must cover a
measurable share of the pixels inside the object's projected bounding box, and almost none
outside every box. The page itself reports where the canvas lies and each object's projected box
(`data-page-rect`, `data-object-boxes`); the pixels come from the screenshot alone.

  Scripts/check-atom-map.py REPORT.html [--min-inside 0.25] [--max-outside 0.01]
Needs chromium and Pillow (the venv of Scripts/install-deps.sh has it). Prints one line per
object and exits 1 when a check fails, 2 when it cannot run."""
import colorsys, re, subprocess, sys, tempfile, os

def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__); return 2
    report = os.path.realpath(args[0])
    min_inside = float(args[args.index("--min-inside") + 1]) if "--min-inside" in args else 0.25
    max_outside = float(args[args.index("--max-outside") + 1]) if "--max-outside" in args else 0.01
    try:
        from PIL import Image
    except ImportError:
        print("check-atom-map: Pillow not installed", file=sys.stderr); return 2
    flags = ["chromium", "--headless", "--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
             "--hide-scrollbars", "--virtual-time-budget=5000", "--window-size=1200,1000"]
    dom = subprocess.run(flags + ["--dump-dom", "file://" + report], capture_output=True, text=True, timeout=180).stdout
    canvas = re.search(r'<canvas id="atom-map"[^>]*>', dom)
    if not canvas:
        print("check-atom-map: no atom map in " + report, file=sys.stderr); return 1
    tag = canvas.group(0)
    rect = re.search(r'data-page-rect="([-0-9,]+)"', tag)
    boxes = re.search(r'data-object-boxes="([-0-9,:;]*)"', tag)
    colors = re.findall(r'background:(#[0-9a-fA-F]{6});vertical-align:middle"></span> object (\d+)', dom)
    if not rect or boxes is None or not colors:
        print("check-atom-map: the map did not report its layout (no WebGL?)", file=sys.stderr); return 1
    x0, y0, w, h = map(int, rect.group(1).split(","))
    with tempfile.TemporaryDirectory() as tmp:
        shot = os.path.join(tmp, "map.png")
        subprocess.run(flags + ["--screenshot=" + shot, "file://" + report], capture_output=True, timeout=180)
        img = Image.open(shot).convert("RGB").crop((x0, y0, x0 + w, y0 + h))
        img.save(os.path.splitext(report)[0] + "-atom-map.png")
    px = img.load()
    hue = {int(k): colorsys.rgb_to_hsv(*[int(c[i:i + 2], 16) / 255 for i in (1, 3, 5)])[0] for c, k in colors}
    box = {}
    for part in filter(None, boxes.group(1).split(";")):
        k, v = part.split(":")
        box[int(k)] = [int(t) for t in v.split(",")]

    def matches(rgb, h0):
        hh, s, v = colorsys.rgb_to_hsv(*[c / 255 for c in rgb])
        d = min(abs(hh - h0), 1 - abs(hh - h0))
        return s > 0.35 and v > 0.15 and d < 20 / 360

    failed = False
    inside_any = set()
    for k, (bx0, by0, bx1, by1) in sorted(box.items()):
        bx0, by0, bx1, by1 = max(0, bx0), max(0, by0), min(w - 1, bx1), min(h - 1, by1)
        total = hit = 0
        for y in range(by0, by1 + 1):
            for x in range(bx0, bx1 + 1):
                inside_any.add((x, y)); total += 1
                hit += matches(px[x, y], hue[k])
        share = hit / max(1, total)
        ok = share >= min_inside
        failed |= not ok
        print(f"check-atom-map: object {k}: its colour covers {100 * share:.1f} % of its projected box ({total} px){'' if ok else ' (too little)'}")
    total = hit = 0
    for y in range(h):
        for x in range(w):
            if (x, y) in inside_any: continue
            total += 1
            hit += any(matches(px[x, y], hv) for hv in hue.values())
    share = hit / max(1, total)
    failed |= share > max_outside
    print(f"check-atom-map: outside every box, surface colours cover {100 * share:.2f} % of {total} px{'' if share <= max_outside else ' (too much)'}")
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
