import KitFoundation
import AtomProbe
import AtomProbeAnalysis

/// Is a solute random or clustered (`atomprobe stats`): the frequency distribution against the
/// binomial, the k-th nearest-neighbour distributions and the solute pair correlation against
/// randomly relabelled copies, written as `StatsFiles` into a folder published whole.
public struct StatsRun: Sendable {
    public var input: ReconstructionInput
    public var ranges: RangeInput
    public var options: SpatialStatistics.Options
    public var output: String

    public init(input: ReconstructionInput, ranges: RangeInput, options: SpatialStatistics.Options, output: String) {
        self.input = input
        self.ranges = ranges
        self.options = options
        self.output = output
    }

    /// Checks every parameter (naming it) before any file is read.
    public func validated() throws -> StatsRun {
        var r = self
        r.options = try options.checked()
        return r
    }

    /// The statistics; the lines a user reads.
    public func run(_ opener: IonSourceOpener) throws -> (statistics: SpatialStatistics, lines: [String]) {
        let o = try options.checked()
        let run = try RunFolder(output, kind: "stats", inputs: [input.path, ranges.path])
        let table = try opener.ranges(ranges)
        try table.requireElements(for: "spatial statistics need element symbols")
        let reporter = opener.reporter
        let recon = try opener.load(input, memory: o.memory, bytesPerIon: LabelledIons.bytesPerIon + 8, for: "spatial statistics")
        let ions = try reporter.timed("positions and labels") { try LabelledIons(source: recon, table: table, memory: o.memory) }
        if ions.strayIons > 0 { reporter.note("\(ions.strayIons) ion(s) lie far outside the bulk of the data and are left out") }
        let s = try reporter.timed("statistics") { try SpatialStatistics(ions, options: o, progress: { reporter.step($0) }) }
        try StatsFiles.write(s, dir: run.staging)
        try run.commit()
        return (s, StatsFiles.text(s) + ["wrote \(output)/\(StatsFiles.names)"])
    }
}
