/// Items (triangle indices) binned in a regular grid of cubic cells and stored compressed (CSR):
/// the items of cell k are `items[start[k] ..< start[k + 1]]`. Cells are numbered x fastest.
struct CellGrid: Sendable {
    let origin: SIMD3<Double>
    let cell: Double
    let dims: SIMD3<Int>
    let start: [Int32]
    let items: [Int32]

    var cellCount: Int { dims.x * dims.y * dims.z }

    /// The grid covering `lo`-`hi` with `margin` on every side, cells of `cell`.
    static func dimensions(lo: SIMD3<Double>, hi: SIMD3<Double>, margin: Double, cell: Double) -> (origin: SIMD3<Double>, dims: SIMD3<Int>) {
        let origin = lo - SIMD3(repeating: margin)
        let ext = hi + SIMD3(repeating: margin) - origin
        // Clamped in floating point before the conversion (callers bound the reach; this cannot trap).
        return (origin, SIMD3<Int>((0..<3).map { a in let k = (ext[a] / cell).rounded(.up); return k.isNaN ? 1 : Int(min(max(1, k), 0x1p40)) }))
    }

    init(origin: SIMD3<Double>, cell: Double, dims: SIMD3<Int>, start: [Int32], items: [Int32]) {
        self.origin = origin; self.cell = cell; self.dims = dims; self.start = start; self.items = items
    }

    /// Bins item t into every cell of the inclusive index box `boxes[t]` (a counting sort).
    init(origin: SIMD3<Double>, cell: Double, dims: SIMD3<Int>, boxes: [(SIMD3<Int>, SIMD3<Int>)]) {
        let n = dims.x * dims.y * dims.z
        var counts = [Int32](repeating: 0, count: n + 1)
        func forEachCell(_ box: (SIMD3<Int>, SIMD3<Int>), _ body: (Int) -> Void) {
            let (i0, i1) = box
            for k in i0.z...i1.z { for j in i0.y...i1.y { for i in i0.x...i1.x { body(i + dims.x * (j + dims.y * k)) } } }
        }
        for box in boxes { forEachCell(box) { counts[$0 + 1] += 1 } }
        for k in 1...n { counts[k] += counts[k - 1] }
        var fill = counts
        var items = [Int32](repeating: 0, count: Int(counts[n]))
        for (t, box) in boxes.enumerated() {
            forEachCell(box) { c in items[Int(fill[c])] = Int32(t); fill[c] += 1 }
        }
        self.init(origin: origin, cell: cell, dims: dims, start: counts, items: items)
    }

    @inline(__always) func index(_ i: Int, _ j: Int, _ k: Int) -> Int { i + dims.x * (j + dims.y * k) }

    @inline(__always) func coordinates(_ index: Int) -> SIMD3<Int> {
        SIMD3(index % dims.x, (index / dims.x) % dims.y, index / (dims.x * dims.y))
    }

    /// Index coordinates of the cell holding a coordinate value on one axis, unclamped (may be
    /// outside the grid); clamped to +-2^40 first so a far or non-finite point cannot trap.
    @inline(__always) func axisCell(_ v: Double, axis: Int) -> Int {
        let g = ((v - origin[axis]) / cell).rounded(.down)
        return g.isNaN ? Int.min / 2 : Int(Swift.min(Swift.max(g, -0x1p40), 0x1p40))
    }

    /// The cell holding `p`, or nil outside the grid.
    @inline(__always) func cell(containing p: SIMD3<Double>) -> SIMD3<Int>? {
        let c = SIMD3(axisCell(p.x, axis: 0), axisCell(p.y, axis: 1), axisCell(p.z, axis: 2))
        guard c.x >= 0, c.y >= 0, c.z >= 0, c.x < dims.x, c.y < dims.y, c.z < dims.z else { return nil }
        return c
    }

    /// The items of a cell.
    @inline(__always) func range(_ index: Int) -> Range<Int> { Int(start[index])..<Int(start[index + 1]) }
}
