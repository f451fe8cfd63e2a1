import ArgumentParser
import Workflows

struct ExportNexus: ParsableCommand, RequestCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-nexus",
        abstract: "Write a reconstruction and its ranging as NeXus NXapm (positions, m/n, ion types with nuclide hashes, the ion type of every ion); info, composition and analyze read .nxs back.",
        discussion: "Layout: docs/nxapm.md. pynxtools' validate_nexus checks it (Scripts/check-nxapm.sh).")

    @OptionGroup var input: ReconstructionOptions
    @OptionGroup var rangeOptions: RangeOptions
    @Flag(help: "Mark the specimen as a simulation (synthetic data).") var simulation = false
    @OptionGroup var memory: MemoryOptions
    @Option(name: .shortAndLong, help: "Output file (.nxs).") var output: String

    func request() throws -> NexusExportRun {
        var r = NexusExportRun(input: input.request, ranges: try rangeOptions.request, output: output)
        r.isSimulation = simulation; r.memory = memory.budget
        return try r.validated()
    }

    func run() throws { print(try request().run(Progress.opener)) }
}
