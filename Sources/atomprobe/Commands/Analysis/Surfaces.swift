import ParallelLoops
import ArgumentParser
import Foundation
import KitFoundation
import AtomProbeAnalysis
import Workflows
import MPIKit

struct IsoSurfaceCommand: OpenerCommand {
    static let configuration = CommandConfiguration(
        commandName: "isosurface",
        abstract: "Iso-concentration surface and its objects: isosurface.vtk/.ply (object id per triangle), objects.json, and the field (field.json) that proxigram, table and analyze reuse with --stored-field.")

    @OptionGroup var chain: SurfaceChainOptions
    @Option(name: .shortAndLong, help: "Output folder.") var output: String

    func execute(_ opener: IonSourceOpener) throws -> String { try chain.request().isosurface(output: output, opener).joined(separator: "\n") }
}

struct ProxigramCommand: OpenerCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxigram",
        abstract: "Proximity histograms across the iso-surface (per object and all): CSV, JSON and SVG.",
        discussion: "Distance is signed: negative outside (bulk), positive inside the object; atoms are decomposed.")

    @OptionGroup var chain: SurfaceChainOptions
    @Option(name: .shortAndLong, help: "Output folder.") var output: String
    @Option(name: .customLong("plot-species"), help: "Comma-separated elements to plot (default: all).") var plotSpecies: String?
    @OptionGroup var errors: ErrorOptions
    @OptionGroup var corrections: CorrectionOptions

    func execute(_ opener: IonSourceOpener) throws -> String {
        try chain.request(errors: errors, corrections: corrections).proxigrams(output: output, plotSpecies: plotSpecies?.commaSeparated, opener).printed
    }
}

struct TableCommand: OpenerCommand {
    static let configuration = CommandConfiguration(
        commandName: "table",
        abstract: "Bulk vs object (inside and core) compositions with one-sigma errors, like the study's Table 1.")

    @OptionGroup var chain: SurfaceChainOptions
    @Option(help: "Output format: text, markdown, csv or json.") var format: Reports.Format = .text
    @OptionGroup var out: OutputOptions
    @OptionGroup var errors: ErrorOptions
    @OptionGroup var corrections: CorrectionOptions

    func execute(_ opener: IonSourceOpener) throws -> String {
        try Output.text(try chain.request(errors: errors, corrections: corrections).table(format: format, opener), to: out.output, inputs: chain.inputs)
    }
}

struct Analyze: OpenerCommand, RequestCommand {
    static let configuration = CommandConfiguration(
        abstract: "The whole chain: iso-surface, objects, proxigrams, composition table; everything into one folder.",
        discussion: """
        Writes table.json/.csv/.md/.txt, objects.json/.txt, isosurface.vtk/.ply, proxigram_all.* and \
        proxigram_object<N>.* (csv, json, svg), field.json with concentration_<species>.f32 (the voxel field) \
        and summary.txt; with --write-distances also distances.f32 and distance_objects.i32 (per ion).
        """)

    @OptionGroup var chain: SurfaceChainOptions
    @Option(name: .shortAndLong, help: "Output folder.") var output: String
    @Option(name: .customLong("plot-species"), help: "Comma-separated elements to plot (default: all).") var plotSpecies: String?
    @Option(help: "Also write an HDF5 results bundle (docs/bundle.md) to this file.") var bundle: String?
    @Flag(name: .customLong("write-distances"), help: "Also write each ion's signed distance and object (8 bytes per ion).") var writeDistances = false
    @OptionGroup var errors: ErrorOptions
    @OptionGroup var corrections: CorrectionOptions
    @Flag(help: "Also write report.html: objects, the composition table, the proxigram and an interactive 3D atom map (WebGL, self-contained).") var report = false
    @Option(name: .customLong("map-points"), help: "Most ions drawn in the report's 3D atom map.") var mapPoints = AtomMap.defaultMaxPoints
    @Flag(help: "Run as one of several processes started by mpirun (or srun): each reads its part of the file; grids and counts are summed over Open MPI; rank 0 writes the outputs.") var distributed = false

    func request() throws -> AnalyzeRun {
        var r = AnalyzeRun(surface: try chain.request(errors: errors, corrections: corrections), output: output)
        r.plotSpecies = plotSpecies?.commaSeparated; r.bundle = bundle; r.writeDistances = writeDistances; r.report = report; r.mapPoints = mapPoints
        return try r.validated(distributed: distributed)
    }

    func run() throws {
        guard distributed else { return print(try execute(Progress.opener), terminator: "") }
        MPIWorld.run(describe: { AtomProbeCLI.failure($0)?.text ?? "\($0)" }) { print(try execute(Progress.opener, group: $0), terminator: "") }
    }

    func execute(_ opener: IonSourceOpener) throws -> String { try execute(opener, group: LocalProcess()) }

    func execute(_ opener: IonSourceOpener, group: any ProcessGroup) throws -> String {
        guard let result = try request().run(opener, group: group) else { return "" }
        return result.summary + "\nwrote everything to \(output)/" + (group.size > 1 ? " (\(group.size) processes)" : "") + "\n"
    }
}

extension String {
    /// "Li, O" -> ["Li", "O"].
    var commaSeparated: [String] { split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
}
