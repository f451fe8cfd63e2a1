import ArgumentParser
import Foundation
import AtomProbe
import AtomProbeIO
import AtomProbeAnalysis
import KitFoundation

struct IsoSurfaceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "isosurface",
        abstract: "Iso-concentration surface and its objects: isosurface.vtk/.ply (object id per triangle), objects.json.")

    @OptionGroup var input: ReconstructionOptions
    @OptionGroup var rangeOptions: RangeOptions
    @OptionGroup var surface: SurfaceOptions
    @Option(name: .shortAndLong, help: "Output folder.") var output: String

    func run() throws {
        let a = try surface.run(input, rangeOptions)
        try Output.makeFolder(output)
        try SurfaceOutputs.meshes(a, dir: output)
        print("\(a.objects.count) object(s), \(a.mesh.triangles.count) triangles; wrote \(output)/isosurface.vtk, isosurface.ply, objects.json")
        print(Reports.objectsText(a), terminator: "")
    }
}

struct ProxigramCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxigram",
        abstract: "Proximity histograms across the iso-surface (per object and all): CSV, JSON and SVG.",
        discussion: "Distance is signed: negative outside (bulk), positive inside the object; atoms are decomposed.")

    @OptionGroup var input: ReconstructionOptions
    @OptionGroup var rangeOptions: RangeOptions
    @OptionGroup var surface: SurfaceOptions
    @Option(name: .shortAndLong, help: "Output folder.") var output: String
    @Option(name: .customLong("plot-species"), help: "Comma-separated elements to plot (default: all).") var plotSpecies: String?

    func run() throws {
        let a = try surface.run(input, rangeOptions)
        try Output.makeFolder(output)
        try SurfaceOutputs.proxigrams(a, dir: output, plotSpecies: plotSpecies.map { $0.split(separator: ",").map(String.init) })
        print("wrote proxigram_all and proxigram_object1...\(a.objects.count) (.csv, .json, .svg) to \(output)")
    }
}

struct TableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table",
        abstract: "Bulk vs object (inside and core) compositions with one-sigma errors, like the study's Table 1.")

    @OptionGroup var input: ReconstructionOptions
    @OptionGroup var rangeOptions: RangeOptions
    @OptionGroup var surface: SurfaceOptions
    @Option(help: "Output format: text, markdown, csv or json.") var format = "text"
    @OptionGroup var out: OutputOptions

    func run() throws {
        guard ["text", "markdown", "csv", "json"].contains(format) else { throw ValidationError("--format must be text, markdown, csv or json") }
        let a = try surface.run(input, rangeOptions)
        let rows = try a.compositionTable()
        let text: String
        switch format {
        case "json": text = Reports.tableJSON(a, rows: rows).serialized()
        case "csv": text = Reports.tableCSV(a, rows: rows)
        case "markdown": text = Reports.tableText(a, rows: rows, markdown: true)
        default: text = Reports.tableText(a, rows: rows)
        }
        try Output.emit(text, to: out.output, inputs: [input.reconstruction, rangeOptions.ranges])
    }
}

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The whole chain: iso-surface, objects, proxigrams, composition table; everything into one folder.",
        discussion: """
        Writes table.json/.csv/.md/.txt, objects.json/.txt, isosurface.vtk/.ply, proxigram_all.* and \
        proxigram_object<N>.* (csv, json, svg), field.json (grid and delocalization) and summary.txt.
        """)

    @OptionGroup var input: ReconstructionOptions
    @OptionGroup var rangeOptions: RangeOptions
    @OptionGroup var surface: SurfaceOptions
    @Option(name: .shortAndLong, help: "Output folder.") var output: String
    @Option(name: .customLong("plot-species"), help: "Comma-separated elements to plot (default: all).") var plotSpecies: String?
    @Option(help: "Also write an HDF5 results bundle (docs/bundle.md) to this file.") var bundle: String?

    func run() throws {
        let a = try surface.run(input, rangeOptions)
        try Output.makeFolder(output)
        if let bundle {
            try Output.refuseOverwrite(bundle, inputs: [input.reconstruction, rangeOptions.ranges])
            let b = try ResultsBundle(path: bundle)
            try b.addAnalysis(a, reconstruction: input.reconstruction, ranges: rangeOptions.ranges)
            try b.close()
        }
        try SurfaceOutputs.meshes(a, dir: output)
        try SurfaceOutputs.proxigrams(a, dir: output, plotSpecies: plotSpecies.map { $0.split(separator: ",").map(String.init) })
        let table = try SurfaceOutputs.table(a, dir: output)
        let g = a.field.grid
        let fieldInfo: JSONValue = .object([
            ("voxel_nm", .number(g.spacing)), ("grid_size", .array([.int(g.size.x), .int(g.size.y), .int(g.size.z)])),
            ("origin_nm", .numbers([g.origin.x, g.origin.y, g.origin.z])),
            ("delocalization_nm", .numbers([a.field.delocalization.x, a.field.delocalization.y, a.field.delocalization.z])),
            ("gaussian_sigma_nm", .numbers([a.field.delocalization.x / 2, a.field.delocalization.y / 2, a.field.delocalization.z / 2])),
            ("min_density_atoms_per_nm3", .number(a.field.minDensity)),
            ("max_concentration_at_pct", .number(a.maxConcentration)),
            ("concentration_file", .string("concentration_\(a.species).f32")),
            ("concentration_layout", .string("float32 little-endian, x fastest, then y, then z; voxel centres at origin + (i + 0.5) * voxel; NaN outside the specimen")),
            ("triangles_before_object_filter", .int(a.rawTriangleCount)),
            ("area_before_object_filter_nm2", .number(a.rawArea)),
        ])
        let conc = try a.field.concentration(of: a.species)
        try AtomicFile.write(count: conc.count * 4, to: output + "/concentration_\(a.species).f32") { buf in
            for (k, v) in conc.enumerated() { buf.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: 4 * k, as: UInt32.self) }
        }
        try SurfaceOutputs.write(fieldInfo.serialized(), output, "field.json")
        var summary = "\(input.reconstruction): \(a.species) \(a.threshold) at.% iso-surface, \(a.objects.count) object(s), \(a.mesh.triangles.count) triangles\n\n"
        summary += Reports.objectsText(a) + "\n" + table
        try SurfaceOutputs.write(summary, output, "summary.txt")
        print(summary, terminator: "")
        print("\nwrote everything to \(output)/")
    }
}
