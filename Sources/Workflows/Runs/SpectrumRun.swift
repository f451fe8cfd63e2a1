import Foundation
import KitFoundation
import AtomProbe
import AtomProbeIO
import AtomProbeAnalysis

/// A mass spectrum (`atomprobe spectrum`): a histogram of m/n in one streamed pass (two when the
/// upper limit or a background fit needs the data first), written as PREFIX.csv and PREFIX.svg
/// (log counts, the ranges shaded and labelled, a fitted background drawn over its windows).
public struct SpectrumRun: Sendable {
    public var input: ReconstructionInput
    /// A range file to shade and label (and to fit the background between).
    public var ranges: String?
    public var binWidth = 0.01
    public var start = 0.0
    /// Upper m/n limit (Da); nil: just above the largest value, at most 1000 Da (or the highest range).
    public var end: Double?
    public var corrections = CorrectionRequest()
    public var memory = MemoryBudget.standard
    /// Files PREFIX.csv and PREFIX.svg.
    public var prefix: String

    /// The widest bin (Da): wider bins merge every peak of a spectrum.
    public static let maxBinWidth = 100.0

    public init(input: ReconstructionInput, prefix: String) {
        self.input = input
        self.prefix = prefix
    }

    /// Checks every parameter (naming it) before any file is read.
    public func validated() throws -> SpectrumRun {
        try Validation.require([
            (binWidth > 0 && binWidth <= Self.maxBinWidth, "bin_width", "must be in (0, \(Self.maxBinWidth)] Da, got \(binWidth)"),
            (start.isFinite && start >= 0, "min", "must be a finite number of Da >= 0, got \(start)"),
            (end.map { $0.isFinite && $0 > start } ?? true, "max", "must be a finite number of Da above min, got \(end ?? .nan)"),
            (!corrections.deadTime, "dead_time_correction", "corrects compositions, profiles and tables, not a spectrum"),
            (corrections.isEmpty || ranges != nil, "ranges", "is needed for a background fit or a deconvolution (the fit leaves the ranges out)"),
        ])
        try Folders.requireFilePrefix(prefix, parameter: "output")
        return self
    }

    /// Bins the spectrum, writes the files and returns the lines a user reads.
    public func run(_ opener: IonSourceOpener) throws -> [String] {
        let reporter = opener.reporter
        let table = try ranges.map { try RangeFileIO.read($0) }
        let stream = try opener.stream(input)
        let ranging = try table ?? RangeTable(ions: [], ranges: [])
        // First pass (when needed): the largest m/n and the spectrum the background is fitted to.
        var fixes = QuantificationCorrections()
        var maxMass: Float?
        if end == nil || corrections.background != nil {
            let fitBins = try corrections.background != nil ? StreamedCounts.Binning(end: QuantificationCorrections.spectrumEnd(table: ranging, windows: corrections.windows)) : nil
            let (first, _) = try reporter.timed("scanning \(stream.count) ions") {
                try StreamedCounts.count(stream, table: ranging, nonFinite: input.nonFinite, spectrum: fitBins, memory: memory)
            }
            maxMass = first.maxMass
            if let s = first.spectrum, let shape = corrections.background {
                fixes.background = try MassSpectrumBackground.fit(s, table: ranging, shape: shape, windows: corrections.windows, ionsInSpectrum: first.ions)
            }
        }
        if corrections.deconvolve, let table { fixes.overlaps = IsotopicOverlaps(table) }
        let top = end ?? MassSpectrum.defaultEnd(maxMass: maxMass ?? 0, binWidth: binWidth, rangesEnd: table?.ranges.map(\.high).max())
        let (counted, dropped) = try reporter.timed("binning \(stream.count) ions") {
            try StreamedCounts.count(stream, table: ranging, nonFinite: input.nonFinite,
                                     spectrum: StreamedCounts.Binning(start: start, binWidth: binWidth, end: top), memory: memory)
        }
        opener.noteDropped(dropped, input)
        guard let spec = counted.spectrum else { throw AtomProbeError.invalid("no spectrum was binned") }
        if spec.below + spec.above > 0 {
            reporter.note(String(format: "left out %d ion(s) below %g Da and %d above %g Da (min, max)", spec.below, start, spec.above, top))
        }
        var lines: [String] = []
        if let o = fixes.overlaps {
            lines.append(o.overlaps.isEmpty ? "isotopic overlaps: none found" : o.descriptions.map { "isotopic overlap: " + $0 }.joined(separator: "\n"))
        }
        if let b = fixes.background {
            lines.append(String(format: "background (%@): %@ counts/Da; fitted on %d blocks (%d rejected), chi2/dof %.2f", b.shape.rawValue,
                                b.coefficients.map { String(format: "%.4g", $0) }.joined(separator: ", "), b.blocksUsed, b.blocksRejected, b.reducedChiSquare))
        }
        var csv = "mass_to_charge_da,counts\n"
        csv.reserveCapacity(spec.counts.count * 16)
        for (c, n) in zip(spec.binCenters, spec.counts) { csv += "\(c),\(n)\n" }
        let inputs = [input.path] + (ranges.map { [$0] } ?? [])
        for ext in [".csv", ".svg"] { try Folders.refuseOverwrite(prefix + ext, inputs: inputs) }
        let svg = SpectrumFigure.svg(spec, table: table, title: URL(fileURLWithPath: input.path).lastPathComponent, background: fixes.background)
        try AtomicFile.writeTogether([(csv, prefix + ".csv"), (svg, prefix + ".svg")])
        lines.append("wrote \(prefix).csv (\(spec.counts.count) bins of \(binWidth) Da) and \(prefix).svg")
        return lines
    }
}
