import Foundation

/// Colour scales: sequential (viridis-like) and diverging (blue - white - red, centred on 0).
public enum ColorScale: Sendable {
    case sequential
    case diverging

    static let viridis: [(Double, Double, Double)] = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
    static let blueWhiteRed: [(Double, Double, Double)] = [(33, 102, 172), (146, 197, 222), (247, 247, 247), (244, 165, 130), (178, 24, 43)]

    /// Colour for t in [0, 1] as "#rrggbb".
    public func color(_ t: Double) -> String {
        let stops = self == .sequential ? Self.viridis : Self.blueWhiteRed
        let u = min(max(t.isFinite ? t : 0.5, 0), 1) * Double(stops.count - 1)
        let k = min(Int(u), stops.count - 2), f = u - Double(k)
        let (a, b) = (stops[k], stops[k + 1])
        func mix(_ p: Double, _ q: Double) -> Int { Int((p + f * (q - p)).rounded()) }
        return String(format: "#%02x%02x%02x", mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }
}

/// A map of a field given at the nodes of a rectilinear grid (coordinates may be non-uniform),
/// resampled bilinearly onto a raster, with a colour bar. Diverging scales are symmetric about 0.
public struct HeatMap: Sendable {
    public var title: String
    public var xLabel = "x (nm)"
    public var yLabel = "y (nm)"
    public var colorLabel: String
    public var xs: [Double]
    public var ys: [Double]
    /// values[i + xs.count * j]
    public var values: [Double]
    public var scale: ColorScale
    /// Value range; default: data range (symmetric about 0 for diverging).
    public var range: ClosedRange<Double>?
    /// Points to mark (e.g. dislocation cores) with a label.
    public var markers: [(x: Double, y: Double, label: String)] = []
    /// Curves drawn over the map (e.g. tracks), each with a label at its last point inside.
    public var curves: [(points: [(Double, Double)], label: String)] = []
    public var raster = 150
    public var size = 560.0

    public init(title: String, colorLabel: String, xs: [Double], ys: [Double], values: [Double], scale: ColorScale) {
        precondition(values.count == xs.count * ys.count)
        self.title = title; self.colorLabel = colorLabel; self.xs = xs; self.ys = ys; self.values = values; self.scale = scale
    }

    func sample(_ x: Double, _ y: Double) -> Double {
        func locate(_ a: [Double], _ v: Double) -> (Int, Double) {
            var lo = 0, hi = a.count - 1
            while hi - lo > 1 { let m = (lo + hi) / 2; if a[m] <= v { lo = m } else { hi = m } }
            return (lo, (v - a[lo]) / (a[lo + 1] - a[lo]))
        }
        let (i, fx) = locate(xs, x), (j, fy) = locate(ys, y)
        let v00 = values[i + xs.count * j], v10 = values[i + 1 + xs.count * j]
        let v01 = values[i + xs.count * (j + 1)], v11 = values[i + 1 + xs.count * (j + 1)]
        return (1 - fy) * ((1 - fx) * v00 + fx * v10) + fy * ((1 - fx) * v01 + fx * v11)
    }

