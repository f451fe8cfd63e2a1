import Foundation
import AtomProbe
import KitFoundation

/// The background of a mass spectrum, fitted in windows free of peaks (docs/quantification.md).
///
/// Model, in counts per Da: b(m) = sum_j theta_j phi_j(m) with
/// - `constant`: phi = 1 (noise flat in m/n);
/// - `tof`: phi = m^(-1/2) (noise flat in time of flight: dt/dm ~ m^(-1/2));
/// - `constantPlusTOF`: both.
/// theta is the Poisson maximum-likelihood fit over blocks of the windows; its covariance is the
/// inverse Fisher information. Blocks far above the model (unranged peaks, thermal tails) are
/// rejected and the fit repeated until none is.
public struct MassSpectrumBackground: Sendable {
    public enum Shape: String, CaseIterable, Sendable {
        case constant
        case tof
        case constantPlusTOF = "constant+tof"
    }

    public let shape: Shape
    /// theta: counts per Da (constant), counts per Da at 1 Da (tof term).
    public let coefficients: [Double]
    public let covariance: [[Double]]
    /// The mass-to-charge windows the fit used (Da), before rejected blocks.
    public let windows: [ClosedRange<Double>]
    public let blocksUsed: Int
    public let blocksRejected: Int
    public let countsUsed: Int
    /// Pearson chi^2 per degree of freedom over the used blocks (near 1 for a good fit).
    public let reducedChiSquare: Double
    /// The ions of the spectrum the background belongs to (a region's share scales it).
    public let ionsInSpectrum: Int

    static func basis(_ shape: Shape, _ m: Double) -> [Double] {
        switch shape {
        case .constant: return [1]
        case .tof: return [1 / m.squareRoot()]
        case .constantPlusTOF: return [1, 1 / m.squareRoot()]
        }
    }

    static func basisIntegral(_ shape: Shape, _ lo: Double, _ hi: Double) -> [Double] {
        let tof = 2 * (max(hi, 0).squareRoot() - max(lo, 0).squareRoot())
        switch shape {
        case .constant: return [hi - lo]
        case .tof: return [tof]
        case .constantPlusTOF: return [hi - lo, tof]
        }
    }

    /// Background counts per Da at m.
    public func density(at m: Double) -> Double { zip(coefficients, Self.basis(shape, m)).reduce(0) { $0 + $1.0 * $1.1 } }

    /// Expected background counts in [low, high) for the whole spectrum, and their gradient with
    /// respect to `coefficients`.
    public func expected(_ low: Double, _ high: Double) -> (count: Double, gradient: [Double]) {
        let g = Self.basisIntegral(shape, low, high)
        return (zip(coefficients, g).reduce(0) { $0 + $1.0 * $1.1 }, g)
    }

    /// Peak-free windows: [first range - 5 Da, last range + 5 Da] (at least 1 Da) less every
    /// range widened by max(0.1 Da, 0.5 % of its mass) on both sides.
    public static func automaticWindows(_ table: RangeTable) -> [ClosedRange<Double>] {
        guard let first = table.ranges.first, let lastHigh = table.ranges.map(\.high).max() else { return [] }
        return peakFree(max(1, first.low - 5)...(lastHigh + 5), table)
    }

    /// The parts of `window` outside every widened range.
    static func peakFree(_ window: ClosedRange<Double>, _ table: RangeTable) -> [ClosedRange<Double>] {
        var windows: [ClosedRange<Double>] = []
        var cursor = window.lowerBound
        for r in table.ranges {
            let lo = r.low - max(0.1, 0.005 * r.low), hi = r.high + max(0.1, 0.005 * r.high)
            if min(lo, window.upperBound) > cursor { windows.append(cursor...min(lo, window.upperBound)) }
            cursor = max(cursor, hi)
        }
        if window.upperBound > cursor { windows.append(cursor...window.upperBound) }
        return windows
    }

