import Foundation
import SparseSolver
import KitFoundation

/// Backward Euler in time, Newton-Raphson with the consistent tangent in each step, and a time
/// step that grows while Newton converges easily, until a steady state: a step at least as long
/// as the diffusion time across the domain that changes no nodal c by more than 1e-9.
public final class TransientSolver {
    public let model: SegregationModel
    public var options: SolverOptions
    private var matrix: SparseMatrix
    private let lu: UMFPACKSolver
    /// APK_NEWTON_DEBUG=1 prints the residual of every Newton iteration by field.
    private let debugNewton = ProcessInfo.processInfo.environment["APK_NEWTON_DEBUG"] != nil
    /// Whether `lu` holds a factorization (of some earlier tangent) that may be reused, and the
    /// time step of that tangent (its mass block scales with 1/dt: a factorization for another
    /// step is a poor preconditioner).
    private var haveFactorization = false
    private var factoredTimeStep = 0.0

    public init(model: SegregationModel, options: SolverOptions = SolverOptions()) throws {
        self.model = model
        self.options = options
        matrix = model.pattern
        // Symbolic analysis on the pattern with a representative (nonzero) value set.
        var probe = model.pattern
        let x0 = [Double](repeating: 0.5, count: model.dofCount)
        _ = model.assemble(x0, old: x0, dt: 1, matrix: &probe)
        lu = try UMFPACKSolver(pattern: probe)
    }

    /// A state vector with u = 0, c given per node (stored as its logit) and mu in local chemical
    /// equilibrium with c (before stresses, which Newton adds).
    public func initialState(c: (Int) -> Double) -> [Double] {
        var x = [Double](repeating: 0, count: model.dofCount)
        let chi = model.parameters.interaction
        for n in 0..<model.mesh.nodeCount {
            let cn = model.dirichlet[model.dofs.dof(n, .c)].map { SegregationModel.concentration(logit: $0) } ?? c(n)
            x[model.dofs.dof(n, .c)] = SegregationModel.logit(cn)
            x[model.dofs.dof(n, .mu)] = model.elasticOnly ? 0 : chi * (1 - 2 * cn) + log(cn / (1 - cn))
        }
        for (dof, v) in model.dirichlet { x[dof] = v }
        return x
    }

    /// One backward-Euler step from `old` with step `dt`; returns the new state and the residual
    /// norms of its Newton iterations, or nil when Newton fails. Newton takes at least one
    /// iteration, and stops when the residual of every field (u, c, mu rows) is below
    /// `relativeTolerance` times the largest residual of that field seen in the run (`scales`),
    /// and the step's Li balance holds: a small mass or chemistry residual is not hidden behind a
    /// large mechanical one.
    public func step(from old: [Double], dt: Double, report: inout SolveReport, scales: inout [Double]) throws -> ([Double], [Double])? {
        var x = old
        let totalMass = model.totalConcentration(old)
        var norms: [Double] = []
        var needFactor = !haveFactorization || !options.reuseFactorization || abs(dt / factoredTimeStep - 1) > 0.25
        for it in 0..<options.maxNewtonIterations {
            // The current tangent is assembled every iteration even when an older factorization is
            // reused: UMFPACK's iterative refinement (umfpack_dl_solve with the current matrix) then
            // corrects the old LU's solution towards the exact Newton step.
            let clock = Stopwatch()
            let R = model.assemble(x, old: old, dt: dt, matrix: &matrix, tangent: true)
            var fieldNorms = [Double](repeating: 0, count: Field.perNode)
            for k in R.indices { fieldNorms[model.dofs.field(of: k).field.rawValue] += R[k] * R[k] }
            for f in fieldNorms.indices { fieldNorms[f] = fieldNorms[f].squareRoot() }
            let norm = (fieldNorms.reduce(0) { $0 + $1 * $1 }).squareRoot()
            guard norm.isFinite else { haveFactorization = false; return nil }
            norms.append(norm)
            if debugNewton { print("  iteration \(it): residual \(norm); u_x, u_y, c, mu rows \(fieldNorms)") }
            for f in fieldNorms.indices { scales[f] = max(scales[f], fieldNorms[f]) }
            var massResidual = 0.0
            for n in 0..<model.mesh.nodeCount where model.dirichlet[model.dofs.dof(n, .c)] == nil { massResidual += R[model.dofs.dof(n, .c)] }
            let massOK = abs(dt * massResidual) <= options.massTolerance * totalMass
            let fieldsOK = fieldNorms.indices.allSatisfy { fieldNorms[$0] <= options.relativeTolerance * scales[$0] }
            if norm == 0 || (it > 0 && fieldsOK && massOK) {
                report.assemblySeconds += clock.elapsed
                return (x, norms)
            }
            if it > 0 && norm > 0.5 * norms[it - 1] { needFactor = true }
            report.assemblySeconds += clock.elapsed
            let fresh = needFactor || !options.reuseFactorization
            if fresh {
                try lu.factor(matrix)
                report.factorSeconds += lu.numericSeconds
                report.factorizations += 1
                haveFactorization = true
                factoredTimeStep = dt
                needFactor = false
            }
            var dx = try lu.solve(matrix, R.map { -$0 }, refinementSteps: fresh ? 1 : options.refinementSteps)
            report.solveSeconds += lu.solveSeconds
            report.newtonIterations += 1
            // c stays in (0, 1) through its logit; only very large logit jumps are shortened.
            var maxW = 0.0
            for n in 0..<model.mesh.nodeCount { maxW = max(maxW, abs(dx[model.dofs.dof(n, .c)])) }
            if maxW > 8 { for k in dx.indices { dx[k] *= 8 / maxW } }
            var maxUpdate = 0.0
            for k in x.indices { x[k] += dx[k]; maxUpdate = max(maxUpdate, abs(dx[k])) }
            for n in 0..<model.mesh.nodeCount {
                let w = model.dofs.dof(n, .c)
                x[w] = min(max(x[w], -SegregationModel.maxLogit), SegregationModel.maxLogit)
            }
            if maxUpdate < options.updateTolerance {
                let R2 = model.residual(x, old: old, dt: dt)
                norms.append((R2.reduce(0) { $0 + $1 * $1 }).squareRoot())
                return (x, norms)
            }
        }
        haveFactorization = false  // Newton failed: do not trust that factorization again
        return nil
    }

