import KitFoundation
import AtomProbe
import AtomProbeIO
import AtomProbeAnalysis

/// The composition of a reconstruction (`atomprobe composition`), of all of it or of a region:
/// POS, EPOS and APT streamed in one pass (two with a background fit), NXapm read whole.
public struct CompositionRun: Sendable {
    public var input: ReconstructionInput
    public var ranges: RangeInput
    public var mode = Composition.Mode.atomic
    /// Elements (atomic) or ions (ionic) left out of the total.
    public var excluding: Set<String> = []
    public var region: Region?
    public var corrections = CorrectionRequest()
    public var errors = Composition.CountingErrors.binomial
    public var memory = MemoryBudget.standard
    /// With automatic ranges: a folder to record them in (ranges.rrng, ranges.json, spectrum.svg).
    public var rangesRecord: String?

    public init(input: ReconstructionInput, ranges: RangeInput) {
        self.input = input
        self.ranges = ranges
    }

    /// The composition (of `ions` when given, held in memory, else of the input file); throws
    /// when the region holds no ion.
    public func run(_ opener: IonSourceOpener, ions: Reconstruction? = nil) throws -> Composition {
        let record = try rangesRecord.map { try RunFolder($0, kind: "composition-ranges", inputs: [input.path]) }
        let table = try opener.ranges(ranges, of: input, recordInto: record?.staging)
        try record?.commit()
        let c: Composition
        let inside = region.map { r in { @Sendable (x: Float, y: Float, z: Float) in r.contains(x, y, z) } }
        if ions != nil || input.isNeXus {
            // Ions in memory follow the same non-finite policy as a file's rows.
            let recon = try ions.map { try ReconstructionIO.applyPolicy($0, input.nonFinite, path: input.path, recordSize: nil).recon } ?? opener.load(input)
            let fixes = try corrections.prepare(recon, table: table, memory: memory, reporter: opener.reporter, region: inside, path: input.path)
            c = try CompositionAnalysis.composition(recon, table: table, region: region, mode: mode, excluding: excluding, corrections: fixes, errors: errors)
        } else {
            let stream = try opener.stream(input)
            let deadTime = try corrections.deadTime ? corrections.deadTimeLosses(try CorrectionRequest.detector(input.path), table: table, region: inside,
                                                                                 path: input.path, reporter: opener.reporter) : nil
            let (streamed, dropped) = try opener.reporter.timed("ranging and counting \(stream.count) ions (streamed)") {
                try StreamedCounts.composition(stream, table: table, region: region, mode: mode, excluding: excluding,
                                               background: corrections.background, windows: corrections.windows, deconvolve: corrections.deconvolve,
                                               deadTime: deadTime, errors: errors, nonFinite: input.nonFinite, memory: memory)
            }
            opener.noteDropped(dropped, input)
            c = streamed
        }
        guard c.rangedIons + c.unrangedIons > 0 else {
            throw AtomProbeError.invalid("no ions in the region\(region.map { " (\($0))" } ?? "")")
        }
        return c
    }
}
