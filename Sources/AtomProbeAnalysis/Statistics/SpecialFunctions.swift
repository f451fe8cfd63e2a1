import Foundation

/// The distribution functions the significance tests need, written out so that no statistics
/// library is required: the regularized incomplete gamma function (chi-square tails), the
/// binomial probabilities and the Kolmogorov distribution (two-sample KS tails).
public enum SpecialFunctions {
    /// Q(a, x) = Gamma(a, x) / Gamma(a), the regularized upper incomplete gamma function, for
    /// a > 0, x >= 0: by its power series for x < a + 1 (where it converges fast; Q = 1 - P) and
    /// by its continued fraction (modified Lentz) above, where Q itself is computed directly so
    /// that tiny tails keep their relative precision (Press et al., Numerical Recipes, 6.2).
    public static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
        guard a > 0, x.isFinite || x == .infinity, x >= 0 else { return .nan }
        if x == 0 { return 1 }
        if x == .infinity { return 0 }
        let logPrefactor: Double = -x + a * log(x) - logGamma(a)
        if x < a + 1 {
            var term = 1 / a, sum = term, ap = a
            for _ in 0..<100_000 {
                ap += 1
                term *= x / ap
                sum += term
                if abs(term) < abs(sum) * 1e-16 { break }
            }
            return max(0, 1 - sum * exp(logPrefactor))
        }
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1..<100_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            h *= step
            if abs(step - 1) < 1e-16 { break }
        }
        return min(1, exp(logPrefactor) * h)
    }

    /// ln Gamma(x) for x > 0.
    @inline(__always) static func logGamma(_ x: Double) -> Double { Foundation.lgamma(x) }

    /// P(chi^2 >= x) for `dof` degrees of freedom: Q(dof/2, x/2).
    public static func chiSquareSurvival(_ x: Double, dof: Int) -> Double {
        guard dof >= 1 else { return .nan }
        return regularizedGammaQ(Double(dof) / 2, max(0, x) / 2)
    }

    /// The binomial probabilities P(k) of k successes in n trials of probability p, k = 0...n
    /// (from logarithms, so that large n neither overflows nor underflows the middle).
    public static func binomialProbabilities(n: Int, p: Double) -> [Double] {
        guard n >= 0 else { return [] }
        if p <= 0 { return (0...n).map { $0 == 0 ? 1 : 0 } }
        if p >= 1 { return (0...n).map { $0 == n ? 1 : 0 } }
        let lp: Double = log(p), lq: Double = log1p(-p), ln: Double = logGamma(Double(n) + 1)
        return (0...n).map { (k: Int) -> Double in
            let kd = Double(k), rest = Double(n - k)
            let logChoose: Double = ln - logGamma(kd + 1) - logGamma(rest + 1)
            return exp(logChoose + kd * lp + rest * lq)
        }
    }

    /// P(K > lambda) of the Kolmogorov distribution: 2 sum_j (-1)^(j-1) exp(-2 j^2 lambda^2).
    public static func kolmogorovSurvival(_ lambda: Double) -> Double {
        guard lambda > 0 else { return 1 }
        if lambda < 0.2 { return 1 }  // the series converges slowly there, and the value is 1 to 1e-20
        var sum = 0.0, sign = 1.0
        for j in 1...200 {
            let jj = Double(j * j)
            let term: Double = exp(-2 * jj * lambda * lambda)
            sum += sign * term
            if term < 1e-18 { break }
            sign = -sign
        }
        return min(1, max(0, 2 * sum))
    }

    /// The asymptotic p-value of a two-sample Kolmogorov-Smirnov distance `d` between samples of
    /// n1 and n2 values, with Stephens' small-sample correction (Numerical Recipes 14.3).
    public static func kolmogorovSmirnovPValue(_ d: Double, n1: Double, n2: Double) -> Double {
        guard n1 > 0, n2 > 0 else { return .nan }
        let ne = (n1 * n2 / (n1 + n2)).squareRoot()
        let lambda: Double = (ne + 0.12 + 0.11 / ne) * d
        return kolmogorovSurvival(lambda)
    }
}
