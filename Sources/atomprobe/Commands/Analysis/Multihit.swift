import ArgumentParser
import Workflows

struct Multihit: OpenerCommand, RequestCommand {
    static let configuration = CommandConfiguration(
        abstract: "Multiple hits of an EPOS/APT file: ions per pulse, singles vs multiples, correlation histogram with tracks, dead-zone losses (README: Multiple hits).")

    @OptionGroup var input: ReconstructionOptions
    @OptionGroup var rangeOptions: RangeOptions
    @Option(help: "Dissociation to draw, e.g. \"Cr2O++ -> Cr+ + CrO+\" (repeatable).") var track: [String] = []
    @Option(help: "Correlation histogram bin (Da).") var correlationBinDa = 0.2
    @Option(help: "Upper m/n of spectra and correlation (Da).") var maxMassDa = 200.0
    @Option(help: "Dead-zone radius (mm).") var deadZoneMm = 1.0
    @Option(help: "Fitted separations beyond it (mm).") var fitWidthMm = 4.0
    @Flag(help: "Add the estimated dead-zone losses to the composition.") var deadTimeCorrection = false
    @OptionGroup var memory: MemoryOptions
    @Option(name: .shortAndLong, help: "Output folder.") var output: String

    func request() throws -> MultihitRun {
        var r = MultihitRun(input: input.request, ranges: try rangeOptions.request, output: output)
        r.events.correlationBin = correlationBinDa; r.events.maxMass = maxMassDa; r.events.memory = memory.budget
        r.deadZone.deadZone = deadZoneMm; r.deadZone.fitWidth = fitWidthMm
        r.tracks = track; r.deadTimeCorrection = deadTimeCorrection
        return try r.validated()
    }

    func execute(_ opener: IonSourceOpener) throws -> String { try request().run(opener).lines.printed }
}
