import Foundation
import KitFoundation

/// One solved scenario: what was asked (scenario, settings, parameters), the fields at the end
/// and how the solve went. `summaryJSON` is `summary.json`.
public struct Simulation: Sendable {
    public let scenario: Scenario
    public let settings: ScenarioSettings
    public let parameters: Parameters
    public let results: FieldResults
    public let report: SolveReport
    /// Set for a finite-time transient (`--end-time-s`), nil for a steady state.
    public let kinetics: Kinetics?
    /// The spread (max - min, units of R T) of the chemical potential in local equilibrium with
    /// each node's c and stress: 0 at the steady state of a closed system, whichever solver ran.
    /// Computed once (it takes a residual assembly): summary.json, the printed summary and the
    /// sweep metrics read it.
    public let muSpread: Double

    public var model: SegregationModel { results.model }

    public init(scenario: Scenario, settings: ScenarioSettings, parameters: Parameters, results: FieldResults, report: SolveReport, kinetics: Kinetics? = nil) {
        self.scenario = scenario; self.settings = settings; self.parameters = parameters; self.results = results; self.report = report
        self.kinetics = kinetics
        let mu = results.model.localMu(results.x)
        muSpread = (mu.max() ?? 0) - (mu.min() ?? 0)
    }

    /// Strains above this (the mean normal strain sigma_h / (3 K)) get a warning.
    public static let smallStrain = 0.1

    /// How the steady state is found: `direct` solves the equilibrium at fixed Li content
    /// (EquilibriumSolver; closed systems only), `transient` time-steps to it (TransientSolver),
    /// `automatic` takes direct where it applies.
    public enum SteadySolver: String, Sendable, CaseIterable { case automatic, direct, transient }

    /// A finite-time transient instead of the steady state: stop at `endTime` (s), keep the
    /// fields at `snapshotTimes` (s), steps under the local error tolerance `timeTolerance` (c).
    public struct Kinetics: Sendable {
        public var endTime: Double
        public var snapshotTimes: [Double]
        public var timeTolerance = 1e-4
        /// `count` snapshots evenly spaced in sqrt(t) (in diffusion length) up to `endTime`.
        public init(endTime: Double, snapshots count: Int, timeTolerance: Double = 1e-4) {
            self.endTime = endTime
            self.snapshotTimes = count < 1 ? [endTime] : (1...count).map { endTime * Double($0 * $0) / Double(count * count) }
            self.timeTolerance = timeTolerance
        }
        /// The most snapshots a run keeps.
        public static let maxSnapshots = 200
    }

