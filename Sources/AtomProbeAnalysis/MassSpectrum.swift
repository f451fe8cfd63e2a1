import Foundation
import AtomProbe
import KitFoundation
import ParallelLoops

/// A histogram of mass-to-charge values.
public struct MassSpectrum: Sendable {
    /// Lower edge of the first bin (Da).
    public let start: Double
    public let binWidth: Double
    public let counts: [Int]

    public var binCenters: [Double] { counts.indices.map { start + (Double($0) + 0.5) * binWidth } }

    /// Finite masses outside [start, end): below the window and above it.
    public let below: Int
    public let above: Int

    /// The default upper limit: just above the largest finite m/n, but at most
    /// `defaultMaximum` Da or, beyond that, the highest range end given (`rangesEnd`).
    public static let defaultMaximum = 1000.0

    public static func defaultEnd(_ mass: [Float], binWidth: Double, rangesEnd: Double? = nil) -> Double {
        let maxMass = Double(mass.lazy.filter(\.isFinite).max() ?? 0)
        return min(maxMass + binWidth, max(defaultMaximum, rangesEnd ?? 0))
    }

    /// Bins all finite masses in [start, end) (default end: `defaultEnd`). Every size is checked
    /// before it is converted or allocated: absurd limits or bin widths give an error.
    public init(_ mass: [Float], binWidth: Double = 0.01, start: Double = 0, end: Double? = nil,
                memory: MemoryBudget = .standard) throws {
        guard binWidth > 0, binWidth.isFinite else { throw AtomProbeError.invalid("bin width must be a positive number, got \(binWidth)") }
        guard start.isFinite else { throw AtomProbeError.invalid("spectrum start must be a finite number, got \(start)") }
        let stop = end ?? Self.defaultEnd(mass, binWidth: binWidth)
        guard stop.isFinite else { throw AtomProbeError.invalid("spectrum end must be a finite number, got \(stop)") }
        guard stop > start else { throw AtomProbeError.invalid("spectrum end \(stop) Da must exceed its start \(start) Da") }
        let bins = ((stop - start) / binWidth).rounded(.up)
        guard bins.isFinite, bins <= 100_000_000 else {
            throw AtomProbeError.invalid(String(format: "%.3g bins of %g Da from %g to %g Da is too many (at most 1e8); use a larger bin width or a narrower window", bins, binWidth, start, stop))
        }
        let cores = Double(max(1, ProcessInfo.processInfo.activeProcessorCount))
        try memory.require(bins * 8 * (4 * cores + 2) + bins * 48, for: String(format: "a spectrum of %.3g bins", bins))
        let nBins = Int(bins)
        let counts: [Int] = mass.withUnsafeBufferPointer { m in
            Parallel.sum(m.count, length: nBins + 2) { r, c in
                for i in r {
                    let v = Double(m[i])
                    guard v.isFinite else { continue }
                    if v < start { c[nBins] += 1; continue }
                    if v >= stop { c[nBins + 1] += 1; continue }
                    let b = Int((v - start) / binWidth)  // < bins: no overflow
                    if b < nBins { c[b] += 1 } else { c[nBins + 1] += 1 }
                }
            }
        }
        self.start = start
        self.binWidth = binWidth
        self.counts = Array(counts[0..<nBins])
        below = counts[nBins]
        above = counts[nBins + 1]
    }
}
