import ArgumentParser
import AtomProbeAnalysis
import Workflows

struct Stats: OpenerCommand, RequestCommand {
    static let configuration = CommandConfiguration(
        abstract: "Is a solute random? Frequency distribution, k-th nearest-neighbour distributions and pair correlation against randomized labels: stats.json, fda/nn/rdf .csv and .svg.")

    @OptionGroup var input: ReconstructionOptions
    @OptionGroup var rangeOptions: RangeOptions
    @Option(help: "Comma-separated solute elements, e.g. Cu,Ni.") var solutes: String
    @Option(help: "Atoms per block of the frequency distribution.") var blockAtoms = 100
    @Option(help: "Nearest-neighbour orders 1...k.") var k = 10
    @Option(help: "Randomly relabelled copies (19: a 95 % envelope).") var randomizations = 19
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Pair correlation range (nm).") var rdfMaxNm = 3.0
    @Option(help: "Pair correlation bin (nm).") var rdfBinNm = 0.1
    @OptionGroup var memory: MemoryOptions
    @Option(name: .shortAndLong, help: "Output folder.") var output: String

    func request() throws -> StatsRun {
        var o = SpatialStatistics.Options(solutes: solutes.commaSeparated)
        o.blockAtoms = blockAtoms; o.maxOrder = k; o.randomizations = randomizations; o.seed = seed
        o.rdfMax = rdfMaxNm; o.rdfBin = rdfBinNm; o.memory = memory.budget
        return try StatsRun(input: input.request, ranges: try rangeOptions.request, options: o, output: output).validated()
    }

    func execute(_ opener: IonSourceOpener) throws -> String { try request().run(opener).lines.printed }
}
