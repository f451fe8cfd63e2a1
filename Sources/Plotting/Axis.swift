import Foundation

/// A mapping from data values to pixels along one axis, with tick positions.
public struct Axis: Sendable {
    public enum Scale: Sendable { case linear, log }
    public var scale: Scale
    public var min: Double
    public var max: Double
    /// Pixel positions of `min` and `max`.
    public var from: Double
    public var to: Double

    public init(scale: Scale = .linear, min: Double, max: Double, from: Double, to: Double) {
        var lo = min, hi = max
        if scale == .log { lo = Swift.max(lo, 1e-300); hi = Swift.max(hi, lo * 10) }
        if !(hi > lo) { hi = lo + (lo == 0 ? 1 : abs(lo) * 0.1) }
        self.scale = scale; self.min = lo; self.max = hi; self.from = from; self.to = to
    }

    public func pixel(_ v: Double) -> Double {
        switch scale {
        case .linear: return from + (v - min) / (max - min) * (to - from)
        case .log:
            guard v > 0 else { return .nan }
            return from + (log10(v) - log10(min)) / (log10(max) - log10(min)) * (to - from)
        }
    }

    /// Tick values: "nice" steps (1, 2, 5 x 10^k) for linear axes, decades for log axes.
    public func ticks(target: Int = 6) -> [Double] {
        switch scale {
        case .linear:
            let raw = (max - min) / Double(Swift.max(target, 1))
            let mag = pow(10, floor(log10(raw)))
            let step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
            // Multiples of the step, rounded to the step's decimals (0.6, not 0.6000000000000001).
            let scale = pow(10, Swift.max(0, 2 - floor(log10(step))))
            var out: [Double] = []
            var k = ceil(min / step)
            while k * step <= max + step * 1e-9 { out.append(((k * step) * scale).rounded() / scale + 0); k += 1 }
            return out
        case .log:
            var out: [Double] = []
            var e = floor(log10(min))
            while pow(10, e) <= max * 1.0000001 { if pow(10, e) >= min * 0.9999999 { out.append(pow(10, e)) }; e += 1 }
            return out
        }
    }

    public static func label(_ v: Double, scale: Scale) -> String {
        if scale == .log {
            let e = Int(log10(v).rounded())
            return e >= 0 && e <= 3 ? String(Int(pow(10, Double(e)))) : "1e\(e)"
        }
        if v == v.rounded() && abs(v) < 1e6 { return String(Int(v)) }
        let s = String(format: "%.4g", v)
        return s
    }
}
