/// Ion counts per ion type with the model of their errors (docs/quantification.md).
///
/// The estimate of ion type k is linear in independent Poisson counts y_j (ions per range, or
/// per ion type when nothing is corrected) and in fitted parameters theta (a background, the
/// abundances of overlapping ions):
///
///     estimate_k = sum_j M_kj y_j + f_k(theta),    cov(theta) = C,
///
/// so the variance of any linear combination g . estimate is
///
///     sum_j (sum_k g_k M_kj)^2 y_j + u^T C u,    u = sum_k g_k d f_k / d theta.
public struct IonCountModel: Sendable {
    /// Ions counted per ion type (in its ranges).
    public let observed: [Int]
    /// Ions per ion type after corrections (equal to `observed` without any).
    public let estimate: [Double]
    /// The corrections applied, in words (empty: none).
    public let corrections: [String]

    let sourceCounts: [Double]
    /// map[k]: the (source, weight) pairs of M's row k.
    let map: [[(source: Int, weight: Double)]]
    /// parameterJacobian[k]: d estimate_k / d theta (empty rows: no parameters).
    let parameterJacobian: [[Double]]
    let parameterCovariance: [[Double]]

    /// Plain counts: each ion type its own Poisson count.
    public init(counts: [Int]) {
        observed = counts
        estimate = counts.map(Double.init)
        corrections = []
        sourceCounts = estimate
        map = counts.indices.map { [($0, 1.0)] }
        parameterJacobian = []
        parameterCovariance = []
    }

    /// Corrected counts; `map`, `parameterJacobian` and `parameterCovariance` as in the type's
    /// description (rows per ion type).
    public init(observed: [Int], estimate: [Double], corrections: [String], sourceCounts: [Double],
                map: [[(source: Int, weight: Double)]], parameterJacobian: [[Double]], parameterCovariance: [[Double]]) {
        precondition(observed.count == estimate.count && map.count == estimate.count)
        precondition(parameterJacobian.isEmpty || parameterJacobian.count == estimate.count)
        self.observed = observed
        self.estimate = estimate
        self.corrections = corrections
        self.sourceCounts = sourceCounts
        self.map = map
        self.parameterJacobian = parameterJacobian
        self.parameterCovariance = parameterCovariance
    }

    /// The variance of sum_k g_k estimate_k.
    public func variance(of g: [Double]) -> Double {
        var h = [Double](repeating: 0, count: sourceCounts.count)
        for (k, row) in map.enumerated() where g[k] != 0 {
            for (j, w) in row { h[j] += g[k] * w }
        }
        var v = 0.0
        for j in h.indices { v += h[j] * h[j] * max(0, sourceCounts[j]) }
        let p = parameterCovariance.count
        guard p > 0, !parameterJacobian.isEmpty else { return v }
        var u = [Double](repeating: 0, count: p)
        for k in g.indices where g[k] != 0 {
            for a in 0..<p { u[a] += g[k] * parameterJacobian[k][a] }
        }
        for a in 0..<p { for b in 0..<p { v += u[a] * parameterCovariance[a][b] * u[b] } }
        return v
    }
}
