import Foundation
import KitFoundation

/// The shape of a mass peak, measured from the spectrum (issue 24): a Gaussian core whose
/// width grows with m/n as sigma(m) = a m^p, and on the high-mass side an exponential thermal
/// tail holding a share `tailFraction` of the peak with decay length lambda(m) = `tailRatio` sigma(m).
///
/// Density of a peak of unit area at c: (1 - r) N(x; c, sigma) + r / lambda exp(-(x - c) / lambda)
/// for x > c. Estimated (`estimate`) from the strong isolated peaks: sigma from the low-mass
/// half-width at half maximum (the side free of the tail; minus the bin's own width, w^2/12), the
/// power law by least squares of log sigma on log m (p held in 0.5-1: flight-time jitter gives
/// 0.5, a constant resolving power 1); the tail from the counts above background beyond c + 3
/// sigma: their mean distance is lambda (an exponential is memoryless), their number less the
/// Gaussian's share there gives r.
public struct PeakShape: Sendable, Equatable {
    public var sigmaAt1Da: Double
    public var sigmaPower: Double
    public var tailFraction: Double
    public var tailRatio: Double
    /// Strong peaks the estimate used (0: the default shape).
    public var peaksUsed: Int

    public init(sigmaAt1Da: Double, sigmaPower: Double = 1, tailFraction: Double = 0, tailRatio: Double = 1, peaksUsed: Int = 0) {
        self.sigmaAt1Da = sigmaAt1Da; self.sigmaPower = sigmaPower
        self.tailFraction = tailFraction; self.tailRatio = tailRatio; self.peaksUsed = peaksUsed
    }

    /// The starting guess: a resolving power m/dm (FWHM) of 500, no tail.
    public static let initialGuess = PeakShape(sigmaAt1Da: 1 / 500 / 2.3548)

    public func sigma(_ m: Double) -> Double { sigmaAt1Da * pow(max(m, 1e-6), sigmaPower) }
    public func tailLength(_ m: Double) -> Double { tailRatio * sigma(m) }
    /// Full width at half maximum of the core (Da).
    public func fwhm(_ m: Double) -> Double { 2.3548 * sigma(m) }

    /// Share of a peak at `c` that falls in [lo, hi).
    public func share(centre c: Double, _ lo: Double, _ hi: Double) -> Double {
        max(0, cdf(c, hi) - cdf(c, lo))
    }

    func cdf(_ c: Double, _ x: Double) -> Double {
        let s = sigma(c), r = tailFraction
        let g = 0.5 * erfc(-(x - c) / (s * 2.0.squareRoot()))
        let t = x > c ? 1 - exp(-(x - c) / max(tailLength(c), 1e-12)) : 0
        return (1 - r) * g + r * t
    }

    /// The low and high distances from the centre holding all but `loss` of the peak on each side.
    public func extent(_ c: Double, loss: Double) -> (low: Double, high: Double) {
        let s = sigma(c)
        let z = Self.normalQuantile(1 - max(loss, 1e-12))
        let tail = tailFraction > 0 ? tailLength(c) * log(max(tailFraction / max(loss, 1e-12), 1)) : 0
        return (z * s, max(z * s, tail))
    }

