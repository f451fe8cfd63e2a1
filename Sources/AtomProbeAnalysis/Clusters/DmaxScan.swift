import Foundation
import AtomProbe
import KitFoundation
import ParallelLoops

/// Chooses dmax from the data (issue 22, item 7): the number of clusters (groups of at least
/// `nmin` solute atoms, as `MaximumSeparation` links them) at every candidate dmax, in the
/// measured data and with the solute labels given to random ranged ions (the same number of ions
/// and solute atoms: a random solution of the same content; the mean of a few randomizations).
///
/// Rule: up to some dmax the randomized data hold almost no cluster (at most `falseShare` of the
/// measured count, or half a cluster when there are few); below that, the measured count settles
/// on a plateau where dmax no longer matters. The suggested dmax is the plateau's middle. Below
/// the plateau real clusters break into fragments (their count rises as dmax falls); above it
/// random solute fluctuations start to count as clusters. The classic advice "where the nearest-neighbour curves
/// part" lies well below it and over-fragments (issue 22: 0.35 nm and 43 clusters for 12).
///
/// Cost: every solute pair within the largest candidate, found once; the clusters at every
/// candidate then come from one sweep of union-find over the pairs sorted by the dmax at which
/// they link (with order k, a pair links once both ends have k solutes within dmax).
public struct DmaxScan: Sendable {
    /// Candidate dmax values (nm) and the clusters found at each.
    public let dmax: [Double]
    public let measured: [Int]
    /// Mean over the randomizations.
    public let randomized: [Double]
    public let randomizations: Int
    public let nmin: Int
    public let order: Int
    /// The dmax values at which the count has settled (the largest: the last at which the
    /// randomized data hold almost no cluster); nil when random clusters appear already below half
    /// the mean spacing of the ions (the solute is too dense for this nmin).
    public let stable: ClosedRange<Double>?
    /// The middle of `stable`.
    public let suggested: Double?
    /// No dmax finds a cluster before randomized labels give some: the solute looks random.
    public let noClusters: Bool
    public static let falseShare = 0.01

    /// - Parameters:
    ///   - solutes: positions of the solute ions and their solute atoms.
    ///   - others: positions of every other ranged ion (the randomizations draw from all).
    public init(solutes: [(SIMD3<Double>, Int)], others: [SIMD3<Double>], nmin: Int, order: Int, maxReach: Double = 2,
                step: Double = 0.025, maxNeighbours: Double = 30, randomizations: Int = 3, seed: UInt64 = 1, memory: MemoryBudget = .standard) throws {
        let count = solutes.count + others.count
        try self.init(solutes: solutes, ranged: count, position: { $0 < solutes.count ? solutes[$0].0 : others[$0 - solutes.count] },
                      nmin: nmin, order: order, maxReach: maxReach, step: step, maxNeighbours: maxNeighbours,
                      randomizations: randomizations, seed: seed, memory: memory)
    }

