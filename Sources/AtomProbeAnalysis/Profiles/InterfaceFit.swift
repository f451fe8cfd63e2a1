import Foundation
import KitFoundation

/// An interface in a 1D profile of one element: the at.% of the profile fitted, weighted by the
/// bins' counting errors, with
///     c(x) = low + (high - low) * Phi((x - x0) / s),   Phi the standard normal integral,
/// an error-function step (what a sharp interface blurred by a Gaussian looks like). The 10-90 %
/// width is 2 * 1.2816 * s = 2.563 s; `x0` is where c crosses halfway between the plateaus.
/// Errors are one sigma from the fit's covariance (J^T W J)^-1, scaled by chi^2/dof when that
/// exceeds 1 (the step model then fits worse than counting statistics allow).
public struct InterfaceFit: Sendable {
    public var low: Double, high: Double, crossing: Double, s: Double
    public var lowSigma: Double, highSigma: Double, crossingSigma: Double, sSigma: Double
    public var chiSquarePerDOF: Double
    public var points: Int

    public static let widthPerSigma = 2 * 1.2815515655446004
    public var width1090: Double { Self.widthPerSigma * s }
    public var width1090Sigma: Double { Self.widthPerSigma * sSigma }

    /// The model at x.
    public func value(at x: Double) -> Double { low + (high - low) * Self.phi((x - crossing) / s) }

    static func phi(_ z: Double) -> Double { 0.5 * (1 + erf(z / 2.0.squareRoot())) }
    static func density(_ z: Double) -> Double { exp(-0.5 * z * z) / (2 * Double.pi).squareRoot() }

    /// Fits points (x, value, sigma) (sigma > 0). Throws when there are fewer than 6 points or no step.
    public static func fit(x: [Double], y: [Double], sigma: [Double]) throws -> InterfaceFit {
        let pts = x.indices.filter { x[$0].isFinite && y[$0].isFinite && sigma[$0].isFinite && sigma[$0] > 0 }
        guard pts.count >= 6 else { throw AtomProbeError.invalid("an interface fit needs at least 6 bins with atoms, got \(pts.count)") }
        let xs = pts.map { x[$0] }, ys = pts.map { y[$0] }, ws = pts.map { 1 / (sigma[$0] * sigma[$0]) }
        // Start: plateaus from the outer fifths, crossing and width from the curve's own crossings.
        let k = max(1, xs.count / 5)
        var p = [ys.prefix(k).reduce(0, +) / Double(k), ys.suffix(k).reduce(0, +) / Double(k), 0, 0]
        guard abs(p[1] - p[0]) > 0 else { throw AtomProbeError.invalid("the profile has no step to fit (both ends at \(p[0]) at.%)") }
        let span = (xs.last! - xs.first!)
        let ends = 1..<xs.count
        p[2] = PiecewiseLinear.firstCrossing(xs, ys, level: (p[0] + p[1]) / 2, segmentEnds: ends) ?? (xs.first! + span / 2)
        if let c = PiecewiseLinear.crossings10_90(xs, ys, from: p[0], to: p[1], segmentEnds: ends), abs(c.at90 - c.at10) > 0 {
            p[3] = abs(c.at90 - c.at10) / widthPerSigma
        } else { p[3] = span / 20 }
        p[3] = max(p[3], span * 1e-4)
        func residuals(_ p: [Double]) -> (chi2: Double, J: [[Double]], r: [Double]) {
            var chi2 = 0.0, J: [[Double]] = [], r: [Double] = []
            for i in xs.indices {
                let z = (xs[i] - p[2]) / p[3], F = phi(z), f = density(z)
                let model = p[0] + (p[1] - p[0]) * F
                let res = ys[i] - model
                chi2 += ws[i] * res * res
                r.append(res)
                J.append([1 - F, F, -(p[1] - p[0]) * f / p[3], -(p[1] - p[0]) * f * z / p[3]])
            }
            return (chi2, J, r)
        }
        let fit = LeastSquares4(start: p, weights: ws, minWidth: span * 1e-6, residuals: residuals)
        p = fit.parameters
        let sig = fit.sigma, dof = fit.dof
        return InterfaceFit(low: p[0], high: p[1], crossing: p[2], s: abs(p[3]), lowSigma: sig[0], highSigma: sig[1],
                            crossingSigma: sig[2], sSigma: sig[3], chiSquarePerDOF: fit.chi2 / Double(dof), points: xs.count)
    }
}
