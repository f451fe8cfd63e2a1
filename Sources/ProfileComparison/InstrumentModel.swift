import Foundation
import KitFoundation

extension Profile {
    /// The profile seen through an instrument that blurs positions along its axis with a Gaussian
    /// of `sigma` (nm), its end values held beyond its ends (a simulated domain ends on its
    /// plateaus), sampled every `step` nm over the original range. The instrument moves atoms,
    /// not concentrations: with densities (atoms/nm^3, `density`) the Li atoms (value x density)
    /// and all atoms (density) are blurred apart and divided, so a phase of lower density (Li
    /// metal, 46 atoms/nm^3, against LLZO's 88) weighs less in the mixed bins; without densities
    /// the values are convolved directly (exact only for equal densities).
    public func blurred(sigma: Double, step: Double? = nil) throws -> Profile {
        guard sigma >= 0, sigma.isFinite else { throw AtomProbeError.invalid("the instrument blur must be a finite number >= 0 nm, got \(sigma)") }
        let p = cleaned()
        guard sigma > 0, let first = p.distance.first, let last = p.distance.last, last > first else { return p }
        let span = last - first
        let h = step ?? max(min(sigma / 5, span / 200), span / 20_000)
        let xs = stride(from: first, through: last, by: h).map { $0 }
        let rho = p.density ?? [Double](repeating: 1, count: p.value.count)
        let atoms = zip(p.value, rho).map { $0 * $1 }
        func at(_ x: Double, _ v: [Double]) -> Double { p.interpolate(min(max(x, first), last), in: v)! }
        let reach = min(4 * sigma, span + 4 * h)
        let kernel = stride(from: -reach, through: reach, by: h).map { ($0, exp(-0.5 * $0 * $0 / (sigma * sigma))) }
        // The kernel is cut at 4 sigma, or where it reaches past both ends from every point (a blur
        // wider than the profile): beyond that the end values hold, weighted by the Gaussian's tails.
        let tail = reach < 4 * sigma ? 0.5 * erfc(reach / (sigma * 2.0.squareRoot())) : 0
        let norm = kernel.reduce(0) { $0 + $1.1 }
        let inner = 1 - 2 * tail
        func blur(_ v: [Double], _ x: Double) -> Double {
            inner * kernel.reduce(0) { $0 + $1.1 * at(x - $1.0, v) } / norm + tail * (v.first! + v.last!)
        }
        var out = Profile(distance: xs, value: xs.map { x in blur(atoms, x) / blur(rho, x) }, density: p.density.map { _ in xs.map { blur(rho, $0) } }, label: p.label)
        out.dropped = p.dropped
        return out
    }

    /// Where the profile steps from its low plateau to its high one (either way), by equal areas:
    /// x = a + integral over [a, b] of (v_end - v) / (v_end - v_start), the centre of the step's
    /// derivative, which noise does not bias. The plateaus are the means of the first and last
    /// fifth of the points. Nil when the plateaus do not differ significantly (more than 3 of
    /// their combined sigma, or 0.1 % without errors): a peak or a flat profile has no step.
    public func stepCrossing() -> Double? {
        let p = cleaned()
        let n = p.distance.count
        guard n >= 5 else { return nil }
        let k = max(1, n / 5)
        func mean(_ r: Range<Int>) -> (Double, Double?) {
            let m = r.reduce(0.0) { $0 + p.value[$1] } / Double(r.count)
            let s = p.sigma.map { sig in r.reduce(0.0) { $0 + sig[$1] * sig[$1] }.squareRoot() / Double(r.count) }
            return (m, s)
        }
        let (lo, slo) = mean(0..<k), (hi, shi) = mean((n - k)..<n)
        let step = hi - lo
        let noise = (slo != nil && shi != nil) ? 3 * (slo! * slo! + shi! * shi!).squareRoot() : 1e-3 * max(abs(lo), abs(hi), 1e-12)
        guard abs(step) > noise else { return nil }
        var x = p.distance[0]
        for i in 1..<n {
            let f0 = (hi - p.value[i - 1]) / step, f1 = (hi - p.value[i]) / step
            x += 0.5 * (f0 + f1) * (p.distance[i] - p.distance[i - 1])
        }
        return x
    }
}

/// The chi^2 distribution's upper tail.
public enum ChiSquare {
    /// P(X >= chi2) for X ~ chi^2 with `dof` degrees of freedom: the regularized upper incomplete
    /// gamma function Q(dof / 2, chi2 / 2) (series below a + 1, Lentz's continued fraction above,
    /// as in Numerical Recipes' gammq), accurate to about 1e-12 relative.
    public static func pValue(_ chi2: Double, dof: Int) -> Double {
        guard dof > 0, chi2.isFinite else { return chi2.isFinite ? 1 : 0 }
        guard chi2 > 0 else { return 1 }
        let a = Double(dof) / 2, x = chi2 / 2
        let lnPrefix = -x + a * log(x) - lgamma(a)
        if x < a + 1 {
            var term = 1 / a, sum = term, ap = a
            for _ in 0..<10_000 {
                ap += 1; term *= x / ap; sum += term
                if abs(term) < abs(sum) * 1e-15 { break }
            }
            return max(0, 1 - sum * exp(lnPrefix))
        }
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1...10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b; if abs(d) < tiny { d = tiny }
            c = b + an / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < 1e-15 { break }
        }
        return min(1, exp(lnPrefix) * h)
    }
}
