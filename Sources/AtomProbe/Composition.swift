import KitFoundation
/// A composition: counts per species with concentrations, one-sigma errors and intervals.
///
/// Two error models (docs/quantification.md), both always computed:
/// - binomial over atoms, sigma = sqrt(c (1 - c) / N): the convention (CONVENTIONS.md, the
///   commercial suite, the literature) and the default `sigma`;
/// - multinomial over ions: the ion counts per ion type are independent Poisson (equivalently
///   multinomial at a fixed total) and the atoms of one molecular ion move together, so
///   var(c_e) = sum_k (a_ek - c_e a_k)^2 n_k / A^2 (a_ek atoms of e in ion type k, a_k all its
///   counted atoms). For atomic ions it equals the binomial. Corrections (background, isotopic
///   overlaps) add their own variance through `IonCountModel`, so a corrected composition always
///   reports this one.
/// Every entry also has a one-sigma (68.3 %) Wilson score interval from the multinomial error,
/// which stays honest for small counts where "0.00 +- 0.00" would not.
public struct Composition: Sendable, Equatable {
    public enum Mode: String, Sendable {
        /// Atoms after decomposing molecular ions (ZrO2 -> 1 Zr + 2 O); keys are element symbols.
        case atomic
        /// Ions by ion type (ZrO2 counts once); keys are ion names.
        case ionic
    }

    /// Which error `Entry.sigma` reports.
    public enum CountingErrors: String, Sendable, CaseIterable {
        case binomial, multinomial
    }

    public struct Entry: Sendable, Equatable {
        public var name: String
        public var count: Int
        /// Fraction 0-1 of `Composition.total`.
        public var fraction: Double
        /// One-sigma error of `fraction` in the chosen model.
        public var sigma: Double
        /// The binomial sigma sqrt(c (1 - c) / N) over atoms, as if every atom were counted on its own.
        public var binomialSigma: Double = 0
        /// The multinomial sigma over ions, corrections included.
        public var multinomialSigma: Double = 0
        /// Atoms (or ions) after corrections: `count` when there are none; may be fractional or,
        /// for a trace element under a subtracted background, negative.
        public var estimate: Double
        /// One-sigma Wilson score interval of the fraction, within [0, 1].
        public var interval: ClosedRange<Double>
        public var atPercent: Double { fraction * 100 }
        public var sigmaAtPercent: Double { sigma * 100 }

        public init(name: String, count: Int, fraction: Double, sigma: Double, estimate: Double? = nil, interval: ClosedRange<Double>? = nil) {
            self.name = name
            self.count = count
            self.fraction = fraction
            self.sigma = sigma
            self.estimate = estimate ?? Double(count)
            self.interval = interval ?? Composition.wilsonInterval(fraction: fraction, sigma: sigma, atomsPerCount: 1)
        }
    }

    public var mode: Mode
    /// Ions that fell in a range (before exclusions).
    public var rangedIons: Int
    public var unrangedIons: Int
    /// Atoms (atomic mode) or ions (ionic mode) counted in the denominator, after exclusions.
    public var total: Int
    /// One entry per species in order of first appearance in the range table.
    public var entries: [Entry]
    /// Species left out of the denominator on request.
    public var excluded: [String]
    /// The corrections applied to the counts (empty: none), in words.
    public var corrections: [String] = []
    /// Machine-readable details of the corrections, added as keys of `json`.
    public var details: [String: JSONValue] = [:]

    /// Builds concentrations and errors from raw counts (order kept). Excluded names are dropped.
    public init(mode: Mode, counts: [(String, Int)], rangedIons: Int, unrangedIons: Int, excluding: Set<String> = []) {
        let kept = counts.filter { !excluding.contains($0.0) }
        let total = kept.reduce(0) { $0 + $1.1 }
        self.mode = mode
        self.rangedIons = rangedIons
        self.unrangedIons = unrangedIons
        self.total = total
        self.excluded = counts.map(\.0).filter { excluding.contains($0) }
        self.entries = kept.map { name, n in
            let c = total > 0 ? Double(n) / Double(total) : 0
            let s = total > 0 ? (c * (1 - c) / Double(total)).squareRoot() : 0
            var entry = Entry(name: name, count: n, fraction: c, sigma: s,
                              interval: total > 0 ? Composition.wilsonInterval(fraction: c, effectiveCount: Double(total)) : 0...1)
            entry.binomialSigma = s
            entry.multinomialSigma = s
            return entry
        }
    }