    public func render() -> String {
        let finite = values.filter(\.isFinite)
        var lo = finite.min() ?? 0, hi = finite.max() ?? 1
        if let r = range { lo = r.lowerBound; hi = r.upperBound }
        else if scale == .diverging { let m = max(abs(lo), abs(hi)); lo = -m; hi = m }
        if hi <= lo { hi = lo + 1 }
        let width = size + 190, height = size + 90
        var svg = SVGDocument(width: width, height: height)
        let left = 70.0, top = 40.0
        let x0 = xs.first!, x1 = xs.last!, y0 = ys.first!, y1 = ys.last!
        let aspect = (y1 - y0) / (x1 - x0)
        let pw = aspect <= 1 ? size : size / aspect, ph = aspect <= 1 ? size * aspect : size
        svg.text(title, x: left + pw / 2, y: 22, size: 15, anchor: .middle, bold: true)
        let nx = raster, ny = max(1, Int((Double(raster) * aspect).rounded()))
        let cw = pw / Double(nx), ch = ph / Double(ny)
        // Cells drawn without anti-aliasing: smoothed edges of abutting cells show as faint seams.
        svg.raw("<g shape-rendering=\"crispEdges\">")
        for r in 0..<ny {
            let y = y1 - (Double(r) + 0.5) / Double(ny) * (y1 - y0)
            var runStart = 0
            var runColor = ""
            for q in 0...nx {
                var color = ""
                if q < nx {
                    let x = x0 + (Double(q) + 0.5) / Double(nx) * (x1 - x0)
                    color = scale.color((sample(x, y) - lo) / (hi - lo))
                }
                if q == nx || (q > 0 && color != runColor) {
                    svg.rect(x: left + Double(runStart) * cw, y: top + Double(r) * ch, width: Double(q - runStart) * cw + 0.5,
                             height: ch + 0.5, fill: runColor)
                    runStart = q
                }
                runColor = color
            }
        }
        svg.raw("</g>")
        svg.rect(x: left, y: top, width: pw, height: ph, fill: "none", stroke: "#333")
        let ax = Axis(min: x0, max: x1, from: left, to: left + pw), ay = Axis(min: y0, max: y1, from: top + ph, to: top)
        for t in ax.ticks() { svg.line(ax.pixel(t), top + ph, ax.pixel(t), top + ph + 5); svg.text(Axis.label(t, scale: .linear), x: ax.pixel(t), y: top + ph + 18, size: 11, anchor: .middle) }
        for t in ay.ticks() { svg.line(left - 5, ay.pixel(t), left, ay.pixel(t)); svg.text(Axis.label(t, scale: .linear), x: left - 8, y: ay.pixel(t) + 4, size: 11, anchor: .end) }
        svg.text(xLabel, x: left + pw / 2, y: top + ph + 40, size: 13, anchor: .middle)
        svg.text(yLabel, x: 18, y: top + ph / 2, size: 13, anchor: .middle, rotate: -90)
        for m in markers where m.x >= x0 && m.x <= x1 && m.y >= y0 && m.y <= y1 {
            let px = ax.pixel(m.x), py = ay.pixel(m.y)
            svg.line(px - 6, py, px + 6, py, stroke: "#000", width: 2)
            svg.line(px, py, px, py - 8, stroke: "#000", width: 2)
            if !m.label.isEmpty { svg.text(m.label, x: px + 8, y: py - 8, size: 10) }
        }
        for (k, c) in curves.enumerated() {
            let inside = c.points.filter { $0.0 >= x0 && $0.0 <= x1 && $0.1 >= y0 && $0.1 <= y1 }
            guard inside.count >= 2 else { continue }
            let color = ["#ff2d2d", "#ffffff", "#ff9f1c", "#00e5ff"][k % 4]
            svg.polyline(inside.map { (ax.pixel($0.0), ay.pixel($0.1)) }, stroke: color, width: 1.5, dash: "4,3")
            if !c.label.isEmpty, let last = inside.first { svg.text(c.label, x: ax.pixel(last.0) + 6, y: ay.pixel(last.1) + 4, size: 11, fill: color) }
        }
        // Colour bar.
        let bx = left + pw + 30, bh = ph, steps = 100
        svg.raw("<g shape-rendering=\"crispEdges\">")
        for k in 0..<steps {
            let t = Double(k) / Double(steps - 1)
            svg.rect(x: bx, y: top + bh - Double(k + 1) * bh / Double(steps), width: 20, height: bh / Double(steps) + 0.5, fill: scale.color(t))
        }
        svg.raw("</g>")
        svg.rect(x: bx, y: top, width: 20, height: bh, fill: "none", stroke: "#333")
        let cb = Axis(min: lo, max: hi, from: top + bh, to: top)
        for t in cb.ticks(target: 6) {
            svg.line(bx + 20, cb.pixel(t), bx + 25, cb.pixel(t))
            svg.text(String(format: "%.3g", t), x: bx + 28, y: cb.pixel(t) + 4, size: 10)
        }
        svg.text(colorLabel, x: bx + 10, y: top - 10, size: 11, anchor: .middle)
        return svg.render()
    }
}
