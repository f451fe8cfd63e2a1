import Foundation
import AtomProbe
import KitFoundation
import ParallelLoops

/// The k-th nearest-neighbour distance distributions of the solute ions (k = 1...K), against
/// the same for randomly relabelled ions (`LabelRandomization`: same positions, same count).
///
/// Clustering shows as an excess of short distances. Per k: the observed distribution, the mean
/// of the randomizations and their pointwise range (with 19 randomizations the observed curve
/// leaves the range at a given r with probability 1/20 on either side under the null: the 95 %
/// envelope of the field); the two-sample Kolmogorov-Smirnov distance D between the observed
/// distances and those of all randomizations pooled, with its asymptotic p-value (which treats
/// the distances as independent; neighbouring distances are not quite), and the Monte Carlo
/// p-value that does not need that assumption: the rank of D among the same distance of each
/// randomization to the pool of the others, p = (1 + #{D_j >= D}) / (R + 1).
///
/// Distances are searched up to a reach where a random solute would have about 2K + 20 solute
/// neighbours, so that the k-th neighbour of almost every solute is found; those without are
/// counted beyond the reach (in the KS statistic they are the top of the distribution).
public struct NearestNeighbourDistributions: Sendable {
    public struct Order: Sendable {
        public let k: Int
        /// Fraction of the solutes per bin.
        public let observed: [Double]
        public let randomMean: [Double]
        public let randomLow: [Double]
        public let randomHigh: [Double]
        /// Mean k-th neighbour distance (nm) of the solutes that have one within the reach.
        public let observedMean: Double
        public let randomizedMean: Double
        /// Fraction of the observed solutes with no k-th neighbour within the reach.
        public let beyondReach: Double
        public let ksDistance: Double
        public let ksPValue: Double
        public let monteCarloPValue: Double
    }

    public let reach: Double
    public let binWidth: Double
    /// Bin centres (nm).
    public let distance: [Double]
    public let orders: [Order]
    public let solutes: Int
    public let randomizations: Int

    public init(observed: [SIMD3<Double>], randomized: [[SIMD3<Double>]], maxOrder: Int, bins: Int = 200) throws {
        let n = observed.count
        try Validation.require([
            (maxOrder >= 1 && maxOrder <= 100, "k", "must be 1-100, got \(maxOrder)"),
            (maxOrder < n, "k", "must be below the \(n) solute ions (a k-th neighbour needs k others), got \(maxOrder)"),
            (randomized.count >= 1, "randomizations", "must be at least 1"),
        ])
        var lo = SIMD3<Double>(repeating: .infinity), hi = SIMD3<Double>(repeating: -.infinity)
        for p in observed { lo = pointwiseMin(lo, p); hi = pointwiseMax(hi, p) }
        let e = pointwiseMax(hi - lo, SIMD3(repeating: 1))
        let density = Double(n) / (e.x * e.y * e.z)
        let reach = Foundation.cbrt(3 * Double(2 * maxOrder + 20) / (4 * .pi * density))
        self.reach = reach
        binWidth = reach / Double(bins)
        distance = (0..<bins).map { (Double($0) + 0.5) * reach / Double(bins) }
        solutes = n
        randomizations = randomized.count
        let obs = try Self.counts(observed, maxOrder: maxOrder, reach: reach, bins: bins)
        let rand = try randomized.map { try Self.counts($0, maxOrder: maxOrder, reach: reach, bins: bins) }
        var orders: [Order] = []
        for q in 0..<maxOrder {
            // Per bin (the last: beyond the reach), as fractions.
            let o: [Double] = obs.counts[q].map { $0 / Double(n) }
            let fractions: [[Double]] = rand.map { c in c.counts[q].map { $0 / Double(c.points) } }
            let m = Double(fractions.count)
            var pooled = [Double](repeating: 0, count: bins + 1)
            for f in fractions { for b in 0...bins { pooled[b] += f[b] / m } }
            let d = Self.ks(o, pooled)
            var exceed = 0
            for f in fractions {
                var others = pooled
                if m > 1 { for b in 0...bins { others[b] = (pooled[b] * m - f[b]) / (m - 1) } }
                if Self.ks(f, others) >= d { exceed += 1 }
            }
            var low = [Double](repeating: .infinity, count: bins), high = [Double](repeating: -.infinity, count: bins)
            for f in fractions { for b in 0..<bins { low[b] = min(low[b], f[b]); high[b] = max(high[b], f[b]) } }
            var randomSum = 0.0, randomFound = 0.0, randomPoints = 0.0
            for c in rand { randomSum += c.sums[q]; randomFound += c.found[q]; randomPoints += Double(c.points) }
            let ksP = SpecialFunctions.kolmogorovSmirnovPValue(d, n1: Double(n), n2: randomPoints)
            orders.append(Order(k: q + 1, observed: Array(o.prefix(bins)), randomMean: Array(pooled.prefix(bins)), randomLow: low, randomHigh: high,
                                observedMean: obs.sums[q] / max(1, obs.found[q]), randomizedMean: randomSum / max(1, randomFound),
                                beyondReach: o[bins], ksDistance: d, ksPValue: ksP, monteCarloPValue: (1 + Double(exceed)) / (m + 1)))
        }
        self.orders = orders
    }

