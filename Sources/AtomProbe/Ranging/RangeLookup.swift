/// A fast answer to "which range holds this m/n": a table of cells of 1/1024 Da over the ranges'
/// span, each cell holding its range when it lies inside one, "none" when it meets no range, and
/// "look it up" otherwise (a binary search then decides). The same answers as
/// `RangeTable.rangeIndex(of:)`, about three times faster when ranging dominates a pass.
///
/// Cells are classified on their interval widened by `margin` on both sides, so a value that
/// rounding puts in the neighbouring cell is still answered right.
public struct RangeLookup: Sendable {
    public let table: RangeTable
    @usableFromInline let low: Double
    @usableFromInline let high: Double
    @usableFromInline let scale: Double
    /// Per cell: a range index, `none` (the number of ranges: the unranged count's slot) or
    /// `search`; one more cell at the end says `none`, for values outside the table. Two bytes a
    /// cell (half a megabyte for 250 Da), so that the cells a spectrum's peaks use stay in cache.
    @usableFromInline let cells: [UInt16]
    @usableFromInline let none: UInt16
    @usableFromInline static let search: UInt16 = .max
    static let margin = 1e-6

    /// - Parameter maxCells: the table's size limit; coarser cells beyond it (2 MiB by default).
    public init(_ table: RangeTable, cellsPerDa: Double = 1024, maxCells: Int = 1 << 20) {
        self.table = table
        // Tables of more ranges than a cell can name (far beyond any real range file) search.
        none = UInt16(clamping: table.ranges.count)
        guard table.ranges.count < Int(RangeLookup.search), let first = table.ranges.first, let top = table.ranges.map(\.high).max(), top > first.low else {
            low = 0; high = 0; scale = 1; cells = []
            return
        }
        let lo = (first.low - 1).rounded(.down), hi = top + 1
        // A span no table can cover (ranges at absurd m/n): binary search only.
        guard (hi - lo).isFinite, hi - lo <= 1e9 else {
            low = 0; high = 0; scale = 1; cells = []
            return
        }
        var s = cellsPerDa
        while (hi - lo) * s > Double(maxCells), s > 1e-6 { s /= 2 }
        let n = max(1, Int(((hi - lo) * s).rounded(.up)))
        var c = [UInt16](repeating: none, count: n + 1)
        let m = RangeLookup.margin
        for (k, r) in table.ranges.enumerated() {
            // Cells whose widened interval meets [low, high).
            let a = max(0, Int(((r.low - m - lo) * s).rounded(.down)) - 1)
            let b = min(n - 1, Int(((r.high + m - lo) * s).rounded(.down)) + 1)
            guard a <= b else { continue }
            for cell in a...b {
                let ca = lo + Double(cell) / s - m, cb = lo + Double(cell + 1) / s + m
                guard cb > r.low, ca < r.high else { continue }  // does not meet the range
                let inside = ca >= r.low && cb < r.high
                if inside, c[cell] == none { c[cell] = UInt16(k) } else { c[cell] = RangeLookup.search }
            }
        }
        low = lo; high = hi; scale = s; cells = c
    }

    /// Index into `table.ranges` of the range holding `m`, or nil.
    @inlinable @inline(__always)
    public func rangeIndex(of m: Double) -> Int? {
        if cells.isEmpty { return table.rangeIndex(of: m) }
        guard m >= low, m < high else { return nil }
        let v = cellValue(Int((m - low) * scale))
        if v < none { return Int(v) }
        return v == none ? nil : table.rangeIndex(of: m)
    }

    @inlinable @inline(__always) func cellValue(_ k: Int) -> UInt16 { k < cells.count - 1 ? cells[k] : RangeLookup.search }
}

extension RangeLookup {
    /// Adds each m/n of `masses` to its range's count in `counts` (index `table.ranges.count`
    /// for unranged values, NaN included) and returns the largest finite value seen (or `top`).
    /// The same counts as `rangeIndex(of:)` one value at a time, for the passes that only count
    /// (a whole file's composition): a value's cell is its count's index (no branch on ranged or
    /// not, which a spectrum's background makes unpredictable), and four interleaved sets of
    /// counts keep the long runs of one peak from waiting on the same counter.
    public func count(_ masses: UnsafeBufferPointer<Float>, into counts: UnsafeMutableBufferPointer<Int>, top: Float = -.infinity) -> Float {
        let unranged = table.ranges.count
        precondition(counts.count == unranged + 1, "one count per range and one for unranged values")
        let slots = unranged + 1
        var lanes = [Int](repeating: 0, count: 4 * slots)
        var largest = top
        lanes.withUnsafeMutableBufferPointer { lane in
            cells.withUnsafeBufferPointer { cell in
                // Cells 0..<n cover [low, high); cell n answers "none" for everything else (NaN too).
                let n = cell.count - 1, extent = Double(n), lo = low, s = scale
                @inline(__always) func slot(_ m: Float) -> Int {
                    guard n >= 0 else { return table.rangeIndex(of: Double(m)) ?? unranged }
                    let f = (Double(m) - lo) * s
                    let v = cell[f >= 0 && f < extent ? Int(f) : n]
                    return v == RangeLookup.search ? table.rangeIndex(of: Double(m)) ?? unranged : Int(v)
                }
                @inline(__always) func finite(_ m: Float) -> Float { m.isFinite ? m : -.infinity }
                var i = 0
                let body = masses.count & ~3
                while i < body {
                    let m0 = masses[i], m1 = masses[i &+ 1], m2 = masses[i &+ 2], m3 = masses[i &+ 3]
                    lane[slot(m0)] &+= 1
                    lane[slots &+ slot(m1)] &+= 1
                    lane[2 &* slots &+ slot(m2)] &+= 1
                    lane[3 &* slots &+ slot(m3)] &+= 1
                    largest = max(largest, max(max(finite(m0), finite(m1)), max(finite(m2), finite(m3))))
                    i &+= 4
                }
                while i < masses.count {
                    let m = masses[i]
                    lane[slot(m)] &+= 1
                    largest = max(largest, finite(m))
                    i &+= 1
                }
            }
        }
        for k in 0..<slots { counts[k] += lanes[k] + lanes[slots + k] + lanes[2 * slots + k] + lanes[3 * slots + k] }
        return largest
    }
}
