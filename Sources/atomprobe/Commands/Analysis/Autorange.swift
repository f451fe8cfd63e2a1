import ArgumentParser
import Workflows
import AtomProbeAnalysis

extension AutomaticRanges.WidthRule: ExpressibleByArgument {}

struct Autorange: OpenerCommand, RequestCommand {
    static let configuration = CommandConfiguration(
        abstract: "Range a reconstruction from its spectrum alone: peaks found, ions identified by isotope patterns, ranges.rrng/.json and spectrum.svg.",
        discussion: "Candidates are all ions of the listed elements up to --max-atoms atoms at charges --charges. See README (Automatic ranging).")

    @OptionGroup var input: ReconstructionOptions
    @Option(help: "Comma-separated elements of the specimen, e.g. Fe,Cr,Ni.") var elements: String
    @Option(name: .customLong("max-atoms"), help: "Most atoms in a candidate ion.") var maxAtoms = 3
    @Option(help: "Charge states, e.g. 1-4.") var charges = "1-4"
    @Option(name: .customLong("width-rule"), help: "Window rule: background (where the peak falls to the background) or shape (4 sigma, tail 4 decay lengths).") var widthRule = AutomaticRanges.WidthRule.background
    @Option(name: .customLong("min-significance"), help: "Least significance of a peak (sigma).") var minSignificance = 5.0
    @Flag(name: .customLong("high-charge-molecules"), help: "Also try molecular ions of 3+ atoms above 2+ and diatomic ions at 4+ (rare; left out by default).") var highChargeMolecules = false
    @Option(name: .customLong("bin-width"), help: "Histogram bin (Da).") var binWidth = 0.002
    @OptionGroup var memory: MemoryOptions
    @Option(name: .shortAndLong, help: "Output folder.") var output: String

    func request() throws -> AutorangeRun {
        var s = AutomaticRanges.Settings(elements: elements.commaSeparated)
        s.maxAtoms = maxAtoms; s.charges = try AutomaticRanges.Settings.charges(charges); s.widthRule = widthRule; s.minSignificance = minSignificance
        s.highChargeMolecules = highChargeMolecules
        var r = AutorangeRun(input: input.request, settings: s, output: output)
        r.binWidth = binWidth; r.memory = memory.budget
        return try r.validated()
    }

    func execute(_ opener: IonSourceOpener) throws -> String { try request().run(opener).lines.printed }
}
