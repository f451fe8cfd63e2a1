import Foundation
import AtomProbe
import KitFoundation
import ParallelLoops

/// Points binned in cubic cells (CSR), for neighbour searches within about one cell.
struct PointGrid {
    let origin: SIMD3<Double>
    let cell: Double
    let dims: SIMD3<Int>
    let start: [Int32]
    let items: [Int32]

    init(_ points: [SIMD3<Double>], cell: Double) throws {
        var lo = SIMD3<Double>(repeating: .infinity), hi = SIMD3<Double>(repeating: -.infinity)
        for p in points { lo = pointwiseMin(lo, p); hi = pointwiseMax(hi, p) }
        if points.isEmpty { lo = .zero; hi = .zero }
        let ext = (hi - lo) / cell
        guard (0..<3).allSatisfy({ ext[$0].isFinite && ext[$0] < 1e6 }), (ext.x + 1) * (ext.y + 1) * (ext.z + 1) < 2e8 else {
            throw AtomProbeError.invalid(String(format: "a neighbour grid of %.3g nm cells over this data would be too large; use a larger distance", cell))
        }
        let dims = SIMD3(Int(ext.x) + 1, Int(ext.y) + 1, Int(ext.z) + 1)
        self.dims = dims
        origin = lo
        self.cell = cell
        let count = dims.x * dims.y * dims.z
        var counts = [Int32](repeating: 0, count: count + 1)
        var cellOf = [Int](repeating: 0, count: points.count)
        for (k, p) in points.enumerated() {
            let q = (p - lo) / cell
            let cx = min(dims.x - 1, Int(q.x)), cy = min(dims.y - 1, Int(q.y)), cz = min(dims.z - 1, Int(q.z))
            cellOf[k] = cx + dims.x * (cy + dims.y * cz)
            counts[cellOf[k] + 1] += 1
        }
        for k in 0..<count { counts[k + 1] += counts[k] }
        var fill = counts
        var items = [Int32](repeating: 0, count: points.count)
        for k in points.indices { items[Int(fill[cellOf[k]])] = Int32(k); fill[cellOf[k]] += 1 }
        start = counts
        self.items = items
    }

    /// Calls `body` with every point in cells within `radius` of `p` (a superset of the points
    /// within `radius`).
    func forEach(near p: SIMD3<Double>, within radius: Double, _ body: (Int) -> Void) {
        forEachSlot(near: p, within: radius) { body(Int(items[$0])) }
    }

    /// As `forEach`, but gives the slot in `items` (cell order), so that data stored in cell order
    /// is read contiguously.
    func forEachSlot(near p: SIMD3<Double>, within radius: Double, _ body: (Int) -> Void) {
        _ = containsSlot(near: p, within: radius) { body($0); return false }
    }

    /// Whether some slot in cells within `radius` of `p` satisfies `test` (stops at the first).
    func containsSlot(near p: SIMD3<Double>, within radius: Double, where test: (Int) -> Bool) -> Bool {
        // (Clamped in floating point before converting, so far-away or huge queries cannot trap.)
        let a = ((p - SIMD3(repeating: radius) - origin) / cell).rounded(.down)
        let b = ((p + SIMD3(repeating: radius) - origin) / cell).rounded(.down)
        let top = SIMD3<Double>(Double(dims.x - 1), Double(dims.y - 1), Double(dims.z - 1))
        let loD = pointwiseMax(a, .zero), hiD = pointwiseMin(b, top)
        guard loD.x <= hiD.x, loD.y <= hiD.y, loD.z <= hiD.z else { return false }
        let lo = SIMD3<Int>(Int(loD.x), Int(loD.y), Int(loD.z)), hi = SIMD3<Int>(Int(hiD.x), Int(hiD.y), Int(hiD.z))
        for k in lo.z...hi.z { for j in lo.y...hi.y { for i in lo.x...hi.x {
            let c = i + dims.x * (j + dims.y * k)
            for s in Int(start[c])..<Int(start[c + 1]) where test(s) { return true }
        } } }
        return false
    }
}
