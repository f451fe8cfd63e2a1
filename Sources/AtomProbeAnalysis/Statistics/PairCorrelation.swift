import Foundation
import AtomProbe
import KitFoundation
import ParallelLoops

/// The solute-solute pair correlation g(r), normalised so that a random solid solution gives 1
/// at every r with the specimen's edges cancelled: the number of solute pairs at separations in
/// [r, r + dr) divided by the mean of the same count over randomly relabelled copies
/// (`LabelRandomization`: same positions, same solute count). The pairs a solute near the edge
/// misses are missed by the copies too, so no shell-volume or edge correction is needed (and
/// density variations of the specimen cancel as well).
///
/// The envelope: each randomization's count divided by the mean of the others, its pointwise
/// range. Rows start at the first bin where the randomizations hold pairs (g is undefined below).
public struct PairCorrelation: Sendable {
    /// Bin centres (nm), from the first bin with random pairs.
    public let r: [Double]
    public let g: [Double]
    public let low: [Double]
    public let high: [Double]
    /// Solute pairs (each once) per bin, observed and the mean of the randomizations.
    public let observedPairs: [Double]
    public let randomPairs: [Double]
    public let binWidth: Double
    public let maxDistance: Double
    public let randomizations: Int

    public init(observed: [SIMD3<Double>], randomized: [[SIMD3<Double>]], maxDistance: Double, binWidth: Double) throws {
        try Validation.require([
            (maxDistance > 0 && maxDistance <= 20, "rdf_max_nm", "must be in (0, 20] nm, got \(maxDistance)"),
            (binWidth > 0 && binWidth <= maxDistance, "rdf_bin_nm", "must be in (0, {rdf_max_nm}] nm, got \(binWidth)"),
            (maxDistance / binWidth <= 100_000, "rdf_bin_nm", "gives more than 100000 bins up to {rdf_max_nm}"),
            (randomized.count >= 1, "randomizations", "must be at least 1"),
        ])
        let bins = Int((maxDistance / binWidth).rounded(.up))
        let obs = try Self.pairs(observed, maxDistance: maxDistance, binWidth: binWidth, bins: bins)
        let rand = try randomized.map { try Self.pairs($0, maxDistance: maxDistance, binWidth: binWidth, bins: bins) }
        let m = Double(rand.count)
        var mean = [Double](repeating: 0, count: bins)
        for c in rand { for b in 0..<bins { mean[b] += c[b] / m } }
        let first = mean.firstIndex { $0 > 0 } ?? bins
        let kept = first..<bins
        r = kept.map { (Double($0) + 0.5) * binWidth }
        g = kept.map { obs[$0] / mean[$0] }
        // Each randomization against the mean of the others (itself when there is one).
        var low = [Double](repeating: .infinity, count: kept.count), high = [Double](repeating: -.infinity, count: kept.count)
        for c in rand {
            for (i, b) in kept.enumerated() {
                let others: Double = m > 1 ? (mean[b] * m - c[b]) / (m - 1) : mean[b]
                let ratio: Double = others > 0 ? c[b] / others : 1
                low[i] = min(low[i], ratio); high[i] = max(high[i], ratio)
            }
        }
        self.low = low
        self.high = high
        observedPairs = kept.map { obs[$0] }
        randomPairs = kept.map { mean[$0] }
        self.binWidth = binWidth
        self.maxDistance = maxDistance
        randomizations = rand.count
    }

    /// Pairs (each once) per bin of separation up to `maxDistance`: a cell grid of that size, one
    /// search per point (in parallel), pairs a < b.
    static func pairs(_ points: [SIMD3<Double>], maxDistance: Double, binWidth: Double, bins: Int) throws -> [Double] {
        let grid = try PointGrid(points, cell: maxDistance)
        let slotPoints = grid.items.map { points[Int($0)] }
        let r2 = maxDistance * maxDistance
        return Parallel.sum(points.count, length: bins, minChunk: 1 << 10) { (range: Range<Int>, h: inout [Double]) in
            // In the grid's cell order; each pair once (the later slot).
            for a in range {
                let p = slotPoints[a]
                grid.forEachSlot(near: p, within: maxDistance) { slot in
                    guard slot > a else { return }
                    let d2 = Vec3.lengthSquared(p - slotPoints[slot])
                    if d2 < r2 { h[min(bins - 1, Int(d2.squareRoot() / binWidth))] += 1 }
                }
            }
        }
    }
}
