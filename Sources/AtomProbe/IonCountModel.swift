import KitFoundation

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
    /// Machine-readable details of the corrections, added to a composition's JSON (key: value).
    public var details: [String: JSONValue] = [:]

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

    /// These counts with each ion type's estimate scaled by (1 + rates[k]) (e.g. ions lost to the
    /// detector's dead zone added back at a measured loss rate): every row of the model is scaled,
    /// and each nonzero rate becomes a fitted parameter of standard error `sigmas[k]` whose
    /// derivative is the type's uncorrected estimate.
    public func scaled(rates: [Double], sigmas: [Double], words: [String], details: [String: JSONValue] = [:]) -> IonCountModel {
        precondition(rates.count == estimate.count && sigmas.count == estimate.count)
        let added = rates.indices.filter { rates[$0] != 0 || sigmas[$0] != 0 }
        let p = parameterCovariance.count, q = added.count
        let jacobian: [[Double]] = estimate.indices.map { k in
            let old = parameterJacobian.isEmpty ? [Double](repeating: 0, count: p) : parameterJacobian[k].map { $0 * (1 + rates[k]) }
            return old + added.map { $0 == k ? estimate[k] : 0 }
        }
        let covariance = (0..<(p + q)).map { r in (0..<(p + q)).map { c in
            r < p && c < p ? parameterCovariance[r][c] : (r == c && r >= p ? sigmas[added[r - p]] * sigmas[added[r - p]] : 0)
        } }
        var m = IonCountModel(observed: observed, estimate: estimate.indices.map { estimate[$0] * (1 + rates[$0]) }, corrections: corrections + words,
                              sourceCounts: sourceCounts, map: map.enumerated().map { k, row in row.map { ($0.source, $0.weight * (1 + rates[k])) } },
                              parameterJacobian: jacobian, parameterCovariance: covariance)
        m.details = self.details.merging(details) { $1 }
        return m
    }
}