    /// Builds and solves a scenario. `note` receives warnings (a mesh too coarse for the cores, no
    /// steady state, strains beyond small strains), `progress` one line per stage and time step.
    public static func run(_ scenario: Scenario, parameters p: Parameters, settings s: ScenarioSettings, maxSteps: Int,
                           maxWallSeconds: Double = SolverOptions().maxWallSeconds, solver choice: SteadySolver = .automatic,
                           kinetics: Kinetics? = nil, progress: ((String) -> Void)? = nil, note: ((String) -> Void)? = nil) throws -> Simulation {
        let model = try SegregationModel.scenario(scenario, parameters: p, settings: s)
        let a = model.dislocations.map(\.coreWidth).min() ?? p.coreWidth / 1e-9
        let minSize = model.mesh.minElementSize
        if !model.dislocations.isEmpty && minSize > a / 2 {
            note?(String(format: "warning: the smallest element (%.3g nm) is larger than half the core width (%.3g nm); use more elements or more grading", minSize, a / 2))
        }
        progress?("\(scenario.rawValue): \(model.mesh.elementCount) elements, \(model.dofCount) unknowns, \(model.dislocations.count) dislocation(s), smallest element \(String(format: "%.3g", minSize)) nm")
        var opts = SolverOptions(); opts.maxSteps = maxSteps; opts.maxWallSeconds = maxWallSeconds
        if let k = kinetics {
            guard k.endTime.isFinite, k.endTime > 0, k.snapshotTimes.count <= Kinetics.maxSnapshots,
                  k.snapshotTimes.allSatisfy({ $0.isFinite && $0 >= 0 && $0 <= k.endTime }),
                  k.timeTolerance.isFinite, k.timeTolerance > 0, k.timeTolerance < 1 else {
                throw AtomProbeError.invalid("a transient needs an end time > 0 s, at most \(Kinetics.maxSnapshots) snapshots within it and a time tolerance in (0, 1)")
            }
            guard !model.elasticOnly else { throw AtomProbeError.invalid("an end time is for the coupled problem; mechanics alone has no time") }
            guard choice != .direct else { throw AtomProbeError.invalid("an end time runs the transient solver; it cannot use the direct solver") }
            // Memory of the snapshots (state + fields per node and snapshot).
            try s.memory.require(Double(k.snapshotTimes.count) * Double(model.mesh.nodeCount) * 8 * 20, for: "\(k.snapshotTimes.count) snapshots")
            opts.endTime = k.endTime / model.timeUnit
            opts.outputTimes = k.snapshotTimes.map { $0 / model.timeUnit }
            opts.timeTolerance = k.timeTolerance
            opts.initialTimeStep = min(opts.initialTimeStep, opts.endTime! / 100)
        }
        let closed = model.isClosed
        if choice == .direct && !closed {
            throw AtomProbeError.invalid(model.elasticOnly ? "the direct solver is for the coupled problem (mechanics alone is one linear solve)"
                                                           : "the direct solver needs a closed system: a reservoir (prescribed c) has no equilibrium at fixed Li content; use the transient solver")
        }
        let useDirect = closed && choice != .transient && kinetics == nil
        let solver: TransientSolver
        do { solver = try TransientSolver(model: model, options: opts) } catch { throw AtomProbeError.invalid("\(error)") }
        let x0 = solver.initialState { model.referenceConcentration(node: $0) }
        let (x, report) = useDirect ? try EquilibriumSolver(model: model, options: opts).solve(x0, progress: progress)
                                    : try solver.run(x0, progress: progress)
        if !report.steady && kinetics == nil { note?("warning: no steady state after \(report.steps) time steps (raise the maximum number of steps)") }
        if let k = kinetics, report.time * model.timeUnit < k.endTime * (1 - 1e-9) {
            note?(String(format: "warning: the run stopped at t = %.3g s, before the end time %.3g s, after %d time steps (raise the maximum number of steps)", report.time * model.timeUnit, k.endTime, report.steps))
        }
        let results = FieldResults(model: model, state: x)
        // Linear elasticity holds for small strains: say so when the hydrostatic stress implies
        // strains beyond a few per cent (e.g. a Burgers vector of several nm).
        // Each node against its own material: the mean normal strain sigma_h / (3 K), K the bulk
        // modulus (C11 + 2 C12) / 3.
        let bulk = model.materials.map { m -> Double in let C = m.parameters.elasticTensor(); return (C[0, 0] + 2 * C[0, 1]) / 3 * 1e9 }
        let strain = (0..<model.mesh.nodeCount).map { abs(results.sigmaH[$0]) / (3 * bulk[model.materialOfNode($0)]) }
        if let k = strain.indices.max(by: { strain[$0] < strain[$1] }), strain[k] > Self.smallStrain {
            note?(String(format: "warning: the hydrostatic stress reaches %.3g GPa in %@, a mean normal strain of about %.0f %% (above %.0f %%): beyond small strains, where this linear model holds",
                         results.sigmaH[k] / 1e9, model.materials[model.materialOfNode(k)].name, 100 * strain[k], 100 * Self.smallStrain))
        }
        return Simulation(scenario: scenario, settings: s, parameters: p, results: results, report: report, kinetics: kinetics)
    }

    /// The default profile line (x0, y0, x1, y1) in nm: vertical through the first dislocation
    /// core, or across the interface through x = 0.
    public var defaultProfileLine: (Double, Double, Double, Double) {
        let half = settings.domain / 2
        let cx = scenario == .dislocation ? (model.dislocations.first?.x ?? 0) : 0
        return (cx, -half, cx, half)
    }

    /// 10-90 % width of the laterally averaged c(y) (central half of x, away from the free
    /// edges) between the mean LLZO value (y in [-0.45 L, -0.25 L]) and the mean Li value
    /// (y in [0.25 L, 0.45 L]); nil when there is no step to measure.
    public var interdiffusionWidth: Double? {
        let mesh = model.mesh, c = results.c
        let L = mesh.ys.last! - mesh.ys.first!
        let columns = (0..<mesh.nodeCountX).filter { abs(mesh.xs[$0]) <= L / 4 }
        guard !columns.isEmpty else { return nil }
        let avg = (0..<mesh.nodeCountY).map { j in columns.reduce(0.0) { $0 + c[mesh.node($1, j)] } / Double(columns.count) }
        func mean(_ y0: Double, _ y1: Double) -> Double? {
            let rows = (0..<mesh.nodeCountY).filter { mesh.ys[$0] >= y0 && mesh.ys[$0] <= y1 }
            return rows.isEmpty ? nil : rows.reduce(0.0) { $0 + avg[$1] } / Double(rows.count)
        }
        guard let lo = mean(-0.45 * L, -0.25 * L), let hi = mean(0.25 * L, 0.45 * L), abs(hi - lo) > 1e-6 else { return nil }
        let central = (1..<max(1, avg.count)).filter { abs(mesh.ys[$0]) < 0.25 * L }
        return PiecewiseLinear.crossings10_90(mesh.ys, avg, from: lo, to: hi, segmentEnds: central).map { abs($0.at90 - $0.at10) }
    }


    /// "mu uniform to ..." for the summary line (round-off level spreads as a bound, so that the line
    /// does not change with the last bits).
    var muSpreadText: String {
        let s = muSpread
        return s < 1e-9 ? "mu uniform to better than 1e-9 RT" : String(format: "mu uniform to %.2g RT", s)
    }

