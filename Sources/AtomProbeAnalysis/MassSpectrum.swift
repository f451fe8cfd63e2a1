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

    /// Bins all finite masses in [start, end) (defaults: 0 and just above the maximum).
    public init(_ mass: [Float], binWidth: Double = 0.01, start: Double = 0, end: Double? = nil) throws {
        guard binWidth > 0, binWidth.isFinite else { throw AtomProbeError.invalid("bin width must be a positive number, got \(binWidth)") }
        let maxMass = Double(mass.lazy.filter(\.isFinite).max() ?? 0)
        let stop = end ?? (maxMass + binWidth)
        guard stop > start else { throw AtomProbeError.invalid("spectrum end \(stop) Da must exceed its start \(start) Da") }
        let nBins = Int(((stop - start) / binWidth).rounded(.up))
        guard nBins <= 100_000_000 else { throw AtomProbeError.invalid("\(nBins) bins is too many; use a larger bin width") }
        let counts: [Int] = mass.withUnsafeBufferPointer { m in
            Parallel.sum(m.count, length: nBins) { r, c in
                for i in r {
                    let v = Double(m[i])
                    guard v.isFinite, v >= start else { continue }
                    let b = Int((v - start) / binWidth)
                    if b < nBins { c[b] += 1 }
                }
            }
        }
        self.start = start
        self.binWidth = binWidth
        self.counts = counts
    }
}
