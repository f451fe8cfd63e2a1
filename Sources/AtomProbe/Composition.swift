import KitFoundation
/// A composition: counts per species with concentrations and one-sigma counting errors.
///
/// The error of a concentration c (fraction) from N counted atoms (or ions) is the binomial
/// sigma = sqrt(c (1 - c) / N), as the commercial suite and the literature report it.
public struct Composition: Sendable, Equatable {
    public enum Mode: String, Sendable {
        /// Atoms after decomposing molecular ions (ZrO2 -> 1 Zr + 2 O); keys are element symbols.
        case atomic
        /// Ions by ion type (ZrO2 counts once); keys are ion names.
        case ionic
    }

    public struct Entry: Sendable, Equatable {
        public var name: String
        public var count: Int
        /// Fraction 0-1 of `Composition.total`.
        public var fraction: Double
        /// One-sigma counting error of `fraction`.
        public var sigma: Double
        public var atPercent: Double { fraction * 100 }
        public var sigmaAtPercent: Double { sigma * 100 }
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
            return Entry(name: name, count: n, fraction: c, sigma: s)
        }
    }

    public subscript(name: String) -> Entry? { entries.first { $0.name == name } }
}

extension Composition {
    /// `{"Li": {"count", "at_pct", "sigma_at_pct"}, ...}`: the per-species part of every
    /// composition in the JSON outputs (CONVENTIONS.md).
    public var entriesJSON: JSONValue {
        .object(entries.map { e in
            (e.name, .object([("count", .int(e.count)), ("at_pct", .number(e.atPercent)),
                              ("sigma_at_pct", .number(e.sigmaAtPercent))]))
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
        return .object(fields)
    }
}
