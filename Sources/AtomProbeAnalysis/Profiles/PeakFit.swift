import Foundation
import KitFoundation

/// A segregation layer in a 1D profile of one element: the at.% fitted, weighted by the bins'
/// counting errors, with a Gaussian peak on a flat baseline,
///     c(x) = base + amplitude * exp(-(x - x0)^2 / (2 s^2)),
/// what a thin layer blurred by the reconstruction (and spread by a tilted axis) looks like. It
/// locates the layer (x0) and its extent (FWHM = 2.355 s); the excess itself comes from the
/// ladder (`SegregationLayer`), not from this model. Errors are one sigma from the covariance,
/// scaled by chi^2/dof when that exceeds 1, as in `InterfaceFit`.
public struct PeakFit: Sendable {
    public var base: Double, amplitude: Double, center: Double, s: Double
    public var baseSigma: Double, amplitudeSigma: Double, centerSigma: Double, sSigma: Double
    public var chiSquarePerDOF: Double
    public var points: Int

    public static let fwhmPerSigma = 2 * (2 * log(2.0)).squareRoot()
    public var fwhm: Double { Self.fwhmPerSigma * s }
    public var fwhmSigma: Double { Self.fwhmPerSigma * sSigma }

    /// The model at x.
    public func value(at x: Double) -> Double { base + amplitude * exp(-0.5 * pow((x - center) / s, 2)) }

    /// Fits points (x, value, sigma) (sigma > 0). Throws when there are fewer than 6 points or no peak.
    public static func fit(x: [Double], y: [Double], sigma: [Double]) throws -> PeakFit {
        let pts = x.indices.filter { x[$0].isFinite && y[$0].isFinite && sigma[$0].isFinite && sigma[$0] > 0 }
        guard pts.count >= 6 else { throw AtomProbeError.invalid("a layer fit needs at least 6 bins with atoms, got \(pts.count)") }
        let xs = pts.map { x[$0] }, ys = pts.map { y[$0] }, ws = pts.map { 1 / (sigma[$0] * sigma[$0]) }
        let span = xs.last! - xs.first!
        // Start: the baseline from the median, the peak at the largest deviation of a 3-point
        // running mean, its width from the points deviating by more than half of it.
        let base = ys.sorted()[ys.count / 2]
        let smooth = xs.indices.map { i in
            let r = max(0, i - 1)...min(xs.count - 1, i + 1)
            return r.reduce(0.0) { $0 + ys[$1] } / Double(r.count)
        }
        let top = smooth.indices.max { abs(smooth[$0] - base) < abs(smooth[$1] - base) }!
        let amp = smooth[top] - base
        guard abs(amp) > 0 else { throw AtomProbeError.invalid("the profile has no peak to fit (flat at \(base) at.%)") }
        var lo = top, hi = top
        while lo > 0, (smooth[lo - 1] - base) / amp > 0.5 { lo -= 1 }
        while hi < xs.count - 1, (smooth[hi + 1] - base) / amp > 0.5 { hi += 1 }
        var p = [base, amp, xs[top], max((xs[hi] - xs[lo]) / fwhmPerSigma, span / Double(4 * xs.count), span * 1e-4)]
        func residuals(_ p: [Double]) -> (chi2: Double, J: [[Double]], r: [Double]) {
            var chi2 = 0.0, J: [[Double]] = [], r: [Double] = []
            for i in xs.indices {
                let z = (xs[i] - p[2]) / p[3], g = exp(-0.5 * z * z)
                let res = ys[i] - (p[0] + p[1] * g)
                chi2 += ws[i] * res * res
                r.append(res)
                J.append([1, g, p[1] * g * z / p[3], p[1] * g * z * z / p[3]])
            }
            return (chi2, J, r)
        }
        let fit = LeastSquares4(start: p, weights: ws, minWidth: span * 1e-6, residuals: residuals)
        p = fit.parameters
        let sig = fit.sigma, dof = fit.dof
        guard p[2] >= xs.first!, p[2] <= xs.last!, p.allSatisfy(\.isFinite) else {
            throw AtomProbeError.invalid("no peak found in the profile: the layer fit ends outside it")
        }
        return PeakFit(base: p[0], amplitude: p[1], center: p[2], s: abs(p[3]), baseSigma: sig[0], amplitudeSigma: sig[1],
                       centerSigma: sig[2], sSigma: sig[3], chiSquarePerDOF: fit.chi2 / Double(dof), points: xs.count)
    }
}