    /// - Parameters:
    ///   - ranged: the number of ranged ions, solutes included, whose positions `position` gives
    ///     (the randomizations draw from all of them).
    ///   - maxReach: the largest candidate dmax (also no more than about `maxNeighbours` solutes
    ///     lie within it on average, so that dense solutes do not make the pair list explode).
    init(solutes: [(SIMD3<Double>, Int)], ranged: Int, position: (Int) -> SIMD3<Double>, nmin: Int, order: Int, maxReach: Double,
         step: Double, maxNeighbours: Double, randomizations: Int, seed: UInt64, memory: MemoryBudget) throws {
        self.nmin = nmin
        self.order = order
        self.randomizations = randomizations
        var lo = SIMD3<Double>(repeating: .infinity), hi = SIMD3<Double>(repeating: -.infinity)
        for i in 0..<ranged { let p = position(i); lo = pointwiseMin(lo, p); hi = pointwiseMax(hi, p) }
        let volume = max(1, ((hi - lo).x * (hi - lo).y * (hi - lo).z))
        let density = Double(max(1, solutes.count)) / volume
        let reach = min(maxReach, max(4 * step, Foundation.cbrt(3 * maxNeighbours / (4 * .pi * density))))
        try memory.require(Double(solutes.count) * maxNeighbours * 48, for: "the dmax scan of \(solutes.count) solute ions")
        let candidates = (1...max(1, Int((reach / step).rounded(.down)))).map { Double($0) * step }
        dmax = candidates
        measured = try Self.counts(solutes, reach: reach, candidates: candidates, nmin: nmin, order: order, memory: memory).map { Int($0) }
        var sum = [Double](repeating: 0, count: candidates.count)
        var rng = SeededRandom(seed: seed)
        for _ in 0..<randomizations {
            // The same number of distinct ions drawn at random from all ranged ions (Floyd's
            // sampling: no permutation of them all), carrying the solutes' atom counts.
            var drawn = Set<Int>(minimumCapacity: solutes.count)
            for j in (ranged - solutes.count)..<ranged {
                let t = Int(rng.next() % UInt64(j + 1))
                drawn.insert(drawn.contains(t) ? j : t)
            }
            let fake = zip(drawn.sorted(), solutes).map { (position($0.0), $0.1.1) }
            let c = try Self.counts(fake, reach: reach, candidates: candidates, nmin: nmin, order: order, memory: memory)
            for k in sum.indices { sum[k] += c[k] }
        }
        let random = sum.map { $0 / Double(max(1, randomizations)) }, measuredCounts = measured
        randomized = random
        // Almost no random cluster here and at every smaller candidate.
        let clean = candidates.indices.map { random[$0] <= max(0.5, Self.falseShare * Double(measuredCounts[$0])) }
        // A clean range that ends below half the mean spacing of the ions links almost nothing:
        // random fluctuations cannot be told from clusters at this nmin.
        let firstUnclean = clean.firstIndex(of: false) ?? candidates.count
        let spacing = Foundation.cbrt(volume / Double(max(1, ranged)))
        guard firstUnclean > 0, candidates[firstUnclean - 1] >= 0.5 * spacing else { stable = nil; suggested = nil; noClusters = false; return }
        // The plateau below it: the candidates whose count stays within 5 % (at least 1) of the
        // count at the largest clean dmax; the suggestion is its middle, away from both ends.
        let top = firstUnclean - 1, settled = measuredCounts[top], slack = max(1, Int((0.05 * Double(settled)).rounded()))
        var bottom = top
        while bottom > 0, abs(measuredCounts[bottom - 1] - settled) <= slack, measuredCounts[bottom - 1] > 0 { bottom -= 1 }
        // A plateau of no cluster: nothing there that random labels would not give.
        // So is a plateau within counting noise of what random labels give there (3 sigma, a
        // Poisson count of at least 1): a few "clusters" in a random solution are no finding.
        noClusters = Double(settled) < random[top] + 3 * (random[top] + 1).squareRoot()
        guard !noClusters else { stable = nil; suggested = nil; return }
        stable = candidates[bottom]...candidates[top]
        suggested = candidates[(bottom + top) / 2]
    }

    /// The scan of a reconstruction for a cluster search's solutes, nmin and order.
    public init(_ recon: Reconstruction, ranged: RangedIons, options: MaximumSeparation.Options) throws {
        // The solutes and the ranged ions (finite, stray ions far outside left out, as the search does).
        let sample = try RandomizedSolutes(recon, ranged: ranged, solutes: options.solutes)
        let solutes = sample.solutes
        // Up to twice the chosen dmax (at least 1 nm): where the advice matters, at a bounded cost;
        // one randomization when the solutes are many (its counts are then already precise).
        try self.init(solutes: solutes, ranged: sample.rangedCount, position: sample.position,
                      nmin: options.nmin, order: options.order, maxReach: min(2, max(1, 2 * options.dmax)), step: 0.025, maxNeighbours: 30,
                      randomizations: solutes.count > 50_000 ? 1 : 2, seed: 1, memory: options.memory)
    }

