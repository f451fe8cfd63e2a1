import Foundation

/// A minimal SVG writer: elements appended in drawing order, serialized as a standalone file.
public struct SVGDocument: Sendable {
    public let width: Double
    public let height: Double
    private var body: [String] = []

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    static func f(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        return String(format: "%.2f", v).replacingOccurrences(of: ".00", with: "")
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    public mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                              opacity: Double = 1, stroke: String? = nil) {
        var s = "<rect x=\"\(Self.f(x))\" y=\"\(Self.f(y))\" width=\"\(Self.f(max(0, width)))\" height=\"\(Self.f(max(0, height)))\" fill=\"\(fill)\""
        if opacity < 1 { s += " fill-opacity=\"\(Self.f(opacity))\"" }
        if let stroke { s += " stroke=\"\(stroke)\"" }
        body.append(s + "/>")
    }

    public mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#000",
                              width: Double = 1, dash: String? = nil) {
        var s = "<line x1=\"\(Self.f(x1))\" y1=\"\(Self.f(y1))\" x2=\"\(Self.f(x2))\" y2=\"\(Self.f(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.f(width))\""
        if let dash { s += " stroke-dasharray=\"\(dash)\"" }
        body.append(s + "/>")
    }

    /// A polyline through the points; non-finite points break the line into pieces.
    public mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1.2, dash: String? = nil) {
        var pieces: [[(Double, Double)]] = [[]]
        for p in points {
            if p.0.isFinite && p.1.isFinite { pieces[pieces.count - 1].append(p) } else if !pieces.last!.isEmpty { pieces.append([]) }
        }
        for piece in pieces where piece.count > 1 {
            let pts = piece.map { "\(Self.f($0.0)),\(Self.f($0.1))" }.joined(separator: " ")
            var s = "<polyline fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.f(width))\" stroke-linejoin=\"round\" points=\"\(pts)\""
            if let dash { s += " stroke-dasharray=\"\(dash)\"" }
            body.append(s + "/>")
        }
    }

    public mutating func circle(cx: Double, cy: Double, r: Double, fill: String, stroke: String? = nil) {
        var s = "<circle cx=\"\(Self.f(cx))\" cy=\"\(Self.f(cy))\" r=\"\(Self.f(r))\" fill=\"\(fill)\""
        if let stroke { s += " stroke=\"\(stroke)\"" }
        body.append(s + "/>")
    }

    public enum Anchor: String, Sendable { case start, middle, end }

    public mutating func text(_ t: String, x: Double, y: Double, size: Double = 12, anchor: Anchor = .start,
                              rotate: Double? = nil, fill: String = "#222", bold: Bool = false) {
        var s = "<text x=\"\(Self.f(x))\" y=\"\(Self.f(y))\" font-size=\"\(Self.f(size))\" text-anchor=\"\(anchor.rawValue)\" fill=\"\(fill)\""
        if bold { s += " font-weight=\"bold\"" }
        if let rotate { s += " transform=\"rotate(\(Self.f(rotate)) \(Self.f(x)) \(Self.f(y)))\"" }
        body.append(s + ">\(Self.escape(t))</text>")
    }

    /// Raw SVG markup (for callers that need an element not covered here).
    public mutating func raw(_ markup: String) { body.append(markup) }

    public func render() -> String {
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.f(width))\" height=\"\(Self.f(height))\" viewBox=\"0 0 \(Self.f(width)) \(Self.f(height))\" font-family=\"Helvetica, Arial, sans-serif\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n"
        out += body.joined(separator: "\n")
        return out + "\n</svg>\n"
    }
}

extension SVGDocument {
    /// Stacks complete SVG documents (as rendered by this module) vertically into one.
    public static func stack(_ parts: [(svg: String, width: Double, height: Double)]) -> String {
        let width = parts.map(\.width).max() ?? 0
        let height = parts.reduce(0) { $0 + $1.height }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\">\n"
        var y = 0.0
        for p in parts {
            // Nested <svg> elements take x/y attributes: place each part below the previous one.
            out += p.svg.replacingOccurrences(of: "<svg xmlns=\"http://www.w3.org/2000/svg\" ", with: "<svg x=\"0\" y=\"\(f(y))\" ", options: [], range: p.svg.range(of: "<svg xmlns=\"http://www.w3.org/2000/svg\" "))
            y += p.height
        }
        return out + "</svg>\n"
    }
}