    /// `summary.json`.
    public var summaryJSON: JSONValue {
        let r = results, model = self.model, p = parameters, interior = interiorExtremes
        var fields: [(String, JSONValue)] = [
            ("scenario", .string(scenario.rawValue)),
            ("parameters", ParameterFile.json(p)),
            ("dislocations", .array(model.dislocations.map { d in
                .object([("x_nm", .number(d.x)), ("y_nm", .number(d.y)), ("burgers_nm", .numbers([d.bx, d.by])), ("core_width_nm", .number(d.coreWidth))])
            })),
            ("steady_state", .bool(report.steady)),
            ("solver", .string(report.solver.rawValue)),
            ("mu_spread_rt", .number(muSpread)),
            ("mu_spread_j_per_mol", .number(muSpread * Units.gasConstant * p.temperature)),
            ("time_steps", .int(report.steps)),
            ("newton_iterations", .int(report.newtonIterations)),
            ("factorizations", .int(report.factorizations)),
            ("mass_change_relative", .number(report.massChangeRelative)),
            ("time_s", .number(report.time * model.timeUnit)),
            ("snapshot_times_s", .numbers(report.snapshots.map { $0.time * model.timeUnit })),
            ("rejected_time_steps", .int(report.rejectedSteps)),
            ("mesh", .object([("domain_nm", .number(settings.domain)), ("elements_per_edge", .int(settings.elements)), ("grading_per_nm", .number(settings.grading)),
                              ("nodes", .int(model.mesh.nodeCount)), ("unknowns", .int(model.dofCount)),
                              ("min_element_nm", .number(model.mesh.minElementSize))])),
            ("elastic_only", .bool(settings.elasticOnly)),
            ("sign_convention", .string(p.printedSign ? "eq. 14 as printed: mu = RT[...] + sigma:Omega/3" : "mu = RT[chi(1-2c) + ln(c/(1-c))] - sigma:Omega/3 (Li to tension)")),
            ("li_at_pct_mapping", .string("LLZO: 100*9c/(9c+17); Li metal: 100")),
            ("results", .object([
                ("c_min", .number(r.c.min()!)), ("c_max", .number(r.c.max()!)),
                ("li_at_pct_min", .number(r.liAtPercent.min()!)), ("li_at_pct_max", .number(r.liAtPercent.max()!)),
                ("sigma_h_min_pa", .number(r.sigmaH.min()!)), ("sigma_h_max_pa", .number(r.sigmaH.max()!)),
                ("mu_j_per_mol_mean", .number(r.mu.reduce(0, +) / Double(r.mu.count))),
            ])),
            ("results_interior", .object([
                ("c_min", .number(interior.cMin)), ("c_max", .number(interior.cMax)),
                ("sigma_h_min_pa", .number(interior.sigmaHMin)), ("sigma_h_max_pa", .number(interior.sigmaHMax)),
                ("region", .string(scenario == .interface
                    ? "central half in x: the bimaterial corners (interface at the free lateral edges) are stress singularities, where results holds the extremes"
                    : "every node")),
            ])),
            ("timing_s", .object([("wall", .number(report.wallSeconds)), ("assembly", .number(report.assemblySeconds)),
                                  ("symbolic_factorization", .number(report.symbolicSeconds)), ("numeric_factorization", .number(report.factorSeconds)),
                                  ("solve", .number(report.solveSeconds))])),
            ("residual_history", .array(report.residualHistory.map { .numbers($0) })),
        ]
        if scenario == .interface {
            fields.append(("misfit_spacing_nm", .number(settings.misfitSpacing)))
            if let w = interdiffusionWidth { fields.append(("interdiffusion_width_nm", .number(w))) }
        }
        return .object(fields)
    }

    /// The lines a front end prints after a run.
    public var summaryLines: [String] {
        let r = results
        var lines = [
            kinetics != nil
                ? String(format: "%@: transient to t = %.3g s: %d time steps (%d redone shorter), %d Newton iterations (%d factorizations), %.1f s; %d snapshots",
                         scenario.rawValue, report.time * model.timeUnit, report.steps, report.rejectedSteps, report.newtonIterations, report.factorizations,
                         report.wallSeconds, report.snapshots.count)
                : report.solver == .direct
                ? String(format: "%@: steady state solved directly (equilibrium at fixed Li content): %d Newton iterations (%d factorizations), %.1f s; %@",
                         scenario.rawValue, report.newtonIterations, report.factorizations, report.wallSeconds, muSpreadText)
                : String(format: "%@: %@ after %d time steps, %d Newton iterations (%d factorizations), %.1f s%@",
                         scenario.rawValue, report.steady ? "steady state" : "NOT steady", report.steps, report.newtonIterations, report.factorizations, report.wallSeconds,
                         model.isClosed ? "; " + muSpreadText : ""),
            String(format: "c %.4f ... %.4f, Li %.2f ... %.2f at.%%, sigma_h %.3g ... %.3g GPa, mass change %.2e",
                   r.c.min()!, r.c.max()!, r.liAtPercent.min()!, r.liAtPercent.max()!, r.sigmaH.min()! / 1e9, r.sigmaH.max()! / 1e9, report.massChangeRelative),
        ]
        if scenario == .interface, let w = interdiffusionWidth {
            lines.append(String(format: "interdiffusion width (10-90%% of the laterally averaged c across the interface): %.2f nm", w))
        }
        return lines
    }
}
