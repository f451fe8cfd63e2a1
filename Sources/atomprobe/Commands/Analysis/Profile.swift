import ArgumentParser
import Workflows

extension ProfileRun.ExcessMode: ExpressibleByArgument {}

struct ProfileCommand: OpenerCommand, RequestCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "1D concentration profile along an axis (like the study's Fig. 4c): per-bin at.% with errors, the ladder, and with --species the interface's position, 10-90 % width, plateaus and interfacial excess.",
        discussion: """
        The region is a cylinder (--radius) or a box of square cross-section (--box-width) around the axis from \
        --from to --to; distance is measured from --from. Bins have a fixed width (--bin-width) or a fixed number \
        of atoms (--atoms-per-bin). Writes profile.csv, profile.json, profile.svg and profile_cumulative.csv.
        """)

    @OptionGroup var input: ReconstructionOptions
    @OptionGroup var rangeOptions: RangeOptions
    @Option(parsing: .unconditional, help: "Start of the axis x,y,z (nm).") var from: Numbers
    @Option(parsing: .unconditional, help: "End of the axis x,y,z (nm).") var to: Numbers
    @Option(help: "Cylinder radius (nm).") var radius: Double?
    @Option(name: .customLong("box-width"), help: "Side of a square cross-section instead of a cylinder (nm).") var boxWidth: Double?
    @Option(name: .customLong("bin-width"), help: "Bin width (nm).") var binWidth = 0.2
    @Option(name: .customLong("atoms-per-bin"), help: "Bins of this many atoms instead of a fixed width.") var atomsPerBin: Int?
    @Option(help: "Element whose step locates the interface (crossing, 10-90 % width, plateaus, interfacial excess).") var species: String?
    @Option(name: .customLong("plateau-gap"), help: "Plateaus start this far from the crossing (nm; default twice the 10-90 % width, at least 1).") var plateauGap: Double?
    @Option(help: "What the species' profile crosses: step (an interface between two phases, erf fit) or layer (a segregation layer between equal plateaus, excess by the ladder method).") var excess = ProfileRun.ExcessMode.step
    @Option(name: .customLong("plateau-ranges"), parsing: .unconditional, help: "Plateaus from,to,from,to (nm along the axis) instead of --plateau-gap.") var plateauRanges: Numbers?
    @Option(name: .customLong("plane-normal"), parsing: .unconditional, help: "Normal x,y,z of the interface's plane: the excess per nm^2 of the plane (default: the axis assumed normal).") var planeNormal: Numbers?
    @Option(help: "Detection efficiency (0-1) for the interfacial excess (default 1: detected atoms per nm^2).") var efficiency = 1.0
    @OptionGroup var memory: MemoryOptions
    @OptionGroup var errors: ErrorOptions
    @OptionGroup var corrections: CorrectionOptions
    @Option(name: .shortAndLong, help: "Output folder.") var output: String

    func request() throws -> ProfileRun {
        var r = ProfileRun(input: input.request, ranges: try rangeOptions.request, from: from.values, to: to.values, output: output)
        r.radius = radius; r.boxWidth = boxWidth; r.binWidth = binWidth; r.atomsPerBin = atomsPerBin
        r.species = species; r.plateauGap = plateauGap; r.efficiency = efficiency
        r.excess = excess; r.plateauRanges = plateauRanges?.values; r.planeNormal = planeNormal?.values
        r.errors = errors.errors; r.corrections = try corrections.request(); r.memory = memory.budget
        return try r.validated()
    }

    func execute(_ opener: IonSourceOpener) throws -> String { try request().run(opener).lines.printed }
}
