import KitFoundation
import ParallelLoops
import AtomProbe
import AtomProbeAnalysis

/// Steps 1-3 of the iso-surface chain as one request (what `isosurface`, `proxigram`, `table`
/// and `analyze` share): range the ions, deposit the field, find the surface and its objects,
/// resolve the distances. The file is streamed (its ions read in chunks, pass by pass; memory is
/// the grid, the surface and the counts); with a process `group` of several, each process folds
/// its part of the file.
public struct SurfaceRun: Sendable {
    public var input: ReconstructionInput
    public var ranges: RangeInput
    public var species: String
    /// at.%: the surface encloses concentrations >= it.
    public var threshold: Double
    public var options: IsoSurfaceAnalysis.Options
    /// Applied to the proxigrams and tables made from the analysis.
    public var corrections: CorrectionRequest
    public var errors: Composition.CountingErrors
    public var memory: MemoryBudget
    /// The folder of an earlier `isosurface` or `analyze` run of the same inputs and field
    /// options, whose stored field (`StoredField`) is reused instead of depositing the ions again.
    public var storedField: String?

    public init(input: ReconstructionInput, ranges: RangeInput, species: String, threshold: Double,
                options: IsoSurfaceAnalysis.Options = IsoSurfaceAnalysis.Options(), corrections: CorrectionRequest = CorrectionRequest(),
                errors: Composition.CountingErrors = .binomial, memory: MemoryBudget = .standard) {
        self.input = input
        self.ranges = ranges
        self.species = species
        self.threshold = threshold
        self.options = options
        self.corrections = corrections
        self.errors = errors
        self.memory = memory
    }

    /// Every value checked before any file is read.
    public func validated() throws -> SurfaceRun {
        try Validation.require([(threshold > 0 && threshold < 100, "threshold", "must be between 0 and 100 at.%, got \(threshold)")])
        _ = try options.validated()
        return self
    }

    /// The files a run is made from (recorded with a stored field).
    public var inputs: [String] { [input.path] + ranges.files }
    /// With automatic ranges: the folder the run records them in.
    public var rangesRecord: String?

    /// Every file a run reads, the stored field's too: never replaced by its outputs (a run
    /// into the folder whose field it reuses is refused rather than rewriting that field).
    public var filesRead: [String] {
        inputs + (storedField.map { dir in ["field.json", "concentration_\(species).f32", StoredField.occupiedFile].map { dir + "/" + $0 } } ?? [])
    }

    /// The analysis and the ions it was made from (for later passes: distances, the atom map).
    public func run(_ opener: IonSourceOpener, group: any ProcessGroup = LocalProcess()) throws -> (analysis: IsoSurfaceAnalysis, source: any IonSource) {
        var opts = try validated().options
        opts.field.memory = memory
        opts.field.group = group
        opts.errors = errors
        let table = try opener.ranges(ranges, of: input, recordInto: rangesRecord)
        let (source, fixes) = try opener.open(input, table: table, corrections: corrections, memory: memory, group: group)
        opts.corrections = fixes
        let a = try opener.reporter.timed("iso-surface analysis") {
            guard let dir = storedField else {
                return try IsoSurfaceAnalysis.run(source: source, table: table, species: species, threshold: threshold, options: opts,
                                                  progress: { opener.reporter.step($0) })
            }
            let field = try StoredField.read(dir, species: species, inputs: inputs, options: opts.field)
            opener.reporter.step("reusing the \(species) field stored in \(dir)")
            return try IsoSurfaceAnalysis.run(source: source, table: table, field: field, threshold: threshold, options: opts,
                                              progress: { opener.reporter.step($0) })
        }
        return (a, source)
    }
}
