import Foundation
import AtomProbe
import KitFoundation

/// How many of the clusters the maximum-separation search finds would it find in a random
/// solution of the same content (issue 26)? The same search (linking within dmax with the same
/// order, groups of at least nmin solute atoms) on label-randomized copies of the data: the
/// solute ions' atom counts given to as many ranged ions drawn at random (`LabelRandomization`,
/// seeded per copy). Counted per size class (solute atoms: nmin to 2 nmin - 1, 2 nmin to
/// 4 nmin - 1, ...), observed against the mean and standard deviation over the copies. The copies'
/// groups are counted before envelope and erosion, which never remove solutes, and whether or not
/// they touch the edge (so with edge clusters excluded the expected false count is an upper bound).
public struct FalseClusters: Sendable {
    public struct SizeClass: Sendable {
        public let low: Int
        public let high: Int
        public let observed: Int
        public let randomMean: Double
        public let randomSD: Double
    }

    public let randomizations: Int
    public let classes: [SizeClass]
    /// Clusters per randomized copy, mean and standard deviation.
    public let randomMean: Double
    public let randomSD: Double
    public let observed: Int

    public init(observedSizes: [Int], sample: RandomizedSolutes, options o: MaximumSeparation.Options, randomizations: Int, seed: UInt64) throws {
        let random = try (0..<randomizations).map { j in
            try Self.groupSizes(sample.copy(j, seed: seed), dmax: o.dmax, order: o.order, nmin: o.nmin)
        }
        let top = max(observedSizes.max() ?? o.nmin, random.map { $0.max() ?? 0 }.max() ?? 0)
        var bounds: [(Int, Int)] = []
        var low = o.nmin
        while low <= top { bounds.append((low, 2 * low - 1)); low *= 2 }
        if bounds.isEmpty { bounds = [(o.nmin, 2 * o.nmin - 1)] }
        func stats(_ values: [Double]) -> (Double, Double) {
            let m = values.reduce(0, +) / Double(max(1, values.count))
            let v = values.count > 1 ? values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1) : 0
            return (m, v.squareRoot())
        }
        classes = bounds.map { b in
            let counts = random.map { sizes in Double(sizes.filter { $0 >= b.0 && $0 <= b.1 }.count) }
            let (m, sd) = stats(counts)
            return SizeClass(low: b.0, high: b.1, observed: observedSizes.filter { $0 >= b.0 && $0 <= b.1 }.count, randomMean: m, randomSD: sd)
        }
        (randomMean, randomSD) = stats(random.map { Double($0.count) })
        observed = observedSizes.count
        self.randomizations = randomizations
    }

    /// The solute atoms of each group of at least `nmin` (linking as `MaximumSeparation` does:
    /// solutes within dmax, only cores with at least `order` solutes within dmax when order > 1).
    public static func groupSizes(_ points: [(SIMD3<Double>, Int)], dmax: Double, order: Int, nmin: Int) throws -> [Int] {
        let groups = try SoluteLinks.groups(points.map(\.0), dmax: dmax, order: order)
        var atoms: [Int: Int] = [:]
        for (a, g) in groups.enumerated() { if let g { atoms[g, default: 0] += points[a].1 } }
        return atoms.values.filter { $0 >= nmin }.sorted(by: >)
    }
}

/// The solute ions of a reconstruction (positions and solute atoms) and the ranged ions their
/// labels can be given to (finite, inside the specimen's box), for label-randomized copies.
public struct RandomizedSolutes: Sendable {
    public let solutes: [(SIMD3<Double>, Int)]
    let usable: [UInt32]
    let recon: Reconstruction

    public init(_ recon: Reconstruction, ranged: RangedIons, solutes names: [String]) throws {
        let set = Set(names)
        let soluteAtoms = ranged.table.ions.map { ion in ion.atoms.filter { set.contains($0.symbol) }.reduce(0) { $0 + $1.count } }
        guard recon.count < Int(UInt32.max) else { throw AtomProbeError.invalid("randomized copies take at most \(UInt32.max) ions") }
        let inside = SpecimenBounds.usable(recon).usable
        var solutes: [(SIMD3<Double>, Int)] = [], usable: [UInt32] = []
        for i in 0..<recon.count where ranged.ionType[i] >= 0 && inside[i] {
            let s = soluteAtoms[Int(ranged.ionType[i])]
            if s > 0 { solutes.append((SIMD3(Double(recon.x[i]), Double(recon.y[i]), Double(recon.z[i])), s)) }
            usable.append(UInt32(i))
        }
        self.solutes = solutes
        self.usable = usable
        self.recon = recon
    }

    /// The ranged ions the labels can go to.
    public var rangedCount: Int { usable.count }

    /// The position of ranged ion `k` (0..<rangedCount).
    public func position(_ k: Int) -> SIMD3<Double> {
        let i = Int(usable[k])
        return SIMD3(Double(recon.x[i]), Double(recon.y[i]), Double(recon.z[i]))
    }

    /// Copy `j`: the solutes' atom counts on as many ranged ions drawn at random.
    public func copy(_ j: Int, seed: UInt64) -> [(SIMD3<Double>, Int)] {
        let drawn = LabelRandomization.draw(solutes.count, of: usable.count, seed: seed, randomization: j)
        return zip(drawn, solutes).map { k, s in (position(k), s.1) }
    }
}
