import Foundation
import AtomProbe
import KitFoundation

/// The dead-zone loss rate of each ion type that `composition`, `profile` and the table apply
/// with `--dead-time-correction` (issue 28): the ions a region lost, added back to its counts.
///
/// The rates come from the region's own same-pulse pairs when it has enough (every ion type the
/// dataset's estimate covers has at least `DeadZoneEstimate.Options.minPairs` same-type pairs
/// in the region's fitted separations, and the region's fit passes the estimate's checks); else
/// from the whole dataset, whose loss rate per ion type (lost / observed ions of that type) is
/// then scaled to the region's counts. `source` says which. A type's rate r and its standard
/// error enter the counts as n (1 + r) with r a fitted parameter (`IonCountModel.scaled`), so the
/// loss estimate's uncertainty reaches every sigma.
public struct DeadTimeLosses: Sendable {
    public enum Source: String, Sendable { case region, dataset }

    public var source: Source
    /// Why this source (e.g. too few pairs in the region).
    public var why: String
    /// Per ion type (order of the range table): loss rate and its one-sigma error; 0 and 0 for
    /// types without an estimate.
    public var rates: [Double]
    public var sigmas: [Double]
    /// The estimate the rates come from: per estimated type its lost ions, sigma, observed ions
    /// and status (of the region or of the dataset).
    public var losses: [(name: String, lost: Double, sigma: Double, observed: Int, status: DeadZoneEstimate.Status)]
    public var warnings: [String]

    /// The rates of one estimate (`events` measured over the same ions).
    public init(_ estimate: DeadZoneEstimate, events: MultiHitEvents, source: Source, why: String) {
        let t = events.ionNames.count
        self.source = source
        self.why = why
        rates = [Double](repeating: 0, count: t); sigmas = rates
        losses = []
        for l in estimate.losses {
            let n = events.singles[l.type] + events.multiples[l.type]
            let status = estimate.pairs.first { $0.types == (l.type, l.type) }?.status ?? .loss
            losses.append((l.name, l.lost, l.sigma, n, status))
            guard n > 0 else { continue }
            rates[l.type] = l.lost / Double(n); sigmas[l.type] = l.sigma / Double(n)
        }
        warnings = estimate.warnings
    }

    /// The dataset's rates, or the region's when its own pairs support them; refused (naming
    /// `dead_time_correction`) when the dataset supports no estimate for any ion type.
    public static func choose(dataset: MultiHitEvents, region: MultiHitEvents?, options: DeadZoneEstimate.Options) throws -> DeadTimeLosses {
        let whole = try DeadZoneEstimate(dataset, options: options)
        guard !whole.losses.isEmpty else {
            let same = whole.pairs.filter(\.sameType), most = same.max { $0.fitPairs < $1.fitPairs }
            let why = whole.warnings.first ?? most.map { "too few same-pulse pairs of one ion type beyond the dead zone to fit (most: \($0.fitPairs) \($0.names.0)-\($0.names.0) pairs, need \(options.minPairs))" } ?? "no same-pulse pairs of one ion type"
            throw AtomProbeError.invalid("dead_time_correction", "cannot be estimated: \(why)")
        }
        guard let region else { return DeadTimeLosses(whole, events: dataset, source: .dataset, why: "the whole dataset") }
        let local = try DeadZoneEstimate(region, options: options)
        let short = whole.losses.compactMap { l -> String? in
            let p = local.pairs.first { $0.types == (l.type, l.type) }
            if let p, p.fitPairs >= options.minPairs, p.status != .unsupported { return nil }
            return "\(l.name)-\(l.name): \(p?.fitPairs ?? 0) pairs\(p?.warning.map { ", " + $0 } ?? "")"
        }
        if short.isEmpty { return DeadTimeLosses(local, events: region, source: .region, why: "the region's own same-pulse pairs (at least \(options.minPairs) per ion type)") }
        var d = DeadTimeLosses(whole, events: dataset, source: .dataset,
                               why: "the whole dataset's loss rates scaled to the region: the region has too few usable same-type pairs (\(short.joined(separator: "; ")); need \(options.minPairs))")
        d.warnings += local.warnings.map { "region: " + $0 }
        return d
    }

    /// In words, for a composition's corrections.
    public var words: [String] {
        let l = losses.map { String(format: "%@ %.1f ± %.1f of %d (%@)", $0.name, $0.lost, $0.sigma, $0.observed, $0.status.rawValue) }.joined(separator: ", ")
        return ["dead-zone losses added at the rates of \(why): " + l] + warnings.map { "warning: " + $0 }
    }

    /// `{"source", "why", "losses": {ion: {"rate", "sigma_rate", "lost_ions", "sigma_lost_ions", "observed_ions", "status"}}, "warnings"}`.
    public var json: JSONValue {
        .object([("source", .string(source.rawValue)), ("why", .string(why)),
                 ("losses", .object(losses.map { l in
                     let n = Double(max(1, l.observed))
                     return (l.name, .object([("rate", .number(l.lost / n)), ("sigma_rate", .number(l.sigma / n)), ("lost_ions", .number(l.lost)),
                                              ("sigma_lost_ions", .number(l.sigma)), ("observed_ions", .int(l.observed)), ("status", .string(l.status.rawValue))]))
                 })),
                 ("warnings", .array(warnings.map { .string($0) }))])
    }

    /// `counts` with the losses added at these rates.
    public func apply(to counts: IonCountModel) -> IonCountModel {
        counts.scaled(rates: rates, sigmas: sigmas, words: words, details: ["dead_time_correction": json])
    }
}
