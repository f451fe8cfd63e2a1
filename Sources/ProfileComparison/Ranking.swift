import Foundation
import KitFoundation

extension Profile {
    /// The profile seen through an instrument that blurs positions along its axis with a Gaussian
    /// of `sigma` (nm): values convolved with that Gaussian, the profile's end values held beyond
    /// its ends (a simulated domain ends on its plateaus). Sampled every `step` nm over the
    /// original range. An analytic model of the measurement: it convolves at.% directly, which
    /// is exact when the atomic density is the same on both sides (see `Ranking`).
    public func blurred(sigma: Double, step: Double? = nil) throws -> Profile {
        guard sigma >= 0, sigma.isFinite else { throw AtomProbeError.invalid("the instrument blur must be a finite number >= 0 nm, got \(sigma)") }
        let p = cleaned()
        guard sigma > 0, let first = p.distance.first, let last = p.distance.last, last > first else { return p }
        let h = step ?? max(min(sigma / 5, (last - first) / 200), (last - first) / 20_000)
        func value(_ x: Double) -> Double { p.interpolate(min(max(x, first), last))! }
        let xs = stride(from: first, through: last, by: h).map { $0 }
        let kernel = stride(from: -4 * sigma, through: 4 * sigma, by: h).map { ($0, exp(-0.5 * $0 * $0 / (sigma * sigma))) }
        let norm = kernel.reduce(0) { $0 + $1.1 }
        let ys = xs.map { x in kernel.reduce(0) { $0 + $1.1 * value(x - $1.0) } / norm }
        return Profile(distance: xs, value: ys, label: p.label)
    }
}

extension Profile {
    /// The profile with one more point `by` nm beyond each end, holding the end values.
    func extendedByEndValues(by d: Double) -> Profile {
        guard let f = distance.first, let l = distance.last else { return self }
        return Profile(distance: [f - d] + distance + [l + d], value: [value.first!] + value + [value.last!],
                       sigma: sigma.map { [$0.first!] + $0 + [$0.last!] }, label: label)
    }
}

/// Several simulated scenarios against one measured profile, ranked by how well each explains
/// it: the same measured points for every scenario (each simulated profile held at its end values
/// beyond its ends), each scenario's own best offset along the
/// axis (the only fitted parameter, unless the mapping is fitted too, for all alike), chi^2 over
/// those points, and Akaike weights w_i = exp(-(chi^2_i - chi^2_min) / 2) / sum_j exp(...): with
/// the same number of fitted parameters, the relative likelihood of each scenario given the data.
public struct Ranking: Sendable {
    public struct Entry: Sendable {
        public var name: String
        public var comparison: Comparison
        public var simulated: Profile
        public var deltaChiSquare: Double
        public var weight: Double
    }

    /// Entries in the order of their chi^2 (best first).
    public let entries: [Entry]
    public let measuredPoints: Int
    public let instrumentBlur: Double

    public var best: Entry { entries[0] }

    /// - Parameter scenarios: name and simulated profile (already on the measured axis, before blur).
    public init(measured: Profile, scenarios: [(name: String, profile: Profile)], instrumentBlur: Double, options: Comparison.Options) throws {
        guard !scenarios.isEmpty else { throw AtomProbeError.invalid("no simulated scenario to rank") }
        guard Set(scenarios.map(\.name)).count == scenarios.count else { throw AtomProbeError.invalid("scenario names must differ: \(scenarios.map(\.name).joined(separator: ", "))") }
        let m = measured.cleaned()
        var compared: [(String, Comparison, Profile)] = []
        for (name, profile) in scenarios {
            // Held at its end values beyond its ends (a simulated profile ends on its plateaus), so
            // every scenario covers every measured point whatever its offset.
            let blurred = try profile.blurred(sigma: instrumentBlur).extendedByEndValues(by: 1e4)
            let c = try Comparison(measured: m, simulated: blurred, options: options)
            guard c.points.count == m.distance.count else {
                throw AtomProbeError.invalid("scenario \(name) covers \(c.points.count) of the \(m.distance.count) measured points at its best offset (\(String(format: "%.3g", c.offset)) nm); every scenario must span the measured range to be ranked on the same points")
            }
            compared.append((name, c, blurred))
        }
        compared.sort { $0.1.chiSquare < $1.1.chiSquare }
        let minChi = compared[0].1.chiSquare
        let raw = compared.map { exp(-0.5 * ($0.1.chiSquare - minChi)) }
        let total = raw.reduce(0, +)
        entries = compared.indices.map { k in
            Entry(name: compared[k].0, comparison: compared[k].1, simulated: compared[k].2,
                  deltaChiSquare: compared[k].1.chiSquare - minChi, weight: raw[k] / total)
        }
        measuredPoints = m.distance.count
        self.instrumentBlur = instrumentBlur
    }

    /// `ranking.json`.
    public var json: JSONValue {
        .object([
            ("best", .string(best.name)),
            ("method", .string("each scenario blurred by a Gaussian of the instrument blur along the axis, its offset fitted by chi^2 on the same measured points (errors: the measured ones, and a simulated profile's own, e.g. a virtual atom probe's counting errors, in quadrature); Akaike weights exp(-delta chi^2 / 2), normalized")),
            ("instrument_blur_nm", .number(instrumentBlur)),
            ("measured_points", .int(measuredPoints)),
            ("scenarios", .array(entries.map { e in
                let c = e.comparison
                return .object([
                    ("name", .string(e.name)), ("chi2", .number(c.chiSquare)), ("chi2_per_dof", .number(c.chiSquarePerDOF)),
                    ("degrees_of_freedom", .int(c.degreesOfFreedom)), ("delta_chi2", .number(e.deltaChiSquare)), ("akaike_weight", .number(e.weight)),
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

    /// The ranking as a table.
    public var text: String {
        var out = String(format: "%d measured points; instrument blur %.3g nm; best: %@ (Akaike weight %.3f)\n", measuredPoints, instrumentBlur, best.name, best.weight)
        let w = max(8, entries.map(\.name.count).max() ?? 8)
        out += "scenario".padding(toLength: w, withPad: " ", startingAt: 0) + "  chi^2/dof   delta chi^2   weight   RMSE   offset (nm)   10-90 % width sim / meas (nm)\n"
        for e in entries {
            let c = e.comparison
            out += e.name.padding(toLength: w, withPad: " ", startingAt: 0)
            out += String(format: "  %9.3f  %12.2f  %7.4f  %5.2f  %11.3f%@   %@ / %@\n", c.chiSquarePerDOF, e.deltaChiSquare, e.weight, c.rmse, c.offset, c.offsetAtBound ? "*" : " ",
                          c.simulatedShape.width.map { String(format: "%.2f", $0) } ?? "-", c.measuredShape.width.map { String(format: "%.2f", $0) } ?? "-")
        }
        if entries.contains(where: { $0.comparison.offsetAtBound }) { out += "* the fitted offset is at a bound of its search range: the best alignment may lie beyond it (widen the range)\n" }
        return out
    }
}