    /// A composition from ion counts per ion type.
    /// - Parameters:
    ///   - names: the species (elements, or ion names in ionic mode).
    ///   - atomsPerType: atomsPerType[k][e], atoms of species e in ion type k.
    ///   - counts: the ion counts and their error model.
    ///   - errors: the model `sigma` reports; multinomial whenever the counts were corrected.
    public init(mode: Mode, names: [String], atomsPerType: [[Int]], counts: IonCountModel,
                rangedIons: Int, unrangedIons: Int, excluding: Set<String> = [], errors: CountingErrors = .binomial) {
        let keep = names.indices.filter { !excluding.contains(names[$0]) }
        let nTypes = atomsPerType.count
        // Atoms per type that count (excluded species left out), observed and estimated.
        let kept = (0..<nTypes).map { k in keep.reduce(0) { $0 + atomsPerType[k][$1] } }
        let total = (0..<nTypes).reduce(0) { $0 + kept[$1] * counts.observed[$1] }
        let estimatedTotal = (0..<nTypes).reduce(0.0) { $0 + Double(kept[$1]) * counts.estimate[$1] }
        self.mode = mode
        self.rangedIons = rangedIons
        self.unrangedIons = unrangedIons
        self.total = total
        self.excluded = names.filter { excluding.contains($0) }
        self.corrections = counts.corrections
        self.details = counts.details
        self.entries = keep.map { e in
            let observed = (0..<nTypes).reduce(0) { $0 + atomsPerType[$1][e] * counts.observed[$1] }
            let estimate = (0..<nTypes).reduce(0.0) { $0 + Double(atomsPerType[$1][e]) * counts.estimate[$1] }
            guard estimatedTotal > 0 else { return Entry(name: names[e], count: observed, fraction: 0, sigma: 0, estimate: estimate, interval: 0...1) }
            let raw = estimate / estimatedTotal
            // d c / d n_k = (a_ek - c a_k) / A, at the estimate itself (a negative one too)
            let c = raw
            let g = (0..<nTypes).map { (Double(atomsPerType[$0][e]) - c * Double(kept[$0])) / estimatedTotal }
            let sigma = max(0, counts.variance(of: g)).squareRoot()
            // An element carried by several atoms per ion moves in steps of that many atoms.
            let step = (0..<nTypes).map { atomsPerType[$0][e] }.max() ?? 1
            let binomial = (max(0, c * (1 - c)) / estimatedTotal).squareRoot()
            // A correction can take an estimate below zero (a background larger than the counts of a
            // range): the fraction is clipped at 0 and its interval runs from 0 to one sigma above,
            // never a negative at.% with a tiny error.
            let interval = raw < 0 ? 0...min(1, sigma) : Composition.wilsonInterval(fraction: c, sigma: sigma, atomsPerCount: max(1, step), total: estimatedTotal)
            var entry = Entry(name: names[e], count: observed, fraction: max(0, c),
                              sigma: errors == .binomial && counts.corrections.isEmpty ? binomial : sigma, estimate: estimate,
                              interval: interval)
            entry.binomialSigma = binomial
            entry.multinomialSigma = sigma
            return entry
        }
    }

