import Foundation
import KitFoundation
import AtomProbe
import AtomProbeIO
import AtomProbeAnalysis

/// Ranging from the spectrum alone (`atomprobe autorange`, issue 24): the spectrum binned in one
/// streamed pass (its cost is set by the histogram, not the number of ions), then
/// `AutomaticRanges`; written as `AutorangeFiles` into a folder published whole.
public struct AutorangeRun: Sendable {
    public var input: ReconstructionInput
    public var settings: AutomaticRanges.Settings
    /// Histogram bin (Da): fine enough for the narrowest peak's shape.
    public var binWidth = 0.002
    public var memory = MemoryBudget.standard
    public var output: String

    /// The spectrum's upper limit (Da): ions above it are counted and left out.
    public static let maxMass = MassSpectrum.defaultMaximum

    public init(input: ReconstructionInput, settings: AutomaticRanges.Settings, output: String) {
        self.input = input
        self.settings = settings
        self.output = output
    }

    /// Checks every parameter (naming it) before any file is read.
    public func validated() throws -> AutorangeRun {
        try Validation.require([(binWidth.isFinite && binWidth >= 1e-4 && binWidth <= 0.1, "bin_width", "must be 0.0001-0.1 Da, got \(binWidth)")])
        var r = self
        r.settings = try settings.checked()
        return r
    }

    /// The automatic ranges of `input` and the spectrum they were made from.
    public static func ranges(_ input: ReconstructionInput, settings: AutomaticRanges.Settings, binWidth: Double = 0.002,
                              memory: MemoryBudget = .standard, opener: IonSourceOpener) throws -> (AutomaticRanges, MassSpectrum) {
        let reporter = opener.reporter
        let spectrum: MassSpectrum, ions: Int
        if input.isNeXus {
            let recon = try opener.load(input)
            spectrum = try MassSpectrum(recon.mass, binWidth: binWidth, end: maxMass, memory: memory)
            ions = recon.count
        } else {
            let stream = try opener.stream(input)
            let (c, dropped) = try reporter.timed("binning \(stream.count) ions") {
                try StreamedCounts.count(stream, table: RangeTable(ions: [], ranges: []), nonFinite: input.nonFinite,
                                         spectrum: StreamedCounts.Binning(binWidth: binWidth, end: maxMass), memory: memory)
            }
            opener.noteDropped(dropped, input)
            spectrum = c.spectrum!
            ions = c.ions
        }
        if spectrum.above > 0 { reporter.note("\(input.path): \(spectrum.above) ion(s) above \(maxMass) Da left out of the ranging") }
        do {
            let r = try reporter.timed("finding and identifying peaks") { try AutomaticRanges(spectrum, ionsInSpectrum: ions, settings: settings) }
            return (r, spectrum)
        } catch let e as AtomProbeError where e.file == nil {
            // Every refusal of the data names the file.
            var named = AtomProbeError(e.kind, e.message, file: input.path)
            named.parameter = e.parameter
            throw named
        }
    }

    /// Ranges the file, writes the folder; the result and the lines a user reads.
    public func run(_ opener: IonSourceOpener) throws -> (ranges: AutomaticRanges, lines: [String]) {
        let r = try validated()
        let folder = try RunFolder(output, kind: "autorange", inputs: [input.path])
        let (ranges, spectrum) = try Self.ranges(input, settings: r.settings, binWidth: binWidth, memory: memory, opener: opener)
        try AutorangeFiles.write(ranges, spectrum: spectrum, title: URL(fileURLWithPath: input.path).lastPathComponent, dir: folder.staging)
        try folder.commit()
        return (ranges, AutorangeFiles.text(ranges) + ["wrote \(output)/\(AutorangeFiles.names)"])
    }
}