    /// The upper-tail quantile of the standard normal (Acklam-free: bisection on erfc; only a
    /// few calls per run).
    static func normalQuantile(_ p: Double) -> Double {
        var lo = -10.0, hi = 10.0
        for _ in 0..<80 {
            let mid = (lo + hi) / 2
            if 0.5 * erfc(-mid / 2.0.squareRoot()) < p { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// One strong peak's measured core width and tail.
    struct Measurement { var mass: Double; var sigma: Double; var tailFraction: Double?; var tailLength: Double? }

    /// Measures the shape from `peaks` of `spectrum` above `background` (counts per Da);
    /// `guess` isolates the peaks. Keeps `guess` when no peak is strong enough (at least 50
    /// counts in its highest bin and 300 above background).
    public static func estimate(_ spectrum: MassSpectrum, peaks: [Double], guess: PeakShape, background: (Double) -> Double) -> PeakShape {
        let w = spectrum.binWidth
        let h = spectrum.counts
        func bin(_ m: Double) -> Int { Int(((m - spectrum.start) / w).rounded(.down)) }
        func mass(_ b: Int) -> Double { spectrum.start + (Double(b) + 0.5) * w }
        let sorted = peaks.sorted()
        var found: [Measurement] = []
        for (k, c) in sorted.enumerated() {
            let s0 = max(guess.sigma(c), w)
            let prev = k > 0 ? sorted[k - 1] : -Double.infinity, next = k + 1 < sorted.count ? sorted[k + 1] : Double.infinity
            guard c - prev > 8 * s0 else { continue }
            // The highest bin near c.
            let lo = max(0, bin(c - 2 * s0)), hi = min(h.count - 1, bin(c + 2 * s0))
            guard lo < hi, let top = (lo...hi).max(by: { h[$0] < h[$1] }) else { continue }
            let bg = background(c) * w
            let height = Double(h[top]) - bg
            guard Double(h[top]) >= 50, height > 0 else { continue }
            // Low side: where the counts fall to half the height above background.
            var b = top
            while b > 0, Double(h[b]) - bg > height / 2, top - b < 10_000 { b -= 1 }
            let y0 = Double(h[b]) - bg, y1 = Double(h[b + 1]) - bg
            let xHalf = mass(b) + (y1 > y0 ? (height / 2 - y0) / (y1 - y0) : 0) * w
            let hwhm = mass(top) - xHalf
            let sigma = max((hwhm * hwhm / (2 * log(2.0)) - w * w / 12).squareRoot(), w / 4)
            guard sigma.isFinite else { continue }
            // Net counts of the core (+-3 sigma) and its centroid; beyond c + 3 sigma up to the next peak.
            var area = 0.0, moment0 = 0.0
            for j in max(0, bin(mass(top) - 2 * sigma))...min(h.count - 1, bin(mass(top) + 2 * sigma)) { moment0 += (Double(h[j]) - bg) * mass(j); area += Double(h[j]) - bg }
            guard area > 0 else { continue }
            let centre = moment0 / area
            area = 0
            for j in max(0, bin(centre - 3 * sigma))...min(h.count - 1, bin(centre + 3 * sigma)) { area += Double(h[j]) - bg }
            guard area >= 300 else { continue }
            let start = centre + 3 * sigma
            let end = min(next - 4 * guess.sigma(next), centre + 40 * sigma)
            var m = Measurement(mass: centre, sigma: sigma)
            if end > start + 4 * sigma, bin(end) < h.count {
                var excess = 0.0, moment = 0.0
                for j in bin(start)...bin(end) {
                    let e = Double(h[j]) - background(mass(j)) * w
                    excess += e; moment += e * (mass(j) - start)
                }
                // Beyond 3 sigma a Gaussian holds 0.135 %; a tail counts when it holds 1 % more and
                // decays more slowly than the core (lambda > 1.5 sigma).
                let tailCounts = excess - 0.00135 * area
                let lambda = excess > 0 ? moment / excess : 0
                if tailCounts > 0.01 * area, lambda > 1.5 * sigma {
                    m.tailLength = lambda
                    m.tailFraction = min(0.6, tailCounts * exp(3 * sigma / lambda) / (area + tailCounts))
                } else { m.tailFraction = 0 }
            }
            found.append(m)
        }
        guard !found.isEmpty else { return guess }
        // Power law: least squares of log sigma on log m, p in [0.5, 1]; one peak or a narrow span: p = 1.
        let xs = found.map { log($0.mass) }, ys = found.map { log($0.sigma) }
        var p = 1.0
        if let (minX, maxX) = xs.minMax, maxX - minX > log(1.5), found.count >= 3 {
            let mx = xs.reduce(0, +) / Double(xs.count), my = ys.reduce(0, +) / Double(ys.count)
            let sxy = zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }, sxx = xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
            p = min(1, max(0.5, sxy / sxx))
        }
        let a = exp(median(zip(xs, ys).map { $0.1 - p * $0.0 }))
        let fractions = found.compactMap(\.tailFraction)
        let ratios = found.compactMap { m in m.tailLength.map { $0 / m.sigma } }
        return PeakShape(sigmaAt1Da: a, sigmaPower: p, tailFraction: fractions.isEmpty ? 0 : median(fractions),
                         tailRatio: ratios.isEmpty ? 1 : max(1, median(ratios)), peaksUsed: found.count)
    }
}

func median(_ v: [Double]) -> Double {
    let s = v.sorted()
    guard !s.isEmpty else { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

extension Array where Element == Double {
    var minMax: (Double, Double)? { isEmpty ? nil : (self.min()!, self.max()!) }
}
