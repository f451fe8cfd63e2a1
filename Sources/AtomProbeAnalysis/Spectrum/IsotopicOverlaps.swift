import Foundation
import AtomProbe
import KitFoundation

/// Which isotopic peaks every range holds, and where peaks of one ion fall into a range of
/// another (docs/quantification.md).
///
/// Range files give no charge state (RRNG), so each range's charge is inferred: the charge 1-4 at
/// which the ion's isotope pattern puts the largest share of its ions inside the range. A
/// species is an ion type at one charge. An overlap is a range of ion A that holds at least
/// `minimumShare` of the ions of a species B of another ion type (96Zr3+ under O2+ at 32 Da).
///
/// Deconvolution estimates each overlapping species from its clean ranges (its own ranges with
/// no other ion's peak): X_B = sum of their counts / sum of their pattern shares (the Poisson
/// maximum likelihood of its abundance from all of its free peaks); then f X_B ions move from A to
/// B in every range of A where B has share f. Everything is linear in the range counts, so the
/// errors propagate exactly (`IonCountModel`).
///
/// A species B with no clean range (N2+, whose one peak lies under 28Si+) is estimated from its
/// strongest range instead, when its owner A can be: A from A's clean ranges (A's clean counts
/// times A's pattern share there over its clean share; nothing when the range is B's own), the
/// other intruders from theirs (those with none stay in it). The rest of the range is B
/// (X_B = that rest / B's share there). Such species come from the table's `sharedPeaks` (a ranger's record) or
/// from ranges of their own (N+ at 14 Da under 28Si2+).
public struct IsotopicOverlaps: Sendable {
    public struct Species: Sendable {
        public var ionIndex: Int
        public var charge: Int
        public var pattern: IsotopePattern
    }

    public struct Overlap: Sendable {
        /// The range (index into `table.ranges`) and the species that intrudes.
        public var range: Int
        public var species: Int
        /// Share of the intruding species' ions that falls in the range.
        public var share: Double
        /// False when the species has no clean range to estimate it from: left uncorrected.
        public var separable: Bool
        /// Estimated as what its strongest range holds beyond that range's own ion.
        public var fromOwner = false
    }

    public let table: RangeTable
    public let species: [Species]
    /// Per range: its own species, or nil when its ion has no pattern or no peak there.
    public let ownSpecies: [Int?]
    public let overlaps: [Overlap]
    /// Per species: its clean ranges and the summed share of its ions they hold.
    public let cleanRanges: [[Int]]
    public let cleanShare: [Double]
    /// Per species estimated from an owner (`fromOwner`): the range it is estimated in.
    public let ownerRange: [Int?]

    public static let charges = 1...4
    /// Least purity (`MassRange.purity`) of a range that estimates its ion for the others.
    public static let cleanPurity = 0.9

    public init(_ table: RangeTable, minimumShare: Double = 0.001) {
        var species: [Species] = []
        var patterns: [String: IsotopePattern?] = [:]
        func pattern(_ k: Int, _ q: Int) -> IsotopePattern? {
            let key = "\(k)/\(q)"
            if let p = patterns[key] { return p }
            let p = try? IsotopePattern(table.ions[k], charge: q)
            patterns[key] = p
            return p
        }
        var own = [Int?](repeating: nil, count: table.ranges.count)
        for (r, range) in table.ranges.enumerated() {
            let k = range.ionIndex
            let best = Self.charges.compactMap { q in pattern(k, q).map { (q, $0.share(in: range.low, range.high)) } }
                .max { $0.1 < $1.1 }
            guard let (q, share) = best, share > 0 else { continue }
            if let s = species.firstIndex(where: { $0.ionIndex == k && $0.charge == q }) { own[r] = s } else {
                species.append(Species(ionIndex: k, charge: q, pattern: pattern(k, q)!))
                own[r] = species.count - 1
            }
        }
        for p in table.sharedPeaks where table.ions.indices.contains(p.ionIndex) && Self.charges.contains(p.charge)
            && !species.contains(where: { $0.ionIndex == p.ionIndex && $0.charge == p.charge }) {
            if let pat = pattern(p.ionIndex, p.charge) { species.append(Species(ionIndex: p.ionIndex, charge: p.charge, pattern: pat)) }
        }
        // Each species' peaks into the ranges holding them (binary search: many ranges stay cheap).
        var overlaps: [Overlap] = []
        for (s, sp) in species.enumerated() {
            var shareIn: [Int: Double] = [:]
            for peak in sp.pattern.peaks {
                if let r = table.rangeIndex(of: peak.massToCharge), table.ranges[r].ionIndex != sp.ionIndex { shareIn[r, default: 0] += peak.abundance }
            }
            for (r, f) in shareIn.sorted(by: { $0.key < $1.key }) where f >= minimumShare {
                overlaps.append(Overlap(range: r, species: s, share: f, separable: true))
            }
        }
        let intruded = Set(overlaps.map(\.range))
        var clean = [[Int]](repeating: [], count: species.count)
        var cleanShare = [Double](repeating: 0, count: species.count)
        // Clean: no other ion's isotope peak in it, and (when a ranger said) its own ion holds at
        // least `cleanPurity` of it (57Fe2+ at 28.5 Da in the tail of a big 28Si+ peak is not a
        // reference).
        func collect(_ accept: (Int, Int) -> Bool) {
            for (r, s) in own.enumerated() where s != nil && !intruded.contains(r) && accept(r, s!) {
                clean[s!].append(r)
                cleanShare[s!] += species[s!].pattern.share(in: table.ranges[r].low, table.ranges[r].high)
            }
        }
        collect { r, _ in (table.ranges[r].purity ?? 1) >= Self.cleanPurity }
        // No clean range: from its strongest range, when the others there can be estimated (58Ni+
        // under 116Sn2+, Sn2+ from 117/119Sn2+, rather than from an impure 64Ni+ in a Cu+ tail).
        var ownerRange = [Int?](repeating: nil, count: species.count)
        for s in species.indices where cleanShare[s] <= 0 {
            let shares = table.ranges.map { species[s].pattern.share(in: $0.low, $0.high) }
            // (Other intruders there with no clean range either stay in it, as they would anyway.)
            guard let main = shares.indices.max(by: { shares[$0] < shares[$1] }), shares[main] > 0, let owner = own[main],
                  owner == s || cleanShare[owner] > 0 else { continue }
            ownerRange[s] = main
        }
        // One rest, one species: where several would take the same range's rest, only the one that
        // owns ranges (Ti+ beside a Ti2 2+ the ranger put there), or none.
        for main in Set(ownerRange.compactMap { $0 }) {
            let sharing = species.indices.filter { ownerRange[$0] == main }
            guard sharing.count > 1 else { continue }
            let owning = sharing.filter { own.contains($0) }
            for s in sharing where owning.count != 1 || s != owning[0] { ownerRange[s] = nil }
        }
        // Otherwise its impure ranges, if it has any.
        let none = Set(species.indices.filter { cleanShare[$0] <= 0 && ownerRange[$0] == nil })
        collect { _, s in none.contains(s) }
        for i in overlaps.indices where ownerRange[overlaps[i].species] != nil || cleanShare[overlaps[i].species] <= 0 {
            overlaps[i].separable = ownerRange[overlaps[i].species] != nil
            overlaps[i].fromOwner = overlaps[i].separable
        }
        self.ownerRange = ownerRange
        self.table = table
        self.species = species
        ownSpecies = own
        self.overlaps = overlaps
        cleanRanges = clean
        self.cleanShare = cleanShare
    }