    /// The largest difference of the cumulative sums of two distributions over the same bins.
    static func ks(_ a: [Double], _ b: [Double]) -> Double {
        var ca = 0.0, cb = 0.0, d = 0.0
        for k in a.indices { ca += a[k]; cb += b[k]; d = max(d, abs(ca - cb)) }
        return d
    }

    /// Per order k (index k-1): the number of `queries` (default: every point) whose k-th nearest
    /// other point lies in each of `bins` equal bins up to `reach`, plus one bin for those beyond;
    /// the sum of the distances found and their number. One neighbour search per point (a cell
    /// grid of half the reach), in parallel.
    public static func counts(_ points: [SIMD3<Double>], queries: [Int]? = nil, maxOrder: Int, reach: Double, bins: Int) throws
        -> (counts: [[Double]], sums: [Double], found: [Double], points: Int) {
        let grid = try PointGrid(points, cell: reach / 2)
        let slotPoints = grid.items.map { points[Int($0)] }, slotIndex = grid.items.map { Int($0) }
        let width = reach / Double(bins), r2 = reach * reach
        let q = queries?.count ?? points.count
        typealias Part = (counts: [[Double]], sums: [Double], found: [Double])
        let parts: [Part] = Parallel.map(q, minChunk: 1 << 10) { range in
            var part: Part = ([[Double]](repeating: [Double](repeating: 0, count: bins + 1), count: maxOrder),
                              [Double](repeating: 0, count: maxOrder), [Double](repeating: 0, count: maxOrder))
            var best = [Double](repeating: .infinity, count: maxOrder)
            for s in range {
                // Every point: in the grid's cell order (neighbouring queries read the same cells).
                let a = queries?[s] ?? slotIndex[s]
                let p = points[a]
                for k in best.indices { best[k] = .infinity }
                grid.forEachSlot(near: p, within: reach) { slot in
                    guard slotIndex[slot] != a else { return }
                    let d2 = Vec3.lengthSquared(p - slotPoints[slot])
                    guard d2 <= r2, d2 < best[maxOrder - 1] else { return }
                    var k = maxOrder - 1
                    while k > 0 && best[k - 1] > d2 { best[k] = best[k - 1]; k -= 1 }
                    best[k] = d2
                }
                for k in 0..<maxOrder {
                    guard best[k].isFinite else { part.counts[k][bins] += 1; continue }
                    let d = best[k].squareRoot()
                    part.counts[k][min(bins - 1, Int(d / width))] += 1
                    part.sums[k] += d; part.found[k] += 1
                }
            }
            return part
        }
        var total: Part = parts[0]
        for part in parts.dropFirst() {
            for k in 0..<maxOrder {
                for b in 0...bins { total.counts[k][b] += part.counts[k][b] }
                total.sums[k] += part.sums[k]; total.found[k] += part.found[k]
            }
        }
        return (total.counts, total.sums, total.found, q)
    }
}