    /// Where Newton fails: the field and node of the largest residual of a step of `dt` from `x`.
    func diagnosis(_ x: [Double], dt: Double) -> String {
        let r = model.residual(x, old: x, dt: dt)
        guard let k = r.indices.max(by: { abs(r[$0]) < abs(r[$1]) }), r[k].isFinite else { return "the residual is not finite (NaN or infinite values)" }
        let (node, field) = model.dofs.field(of: k)
        let nx = model.mesh.xs.count
        let (i, j) = (node % nx, node / nx)
        return String(format: "the largest residual (%.3g) is in the %@ equation at (%.3g, %.3g) nm", r[k], "\(field)", model.mesh.xs[i], model.mesh.ys[j])
    }

    /// Runs to steady state (or `endTime`). `progress` receives one line per time step.
    public func run(_ initial: [Double], progress: ((String) -> Void)? = nil) throws -> ([Double], SolveReport) {
        let wall = Stopwatch()
        var report = SolveReport()
        report.symbolicSeconds = lu.symbolicSeconds
        var x = initial
        let mass0 = model.totalConcentration(x)
        var scales = [Double](repeating: 0, count: Field.perNode)
        if model.elasticOnly {
            guard let (sol, norms) = try step(from: x, dt: 1, report: &report, scales: &scales) else {
                throw AtomProbeError(.computation, "Newton did not converge for the elastic problem")
            }
            report.residualHistory = [norms]; report.steps = 1; report.steady = true
            report.wallSeconds = wall.elapsed
            progress?(String(format: "elastic solve: %d Newton iteration(s), residual %.2e -> %.2e", norms.count - 1, norms.first ?? 0, norms.last ?? 0))
            return (sol, report)
        }
        let xs = model.mesh.xs, ys = model.mesh.ys
        let size = max(xs.last! - xs.first!, ys.last! - ys.first!)
        // The slowest material sets the diffusion time across the domain.
        let slowest = model.constants.map(\.mobilityScale).filter { $0 > 0 }.min() ?? 1
        let steadyDt = options.steadyMinTimeStep ?? size * size / min(1, slowest)
        let closed = model.isClosed
        var planned = options.initialTimeStep
        var t = 0.0
        var outputs = options.outputTimes.filter { $0 >= 0 }.sorted()
        while let first = outputs.first, first <= 0 { report.snapshots.append(Snapshot(time: 0, state: x)); outputs.removeFirst() }
        var previous: (state: [Double], dt: Double)?
        while report.steps < options.maxSteps {
            var dt = planned
            if let end = options.endTime {
                if t >= end * (1 - 1e-12) { break }
                dt = min(dt, end - t)
            }
            if let next = outputs.first { dt = min(dt, next - t) }
            guard let (next, norms) = try step(from: x, dt: dt, report: &report, scales: &scales) else {
                planned = dt / 2
                dt /= 2
                progress?(String(format: "step %d: Newton failed, time step halved to %.3g", report.steps + 1, dt))
                guard dt > 1e-12 else { throw AtomProbeError(.computation, "time step fell below 1e-12 without convergence: " + diagnosis(x, dt: dt)) }
                guard wall.elapsed <= options.maxWallSeconds else {
                    throw AtomProbeError(.computation, String(format: "no convergence within the %.0f s wall-time limit (step %d, t = %.3g): ", options.maxWallSeconds, report.steps, t) + diagnosis(x, dt: dt))
                }
                continue
            }
            guard wall.elapsed <= options.maxWallSeconds else {
                throw AtomProbeError(.computation, String(format: "no steady state within the %.0f s wall-time limit (step %d, t = %.3g, dt = %.3g); raise it or coarsen the mesh", options.maxWallSeconds, report.steps, t, dt))
            }
            // Time-step error estimate (when asked for): redo a step whose error is too large.
            var errorFactor = options.growth
            if let tol = options.timeTolerance, let prev = previous {
                var d = 0.0
                for n in 0..<model.mesh.nodeCount {
                    let cn = model.concentration(x, node: n), cp = model.concentration(prev.state, node: n)
                    d = max(d, abs(model.concentration(next, node: n) - (cn + dt * (cn - cp) / prev.dt)))
                }
                let err = d * dt / (2 * dt + prev.dt)
                errorFactor = min(options.growth, max(0.2, 0.9 * (tol / max(err, 1e-300)).squareRoot()))
                if err > 2 * tol && dt > 1e-9 {
                    planned = dt * errorFactor
                    report.rejectedSteps += 1
                    progress?(String(format: "step %d: time error %.2e above %.2e, redone with dt = %.3g", report.steps + 1, err, tol, planned))
                    continue
                }
            }
            var change = 0.0
            for n in 0..<model.mesh.nodeCount { change = max(change, abs(model.concentration(next, node: n) - model.concentration(x, node: n))) }
            previous = (x, dt)
            x = next
            t += dt
            report.steps += 1
            report.residualHistory.append(norms)
            report.lastTimeStep = dt
            if let out = outputs.first, t >= out - 1e-12 * max(1, out) {
                report.snapshots.append(Snapshot(time: t, state: x))
                outputs.removeFirst()
            }
            progress?(String(format: "step %d: t = %.4g (%.4g s), dt = %.3g, %d Newton iteration(s), residual %.2e -> %.2e, max change of c %.2e",
                             report.steps, t, t * model.timeUnit, dt, norms.count - 1, norms.first ?? 0, norms.last ?? 0, change))
            // Steady: nothing changes over a diffusion time, and (closed systems, whose steady state
            // is equilibrium) the nodal mu are uniform.
            let spread = closed ? model.muSpread(x) : 0
            if options.endTime == nil && change < options.steadyTolerance && dt >= steadyDt && spread <= options.muSpreadTolerance {
                let loose = options.relativeTolerance
                options.relativeTolerance = options.finalTolerance
                defer { options.relativeTolerance = loose }
                if let (polished, norms) = try step(from: x, dt: dt, report: &report, scales: &scales) {
                    x = polished
                    t += dt
                    report.steps += 1
                    report.residualHistory.append(norms)
                    progress?(String(format: "step %d: final step to tolerance %.0e, %d Newton iteration(s), residual %.2e -> %.2e",
                                     report.steps, options.finalTolerance, norms.count - 1, norms.first ?? 0, norms.last ?? 0))
                }
                report.steady = true
                break
            }
            if !options.fixedTimeStep {
                // Grow from the step taken (or keep the plan when the step was shortened to land
                // on an output or end time), by Newton's effort and the error estimate.
                let base = dt < planned ? planned : dt
                let iterations = norms.count - 1
                let effort = iterations <= 3 ? options.growth : (iterations <= 6 ? options.growth / 2 : 1)
                planned = min(base * min(effort, errorFactor), options.maxTimeStep)
            }
        }
        report.time = t
        report.massChangeRelative = (model.totalConcentration(x) - mass0) / mass0
        report.wallSeconds = wall.elapsed
        return (x, report)
    }
}
