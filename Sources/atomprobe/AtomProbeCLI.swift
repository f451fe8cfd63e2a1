import ArgumentParser

@main
struct AtomProbeCLI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atomprobe",
        abstract: "Atom probe tomography analysis: reconstructions, ranging, compositions with errors, synthetic data.",
        version: toolkitVersion,
        subcommands: [Info.self, Ranges.self, Spectrum.self, CompositionCommand.self, Synth.self, Convert.self,
                      IsoSurfaceCommand.self, ProxigramCommand.self, TableCommand.self, Analyze.self, Simulate.self, Compare.self, Demo.self]
    )
}

let toolkitVersion = "0.1.0"