    public func label(_ s: Int) -> String {
        "\(table.ions[species[s].ionIndex].name) \(species[s].charge)+"
    }

    /// One line per overlap, for reports.
    public var descriptions: [String] {
        overlaps.map { o in
            let r = table.ranges[o.range]
            let text = String(format: "%@ in the %@ range %.3f-%.3f Da: %.2f %% of its ions", label(o.species), table.ions[r.ionIndex].name, r.low, r.high, 100 * o.share)
            if o.fromOwner, let r = ownerRange[o.species], let a = ownSpecies[r] {
                let what = a == o.species ? "the other ions" : String(format: "%@ (from %d clean range(s) of it)", label(a), cleanRanges[a].count)
                return text + String(format: ", estimated as what the range %.3f-%.3f Da holds beyond %@", table.ranges[r].low, table.ranges[r].high, what)
            }
            return o.separable ? text + String(format: ", estimated from %d clean range(s) holding %.1f %%", cleanRanges[o.species].count, 100 * cleanShare[o.species])
                : text + "; not separable (no clean range of it), left uncorrected"
        }
    }

    /// Every range to its own ion with weight 1: the count map without overlaps.
    public static func assignmentMap(_ table: RangeTable) -> [[Int: Double]] {
        var m = [[Int: Double]](repeating: [:], count: table.ions.count)
        for (r, range) in table.ranges.enumerated() { m[range.ionIndex][r, default: 0] += 1 }
        return m
    }

    /// What range `main` holds of species s: all but its own ion A (when A is not s) and the
    /// intruders estimated from their clean ranges, as weights on the range counts: N_main - w_A
    /// sum of A's clean counts - sum over the other intruders C of f_C / (C's clean share) sum of
    /// C's clean counts.
    func ownerEstimate(_ main: Int, of s: Int) -> [(range: Int, weight: Double)] {
        guard let a = ownSpecies[main] else { return [] }
        let low = table.ranges[main].low, high = table.ranges[main].high
        var w: [(range: Int, weight: Double)] = [(main, 1)]
        if a != s {
            let wA = species[a].pattern.share(in: low, high) / cleanShare[a]
            w += cleanRanges[a].map { ($0, -wA) }
        }
        for o in overlaps where o.range == main && o.species != s && cleanShare[o.species] > 0 {
            w += cleanRanges[o.species].map { ($0, -o.share / cleanShare[o.species]) }
        }
        return w
    }

    /// The linear map from net range counts to ion-type counts: rows per ion type, (range, weight):
    /// `assignmentMap` plus the moves of the separable overlaps.
    public func countMap() -> [[Int: Double]] {
        var m = Self.assignmentMap(table)
        // X_B per species estimated from an owner, as weights on the range counts (once each).
        var estimates: [Int: [(range: Int, weight: Double)]] = [:]
        for (s, main) in ownerRange.enumerated() {
            guard let main else { continue }
            let f = species[s].pattern.share(in: table.ranges[main].low, table.ranges[main].high)
            estimates[s] = ownerEstimate(main, of: s).map { ($0.range, $0.weight / f) }
        }
        for o in overlaps where o.fromOwner {
            guard let x = estimates[o.species] else { continue }
            let intruder = species[o.species].ionIndex, owner = table.ranges[o.range].ionIndex
            for (r, w) in x {
                m[intruder][r, default: 0] += o.share * w
                m[owner][r, default: 0] -= o.share * w
            }
        }
        for o in overlaps where o.separable && !o.fromOwner {
            let intruder = species[o.species].ionIndex, owner = table.ranges[o.range].ionIndex
            // f X_B = f / (sum of clean shares) * (sum of clean counts) moves from owner to intruder.
            let w = o.share / cleanShare[o.species]
            for c in cleanRanges[o.species] {
                m[intruder][c, default: 0] += w
                m[owner][c, default: 0] -= w
            }
        }
        return m
    }
}
