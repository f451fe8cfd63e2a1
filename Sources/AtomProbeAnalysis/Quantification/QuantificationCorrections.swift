import Foundation
import AtomProbe
import KitFoundation

/// The corrections a composition may take: a fitted mass-spectrum background and the
/// deconvolution of isotopic overlaps, and the ions lost to the detector's dead zone added back
/// (`DeadTimeLosses`, applied last). None by default (counts as ranged).
public struct QuantificationCorrections: Sendable {
    public var background: MassSpectrumBackground?
    public var overlaps: IsotopicOverlaps?
    public var deadTime: DeadTimeLosses?

    public init(background: MassSpectrumBackground? = nil, overlaps: IsotopicOverlaps? = nil) {
        self.background = background
        self.overlaps = overlaps
    }

    public var isEmpty: Bool { background == nil && overlaps == nil && deadTime == nil }

    /// The corrections in words, without the numbers of any one region.
    public var descriptions: [String] {
        var words: [String] = []
        if let b = background {
            words.append(String(format: "background (%@) fitted: %@ counts/Da on %d blocks (%d rejected), chi2/dof %.2f; each region's share subtracted",
                                b.shape.rawValue, b.coefficients.map { String(format: "%.4g", $0) }.joined(separator: ", "), b.blocksUsed, b.blocksRejected, b.reducedChiSquare))
        }
        if let o = overlaps {
            words += o.overlaps.isEmpty ? ["isotopic overlaps: none found"] : o.descriptions.map { "isotopic overlap: " + $0 }
        }
        return words + (deadTime?.words ?? [])
    }

    /// The end of the spectrum a background is fitted to: 10 Da past the last range or window.
    public static func spectrumEnd(table: RangeTable, windows: [ClosedRange<Double>]?) throws -> Double {
        guard let top = table.ranges.map(\.high).max() else { throw AtomProbeError.invalid("a background fit needs ranges") }
        return max(top, windows?.map(\.upperBound).max() ?? 0) + 10
    }

    /// Fits the background of `mass` (a spectrum of 0.01 Da bins up to 10 Da past the last
    /// range) when `background` is given, and finds the overlaps of `table` when `deconvolve`.
    public static func prepare(mass: [Float], table: RangeTable, background: MassSpectrumBackground.Shape?,
                               windows: [ClosedRange<Double>]? = nil, deconvolve: Bool,
                               memory: MemoryBudget = .standard) throws -> QuantificationCorrections {
        var fitted: MassSpectrumBackground?
        if let shape = background {
            let end = try spectrumEnd(table: table, windows: windows)
            let spectrum = try MassSpectrum(mass, binWidth: 0.01, start: 0, end: end, memory: memory)
            fitted = try MassSpectrumBackground.fit(spectrum, table: table, shape: shape, windows: windows, ionsInSpectrum: mass.count)
        }
        return QuantificationCorrections(background: fitted, overlaps: deconvolve ? IsotopicOverlaps(table) : nil)
    }

    /// Ion-type counts of a region from its ions per range (`rangeCounts`, order of
    /// `table.ranges`) and all its ions (`regionIons`, ranged or not: the background of a region
    /// is the spectrum's scaled by its share of the ions).
    public func counts(rangeCounts: [Int], regionIons: Int, table: RangeTable) -> IonCountModel {
        let model = spectrumCounts(rangeCounts: rangeCounts, regionIons: regionIons, table: table)
        return deadTime.map { $0.apply(to: model) } ?? model
    }

    /// The counts with the background and overlap corrections.
    func spectrumCounts(rangeCounts: [Int], regionIons: Int, table: RangeTable) -> IonCountModel {
        let nTypes = table.ions.count
        var observed = [Int](repeating: 0, count: nTypes)
        for (r, range) in table.ranges.enumerated() { observed[range.ionIndex] += rangeCounts[r] }
        guard background != nil || overlaps != nil else { return IonCountModel(counts: observed) }
        // Rows sorted by range: sums in a fixed order (a dictionary's order is not).
        let map = (overlaps?.countMap() ?? IsotopicOverlaps.assignmentMap(table)).map { $0.sorted { $0.key < $1.key } }
        // Background per range (this region) and its gradient in theta.
        let scale = background.map { Double(regionIons) / Double(max(1, $0.ionsInSpectrum)) } ?? 0
        let expected = table.ranges.map { r in background.map { $0.expected(r.low, r.high) } }
        let net = rangeCounts.indices.map { Double(rangeCounts[$0]) - scale * (expected[$0]?.count ?? 0) }
        let estimate = map.map { row in row.reduce(0.0) { $0 + $1.value * net[$1.key] } }  // in range order
        let p = background?.coefficients.count ?? 0
        let jacobian: [[Double]] = p == 0 ? [] : map.map { row in
            (0..<p).map { a in row.reduce(0.0) { $0 - $1.value * scale * (expected[$1.key]?.gradient[a] ?? 0) } }
        }
        var words: [String] = []
        if let b = background {
            let total = expected.reduce(0.0) { $0 + scale * ($1?.count ?? 0) }
            words.append(String(format: "background (%@) subtracted: %.1f ions in the ranges; fitted on %d blocks (%d rejected), chi2/dof %.2f",
                                b.shape.rawValue, total, b.blocksUsed, b.blocksRejected, b.reducedChiSquare))
        }
        if let o = overlaps {
            words += o.overlaps.isEmpty ? ["isotopic overlaps: none found"] : o.descriptions.map { "isotopic overlap: " + $0 }
        }
        return IonCountModel(observed: observed, estimate: estimate, corrections: words, sourceCounts: rangeCounts.map(Double.init),
                             map: map.map { $0.map { (source: $0.key, weight: $0.value) } },
                             parameterJacobian: jacobian, parameterCovariance: background?.covariance ?? [])
    }
}
