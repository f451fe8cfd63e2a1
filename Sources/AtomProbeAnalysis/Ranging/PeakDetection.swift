import Foundation
import KitFoundation

/// A peak found in a spectrum: a significant excess of counts over the local background.
public struct DetectedPeak: Sendable, Equatable {
    /// Centroid of the counts within one FWHM of the highest point (Da).
    public var centre: Double
    /// Counts within one FWHM of the highest point, and the background expected there.
    public var counts: Double
    public var background: Double
    /// min(excess over background, prominence over the nearest valley), in sigma (see `PeakDetection`).
    public var significance: Double
}

/// Peaks of a mass spectrum (issue 24). The rule, written down:
/// 1. Counts are summed in a sliding window one FWHM wide (the measured `PeakShape` at that m/n):
///    s(m); the fitted background expects e(m) there.
/// 2. Every local maximum of s is a candidate. Its excess over the background has the Poisson
///    likelihood-ratio significance Z_b = sqrt(2 (s ln(s/e) - (s - e))) (s > e).
/// 3. Its prominence: the col c = the higher of the lowest s between it and a higher maximum on
///    each side (looked for within 30 FWHM); Z_p = (s - c) / sqrt(s + c), the significance of the
///    difference of two Poisson counts. A thermal tail's wiggles and noise have small Z_p.
/// 4. A peak is kept when min(Z_b, Z_p) >= the minimum significance (default 5). Below 0.5 Da
///    nothing is looked for.
public enum PeakDetection {
    public static func zExcess(_ s: Double, _ e: Double) -> Double {
        guard s > e else { return 0 }
        let b = max(e, 1e-6)
        return (2 * (s * log(s / b) - (s - b))).squareRoot()
    }

    public static func detect(_ spectrum: MassSpectrum, shape: PeakShape, background: (Double) -> Double,
                              minSignificance: Double) -> [DetectedPeak] {
        let h = spectrum.counts, n = h.count, w = spectrum.binWidth
        guard n > 2 else { return [] }
        var prefix = [Double](repeating: 0, count: n + 1)
        for i in 0..<n { prefix[i + 1] = prefix[i] + Double(h[i]) }
        func mass(_ b: Int) -> Double { spectrum.start + (Double(b) + 0.5) * w }
        let first = max(1, Int(((0.5 - spectrum.start) / w).rounded(.up)))
        guard first < n - 1 else { return [] }
        var s = [Double](repeating: 0, count: n), half = [Int](repeating: 0, count: n)
        for i in first..<n {
            let k = max(0, Int((shape.fwhm(mass(i)) / w / 2).rounded()))
            half[i] = k
            s[i] = prefix[min(n, i + k + 1)] - prefix[max(0, i - k)]
        }
        var peaks: [DetectedPeak] = []
        var i = first + 1
        while i < n - 1 {
            defer { i += 1 }
            guard s[i] > s[i - 1], s[i] >= s[i + 1], s[i] >= 4 else { continue }
            let width = Double(2 * half[i] + 1) * w
            let e = background(mass(i)) * width
            let zb = zExcess(s[i], e)
            guard zb >= minSignificance else { continue }
            let reach = max(30 * (2 * half[i] + 1), 10)
            var lowL = s[i], j = i - 1
            while j >= max(first, i - reach), s[j] <= s[i] { lowL = min(lowL, s[j]); j -= 1 }
            // A flat top belongs to the peak; then down to a higher (or equal) maximum.
            j = i + 1
            while j < n - 1, s[j] == s[i] { j += 1 }
            var lowR = s[i]
            while j < min(n, i + reach), s[j] < s[i] { lowR = min(lowR, s[j]); j += 1 }
            let col = max(lowL, lowR)
            let zp = (s[i] - col) / (s[i] + col).squareRoot()
            let z = min(zb, zp)
            guard z >= minSignificance else { continue }
            var sum = 0.0, moment = 0.0
            for b in max(0, i - half[i])...min(n - 1, i + half[i]) { sum += Double(h[b]); moment += Double(h[b]) * mass(b) }
            peaks.append(DetectedPeak(centre: sum > 0 ? moment / sum : mass(i), counts: s[i], background: e, significance: z))
        }
        return peaks
    }
}
