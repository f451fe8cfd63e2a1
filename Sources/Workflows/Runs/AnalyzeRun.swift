import KitFoundation
import ParallelLoops
import AtomProbe
import AtomProbeAnalysis
import ResultsBundle

/// The whole iso-surface chain into one folder (`atomprobe analyze`): the field, the surface and
/// its objects, proxigrams, the composition table and a summary; on request the HDF5 bundle,
/// each ion's distance and an HTML report with a 3D atom map. The folder is published whole or
/// not at all (`RunFolder`).
public struct AnalyzeRun: Sendable {
    public var surface: SurfaceRun
    public var output: String
    /// Elements drawn in the proxigram figures (nil: all).
    public var plotSpecies: [String]?
    public var bundle: String?
    public var writeDistances = false
    public var report = false
    public var mapPoints = AtomMap.defaultMaxPoints

    public init(surface: SurfaceRun, output: String) {
        self.surface = surface
        self.output = output
    }

    public struct Result {
        public let analysis: IsoSurfaceAnalysis
        public let table: CompositionTable
        public let proxigrams: ProxigramSet
        /// What `summary.txt` holds: the objects and the table as text.
        public let summary: String
        /// The proxigram figures (SVG), `proxigram_all` first.
        public let proxigramFigures: [String]
    }

    /// Checks every parameter (naming it) before any file is read; a distributed run (each
    /// process holding a part of the ions) cannot write per-ion distances or the report yet.
    public func validated(distributed: Bool = false) throws -> AnalyzeRun {
        try Validation.require([
            (!distributed || !writeDistances, "write_distances", "is not available in a distributed run (each process holds only its part of the ions)"),
            (!distributed || !report, "report", "is not available in a distributed run yet"),
            ((1...20_000_000).contains(mapPoints), "map_points", "must be 1-20000000, got \(mapPoints)"),
        ])
        _ = try surface.validated()
        return self
    }

    /// Runs the chain; with a process `group` of several, only rank 0 writes and returns a result.
    public func run(_ opener: IonSourceOpener, group: any ProcessGroup = LocalProcess()) throws -> Result? {
        if group.size > 1, writeDistances || report {
            throw AtomProbeError.invalid("per-ion distances and the report need the whole file in one process; not available in a distributed run")
        }
        let folder = group.isMain ? try RunFolder(output, kind: "analyze", inputs: surface.filesRead) : nil
        var surface = self.surface
        surface.rangesRecord = folder?.staging
        let (a, source) = try surface.run(opener, group: group)
        guard let folder else { return nil }  // rank > 0: its part is in the sums; rank 0 writes
        let proxigrams = try ProxigramSet(a)
        let table = try CompositionTable(a)
        let dir = folder.staging
        try AnalysisFiles.field(a, inputs: surface.inputs, dir: dir)
        try AnalysisFiles.surface(a.surface, dir: dir)
        if writeDistances { try AnalysisFiles.distances(try opener.reporter.timed("distances per ion") { try a.distances(source) }, dir: dir) }
        let figures = try AnalysisFiles.proxigrams(proxigrams, species: a.species, threshold: a.threshold, dir: dir, plotSpecies: plotSpecies)
        let text = try AnalysisFiles.table(table, dir: dir)
        var summary = "\(surface.input.path): \(a.species) \(a.threshold) at.% iso-surface, \(a.objects.count) object(s), \(a.mesh.triangles.count) triangles\n\n"
        summary += Reports.objectsText(a.objects) + "\n" + text
        try AtomicFile.write(summary, to: dir + "/summary.txt")
        if report {
            let map = try opener.reporter.timed("3D atom map") { try AtomMap(source: source, table: a.table, mesh: a.mesh, species: a.species, maxPoints: mapPoints) }
            let statistics = opener.reporter.timed("frequency distribution and pair correlation of \(a.species)") {
                Swift.Result { try AnalysisReport.statistics(source, table: a.table, species: a.species, memory: surface.memory) }
            }
            try AtomicFile.write(AnalysisReport.html(a, table: table, proxigrams: proxigrams, atomMap: map, statistics: statistics, title: surface.input.path), to: dir + "/report.html")
        }
        let staged = try bundle.map { path in
            try ResultsBundle.staged(path, inputs: surface.inputs) {
                try $0.addAnalysis(a, proxigrams: proxigrams, table: table, reconstruction: surface.input.path, ranges: surface.ranges.path)
            }
        }
        do { try folder.commit() } catch { staged?.discard(); throw error }
        try staged?.publish()
        return Result(analysis: a, table: table, proxigrams: proxigrams, summary: summary, proxigramFigures: figures)
    }
}
