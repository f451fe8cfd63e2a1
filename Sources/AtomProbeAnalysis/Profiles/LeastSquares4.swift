/// Weighted least squares of a model with 4 parameters by Levenberg-Marquardt (what the erf step
/// of `InterfaceFit` and the Gaussian peak of `PeakFit` share): minimizes chi^2 = sum w r^2 from a
/// start, then the one-sigma errors from the inverse of J^T W J, scaled by chi^2/dof when that
/// exceeds 1. Parameter 3 is a width, kept positive and above `minWidth`.
struct LeastSquares4 {
    typealias Residuals = (chi2: Double, J: [[Double]], r: [Double])

    let parameters: [Double]
    let sigma: [Double]
    let chi2: Double
    let dof: Int

    init(start: [Double], weights ws: [Double], minWidth: Double, residuals: ([Double]) -> Residuals) {
        var p = start, lambda = 1e-3
        var current = residuals(p)
        for _ in 0..<200 {
            var damped = Self.normalMatrix(current.J, ws), g = [Double](repeating: 0, count: 4)
            for i in ws.indices { for a in 0..<4 { g[a] += ws[i] * current.J[i][a] * current.r[i] } }
            for a in 0..<4 { damped[a][a] *= 1 + lambda }
            guard let step = Self.solve(damped, g) else { lambda *= 10; continue }
            var trial = zip(p, step).map { $0 + $1 }
            trial[3] = max(abs(trial[3]), minWidth)
            let next = residuals(trial)
            if next.chi2 < current.chi2 {
                let gain = current.chi2 - next.chi2
                p = trial; current = next; lambda = max(lambda / 10, 1e-12)
                if gain <= 1e-12 * max(1, current.chi2) { break }
            } else {
                lambda *= 10
                if lambda > 1e12 { break }
            }
        }
        let A = Self.normalMatrix(current.J, ws)
        let dof = max(1, ws.count - 4), scale = max(1, current.chi2 / Double(dof))
        sigma = (0..<4).map { a in
            var e = [0.0, 0, 0, 0]; e[a] = 1
            return Self.solve(A, e).map { (max(0, $0[a]) * scale).squareRoot() } ?? .nan
        }
        parameters = p
        chi2 = current.chi2
        self.dof = dof
    }

    static func normalMatrix(_ J: [[Double]], _ ws: [Double]) -> [[Double]] {
        var A = [[Double]](repeating: [Double](repeating: 0, count: 4), count: 4)
        for i in ws.indices { for a in 0..<4 { for b in 0..<4 { A[a][b] += ws[i] * J[i][a] * J[i][b] } } }
        return A
    }

    /// Solves a 4 x 4 system by Gaussian elimination with partial pivoting; nil when singular.
    static func solve(_ A: [[Double]], _ b: [Double]) -> [Double]? {
        var m = A, v = b
        let n = 4
        for c in 0..<n {
            guard let piv = (c..<n).max(by: { abs(m[$0][c]) < abs(m[$1][c]) }), abs(m[piv][c]) > 1e-300 else { return nil }
            m.swapAt(c, piv); v.swapAt(c, piv)
            for r in (c + 1)..<n {
                let f = m[r][c] / m[c][c]
                for k in c..<n { m[r][k] -= f * m[c][k] }
                v[r] -= f * v[c]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            var s = v[r]
            for k in (r + 1)..<n { s -= m[r][k] * x[k] }
            x[r] = s / m[r][r]
        }
        return x.allSatisfy(\.isFinite) ? x : nil
    }
}
