import ArgumentParser

@main
struct AtomProbeCLI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atomprobe",
        abstract: "Atom probe tomography analysis: reconstructions, ranging, compositions with errors, iso-surfaces and proxigrams, synthetic data, and a FEM model of Li segregation.",
        discussion: "Start with `atomprobe demo` on the bundled sample; every command has --help.",
        version: toolkitVersion,
        subcommands: [Info.self, Ranges.self, Spectrum.self, CompositionCommand.self, Synth.self, Convert.self,
                      IsoSurfaceCommand.self, ProxigramCommand.self, TableCommand.self, Analyze.self, Simulate.self, Compare.self, Demo.self]
    )
}

let toolkitVersion = "0.1.0"
