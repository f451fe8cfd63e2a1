/// Dense solves of the few-by-few systems of the quantification fits (Gaussian elimination with
/// partial pivoting). nil when the matrix is singular to working precision.
enum SmallMatrix {
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        let n = b.count
        var m = a, x = b
        let scale = a.flatMap { $0 }.map(abs).max() ?? 0
        guard scale > 0, scale.isFinite else { return nil }
        for c in 0..<n {
            guard let p = (c..<n).max(by: { abs(m[$0][c]) < abs(m[$1][c]) }), abs(m[p][c]) > 1e-13 * scale else { return nil }
            m.swapAt(c, p); x.swapAt(c, p)
            for r in (c + 1)..<n where m[r][c] != 0 {
                let f = m[r][c] / m[c][c]
                for k in c..<n { m[r][k] -= f * m[c][k] }
                x[r] -= f * x[c]
            }
        }
        for c in stride(from: n - 1, through: 0, by: -1) {
            var s = x[c]
            for k in (c + 1)..<n { s -= m[c][k] * x[k] }
            x[c] = s / m[c][c]
        }
        return x.allSatisfy(\.isFinite) ? x : nil
    }

    static func inverse(_ a: [[Double]]) -> [[Double]]? {
        let n = a.count
        var columns: [[Double]] = []
        for c in 0..<n {
            guard let col = solve(a, (0..<n).map { $0 == c ? 1 : 0 }) else { return nil }
            columns.append(col)
        }
        return (0..<n).map { r in (0..<n).map { columns[$0][r] } }
    }
}
