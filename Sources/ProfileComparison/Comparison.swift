import Foundation
import AtomProbe
import KitFoundation

/// A measured profile (with sigmas, e.g. a proxigram's Li at.%) against a simulated one, on one
/// distance axis.
public struct Comparison: Sendable {
    public struct Options: Sendable {
        /// Shift of the simulated distance axis (nm), added after mirroring; fitted when `fitOffset`.
        public var offset = 0.0
        public var fitOffset = false
        /// Range searched for the offset (nm).
        public var offsetRange: ClosedRange<Double> = -5...5
        /// Simulated values are mapped as value' = a + b * value. Fitted (weighted least squares)
        /// when `fitMapping`; otherwise a = 0, b = 1 (the simulation already in the measured unit).
        public var fitMapping = false
        public init() {}
    }

    /// Properties of one profile.
    public struct Shape: Sendable {
        /// Mean of the values over the first fifth of the common range (the bulk side).
        public var bulk: Double
        public var peak: Double
        public var peakPosition: Double
        /// peak - bulk
        public var enrichment: Double
        /// Distance between the 10 % and 90 % points of the rise from the bulk to the peak (nm).
        public var width: Double?
    }

    public let measured: Profile
    public let simulated: Profile
    public let options: Options
    /// The fitted (or given) offset and mapping, with one-sigma uncertainties for fitted values.
    public let offset: Double
    public let mappingA: Double, mappingB: Double
    public let mappingASigma: Double?, mappingBSigma: Double?
    /// Measured points in the overlap and the simulated values there (mapped).
    public let points: [(distance: Double, measured: Double, sigma: Double, simulated: Double)]
    public let rmse: Double
    /// Sum of squared, sigma-weighted residuals over `points`.
    public let chiSquare: Double
    public let chiSquarePerDOF: Double
    public let degreesOfFreedom: Int
    /// Fraction of points whose residual is within 2 sigma.
    public let within2Sigma: Double
    public let measuredShape: Shape
    public let simulatedShape: Shape

    /// Whether a fitted offset ended on a bound of its search range (the best alignment may lie beyond it).
    public var offsetAtBound: Bool {
        options.fitOffset && (abs(offset - options.offsetRange.lowerBound) < 1e-3 || abs(offset - options.offsetRange.upperBound) < 1e-3)
    }

    /// Agreement within the measured errors: chi^2/dof below 1 + 3 sqrt(2/dof) (about the 99.9 %
    /// point of the chi^2 distribution for large dof).
    public var agrees: Bool { chiSquarePerDOF <= 1 + 3 * (2 / Double(max(degreesOfFreedom, 1))).squareRoot() }

    /// P(chi^2 >= the observed) if the simulated profile were true.
    public var pValue: Double { ChiSquare.pValue(chiSquare, dof: degreesOfFreedom) }

    public init(measured m: Profile, simulated s: Profile, options: Options = Options()) throws {
        let m = m.cleaned(), s = s.cleaned()
        guard let sig = m.sigma, !sig.isEmpty else { throw AtomProbeError.invalid("the measured profile needs one-sigma errors") }
        guard s.distance.count >= 2 else { throw AtomProbeError.invalid("the simulated profile needs at least 2 points") }
        self.measured = m; self.simulated = s; self.options = options

        func fit(_ off: Double) -> (a: Double, b: Double, sa: Double?, sb: Double?, chi2: Double, pts: [(Double, Double, Double, Double)])? {
            var pts: [(Double, Double, Double, Double)] = []
            // A simulated profile with errors of its own (a virtual atom probe's counting noise)
            // adds them in quadrature.
            for k in m.distance.indices {
                guard let v = s.interpolate(m.distance[k] - off) else { continue }
                let e = s.interpolateSigma(m.distance[k] - off).map { (sig[k] * sig[k] + $0 * $0).squareRoot() } ?? sig[k]
                pts.append((m.distance[k], m.value[k], e, v))
            }
            let nParams = options.fitMapping ? 2 : 0
            guard pts.count > nParams + 1 else { return nil }
            var a = 0.0, b = 1.0, sa: Double? = nil, sb: Double? = nil
            if options.fitMapping {
                // Weighted least squares of measured = a + b * simulated.
                var S = 0.0, Sx = 0.0, Sy = 0.0, Sxx = 0.0, Sxy = 0.0
                for (_, y, e, x) in pts { let w = 1 / (e * e); S += w; Sx += w * x; Sy += w * y; Sxx += w * x * x; Sxy += w * x * y }
                let det = S * Sxx - Sx * Sx
                guard det > 0 else { return nil }
                b = (S * Sxy - Sx * Sy) / det
                a = (Sxx * Sy - Sx * Sxy) / det
                sa = (Sxx / det).squareRoot(); sb = (S / det).squareRoot()
            }
            let chi2 = pts.reduce(0.0) { acc, p in let r = (p.1 - (a + b * p.3)) / p.2; return acc + r * r }
            return (a, b, sa, sb, chi2, pts)
        }
        var off = options.offset
        if options.fitOffset {
            // Grid search then golden-section refinement of chi^2 over the offset.
            let lo = options.offsetRange.lowerBound, hi = options.offsetRange.upperBound
            let grid = (0...200).map { lo + (hi - lo) * Double($0) / 200 }
            let scored = grid.compactMap { o in fit(o).map { (o, $0.chi2 / Double(max($0.pts.count, 1))) } }
            guard let best = scored.min(by: { $0.1 < $1.1 }) else { throw AtomProbeError.invalid("the profiles do not overlap for any offset in \(lo)...\(hi) nm") }
            var a = max(lo, best.0 - (hi - lo) / 200), b = min(hi, best.0 + (hi - lo) / 200)
            let g = (5.0.squareRoot() - 1) / 2
            func f(_ o: Double) -> Double { fit(o).map { $0.chi2 / Double(max($0.pts.count, 1)) } ?? .infinity }
            for _ in 0..<60 {
                let c = b - g * (b - a), d = a + g * (b - a)
                if f(c) < f(d) { b = d } else { a = c }
            }
            off = (a + b) / 2
        }
        guard let r = fit(off) else { throw AtomProbeError.invalid("the measured and simulated profiles do not overlap (offset \(off) nm)") }
        offset = off
        mappingA = r.a; mappingB = r.b; mappingASigma = r.sa; mappingBSigma = r.sb
        points = r.pts.map { (distance: $0.0, measured: $0.1, sigma: $0.2, simulated: r.a + r.b * $0.3) }
        let n = points.count
        rmse = (points.reduce(0.0) { $0 + ($1.measured - $1.simulated) * ($1.measured - $1.simulated) } / Double(n)).squareRoot()
        let dof = n - (options.fitMapping ? 2 : 0) - (options.fitOffset ? 1 : 0)
        degreesOfFreedom = max(dof, 1)
        chiSquare = r.chi2
        chiSquarePerDOF = r.chi2 / Double(degreesOfFreedom)
        within2Sigma = Double(points.filter { abs($0.measured - $0.simulated) <= 2 * $0.sigma }.count) / Double(n)
        measuredShape = Comparison.shape(points.map(\.distance), points.map(\.measured))
        simulatedShape = Comparison.shape(points.map(\.distance), points.map(\.simulated))
    }

