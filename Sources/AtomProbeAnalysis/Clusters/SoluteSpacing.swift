import Foundation
import AtomProbe
import KitFoundation
import ParallelLoops

/// Helps choose dmax: the distribution of each solute's distance to its k-th nearest solute,
/// against the same with the solute labels given to random ranged ions (same count). Clusters
/// show as an excess at short distances; dmax goes where the two curves part.
public struct SoluteSpacing: Sendable {
    public let order: Int
    /// Bin centres (nm) and the fraction of solutes per bin, measured and randomized.
    public let distance: [Double]
    public let measured: [Double]
    public let randomized: [Double]

    public init(_ recon: Reconstruction, ranged: RangedIons, solutes: [String], order: Int = 1, maxDistance: Double = 2,
                binWidth: Double = 0.02, seed: UInt64 = 1) throws {
        let table = ranged.table
        let set = Set(solutes)
        let isSolute = table.ions.map { ion in ion.atoms.contains { set.contains($0.symbol) } }
        let n = recon.count
        func position(_ i: Int) -> SIMD3<Double> { SIMD3(Double(recon.x[i]), Double(recon.y[i]), Double(recon.z[i])) }
        let usable = SpecimenBounds.usable(recon).usable  // finite, stray ions far outside left out
        let rangedFinite = (0..<n).filter { ranged.ionType[$0] >= 0 && usable[$0] }
        let real = rangedFinite.filter { isSolute[Int(ranged.ionType[$0])] }
        var rng = SeededRandom(seed: seed)
        var shuffled = rangedFinite
        for k in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(k, Int(rng.uniform() * Double(k + 1)) % (k + 1)) }
        let fake = Array(shuffled.prefix(real.count))
        let bins = max(1, Int((maxDistance / binWidth).rounded(.up)))
        func histogram(_ ions: [Int]) throws -> [Double] {
            guard !ions.isEmpty else { return [Double](repeating: 0, count: bins) }
            let points = ions.map(position)
            let grid = try PointGrid(points, cell: max(binWidth, maxDistance / 2))
            let slotPoints = grid.items.map { points[Int($0)] }
            let slotIndex = grid.items.map { Int($0) }
            // Per solute (in parallel): its k-th nearest solute within maxDistance, kept as the k
            // smallest distances seen (no list to sort).
            let parts: [[Double]] = Parallel.map(points.count, minChunk: 1 << 12) { range in
                var h = [Double](repeating: 0, count: bins)
                var best = [Double](repeating: .infinity, count: order)
                for a in range {
                    let p = points[a]
                    for q in best.indices { best[q] = .infinity }
                    grid.forEachSlot(near: p, within: maxDistance) { k in
                        guard slotIndex[k] != a else { return }
                        let d = Vec3.length(p - slotPoints[k])
                        guard d < maxDistance, d < best[order - 1] else { return }
                        var q = order - 1
                        while q > 0 && best[q - 1] > d { best[q] = best[q - 1]; q -= 1 }
                        best[q] = d
                    }
                    if best[order - 1].isFinite { h[min(bins - 1, Int(best[order - 1] / binWidth))] += 1 }
                }
                return h
            }
            var h = [Double](repeating: 0, count: bins)
            for part in parts { for b in 0..<bins { h[b] += part[b] } }
            return h.map { $0 / Double(ions.count) }
        }
        self.order = order
        distance = (0..<bins).map { (Double($0) + 0.5) * binWidth }
        measured = try histogram(real)
        randomized = try histogram(fake)
    }
}