    /// Fits the background of `spectrum` in `windows` (default: `automaticWindows`).
    /// - Parameter blockWidth: the fit's block width in Da (whole spectrum bins).
    public static func fit(_ spectrum: MassSpectrum, table: RangeTable, shape: Shape = .constant,
                           windows given: [ClosedRange<Double>]? = nil, blockWidth: Double = 0.25,
                           ionsInSpectrum: Int) throws -> MassSpectrumBackground {
        for w in given ?? [] where !(w.lowerBound.isFinite && w.upperBound.isFinite && w.lowerBound >= 0 && w.upperBound > w.lowerBound) {
            throw AtomProbeError.invalid("background window \(w.lowerBound)-\(w.upperBound) Da must be finite, >= 0 and not empty")
        }
        // A window given by the user still leaves the ranges out.
        let windows = given.map { $0.flatMap { peakFree($0, table) } } ?? automaticWindows(table)
        // Blocks: consecutive spectrum bins inside a window, about blockWidth wide.
        let perBlock = max(1, Int((blockWidth / spectrum.binWidth).rounded()))
        var blocks: [(x: [Double], count: Double, centre: Double)] = []
        for w in windows {
            // Clamped to the spectrum before converting (windows may lie far outside it).
            let bins = Double(spectrum.counts.count)
            var b = Int(min(bins, max(0, ((w.lowerBound - spectrum.start) / spectrum.binWidth).rounded(.up))))
            let end = Int(min(bins, max(0, ((w.upperBound - spectrum.start) / spectrum.binWidth).rounded(.down))))
            while b < end {
                let e = min(end, b + perBlock)
                let lo = spectrum.start + Double(b) * spectrum.binWidth, hi = spectrum.start + Double(e) * spectrum.binWidth
                if lo > 0 {
                    let n = spectrum.counts[b..<e].reduce(0, +)
                    blocks.append((basisIntegral(shape, lo, hi), Double(n), (lo + hi) / 2))
                }
                b = e
            }
        }
        let p = basis(shape, 1).count
        guard blocks.count >= p + 2 else {
            throw AtomProbeError.invalid("the background windows hold \(blocks.count) blocks of \(blockWidth) Da inside the spectrum; the \(shape.rawValue) background needs at least \(p + 2) (give wider windows)")
        }
        var used = [Bool](repeating: true, count: blocks.count)
        var theta = [Double](repeating: 0, count: p), info = [[Double]]()
        for _ in 0..<30 {
            (theta, info) = poissonFit(blocks.indices.filter { used[$0] }.map { blocks[$0] }, p: p)
            var changed = false
            for i in blocks.indices where used[i] {
                let mu = max(0, dot(theta, blocks[i].x))
                if blocks[i].count > mu + 4 * mu.squareRoot() + 4 { used[i] = false; changed = true }
            }
            if !changed { break }
        }
        let kept = blocks.indices.filter { used[$0] }
        var chi2 = 0.0
        for i in kept { let mu = max(dot(theta, blocks[i].x), 1e-12); chi2 += (blocks[i].count - mu) * (blocks[i].count - mu) / mu }
        guard let covariance = SmallMatrix.inverse(info) else {
            throw AtomProbeError(.invalidInput, "the \(shape.rawValue) background cannot be fitted in these windows (the model is not determined)", remedy: .simplerBackground)
        }
        return MassSpectrumBackground(shape: shape, coefficients: theta, covariance: covariance, windows: windows,
                                      blocksUsed: kept.count, blocksRejected: blocks.count - kept.count,
                                      countsUsed: Int(kept.reduce(0.0) { $0 + blocks[$1].count }),
                                      reducedChiSquare: chi2 / Double(max(1, kept.count - p)), ionsInSpectrum: ionsInSpectrum)
    }

    /// Poisson maximum likelihood of a linear model by Fisher scoring; returns theta and the
    /// Fisher information. With no counts at all, theta = 0 and the information of one count.
    static func poissonFit(_ blocks: [(x: [Double], count: Double, centre: Double)], p: Int) -> ([Double], [[Double]]) {
        let total = blocks.reduce(0) { $0 + $1.count }
        let width = blocks.reduce(0) { $0 + $1.x[0] }
        // Start: the flat level of the counts, in whichever term the model has first.
        var theta = [Double](repeating: 0, count: p)
        theta[0] = max(total, 1) / max(width, 1e-12)
        func information(_ t: [Double]) -> [[Double]] {
            var m = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
            for b in blocks {
                let mu = max(dot(t, b.x), 1e-300)
                for i in 0..<p { for j in 0..<p { m[i][j] += b.x[i] * b.x[j] / mu } }
            }
            return m
        }
        guard total > 0 else { return (theta.map { _ in 0 }, information(theta)) }
        for _ in 0..<100 {
            var grad = [Double](repeating: 0, count: p)
            for b in blocks {
                let mu = max(dot(theta, b.x), 1e-300)
                for i in 0..<p { grad[i] += (b.count / mu - 1) * b.x[i] }
            }
            guard let step = SmallMatrix.solve(information(theta), grad) else { break }
            var scale = 1.0, next = theta
            while scale > 1e-6 {
                next = zip(theta, step).map { $0 + scale * $1 }
                if blocks.allSatisfy({ dot(next, $0.x) > 0 }) { break }
                scale /= 2
            }
            let change = zip(next, theta).map { abs($0 - $1) }.max() ?? 0
            theta = next
            if change <= 1e-10 * (theta.map(abs).max() ?? 1) { break }
        }
        return (theta, information(theta))
    }
}

func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
