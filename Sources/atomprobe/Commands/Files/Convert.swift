import ArgumentParser
import Workflows
import AtomProbe

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert between reconstruction formats (POS, EPOS, APT -> POS/EPOS) or range formats (RRNG <-> RNG).",
        discussion: "EPOS written from a POS has zero detector columns. The kind of each file follows its extension.")

    @Argument(help: "Input file.") var input: String
    @Argument(help: "Output file (never the input).") var output: String
    @Option(name: .customLong("non-finite"), help: "What to do with NaN or infinite values: reject, drop or keep.") var nonFinite: NonFinitePolicy = .reject
    @OptionGroup var memory: MemoryOptions

    func run() throws {
        var r = ConvertRun(input: input, output: output)
        r.nonFinite = nonFinite; r.memory = memory.budget
        print(try r.run(Progress.reporter))
    }
}
