import Foundation
import KitFoundation
import ParallelLoops
import AtomProbe
import AtomProbeIO
import AtomProbeAnalysis

/// The quantification corrections a run asks for (docs/quantification.md): a mass-spectrum
/// background fitted in peak-free windows, the deconvolution of isotopic overlaps, and the ions
/// lost to the detector's dead zone (`DeadTimeLosses`: EPOS or APT input with detector columns).
public struct CorrectionRequest: Sendable {
    /// The background's shape, or nil for no background subtraction.
    public var background: MassSpectrumBackground.Shape?
    /// Peak-free windows for the fit (Da); nil: everything between the ranges, 5 Da either side.
    public var windows: [ClosedRange<Double>]?
    public var deconvolve: Bool
    /// Add back the dead-zone losses (options of their estimate in `deadZone`).
    public var deadTime = false
    public var deadZone = DeadZoneEstimate.Options()

    public init(background: MassSpectrumBackground.Shape? = nil, windows: [ClosedRange<Double>]? = nil, deconvolve: Bool = false) throws {
        self.background = background
        self.windows = windows
        self.deconvolve = deconvolve
        if let windows {
            guard !windows.isEmpty else { throw AtomProbeError.invalid("background_windows", "is empty") }
            for w in windows where !(w.lowerBound.isFinite && w.upperBound.isFinite && w.lowerBound >= 0 && w.upperBound > w.lowerBound && w.upperBound <= 10_000) {
                throw AtomProbeError.invalid("a background window needs 0 <= low < high <= 10000 Da, got \(w.lowerBound):\(w.upperBound)")
            }
            guard background != nil else { throw AtomProbeError.invalid("background_windows", "needs {background} fit") }
        }
    }

    /// Windows written LOW:HIGH,LOW:HIGH (Da), e.g. "10:12.5,40:44"; refused by name
    /// (`background_windows`) when one is not a pair of numbers.
    public static func windows(_ text: String) throws -> [ClosedRange<Double>] {
        try text.split(separator: ",").map { part in
            let ends = part.split(separator: ":").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard ends.count == 2, let lo = ends[0], let hi = ends[1], lo.isFinite, hi.isFinite, lo >= 0, hi > lo, hi <= 10_000 else {
                throw AtomProbeError.invalid("background_windows", "needs LOW:HIGH pairs in Da with 0 <= LOW < HIGH <= 10000, got \"\(part)\"")
            }
            return lo...hi
        }
    }

    /// No corrections.
    public init() { background = nil; windows = nil; deconvolve = false }

    public var isEmpty: Bool { background == nil && !deconvolve && !deadTime }

    /// The dead-zone loss rates for ions of `source` (nil without `deadTime`): the dataset's, or
    /// with `region` (a test of reconstructed x, y, z) the region's when its own pairs suffice.
    public func deadTimeLosses(_ source: any DetectorSource, table: RangeTable, region: (@Sendable (Float, Float, Float) -> Bool)? = nil,
                               path: String?, reporter: RunReporter) throws -> DeadTimeLosses? {
        guard deadTime else { return nil }
        if let r = source as? Reconstruction, !(r.detail?.available.isSuperset(of: [.detectorX, .detectorY, .ionsPerPulse]) ?? false) {
            throw AtomProbeError.invalid("dead_time_correction", "needs the detector columns (hit positions, ions per pulse) of an EPOS or APT file; \(path ?? "these ions") has none")
        }
        let d = try deadZone.checked(distanceBin: MultiHitEvents.Options().distanceBin, maxDistance: MultiHitEvents.Options().maxDistance)
        return try reporter.timed("measuring the dead-zone losses (same-pulse pairs)") {
            let all = try MultiHitEvents.measure(source, table: table, path: path)
            let local = try region.map { try MultiHitEvents.measure(source, table: table, path: path, region: $0) }
            let losses = try DeadTimeLosses.choose(dataset: all, region: local, options: d)
            for w in losses.warnings { reporter.note("warning: " + w) }
            return losses
        }
    }

    /// The detector columns of a POS, EPOS or APT file (a POS refused in one line).
    static func detector(_ path: String) throws -> DetectorStream {
        do { return try DetectorStream(path: path) } catch let e as AtomProbeError where e.kind == .invalidInput {
            throw AtomProbeError.invalid("dead_time_correction", "needs the detector columns (hit positions, ions per pulse) of an EPOS or APT file; \(path) has none")
        }
    }

    /// The corrections for a streamed file (one pass bins the spectrum the background is fitted to).
    /// In a distributed run the spectrum is summed over the processes: all fit the same background.
    public func prepare(_ stream: IonStream, table: RangeTable, memory: MemoryBudget, group: any ProcessGroup = LocalProcess(),
                        reporter: RunReporter = .silent, region: (@Sendable (Float, Float, Float) -> Bool)? = nil) throws -> QuantificationCorrections {
        guard !isEmpty else { return QuantificationCorrections() }
        var fixes = QuantificationCorrections(overlaps: deconvolve ? IsotopicOverlaps(table) : nil)
        if deadTime { fixes.deadTime = try deadTimeLosses(try Self.detector(stream.path), table: table, region: region, path: stream.path, reporter: reporter) }
        if let background {
            let bins = StreamedCounts.Binning(end: try QuantificationCorrections.spectrumEnd(table: table, windows: windows))
            let (c, _) = try reporter.timed("binning the spectrum for the background") {
                try StreamedCounts.count(stream, table: table, nonFinite: stream.nonFinite, spectrum: bins, memory: memory, group: group)
            }
            fixes.background = try MassSpectrumBackground.fit(c.spectrum!, table: table, shape: background, windows: windows, ionsInSpectrum: c.ions)
        }
        return fixes
    }

    /// The corrections for a dataset (fits the background over all of its ions).
    public func prepare(_ recon: Reconstruction, table: RangeTable, memory: MemoryBudget, reporter: RunReporter = .silent,
                        region: (@Sendable (Float, Float, Float) -> Bool)? = nil, path: String? = nil) throws -> QuantificationCorrections {
        guard !isEmpty else { return QuantificationCorrections() }
        var fixes = try reporter.timed(background != nil ? "fitting the mass-spectrum background" : "finding isotopic overlaps") {
            try QuantificationCorrections.prepare(mass: recon.mass, table: table, background: background,
                                                  windows: windows, deconvolve: deconvolve, memory: memory)
        }
        fixes.deadTime = try deadTimeLosses(recon, table: table, region: region, path: path, reporter: reporter)
        return fixes
    }
}
