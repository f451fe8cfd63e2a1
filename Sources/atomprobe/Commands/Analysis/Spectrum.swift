import ArgumentParser
import Workflows

struct Spectrum: OpenerCommand, RequestCommand {
    static let configuration = CommandConfiguration(abstract: "Mass spectrum: histogram CSV and an SVG plot (log counts, ranges shaded and labelled).")

    @OptionGroup var input: ReconstructionOptions
    @Option(help: "Range file to shade and label on the plot (optional).") var ranges: String?
    @Option(name: .customLong("bin-width"), help: "Bin width in Da.") var binWidth: Double = 0.01
    @Option(help: "Lower m/n limit (Da).") var min: Double = 0
    @Option(help: "Upper m/n limit (Da); default: just above the largest value, at most 1000 Da (or the highest range).") var max: Double?
    @OptionGroup var memory: MemoryOptions
    @OptionGroup var corrections: CorrectionOptions
    @Option(name: .shortAndLong, help: "Output prefix: writes PREFIX.csv and PREFIX.svg.") var output: String

    func request() throws -> SpectrumRun {
        var r = SpectrumRun(input: input.request, prefix: output)
        r.ranges = ranges; r.binWidth = binWidth; r.start = min; r.end = max
        r.corrections = try corrections.request(); r.memory = memory.budget
        return try r.validated()
    }

    func execute(_ opener: IonSourceOpener) throws -> String { try request().run(opener).printed }
}
