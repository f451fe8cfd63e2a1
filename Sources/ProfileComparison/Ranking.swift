import Foundation
import KitFoundation

extension Profile {
    /// The profile with one more point `by` nm beyond each end, holding the end values.
    func extendedByEndValues(by d: Double) -> Profile {
        guard let f = distance.first, let l = distance.last else { return self }
        return Profile(distance: [f - d] + distance + [l + d], value: [value.first!] + value + [value.last!],
                       sigma: sigma.map { [$0.first!] + $0 + [$0.last!] }, density: density.map { [$0.first!] + $0 + [$0.last!] }, label: label)
    }
}

/// Several simulated scenarios against one measured profile, ranked by how well each explains
/// it: the same measured points for every scenario (each simulated profile held at its end values
/// beyond its ends), each scenario's own best offset along the
/// axis (the only fitted parameter, unless the mapping is fitted too, for all alike), chi^2 over
/// those points, and Akaike weights w_i = exp(-(chi^2_i - chi^2_min) / 2) / sum_j exp(...): with
/// the same number of fitted parameters, the relative likelihood of each scenario given the data.
public struct Ranking: Sendable {
    /// How the simulated axes are placed on the measured one before the offset fit.
    public enum Alignment: Sendable, Equatable {
        /// As given (both axes already moved so that the interface is at 0).
        case given
        /// Each scenario's step (after the instrument blur) onto the measured profile's step, both
        /// found by equal areas (`Profile.stepCrossing`); the offset is then fitted around it
        /// (within the options' offset range), one fitted parameter.
        case stepCrossings
    }

    public struct Entry: Sendable {
        public var name: String
        public var comparison: Comparison
        public var simulated: Profile
        public var deltaChiSquare: Double
        public var weight: Double
        /// P(chi^2 >= the observed) if the scenario were true: below 0.001 it does not fit.
        public var pValue: Double
        /// The steps' positions on the measured and the simulated axis (nil: axes as given).
        public var crossings: (measured: Double, simulated: Double)?
    }

    /// Entries in the order of their chi^2 (best first).
    public let entries: [Entry]
    public let measuredPoints: Int
    /// Measured points left out, by reason.
    public let droppedPoints: [String: Int]
    public let instrumentBlur: Double
    public let alignment: Alignment
    /// The p-value below which a scenario does not fit.
    public static let fitThreshold = 0.001

    public var best: Entry { entries[0] }
    /// Whether the best scenario fits at all (p >= 0.001); if not, no scenario is favoured.
    public var bestFits: Bool { best.pValue >= Self.fitThreshold }

    /// Warnings a reader must see (a fitted offset on its search bound).
    public var warnings: [String] {
        entries.filter { $0.comparison.offsetAtBound }.map {
            String(format: "%@: the fitted offset %.3f nm is at a bound of its search range; the best alignment may lie beyond it", $0.name, $0.comparison.offset)
        }
    }

    /// The offset that puts `simulated`'s step onto `measured`'s (both found by equal areas).
    public static func stepOffset(measured: Profile, simulated: Profile, name: String) throws -> (offset: Double, measured: Double, simulated: Double) {
        guard let xm = measured.stepCrossing() else {
            throw AtomProbeError(.invalidInput, "cannot align the profiles by their steps: the measured profile has no significant step", remedy: .giveOrigins)
        }
        guard let xs = simulated.stepCrossing() else {
            throw AtomProbeError(.invalidInput, "cannot align the profiles by their steps: scenario \(name) has no step", remedy: .giveOrigins)
        }
        return (xm - xs, xm, xs)
    }

    /// - Parameter scenarios: name and simulated profile (already on the measured axis, before blur).
    public init(measured: Profile, scenarios: [(name: String, profile: Profile)], instrumentBlur: Double, options: Comparison.Options,
                alignment: Alignment = .given) throws {
        guard !scenarios.isEmpty else { throw AtomProbeError.invalid("no simulated scenario to rank") }
        guard Set(scenarios.map(\.name)).count == scenarios.count else { throw AtomProbeError.invalid("scenario names must differ: \(scenarios.map(\.name).joined(separator: ", "))") }
        let m = measured.cleaned()
        var compared: [(String, Comparison, Profile, (Double, Double)?)] = []
        for (name, profile) in scenarios {
            let blurredOnly = try profile.blurred(sigma: instrumentBlur)
            var o = options
            var crossings: (Double, Double)?
            if alignment == .stepCrossings {
                let a = try Self.stepOffset(measured: m, simulated: blurredOnly, name: name)
                crossings = (a.measured, a.simulated)
                // The crossings are estimates from noisy data: the offset is then fitted around
                // them (and counted as a fitted parameter), or an alignment error of 0.1 nm on a
                // steep step would make a true scenario fail the gate (1.2 % of seeds instead of
                // 0.1 % in an independent check).
                o.fitOffset = true
                o.offset = a.offset
                o.offsetRange = (a.offset + options.offsetRange.lowerBound)...(a.offset + options.offsetRange.upperBound)
            }
            // Held at its end values beyond its ends (a simulated profile ends on its plateaus), so
            // every scenario covers every measured point whatever its offset.
            let blurred = blurredOnly.extendedByEndValues(by: 1e4)
            let c = try Comparison(measured: m, simulated: blurred, options: o)
            guard c.points.count == m.distance.count else {
                throw AtomProbeError.invalid("scenario \(name) covers \(c.points.count) of the \(m.distance.count) measured points at its best offset (\(String(format: "%.3g", c.offset)) nm); every scenario must span the measured range to be ranked on the same points")
            }
            compared.append((name, c, blurred, crossings))
        }
        compared.sort { $0.1.chiSquare < $1.1.chiSquare }
        let minChi = compared[0].1.chiSquare
        let raw = compared.map { exp(-0.5 * ($0.1.chiSquare - minChi)) }
        let total = raw.reduce(0, +)
        entries = compared.indices.map { k in
            let c = compared[k].1
            return Entry(name: compared[k].0, comparison: c, simulated: compared[k].2, deltaChiSquare: c.chiSquare - minChi, weight: raw[k] / total,
                         pValue: ChiSquare.pValue(c.chiSquare, dof: c.degreesOfFreedom), crossings: compared[k].3.map { (measured: $0.0, simulated: $0.1) })
        }
        measuredPoints = m.distance.count
        droppedPoints = m.dropped
        self.instrumentBlur = instrumentBlur
        self.alignment = alignment
    }