    static func shape(_ x: [Double], _ y: [Double]) -> Shape {
        let nb = max(1, x.count / 5)
        let bulk = y.prefix(nb).reduce(0, +) / Double(nb)
        let ip = y.indices.max { y[$0] < y[$1] }!
        let peak = y[ip]
        let width = peak > bulk ? PiecewiseLinear.crossings10_90(x, y, from: bulk, to: peak, segmentEnds: 1...max(1, ip)).map { $0.at90 - $0.at10 } : nil
        return Shape(bulk: bulk, peak: peak, peakPosition: x[ip], enrichment: peak - bulk, width: width)
    }
}

extension Comparison {
    public var json: JSONValue {
        func shape(_ s: Shape) -> JSONValue {
            .object([("bulk", .number(s.bulk)), ("peak", .number(s.peak)), ("peak_position_nm", .number(s.peakPosition)),
                     ("enrichment", .number(s.enrichment)), ("width_10_90_nm", s.width.map { .number($0) } ?? .null)])
        }
        return .object([
            ("points", .int(points.count)),
            ("offset_nm", .number(offset)), ("offset_fitted", .bool(options.fitOffset)),
            ("mapping", .object([("form", .string("value = a + b * simulated")), ("a", .number(mappingA)), ("b", .number(mappingB)),
                                 ("a_sigma", mappingASigma.map { .number($0) } ?? .null), ("b_sigma", mappingBSigma.map { .number($0) } ?? .null),
                                 ("fitted", .bool(options.fitMapping)),
                                 ("physical", .bool(mappingB > 0))])),
            ("rmse", .number(rmse)),
            ("chi_square_per_dof", .number(chiSquarePerDOF)),
            ("degrees_of_freedom", .int(degreesOfFreedom)),
            ("p_value", .number(pValue)),
            ("points_dropped", .int(measured.droppedCount)),
            ("fraction_within_2_sigma", .number(within2Sigma)),
            ("agree_within_errors", .bool(agrees)),
            ("measured", shape(measuredShape)),
            ("simulated", shape(simulatedShape)),
        ])
    }

    public var text: String {
        var out = String(format: "%d points in common; offset %.3f nm%@\n", points.count, offset, options.fitOffset ? " (fitted)" : "")
        if options.fitMapping {
            out += String(format: "mapping: value = a + b * simulated, a = %.3f ± %.3f, b = %.3f ± %.3f\n", mappingA, mappingASigma ?? 0, mappingB, mappingBSigma ?? 0)
            if mappingB <= 0 { out += "warning: the fitted mapping decreases with the simulated value (b <= 0): the profiles are anti-correlated, the mapping is not physical\n" }
        }
        out += String(format: "RMSE %.3f; chi^2/dof %.3f (dof %d, p = %.2g); %.0f %% of points within 2 sigma: %@\n", rmse, chiSquarePerDOF, degreesOfFreedom, pValue,
                      100 * within2Sigma, agrees ? "agree within the measured errors" : "do NOT agree within the measured errors")
        func line(_ name: String, _ s: Shape) -> String {
            String(format: "%@: bulk %.2f, peak %.2f at %.2f nm, enrichment %.2f, 10-90 %% width %@\n", name, s.bulk, s.peak, s.peakPosition, s.enrichment,
                   s.width.map { String(format: "%.2f nm", $0) } ?? "-")
        }
        return out + line("measured ", measuredShape) + line("simulated", simulatedShape)
    }
}