    /// The fraction of species `e` among the atoms of `ionCounts` (per ion type; atomsPerType[k][e]
    /// atoms of e in type k) and its one-sigma error; nil when there are no atoms. The same
    /// formulas as the composition's, without building one (for profile and proxigram bins).
    public static func atomicFraction(of e: Int, ionCounts: [Int], atomsPerType: [[Int]],
                                      errors: CountingErrors = .multinomial) -> (fraction: Double, sigma: Double)? {
        var total = 0.0, mine = 0.0
        for (k, n) in ionCounts.enumerated() where n > 0 {
            total += Double(n * atomsPerType[k].reduce(0, +))
            mine += Double(n * atomsPerType[k][e])
        }
        guard total > 0 else { return nil }
        let c = mine / total
        if errors == .binomial { return (c, (c * (1 - c) / total).squareRoot()) }
        var v = 0.0
        for (k, n) in ionCounts.enumerated() where n > 0 {
            let g = Double(atomsPerType[k][e]) - c * Double(atomsPerType[k].reduce(0, +))
            v += g * g * Double(n)
        }
        return (c, v.squareRoot() / total)
    }

    /// The one-sigma (z = 1) Wilson score interval of a fraction from `effectiveCount` trials.
    public static func wilsonInterval(fraction: Double, effectiveCount n: Double) -> ClosedRange<Double> {
        guard n > 0, fraction.isFinite else { return 0...1 }
        let c = min(1, max(0, fraction))
        let z2 = 1.0
        let centre = (c + z2 / (2 * n)) / (1 + z2 / n)
        let half = (z2.squareRoot() / (1 + z2 / n)) * (c * (1 - c) / n + z2 / (4 * n * n)).squareRoot()
        return max(0, centre - half)...min(1, centre + half)
    }

    /// The Wilson interval with the effective number of trials that gives `sigma` at `fraction`
    /// (n = c (1 - c) / sigma^2: the design effect of molecular ions and corrections). At c = 0
    /// or 1 that is undefined; then the trials are the total atoms over the most atoms of the
    /// element one ion carries.
    static func wilsonInterval(fraction c: Double, sigma: Double, atomsPerCount: Int, total: Double? = nil) -> ClosedRange<Double> {
        let clamped = min(1, max(0, c))
        if sigma > 0, clamped > 0, clamped < 1 { return wilsonInterval(fraction: clamped, effectiveCount: clamped * (1 - clamped) / (sigma * sigma)) }
        guard let total, total > 0 else { return clamped...clamped }
        return wilsonInterval(fraction: clamped, effectiveCount: total / Double(atomsPerCount))
    }

    public subscript(name: String) -> Entry? { entries.first { $0.name == name } }
}

extension Composition {
    /// `{"Li": {"count", "at_pct", "sigma_at_pct", "corrected_count", "sigma_multinomial_at_pct",
    /// "interval_at_pct"}, ...}`: the per-species part of every composition in the JSON outputs
    /// (CONVENTIONS.md); the same keys with or without corrections.
    public var entriesJSON: JSONValue {
        .object(entries.map { e -> (String, JSONValue) in
            (e.name, .object([("count", .int(e.count)), ("at_pct", .number(e.atPercent)), ("sigma_at_pct", .number(e.sigmaAtPercent)),
                              ("corrected_count", .number(e.estimate)), ("sigma_multinomial_at_pct", .number(100 * e.multinomialSigma)),
                              ("interval_at_pct", .numbers([100 * e.interval.lowerBound, 100 * e.interval.upperBound]))]))
        })
    }

    /// The stable machine-readable form (CONVENTIONS.md):
    /// `{"mode", "ranged_ions", "unranged_ions", "atoms" (or "ions"), "elements" (or "ion_types")}`.
    public var json: JSONValue {
        let species = entriesJSON
        var fields: [(String, JSONValue)] = [
            ("mode", .string(mode.rawValue)),
            ("ranged_ions", .int(rangedIons)),
            ("unranged_ions", .int(unrangedIons)),
        ]
        switch mode {
        case .atomic: fields += [("atoms", .int(total)), ("elements", species)]
        case .ionic: fields += [("ions", .int(total)), ("ion_types", species)]
        }
        if !excluded.isEmpty { fields.append(("excluded", .array(excluded.map { .string($0) }))) }
        fields.append(("corrections", .array(corrections.map { .string($0) })))
        fields += details.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return .object(fields)
    }
}
