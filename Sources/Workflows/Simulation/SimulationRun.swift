import Foundation
import KitFoundation
import SegregationFEM
import ResultsBundle

/// One FEM run into one folder (`atomprobe simulate run`): the scenario solved to steady state (or
/// a transient to an end time), its fields, profile and figures, optionally a mesh check and an
/// HDF5 bundle. Parameters arrive validated in SI units (`Parameters`, `ScenarioSettings`); the
/// folder and the bundle are published together or not at all.
public struct SimulationRun: Sendable {
    public var scenario: Scenario
    public var parameters: Parameters
    public var settings: ScenarioSettings
    public var solver: Simulation.SteadySolver = .automatic
    /// Run the transient to this time (s) instead of to steady state, keeping `snapshots` of the
    /// fields evenly spaced in sqrt(t), each time step within `timeTolerance` (in c).
    public var endTime: Double?
    public var snapshots = 5
    public var timeTolerance = 1e-4
    public var maxSteps = 400
    public var maxWallSeconds = 600.0
    /// Profile line x0, y0, x1, y1 (nm); nil: the scenario's default.
    public var profileLine: [Double]?
    public var checkMesh = false
    public var output: String
    public var bundle: String?
    /// Files the run reads (the parameter file), never overwritten by its outputs.
    public var inputs: [String] = []

    public init(scenario: Scenario, parameters: Parameters, settings: ScenarioSettings, output: String) {
        self.scenario = scenario
        self.parameters = parameters
        self.settings = settings
        self.output = output
    }

    public struct Result {
        public let simulation: Simulation
        public let meshCheck: MeshCheck?
        /// What a user reads: the summary, the mesh check and the files written.
        public let lines: [String]
    }

    /// Checks every run parameter (naming it) before anything is solved.
    public func validated() throws -> SimulationRun {
        let half = settings.domain / 2
        try Validation.require([
            (endTime.map { $0.isFinite && $0 > 0 } ?? true, "end_time_s", "must be a positive number of seconds, got \(endTime ?? 0)"),
            (endTime == nil || solver != .direct, "solver", "direct cannot run a transient to an end time"),
            ((1...Simulation.Kinetics.maxSnapshots).contains(snapshots), "snapshots", "must be 1-\(Simulation.Kinetics.maxSnapshots), got \(snapshots)"),
            (timeTolerance.isFinite && timeTolerance > 0 && timeTolerance < 1, "time_tolerance", "must be in (0, 1), got \(timeTolerance)"),
            (maxSteps > 0, "max_steps", "must be > 0, got \(maxSteps)"),
            (maxWallSeconds > 0 && maxWallSeconds.isFinite, "max_seconds", "must be a positive number, got \(maxWallSeconds)"),
            (scenario == .dislocation || settings.dislocations.isEmpty, "dislocation", "is for the dislocation scenario; the interface takes misfit dislocations"),
            (profileLine.map { $0.count == 4 } ?? true, "profile", "needs x0,y0,x1,y1 (nm)"),
            (profileLine.map { $0.allSatisfy { abs($0) <= half } } ?? true, "profile", "leaves the \(settings.domain) nm domain (coordinates within +-\(half) nm)"),
        ])
        return self
    }

    public func run(_ reporter: RunReporter) throws -> Result {
        _ = try validated()
        let folder = try RunFolder(output, kind: "simulate", inputs: inputs)
        let sim = try Simulation.run(scenario, parameters: parameters, settings: settings, maxSteps: maxSteps, maxWallSeconds: maxWallSeconds,
                                     solver: solver, kinetics: endTime.map { Simulation.Kinetics(endTime: $0, snapshots: snapshots, timeTolerance: timeTolerance) }, progress: reporter.step, note: reporter.note)
        let line = profileLine.map { ($0[0], $0[1], $0[2], $0[3]) }
        let (prof, _) = try SimulationFiles.write(sim, to: folder.staging, line: line)
        try SimulationSeries.write(sim, to: folder.staging, line: line ?? sim.defaultProfileLine)
        let check = try checkMesh ? MeshCheck.run(sim, progress: reporter.step) : nil
        if let check { try AtomicFile.write(check.json.serialized(), to: folder.staging + "/mesh_check.json") }
        let staged = try bundle.map { path in
            try ResultsBundle.staged(path, inputs: inputs) { try $0.addSimulation(scenario.rawValue, sim, profile: prof) }
        }
        do { try folder.commit() } catch { staged?.discard(); throw error }
        try staged?.publish()
        var lines = sim.summaryLines + (check?.lines ?? [])
        lines.append("wrote \(output)/\(SimulationFiles.names)" + (sim.report.snapshots.isEmpty ? "" : ", " + SimulationSeries.names))
        return Result(simulation: sim, meshCheck: check, lines: lines)
    }
}
