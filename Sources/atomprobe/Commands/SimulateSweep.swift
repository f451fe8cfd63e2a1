import ArgumentParser
import Foundation
import SegregationFEM
import Workflows
import KitFoundation

/// One varied parameter: AXIS=v1,v2,... or AXIS=first:last:count.
struct SweepAxisArgument: ExpressibleByArgument, Sendable {
    static let names: [String: ParameterSweep.Axis] = [
        "omega": .omega, "chi": .chi, "misfit-spacing-nm": .misfitSpacing, "misfit-strain": .misfitStrain,
        "c-ref": .cRef, "core-width-nm": .coreWidth, "temperature-k": .temperature]
    let axis: ParameterSweep.Axis
    let values: [Double]

    init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let axis = Self.names[parts[0]] else { return nil }
        let v = parts[1]
        if v.contains(":") {
            let r = v.split(separator: ":").map { Double($0) }
            guard r.count == 3, let a = r[0], let b = r[1], let n = r[2], a.isFinite, b.isFinite, n >= 1, n <= Double(ParameterSweep.maxMembers),
                  n == n.rounded() else { return nil }
            let count = Int(n)
            values = count == 1 ? [a] : (0..<count).map { a + (b - a) * Double($0) / Double(count - 1) }
        } else {
            let list = v.split(separator: ",").map { Double($0) }
            guard !list.isEmpty, list.allSatisfy({ $0?.isFinite == true }) else { return nil }
            values = list.map { $0! }
        }
        self.axis = axis
    }

    static var allValueStrings: [String] { names.keys.sorted() }
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

    func validate() throws {
        guard !vary.isEmpty || !collect.isEmpty else { throw ValidationError("give at least one --vary AXIS=VALUES (or --collect PART...)") }
        if let j = jobs { guard j >= 1, j <= 256 else { throw ValidationError("--jobs must be 1-256, got \(j)") } }
        guard maxSeconds > 0, maxSeconds.isFinite else { throw ValidationError("--max-seconds must be a positive number, got \(maxSeconds)") }
        guard collect.isEmpty || member.isEmpty else { throw ValidationError("--collect merges parts; it does not solve --member") }
    }

    func run() throws {
        if !collect.isEmpty { return try merge() }
        let p = try model.parameters()
        let s = model.settings(memory: memory.budget)
        let sweep = try ParameterSweep(scenario: scenario, base: p, settings: s, axes: vary.map { ($0.axis, $0.values) })
        for k in member where !(0..<sweep.memberCount).contains(k) {
            throw ValidationError("--member \(k): the sweep has members 0 to \(sweep.memberCount - 1)")
        }
        let workers = min(jobs ?? ProcessInfo.processInfo.activeProcessorCount, member.isEmpty ? sweep.memberCount : member.count)
        // Every member at once must fit the memory budget.
        try memory.budget.require(Double(workers) * ScenarioSettings.memoryEstimate(elements: s.elements),
                                  for: "\(workers) simultaneous \(s.elements) x \(s.elements) FEM models (lower --jobs)")
        let run = try RunFolder(output, kind: "simulate sweep", inputs: model.params.map { [$0] } ?? [])
        let rows = try SweepRun.run(sweep, members: member.isEmpty ? nil : member, jobs: workers, keepFields: keepFields,
                                    dir: run.staging, maxWallSeconds: maxSeconds, progress: { Progress.step($0) })
        let axes = sweep.axes.map { ($0.axis.rawValue, $0.values) }
        try SweepRun.write(scenario: scenario.rawValue, axes: axes, rows: rows, to: run.staging)
        try run.commit()
        print(SweepRun.csv(axes.map(\.0), rows), terminator: "")
        print("wrote \(output)/sweep.csv, sweep.json, sweep_*.svg, members/")
    }

    /// --collect: the parts' tables as one.
    func merge() throws {
        var scenarioName: String?, axes: [(String, [Double])] = [], rows: [SweepRun.Row] = []
        for part in collect {
            let (sc, ax, r) = try SweepRun.read(part + "/sweep.json")
            if let known = scenarioName {
                guard sc == known, ax.map(\.0) == axes.map(\.0), ax.map(\.1) == axes.map(\.1) else {
                    throw AtomProbeError(.invalidInput, "not a part of the same sweep (scenario or axes differ)", file: part + "/sweep.json")
                }
            }
            scenarioName = sc; axes = ax
            for row in r where !rows.contains(where: { $0.member == row.member }) { rows.append(row) }
        }
        let run = try RunFolder(output, kind: "simulate sweep", inputs: collect.map { $0 + "/sweep.json" })
        try SweepRun.write(scenario: scenarioName ?? scenario.rawValue, axes: axes, rows: rows, to: run.staging)
        try run.commit()
        let expected = axes.reduce(1) { $0 * $1.1.count }
        print(SweepRun.csv(axes.map(\.0), rows), terminator: "")
        print("wrote \(output)/sweep.csv, sweep.json, sweep_*.svg: \(rows.count) of \(expected) members")
    }
}