    /// Clusters (groups of at least `nmin` solute atoms) at each candidate dmax.
    static func counts(_ points: [(SIMD3<Double>, Int)], reach: Double, candidates: [Double], nmin: Int, order: Int,
                       memory: MemoryBudget) throws -> [Double] {
        let n = points.count
        guard n > 0 else { return candidates.map { _ in 0 } }
        let grid = try PointGrid(points.map(\.0), cell: reach)
        // Per solute: the distances to the solutes within reach (pairs a < b kept once) and its
        // k-th nearest (the dmax from which it is a core).
        let r2 = reach * reach
        let parts: [(pairs: [(Int32, Int32, Float)], activation: [(Int, Double)])] = Parallel.map(n, minChunk: 1 << 12) { range in
            var pairs: [(Int32, Int32, Float)] = [], activation: [(Int, Double)] = []
            var near: [Double] = []
            for a in range {
                let p = points[a].0
                near.removeAll(keepingCapacity: true)
                grid.forEach(near: p, within: reach) { b in
                    guard b != a else { return }
                    let d2 = Vec3.lengthSquared(p - points[b].0)
                    guard d2 <= r2 else { return }
                    near.append(d2.squareRoot())
                    if a < b { pairs.append((Int32(a), Int32(b), Float(d2.squareRoot()))) }
                }
                if order > 1 {
                    near.sort()
                    activation.append((a, near.count >= order ? near[order - 1] : .infinity))
                }
            }
            return (pairs, activation)
        }
        let pairCount = parts.reduce(0) { $0 + $1.pairs.count }
        try memory.require(Double(pairCount) * 24, for: "the dmax scan's \(pairCount) solute pairs")
        var activation = [Double](repeating: 0, count: n)
        for part in parts { for (a, d) in part.activation { activation[a] = d } }
        // Each pair links at max(distance, both ends' activation).
        var events: [(Float, Int32, Int32)] = []
        events.reserveCapacity(pairCount)
        for part in parts {
            for (a, b, d) in part.pairs {
                let at = max(Double(d), activation[Int(a)], activation[Int(b)])
                if at <= reach { events.append((Float(at), a, b)) }
            }
        }
        events.sort { $0.0 < $1.0 }
        // Singletons count as clusters once they are cores (nmin of 1 or a solute ion of many atoms).
        let singles = (0..<n).filter { points[$0].1 >= nmin }.map { activation[$0] }.sorted()
        var parent = Array(0..<n), size = points.map(\.1)
        func find(_ x: Int) -> Int { var x = x; while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }; return x }
        var big = 0, e = 0, s = 0
        var out: [Double] = []
        for d in candidates {
            while s < singles.count, singles[s] <= d { big += 1; s += 1 }
            while e < events.count, Double(events[e].0) <= d {
                let ra = find(Int(events[e].1)), rb = find(Int(events[e].2))
                e += 1
                guard ra != rb else { continue }
                // Components below nmin that are not yet active singletons were never counted.
                let before = (size[ra] >= nmin ? 1 : 0) + (size[rb] >= nmin ? 1 : 0)
                parent[max(ra, rb)] = min(ra, rb)
                size[min(ra, rb)] += size[max(ra, rb)]
                big += (size[min(ra, rb)] >= nmin ? 1 : 0) - before
            }
            out.append(Double(big))
        }
        return out
    }

    /// The clusters at the candidate nearest to `d`.
    public func at(_ d: Double) -> (measured: Int, randomized: Double)? {
        guard let k = dmax.indices.min(by: { abs(dmax[$0] - d) < abs(dmax[$1] - d) }), abs(dmax[k] - d) <= 0.5 * (dmax.first ?? 0) + 1e-9 else { return nil }
        return (measured[k], randomized[k])
    }

    /// The count on the plateau (at the suggested dmax) and the slack within which counts
    /// count as settled (5 %, at least 1).
    public var plateau: (count: Int, slack: Int)? {
        guard let s = suggested, let here = at(s) else { return nil }
        return (here.measured, max(1, Int((0.05 * Double(here.measured)).rounded())))
    }

    /// What a user should know about the search at `chosen` that found `found` clusters:
    /// fragments (more clusters than on the plateau, below it), missed clusters (fewer, below
    /// it) or random clusters (the randomized data at the nearest candidate hold some).
    public func warnings(for chosen: Double, found: Int) -> [String] {
        var out: [String] = []
        if let s = suggested, let p = plateau, let range = stable, chosen < range.lowerBound - 1e-9 {
            if found > p.count + p.slack {
                out.append(String(format: "dmax %.3g nm finds %d clusters, more than the %d found for dmax %.3g-%.3g nm while randomized labels give almost none: the clusters at %.3g nm are likely fragments; consider dmax %.3g nm",
                                  chosen, found, p.count, range.lowerBound, range.upperBound, chosen, s))
            } else if found < p.count - p.slack {
                out.append(String(format: "dmax %.3g nm finds %d clusters, fewer than the %d found for dmax %.3g-%.3g nm: solutes of real clusters are not linked at this dmax; consider dmax %.3g nm",
                                  chosen, found, p.count, range.lowerBound, range.upperBound, s))
            }
        }
        if let near = at(chosen), near.randomized > max(0.5, Self.falseShare * Double(found)) {
            out.append(String(format: "at dmax %.3g nm randomized solute labels give %.1f clusters (of %d found): some clusters may be random solute fluctuations%@",
                              chosen, near.randomized, found, suggested.map { String(format: "; consider dmax %.3g nm", $0) } ?? ""))
        }
        return out
    }
}
