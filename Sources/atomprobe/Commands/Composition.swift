import ArgumentParser
import Workflows
import AtomProbe
import AtomProbeIO
import AtomProbeAnalysis
import KitFoundation

struct CompositionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "composition",
        abstract: "Range a reconstruction and report its composition with one-sigma counting errors.",
        discussion: """
        Atomic mode (default) decomposes molecular ions (ZrO2 counts 1 Zr + 2 O); ionic mode counts ions by type. \
        Unranged ions are excluded and reported. Errors are one sigma: binomial sqrt(c(1-c)/N) over the atoms by default, \
        or with --errors multinomial propagated from the ion counts (the atoms of one molecular ion move together); JSON \
        carries both and a 68 % Wilson interval (shown in text for small counts). --background fit and --deconvolve correct \
        the counts and add their own uncertainty (multinomial). See docs/quantification.md.
        """)

    @OptionGroup var input: ReconstructionOptions
    @OptionGroup var rangeOptions: RangeOptions
    @OptionGroup var out: OutputOptions
    @OptionGroup var corrections: CorrectionOptions
    @OptionGroup var errors: ErrorOptions
    @OptionGroup var memory: MemoryOptions

    @Option(help: "atomic (decomposed, default) or ionic.")
    var mode: Composition.Mode = .atomic

    @Option(help: "Comma-separated elements (atomic) or ions (ionic) to leave out of the total, e.g. Ga,H.")
    var exclude: String?

    @Option(parsing: .unconditional, help: "Restrict to a box: xmin,ymin,zmin,xmax,ymax,zmax (nm).")
    var box: Numbers?
    @Option(parsing: .unconditional, help: "Restrict to a sphere: cx,cy,cz,radius (nm).")
    var sphere: Numbers?
    @Option(parsing: .unconditional, help: "Restrict to a cylinder: cx,cy,cz,ax,ay,az,radius,length (nm; centred, axis a).")
    var cylinder: Numbers?

    @Option(help: "Output format: text, csv or json.")
    var format: TextFormat = .text
    @Flag(help: "Same as --format json (keys: mode, ranged_ions, unranged_ions, atoms, elements).")
    var json = false

    func validate() throws {
        guard [box, sphere, cylinder].compactMap({ $0 }).count <= 1 else { throw ValidationError("give at most one of --box, --sphere, --cylinder") }
        _ = try region()
    }

    func region() throws -> Region? {
        if let box {
            let v = try box.require(6, option: "--box")
            return try Region.box(min: SIMD3(v[0], v[1], v[2]), max: SIMD3(v[3], v[4], v[5])).validated()
        }
        if let sphere {
            let v = try sphere.require(4, option: "--sphere")
            return try Region.sphere(center: SIMD3(v[0], v[1], v[2]), radius: v[3]).validated()
        }
        if let cylinder {
            let v = try cylinder.require(8, option: "--cylinder")
            return try Region.cylinder(center: SIMD3(v[0], v[1], v[2]), axis: SIMD3(v[3], v[4], v[5]), radius: v[6], length: v[7]).validated()
        }
        return nil
    }

    func run() throws {
        let fmt = json ? .json : format
        let reg = try region()
        let table = try rangeOptions.load()
        let excluded = Set((exclude ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        let c: Composition
        if input.request.isNeXus {
            let recon = try Progress.opener.load(input.request)
            let fixes = try corrections.request().prepare(recon, table: table, memory: memory.budget, reporter: Progress.reporter)
            c = try CompositionAnalysis.composition(recon, table: table, region: reg, mode: mode, excluding: excluded, corrections: fixes, errors: errors.errors)
        } else {
            let stream = try Progress.opener.stream(input.request)
            let (streamed, dropped) = try Progress.timed("ranging and counting \(stream.count) ions (streamed)") {
                try StreamedCounts.composition(stream, table: table, region: reg, mode: mode, excluding: excluded,
                                               background: try corrections.request().background,
                                               windows: try corrections.request().windows, deconvolve: corrections.deconvolve,
                                               errors: errors.errors, nonFinite: input.nonFinite, memory: memory.budget)
            }
            Progress.opener.noteDropped(dropped, input.request)
            c = streamed
        }
        guard c.rangedIons + c.unrangedIons > 0 else {
            throw AtomProbeError.invalid("no ions in the region\(reg.map { " (\($0))" } ?? "")")
        }
        let text: String
        switch fmt {
        case .json: text = c.json.serialized()
        case .csv: text = Reports.compositionCSV(c)
        case .text: text = Reports.compositionText(c, title: "\(input.reconstruction) with \(rangeOptions.ranges)\(reg.map { ", region: \($0)" } ?? "")")
        }
        try Output.emit(text, to: out.output, inputs: [input.reconstruction, rangeOptions.ranges])
    }
}
