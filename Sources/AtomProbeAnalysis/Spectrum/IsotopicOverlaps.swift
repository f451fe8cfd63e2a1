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
    }

    public let table: RangeTable
    public let species: [Species]
    /// Per range: its own species, or nil when its ion has no pattern or no peak there.
    public let ownSpecies: [Int?]
    public let overlaps: [Overlap]
    /// Per species: its clean ranges and the summed share of its ions they hold.
    public let cleanRanges: [[Int]]
    public let cleanShare: [Double]

    public static let charges = 1...4

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
        for (r, s) in own.enumerated() {
            guard let s, !intruded.contains(r) else { continue }
            clean[s].append(r)
            cleanShare[s] += species[s].pattern.share(in: table.ranges[r].low, table.ranges[r].high)
        }
        for i in overlaps.indices where cleanShare[overlaps[i].species] <= 0 { overlaps[i].separable = false }
        self.table = table
        self.species = species
        ownSpecies = own
        self.overlaps = overlaps
        cleanRanges = clean
        self.cleanShare = cleanShare
    }

    public func label(_ s: Int) -> String {
        "\(table.ions[species[s].ionIndex].name)\(species[s].charge)+"
    }

    /// One line per overlap, for reports.
    public var descriptions: [String] {
        overlaps.map { o in
            let r = table.ranges[o.range]
            let text = String(format: "%@ in the %@ range %.3f-%.3f Da: %.2f %% of its ions", label(o.species), table.ions[r.ionIndex].name, r.low, r.high, 100 * o.share)
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

    /// The linear map from net range counts to ion-type counts: rows per ion type, (range, weight):
    /// `assignmentMap` plus the moves of the separable overlaps.
    public func countMap() -> [[Int: Double]] {
        var m = Self.assignmentMap(table)
        for o in overlaps where o.separable {
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
