import ArgumentParser
import Workflows
import AtomProbe
import AtomProbeAnalysis

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
    @Option(help: "atomic (decomposed, default) or ionic.") var mode: Composition.Mode = .atomic
    @Option(help: "Comma-separated elements (atomic) or ions (ionic) to leave out of the total, e.g. Ga,H.") var exclude: String?
    @Option(parsing: .unconditional, help: "Restrict to a box: xmin,ymin,zmin,xmax,ymax,zmax (nm).") var box: Numbers?
    @Option(parsing: .unconditional, help: "Restrict to a sphere: cx,cy,cz,radius (nm).") var sphere: Numbers?
    @Option(parsing: .unconditional, help: "Restrict to a cylinder: cx,cy,cz,ax,ay,az,radius,length (nm; centred, axis a).") var cylinder: Numbers?
    @Option(help: "Output format: text, csv or json.") var format: Reports.Format = .text
    @Flag(help: "Same as --format json (keys: mode, ranged_ions, unranged_ions, atoms, elements).") var json = false

    func request() throws -> CompositionRun {
        var r = CompositionRun(input: input.request, ranges: try rangeOptions.request)
        r.mode = mode; r.excluding = Set((exclude ?? "").commaSeparated)
        r.region = try Region.from(box: box?.values, sphere: sphere?.values, cylinder: cylinder?.values)
        r.corrections = try corrections.request(); r.errors = errors.errors; r.memory = memory.budget
        r.rangesRecord = r.ranges.isAutomatic ? out.output.map { $0 + "-ranges" } : nil  // --ranges auto -o F: F-ranges/
        return r
    }

    func validate() throws {
        guard format != .markdown else { throw ValidationError("--format for a composition is text, csv or json") }
        try validating { _ = try request() }
    }

    func run() throws { print(try execute(Progress.opener, ions: nil), terminator: "") }

    /// The composition as text, CSV or JSON (of `ions` when given, else of the file).
    func execute(_ opener: IonSourceOpener, ions: Reconstruction?) throws -> String {
        let r = try request()
        let c = try r.run(opener, ions: ions)
        let title = "\(input.reconstruction) with \(rangeOptions.ranges)\(r.region.map { ", region: \($0)" } ?? "")"
        return try Output.text(Reports.composition(c, format: json ? .json : format, title: title), to: out.output, inputs: [input.reconstruction, rangeOptions.ranges])
    }
}
