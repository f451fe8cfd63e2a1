import ArgumentParser
import Workflows

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The whole story on the bundled sample: analyze (Li 42 at.% iso-surfaces, proxigrams, Table 1), simulate (edge dislocation; LLZO/Li interface with misfit dislocations), compare; an HTML report and an HDF5 bundle.",
        discussion: "Writes DIR/index.html (every table and figure inline), DIR/results.h5 (docs/bundle.md) and the outputs of each step in sub-folders.")

    @Option(name: .shortAndLong, help: "Output folder.") var output = "out/demo"
    @Option(help: "Sample reconstruction.") var reconstruction = "SampleData/llzo-sample.pos"
    @Option(help: "Its range file.") var ranges = "SampleData/llzo-sample.rrng"
    @Option(name: .customLong("interface-sample"), help: "The Li/LLZO interface sample: PATH.pos, PATH.rrng and PATH.truth.json (skipped when absent).") var interfaceSample = "SampleData/llzo-li-interface"
    @Option(help: "Elements per edge of the simulations.") var elements = 80
    @OptionGroup var memory: MemoryOptions

    func run() throws {
        var s = DemoRun.Settings()
        s.reconstruction = reconstruction; s.ranges = ranges; s.elements = elements; s.memory = memory.budget; s.interfaceSample = interfaceSample
        print(try DemoRun.publish(s, output: output, progress: Progress.reporter.step, note: Progress.reporter.note, say: { print($0) }))
    }
}
