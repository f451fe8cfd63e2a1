import Foundation

/// An x-y chart: lines, steps or points with optional error bars, shaded x-bands with labels,
/// vertical markers, a legend. Knows nothing of atom probes: callers pass numbers and labels.
public struct LinePlot: Sendable {
    public enum Style: Sendable { case line, step, points, linePoints }

    public struct Series: Sendable {
        public var name: String
        public var x: [Double]
        public var y: [Double]
        /// One-sigma error bars (same length as y), drawn as vertical bars.
        public var yError: [Double]?
        public var color: String
        public var style: Style
        public var dash: String?
        public init(name: String, x: [Double], y: [Double], yError: [Double]? = nil, color: String? = nil,
                    style: Style = .line, dash: String? = nil) {
            self.name = name; self.x = x; self.y = y; self.yError = yError
            self.color = color ?? ""; self.style = style; self.dash = dash
        }
    }

    /// A shaded interval of x with a label (e.g. a mass range with its ion name).
    public struct Band: Sendable {
        public var from: Double
        public var to: Double
        public var label: String
        public var color: String
        public init(from: Double, to: Double, label: String, color: String = "#f4a261") {
            self.from = from; self.to = to; self.label = label; self.color = color
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xScale: Axis.Scale = .linear
    public var yScale: Axis.Scale = .linear
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    public var series: [Series] = []
    public var bands: [Band] = []
    /// Vertical reference lines with labels (e.g. the interface at 0 nm).
    public var markers: [(x: Double, label: String)] = []
    public var width: Double = 900
    public var height: Double = 500

    public init(title: String, xLabel: String, yLabel: String) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel
    }

    public static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    /// The plot area in pixels.
    struct Frame { let left: Double, right: Double, top: Double, bottom: Double }

    public func render() -> String {
        var svg = SVGDocument(width: width, height: height)
        let f = Frame(left: 75.0, right: width - 20, top: 40.0, bottom: height - 55)
        let (ax, ay) = axes(f)
        svg.text(title, x: width / 2, y: 22, size: 15, anchor: .middle, bold: true)
        drawBands(&svg, f, ax)
        drawFrame(&svg, f, ax, ay)
        drawSeries(&svg, f, ax, ay)
        drawLegend(&svg, f)
        return svg.render()
    }

    /// Axes over the data (with error bars), or the ranges given.
    func axes(_ f: Frame) -> (Axis, Axis) {
        var xs: [Double] = [], ys: [Double] = []
        for s in series {
            for (k, (x, y)) in zip(s.x, s.y).enumerated() where x.isFinite && y.isFinite {
                if yScale == .log && y <= 0 { continue }
                xs.append(x); ys.append(y)
                if let e = s.yError, k < e.count, e[k].isFinite { ys.append(y + e[k]); if yScale == .linear { ys.append(y - e[k]) } }
            }
        }
        let xr = xRange ?? ((xs.min() ?? 0)...(xs.max() ?? 1))
        var yr = yRange ?? ((ys.min() ?? 0)...(ys.max() ?? 1))
        if yRange == nil {
            if yScale == .log { yr = Swift.max(yr.lowerBound * 0.8, 0.5)...(yr.upperBound * 3) }
            else { let pad = (yr.upperBound - yr.lowerBound) * 0.05; yr = (yr.lowerBound - pad)...(yr.upperBound + pad) }
        }
        return (Axis(scale: xScale, min: xr.lowerBound, max: xr.upperBound, from: f.left, to: f.right),
                Axis(scale: yScale, min: yr.lowerBound, max: yr.upperBound, from: f.bottom, to: f.top))
    }

    /// Bands below the data; a label is repeated only 40 px away from its previous copy.
    func drawBands(_ svg: inout SVGDocument, _ f: Frame, _ ax: Axis) {
        var lastLabelAt: [String: Double] = [:]
        var row = 0
        for b in bands.sorted(by: { $0.from < $1.from }) {
            let x0 = Swift.max(f.left, ax.pixel(b.from)), x1 = Swift.min(f.right, ax.pixel(b.to))
            guard x1 > f.left, x0 < f.right else { continue }
            svg.rect(x: x0, y: f.top, width: Swift.max(x1 - x0, 0.8), height: f.bottom - f.top, fill: b.color, opacity: 0.35)
            let mid = (x0 + x1) / 2
            if let last = lastLabelAt[b.label], mid - last < 40 { continue }
            lastLabelAt[b.label] = mid
            svg.text(b.label, x: mid, y: f.top + 12 + Double(row % 3) * 11, size: 9, anchor: .middle, fill: "#8a4b08")
            row += 1
        }
    }