    /// `ranking.json`.
    public var json: JSONValue {
        .object([
            ("best", .string(best.name)),
            ("best_fits", .bool(bestFits)),
            ("verdict", .string(verdict)),
            ("method", .string("each scenario blurred by a Gaussian of the instrument blur along the axis, its offset fitted by chi^2 on the same measured points (errors: the measured ones, and a simulated profile's own, e.g. a virtual atom probe's counting errors, in quadrature); Akaike weights exp(-delta chi^2 / 2), normalized")),
            ("instrument_blur_nm", .number(instrumentBlur)),
            ("measured_points", .int(measuredPoints)),
            ("fit_threshold_p", .number(Self.fitThreshold)),
            ("scenarios", .array(entries.map { e in
                let c = e.comparison
                return .object([
                    ("name", .string(e.name)), ("chi2", .number(c.chiSquare)), ("chi2_per_dof", .number(c.chiSquarePerDOF)),
                    ("degrees_of_freedom", .int(c.degreesOfFreedom)), ("p_value", .number(e.pValue)),
                    ("delta_chi2", .number(e.deltaChiSquare)), ("akaike_weight", .number(e.weight)),
                    ("points_used", .int(c.points.count)), ("points_dropped", .int(droppedPoints.values.reduce(0, +))),
                    ("points_dropped_reasons", .object(droppedPoints.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
                    ("alignment", alignmentJSON(e)),
                    ("rmse_at_pct", .number(c.rmse)), ("offset_nm", .number(c.offset)), ("offset_at_search_bound", .bool(c.offsetAtBound)),
                    ("width_10_90_nm", .object([("measured", c.measuredShape.width.map { .number($0) } ?? .null),
                                                ("simulated", c.simulatedShape.width.map { .number($0) } ?? .null)])),
                    ("plateaus_at_pct", .object([("measured", .numbers([c.measuredShape.bulk, c.measuredShape.peak])),
                                                 ("simulated", .numbers([c.simulatedShape.bulk, c.simulatedShape.peak]))])),
                    ("agree_within_errors", .bool(c.agrees)),
                ])
            })),
        ])
    }

    func alignmentJSON(_ e: Entry) -> JSONValue {
        guard let x = e.crossings else { return .object([("rule", .string("given origins"))]) }
        return .object([("rule", .string("steps aligned: equal-area crossings of the measured and the blurred simulated profile")),
                        ("measured_crossing_nm", .number(x.measured)), ("simulated_crossing_nm", .number(x.simulated)),
                        ("offset_nm", .number(x.measured - x.simulated))])
    }

    /// One sentence: which scenario the data favour and by how much, or that none fits.
    public var verdict: String {
        let c = best.comparison
        guard bestFits else {
            return String(format: "no scenario fits: the best, %@, has chi^2/dof = %.2f over %d points (p = %.2g < %.3g)",
                          best.name, c.chiSquarePerDOF, c.points.count, best.pValue, Self.fitThreshold)
        }
        return String(format: "the data favour %@ (Akaike weight %.3f; chi^2/dof = %.2f, p = %.2g)", best.name, best.weight, c.chiSquarePerDOF, best.pValue)
    }

    /// The ranking as a table.
    public var text: String {
        var out = String(format: "%d measured points; instrument blur %.3g nm; ", measuredPoints, instrumentBlur) + verdict + "\n"
        for (reason, n) in droppedPoints.sorted(by: { $0.key < $1.key }) { out += "left out: \(n) measured point(s): \(reason)\n" }
        let w = max(8, entries.map(\.name.count).max() ?? 8)
        out += "scenario".padding(toLength: w, withPad: " ", startingAt: 0) + "  chi^2/dof   p-value   delta chi^2   weight   RMSE   offset (nm)   10-90 % width sim / meas (nm)\n"
        for e in entries {
            let c = e.comparison
            out += e.name.padding(toLength: w, withPad: " ", startingAt: 0)
            out += String(format: "  %9.3f  %8.2g  %12.2f  %7.4f  %5.2f  %11.3f%@   %@ / %@\n", c.chiSquarePerDOF, e.pValue, e.deltaChiSquare, e.weight, c.rmse, c.offset, c.offsetAtBound ? "*" : " ",
                          c.simulatedShape.width.map { String(format: "%.2f", $0) } ?? "-", c.measuredShape.width.map { String(format: "%.2f", $0) } ?? "-")
        }
        if entries.contains(where: { $0.comparison.offsetAtBound }) { out += "* the fitted offset is at a bound of its search range: the best alignment may lie beyond it (widen the range)\n" }
        return out
    }
}
