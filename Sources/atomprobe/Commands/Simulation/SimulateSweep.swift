import ArgumentParser
import SegregationFEM
import Workflows

/// One varied parameter: AXIS=v1,v2,... or AXIS=first:last:count.
struct SweepAxisArgument: ExpressibleByArgument, Sendable {
    let axis: ParameterSweep.Axis
    let values: [Double]
    init?(argument: String) {
        guard let (axis, values) = ParameterSweep.Axis.parse(argument) else { return nil }
        self.axis = axis; self.values = values
    }
    static var allValueStrings: [String] { ParameterSweep.Axis.shortNames.keys.sorted() }
}

struct SimulateSweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a scenario over a grid of parameters and tabulate the metrics (interdiffusion width, peak enrichment, sigma_h range, mu spread).",
        discussion: """
        Each --vary adds an axis; the grid is their Cartesian product (first axis slowest). Members run in parallel (--jobs), \
        each solved to steady state (directly for closed systems). Writes sweep.csv, sweep.json, sweep_METRIC.svg and \
        members/NAME/{summary.json, profile.csv} (all simulation files with --keep-fields); `atomprobe compare --simulated \
        DIR/members/*/profile.csv` ranks the members against a measured profile. On a cluster, run one member per task \
        (--member $SLURM_ARRAY_TASK_ID -o DIR/part-ID) and merge the parts with --collect.
        Axes: omega (cm^3/mol), chi, misfit-spacing-nm, misfit-strain, c-ref (LLZO reference site fraction), core-width-nm, temperature-k.
        """)

    @Argument(help: "dislocation or interface.") var scenario: Scenario
    @OptionGroup var model: FEMModelOptions
    @Option(name: .customLong("vary"), help: "A varied parameter AXIS=v1,v2,... or AXIS=first:last:count; repeat for more axes.") var vary: [SweepAxisArgument] = []
    @Option(help: "Members solved at once (default: the machine's cores).") var jobs: Int?
    @Option(help: "Solve only this member (0-based; repeat for several): one part of a split sweep.") var member: [Int] = []
    @Option(parsing: .upToNextOption, help: "Merge the sweep.json of these part folders (written with --member) into one table instead of solving.") var collect: [String] = []
    @Flag(name: .customLong("keep-fields"), help: "Write every simulation file of each member (else summary.json and profile.csv).") var keepFields = false
    @Option(name: .customLong("max-seconds"), help: "Wall-time limit of each member's solve (s).") var maxSeconds = 600.0
    @Option(name: .shortAndLong, help: "Output folder.") var output: String
    @OptionGroup var memory: MemoryOptions

    func request(_ p: Parameters) throws -> ParameterSweepRun {
        var r = ParameterSweepRun(scenario: scenario, parameters: p, settings: model.settings(memory: memory.budget), axes: vary.map { ($0.axis, $0.values) }, output: output)
        r.jobs = jobs; r.members = member; r.collect = collect; r.keepFields = keepFields; r.maxWallSeconds = maxSeconds
        r.inputs = model.params.map { [$0] } ?? []
        return try r.validated()
    }

    func validate() throws { try validating { _ = try request(Parameters()) } }

    func run() throws {
        for line in try request(collect.isEmpty ? model.parameters() : Parameters()).run(Progress.reporter) { print(line) }
    }
}
