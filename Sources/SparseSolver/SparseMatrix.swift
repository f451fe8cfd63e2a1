/// A square sparse matrix in compressed sparse column form (CSC), with a fixed pattern that
/// assembly fills in place: build the pattern once per mesh, then zero and add values each
/// Newton iteration.
public struct SparseMatrix: Sendable {
    public let n: Int
    /// Column starts (n + 1) and row indices, sorted within each column.
    public let columnStart: [Int]
    public let rowIndex: [Int]
    public var values: [Double]

    /// The pattern of all (row, column) pairs given (duplicates merged).
    public init(n: Int, pattern: [(row: Int, column: Int)]) {
        var perColumn = [[Int]](repeating: [], count: n)
        for (r, c) in pattern { perColumn[c].append(r) }
        var start = [Int](repeating: 0, count: n + 1)
        var rows: [Int] = []
        for c in 0..<n {
            let sorted = Array(Set(perColumn[c])).sorted()
            rows += sorted
            start[c + 1] = rows.count
        }
        self.n = n
        self.columnStart = start
        self.rowIndex = rows
        self.values = Array(repeating: 0, count: rows.count)
    }

    public var nonZeros: Int { rowIndex.count }

    /// Position of (row, column) in `values`, or nil when outside the pattern.
    @inlinable
    public func slot(row: Int, column: Int) -> Int? {
        var lo = columnStart[column], hi = columnStart[column + 1]
        while lo < hi {
            let mid = (lo + hi) >> 1
            if rowIndex[mid] < row { lo = mid + 1 } else { hi = mid }
        }
        return lo < columnStart[column + 1] && rowIndex[lo] == row ? lo : nil
    }

    public mutating func zero() { for k in values.indices { values[k] = 0 } }

    /// y = A x
    public func multiply(_ x: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: n)
        for c in 0..<n {
            let xc = x[c]
            if xc == 0 { continue }
            for k in columnStart[c]..<columnStart[c + 1] { y[rowIndex[k]] += values[k] * xc }
        }
        return y
    }

    /// Replaces row `r` by the identity row (for Dirichlet conditions): zero its entries, 1 on the diagonal.
    public mutating func setIdentityRow(_ r: Int, rowSlots: [Int]) {
        for s in rowSlots { values[s] = 0 }
        if let d = slot(row: r, column: r) { values[d] = 1 }
    }

    /// Slots of every entry of each row (for fast row operations).
    public func rowSlots() -> [[Int]] {
        var out = [[Int]](repeating: [], count: n)
        for c in 0..<n { for k in columnStart[c]..<columnStart[c + 1] { out[rowIndex[k]].append(k) } }
        return out
    }
}
