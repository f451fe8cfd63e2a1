import ArgumentParser
import Foundation
import AtomProbe
import AtomProbeIO
import AtomProbeAnalysis
import Workflows
import Plotting
import KitFoundation

struct Spectrum: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Mass spectrum: histogram CSV and an SVG plot (log counts, ranges shaded and labelled).")

    @OptionGroup var input: ReconstructionOptions

    @Option(help: "Range file to shade and label on the plot (optional).")
    var ranges: String?

    @Option(name: .customLong("bin-width"), help: "Bin width in Da.")
    var binWidth: Double = 0.01

    @Option(help: "Lower m/n limit (Da).")
    var min: Double = 0
    @Option(help: "Upper m/n limit (Da); default: just above the largest value, at most 1000 Da (or the highest range).")
    var max: Double?

    @OptionGroup var memory: MemoryOptions
    @OptionGroup var corrections: CorrectionOptions

    @Option(name: .shortAndLong, help: "Output prefix: writes PREFIX.csv and PREFIX.svg.")
    var output: String

    func validate() throws {
        guard binWidth > 0, binWidth.isFinite else { throw ValidationError("--bin-width must be a positive number of Da, got \(binWidth)") }
        guard min.isFinite else { throw ValidationError("--min must be a finite number of Da, got \(min)") }
        if let max { guard max.isFinite, max > min else { throw ValidationError("--max must be a finite number above --min, got \(max)") } }
        if corrections.background == .fit || corrections.deconvolve, ranges == nil {
            throw ValidationError("--background fit and --deconvolve need --ranges (the fit leaves the ranges out)")
        }
    }

    func run() throws {
        let table = try ranges.map { try RangeFileIO.read($0) }
        let stream = try Progress.opener.stream(input.request)
        let ranging = try table ?? RangeTable(ions: [], ranges: [])
        // First pass (when needed): the largest m/n and the spectrum the background is fitted to.
        var fixes = QuantificationCorrections()
        var maxMass: Float?
        if max == nil || corrections.background == .fit {
            let fitBins = try corrections.background == .fit ? StreamedCounts.Binning(end: QuantificationCorrections.spectrumEnd(table: ranging, windows: corrections.windows())) : nil
            let (first, _) = try Progress.timed("scanning \(stream.count) ions") {
                try StreamedCounts.count(stream, table: ranging, nonFinite: input.nonFinite, spectrum: fitBins, memory: memory.budget)
            }
            maxMass = first.maxMass
            if let s = first.spectrum {
                fixes.background = try MassSpectrumBackground.fit(s, table: ranging, shape: corrections.backgroundModel,
                                                                  windows: try corrections.windows(), ionsInSpectrum: first.ions)
            }
        }
        if corrections.deconvolve, let table { fixes.overlaps = IsotopicOverlaps(table) }
        let end = max ?? MassSpectrum.defaultEnd(maxMass: maxMass ?? 0, binWidth: binWidth, rangesEnd: table?.ranges.map(\.high).max())
        let (counted, dropped) = try Progress.timed("binning \(stream.count) ions") {
            try StreamedCounts.count(stream, table: ranging, nonFinite: input.nonFinite,
                                     spectrum: StreamedCounts.Binning(start: min, binWidth: binWidth, end: end), memory: memory.budget)
        }
        Progress.opener.noteDropped(dropped, input.request)
        let spec = counted.spectrum!
        if spec.below + spec.above > 0 {
            Progress.note(String(format: "left out %d ion(s) below %g Da and %d above %g Da (--min, --max)", spec.below, min, spec.above, end))
        }
        if let o = fixes.overlaps {
            print(o.overlaps.isEmpty ? "isotopic overlaps: none found" : o.descriptions.map { "isotopic overlap: " + $0 }.joined(separator: "\n"))
        }
        if let b = fixes.background {
            print(String(format: "background (%@): %@ counts/Da; fitted on %d blocks (%d rejected), chi2/dof %.2f", b.shape.rawValue,
                         b.coefficients.map { String(format: "%.4g", $0) }.joined(separator: ", "), b.blocksUsed, b.blocksRejected, b.reducedChiSquare))
        }
        var csv = "mass_to_charge_da,counts\n"
        csv.reserveCapacity(spec.counts.count * 16)
        for (c, n) in zip(spec.binCenters, spec.counts) { csv += "\(c),\(n)\n" }
        let inputs = [input.reconstruction] + (ranges.map { [$0] } ?? [])
        try Folders.refuseOverwrite(output + ".csv", inputs: inputs)
        try Folders.refuseOverwrite(output + ".svg", inputs: inputs)
        try AtomicFile.write(csv, to: output + ".csv")
        try AtomicFile.write(SpectrumFigure.svg(spec, table: table, title: URL(fileURLWithPath: input.reconstruction).lastPathComponent, background: fixes.background), to: output + ".svg")
        print("wrote \(output).csv (\(spec.counts.count) bins of \(binWidth) Da) and \(output).svg")
    }
}
