import Foundation
import KitFoundation
import SegregationFEM

/// A scenario solved over a grid of parameters (`atomprobe simulate sweep`), or the parts of a
/// split sweep merged into one table: sweep.csv, sweep.json, sweep_METRIC.svg and members/.
public struct ParameterSweepRun: Sendable {
    public var scenario: Scenario
    public var parameters: Parameters
    public var settings: ScenarioSettings
    public var axes: [(axis: ParameterSweep.Axis, values: [Double])]
    /// Members solved at once (nil: the machine's cores).
    public var jobs: Int?
    /// Solve only these members (0-based): one part of a split sweep; empty: all.
    public var members: [Int] = []
    /// Part folders (written with `members`) to merge instead of solving.
    public var collect: [String] = []
    public var keepFields = false
    public var maxWallSeconds = 600.0
    public var output: String
    /// Files the run reads (the parameter file).
    public var inputs: [String] = []

    public init(scenario: Scenario, parameters: Parameters, settings: ScenarioSettings, axes: [(axis: ParameterSweep.Axis, values: [Double])], output: String) {
        self.scenario = scenario
        self.parameters = parameters
        self.settings = settings
        self.axes = axes
        self.output = output
    }

    /// Checks the run's parameters (naming them) before anything is solved.
    public func validated() throws -> ParameterSweepRun {
        try Validation.require([
            (!axes.isEmpty || !collect.isEmpty, "vary", "needs at least one AXIS=VALUES (or parts to collect)"),
            (jobs.map { (1...256).contains($0) } ?? true, "jobs", "must be 1-256, got \(jobs ?? 0)"),
            (maxWallSeconds > 0 && maxWallSeconds.isFinite, "max_seconds", "must be a positive number, got \(maxWallSeconds)"),
            (collect.isEmpty || members.isEmpty, "collect", "merges parts; it does not solve members"),
        ])
        return self
    }

    /// Solves (or merges); returns the lines a user reads.
    public func run(_ reporter: RunReporter) throws -> [String] {
        _ = try validated()
        if !collect.isEmpty { return try merge() }
        let sweep = try ParameterSweep(scenario: scenario, base: parameters, settings: settings, axes: axes)
        for k in members where !(0..<sweep.memberCount).contains(k) {
            throw AtomProbeError.invalid("member", "\(k) does not exist: the sweep has members 0 to \(sweep.memberCount - 1)")
        }
        let workers = min(jobs ?? ProcessInfo.processInfo.activeProcessorCount, members.isEmpty ? sweep.memberCount : members.count)
        // Every member at once must fit the memory budget.
        try settings.memory.require(Double(workers) * ScenarioSettings.memoryEstimate(elements: settings.elements),
                                    for: "\(workers) simultaneous \(settings.elements) x \(settings.elements) FEM models (fewer jobs)")
        let run = try RunFolder(output, kind: "simulate sweep", inputs: inputs)
        let rows = try SweepRun.run(sweep, members: members.isEmpty ? nil : members, jobs: workers, keepFields: keepFields,
                                    dir: run.staging, maxWallSeconds: maxWallSeconds, progress: reporter.step)
        let named = sweep.axes.map { ($0.axis.rawValue, $0.values) }
        try SweepRun.write(scenario: scenario.rawValue, axes: named, rows: rows, to: run.staging)
        try run.commit()
        return [SweepRun.csv(named.map(\.0), rows) + "wrote \(output)/sweep.csv, sweep.json, sweep_*.svg, members/"]
    }

    /// The parts' tables as one.
    func merge() throws -> [String] {
        var scenarioName: String?, named: [(String, [Double])] = [], rows: [SweepRun.Row] = []
        for part in collect {
            let (sc, ax, r) = try SweepRun.read(part + "/sweep.json")
            if scenarioName != nil {
                guard sc == scenarioName, ax.map(\.0) == named.map(\.0), ax.map(\.1) == named.map(\.1) else {
                    throw AtomProbeError(.invalidInput, "not a part of the same sweep (scenario or axes differ)", file: part + "/sweep.json")
                }
            }
            scenarioName = sc; named = ax
            for row in r where !rows.contains(where: { $0.member == row.member }) { rows.append(row) }
        }
        let run = try RunFolder(output, kind: "simulate sweep", inputs: collect.map { $0 + "/sweep.json" })
        try SweepRun.write(scenario: scenarioName ?? scenario.rawValue, axes: named, rows: rows, to: run.staging)
        try run.commit()
        let expected = named.reduce(1) { $0 * $1.1.count }
        return [SweepRun.csv(named.map(\.0), rows) + "wrote \(output)/sweep.csv, sweep.json, sweep_*.svg: \(rows.count) of \(expected) members"]
    }
}
