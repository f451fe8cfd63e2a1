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
        defaultEnd(maxMass: mass.lazy.filter(\.isFinite).max() ?? 0, binWidth: binWidth, rangesEnd: rangesEnd)
    }

    /// The default upper limit from the largest finite m/n (0 when there is none).
    public static func defaultEnd(maxMass: Float, binWidth: Double, rangesEnd: Double? = nil) -> Double {
        min(Double(maxMass.isFinite ? maxMass : 0) + binWidth, max(defaultMaximum, rangesEnd ?? 0))
    }

    /// A spectrum from counts made elsewhere (a streamed pass binning as `init(_:...)` does).
    public init(start: Double, binWidth: Double, counts: [Int], below: Int, above: Int) {
        self.start = start
        self.binWidth = binWidth
        self.counts = counts
        self.below = below
        self.above = above
    }

    /// The number of bins and a check of every size, as `init(_:...)` makes them.
    public static func binCount(binWidth: Double, start: Double, end stop: Double, memory: MemoryBudget = .standard) throws -> Int {
        guard binWidth > 0, binWidth.isFinite else { throw AtomProbeError.invalid("bin width must be a positive number, got \(binWidth)") }
        guard start.isFinite else { throw AtomProbeError.invalid("spectrum start must be a finite number, got \(start)") }
        guard stop.isFinite else { throw AtomProbeError.invalid("spectrum end must be a finite number, got \(stop)") }
        guard stop > start else { throw AtomProbeError.invalid("spectrum end \(stop) Da must exceed its start \(start) Da") }
        let bins = ((stop - start) / binWidth).rounded(.up)
        guard bins.isFinite, bins <= 100_000_000 else {
            throw AtomProbeError.invalid(String(format: "%.3g bins of %g Da from %g to %g Da is too many (at most 1e8); use a larger bin width or a narrower window", bins, binWidth, start, stop))
        }
        let cores = Double(max(1, ProcessInfo.processInfo.activeProcessorCount))
        try memory.require(bins * 8 * (4 * cores + 2) + bins * 48, for: String(format: "a spectrum of %.3g bins", bins))
        return Int(bins)
    }

    /// The bin of a mass-to-charge value in a spectrum of `bins` bins: 0..<bins, `bins` below
    /// the window, `bins + 1` above it, nil for non-finite values.
    @inline(__always) public static func bin(_ m: Float, start: Double, binWidth: Double, end stop: Double, bins nBins: Int) -> Int? {
        let v = Double(m)
        guard v.isFinite else { return nil }
        if v < start { return nBins }
        if v >= stop { return nBins + 1 }
        let b = Int((v - start) / binWidth)
        return b < nBins ? b : nBins + 1
    }

    /// Bins all finite masses in [start, end) (default end: `defaultEnd`). Every size is checked
    /// before it is converted or allocated: absurd limits or bin widths give an error.
    public init(_ mass: [Float], binWidth: Double = 0.01, start: Double = 0, end: Double? = nil,
                memory: MemoryBudget = .standard) throws {
        let stop = end ?? Self.defaultEnd(mass, binWidth: binWidth)
        let nBins = try Self.binCount(binWidth: binWidth, start: start, end: stop, memory: memory)
        let counts: [Int] = mass.withUnsafeBufferPointer { m in
            Parallel.sum(m.count, length: nBins + 2) { r, c in
                for i in r {
                    if let b = Self.bin(m[i], start: start, binWidth: binWidth, end: stop, bins: nBins) { c[b] += 1 }
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