    /// Grid, ticks, the frame, axis labels and vertical markers.
    func drawFrame(_ svg: inout SVGDocument, _ f: Frame, _ ax: Axis, _ ay: Axis) {
        for t in ax.ticks() {
            let p = ax.pixel(t)
            svg.line(p, f.top, p, f.bottom, stroke: "#e5e5e5")
            svg.line(p, f.bottom, p, f.bottom + 5)
            svg.text(Axis.label(t, scale: xScale), x: p, y: f.bottom + 18, size: 11, anchor: .middle)
        }
        for t in ay.ticks() {
            let p = ay.pixel(t)
            svg.line(f.left, p, f.right, p, stroke: "#e5e5e5")
            svg.line(f.left - 5, p, f.left, p)
            svg.text(Axis.label(t, scale: yScale), x: f.left - 8, y: p + 4, size: 11, anchor: .end)
        }
        svg.rect(x: f.left, y: f.top, width: f.right - f.left, height: f.bottom - f.top, fill: "none", stroke: "#333")
        svg.text(xLabel, x: (f.left + f.right) / 2, y: height - 15, size: 13, anchor: .middle)
        svg.text(yLabel, x: 18, y: (f.top + f.bottom) / 2, size: 13, anchor: .middle, rotate: -90)
        for m in markers {
            let p = ax.pixel(m.x)
            guard p >= f.left, p <= f.right else { continue }
            svg.line(p, f.top, p, f.bottom, stroke: "#555", width: 1, dash: "5,4")
            svg.text(m.label, x: p + 4, y: f.bottom - 6, size: 10, fill: "#555")
        }
    }

    func color(_ k: Int) -> String { series[k].color.isEmpty ? LinePlot.palette[k % LinePlot.palette.count] : series[k].color }

    /// Lines, steps, points and error bars, clipped to the frame.
    func drawSeries(_ svg: inout SVGDocument, _ f: Frame, _ ax: Axis, _ ay: Axis) {
        func clampY(_ v: Double) -> Double { Swift.min(Swift.max(v, f.top), f.bottom) }
        for (k, s) in series.enumerated() {
            let color = color(k)
            let pts = zip(s.x, s.y).map { (ax.pixel($0), ay.pixel($1)) }
            switch s.style {
            case .line, .linePoints:
                svg.polyline(pts.map { ($0.0, $0.1.isFinite ? clampY($0.1) : .nan) }, stroke: color, dash: s.dash)
            case .step:
                var stepPts: [(Double, Double)] = []
                for (i, p) in pts.enumerated() {
                    let half = i + 1 < pts.count ? (pts[i + 1].0 - p.0) / 2 : (i > 0 ? (p.0 - pts[i - 1].0) / 2 : 1)
                    let y = p.1.isFinite ? clampY(p.1) : f.bottom
                    stepPts.append((p.0 - half, y)); stepPts.append((p.0 + half, y))
                }
                svg.polyline(stepPts, stroke: color, width: 0.9)
            case .points: break
            }
            if s.style == .points || s.style == .linePoints {
                for p in pts where p.0.isFinite && p.1.isFinite && p.1 >= f.top && p.1 <= f.bottom { svg.circle(cx: p.0, cy: p.1, r: 2.6, fill: color) }
            }
            if let e = s.yError {
                for (i, (x, y)) in zip(s.x, s.y).enumerated() where i < e.count && e[i].isFinite && e[i] > 0 {
                    let px = ax.pixel(x)
                    let y0 = clampY(ay.pixel(y - e[i])), y1 = clampY(ay.pixel(y + e[i]))
                    guard px >= f.left, px <= f.right, y0.isFinite, y1.isFinite else { continue }
                    svg.line(px, y0, px, y1, stroke: color, width: 0.9)
                }
            }
        }
    }

    /// A legend of the named series, when there is more than one series (or one with error bars).
    func drawLegend(_ svg: inout SVGDocument, _ f: Frame) {
        let legendNeeded = series.count > 1 || series.contains { !$0.name.isEmpty && series.count == 1 && $0.yError != nil }
        guard legendNeeded else { return }
        // Below the bands' three rows of labels, on a pale backing so data under it stay readable.
        var ly = f.top + 14 + (bands.isEmpty ? 0 : 36)
        let names = series.map(\.name).filter { !$0.isEmpty }
        let widest = Double(names.map(\.count).max() ?? 0) * 6.2
        svg.rect(x: f.right - 136, y: ly - 13, width: Swift.max(132, 36 + widest), height: Double(names.count) * 16 + 4, fill: "#ffffff", opacity: 0.8)
        for (k, s) in series.enumerated() where !s.name.isEmpty {
            svg.line(f.right - 130, ly - 4, f.right - 110, ly - 4, stroke: color(k), width: 2.5)
            svg.text(s.name, x: f.right - 105, y: ly, size: 11)
            ly += 16
        }
    }
}
