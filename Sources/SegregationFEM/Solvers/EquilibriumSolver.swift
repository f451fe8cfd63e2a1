import Foundation
import SparseSolver
import KitFoundation

/// The steady state of a closed system solved directly: no time stepping.
///
/// With zero flux on every edge the transient of eq. (20)-(22) ends where the flux vanishes, i.e.
/// where mu is uniform: the equilibrium at fixed Li content,
///
///   R_u = 0                        mechanical equilibrium (eq. 20)
///   R_mu(u, c; mu0) = 0            mu(c, sigma) = mu0 at every node (eq. 22 with mu_I = mu0)
///   sum_I A_I c_I = total          the Li of the initial state (eq. 21 integrated)
///
/// with mu0 one unknown scalar. The mass balance rows drop out (their flux vanishes identically
/// when mu is uniform), and so do the nodal mu unknowns: the unknowns are u_x, u_y, logit c per node
/// and mu0. Newton on this bordered system: the condensed tangent K (3 unknowns per node, mu0
/// held) is factorized, and each iteration solves K y = -R and K z = dR/dmu0, then takes mu0 from
/// the mass row (block elimination). The condensed matrix comes from the same assembler and
/// kernels as the transient (Assembly.swift), by a fixed map of matrix slots.
public final class EquilibriumSolver {
    public let model: SegregationModel
    public var options: SolverOptions
    /// Condensed unknowns per node: u_x, u_y, logit c (the mu row of a node is condensed row 3n + 2).
    static let perNode = 3
    private var full: SparseMatrix
    private var condensed: SparseMatrix
    /// Per slot of the full pattern: its slot in the condensed matrix, or -1 (mass rows, mu columns).
    private let slotMap: [Int32]
    /// Per slot of the full pattern in a mu column: the condensed row its value adds to in
    /// dR/dmu0 (all nodal mu move together), or -1.
    private let muColumnRow: [Int32]
    private let lu: UMFPACKSolver
    /// Lumped nodal areas A_I (nm^2).
    public let nodalArea: [Double]

    public init(model: SegregationModel, options: SolverOptions = SolverOptions()) throws {
        guard !model.elasticOnly else { throw AtomProbeError.invalid("the direct steady-state solver is for the coupled problem; mechanics alone is one linear solve") }
        for (dof, _) in model.dirichlet where model.dofs.field(of: dof).field != .ux && model.dofs.field(of: dof).field != .uy {
            throw AtomProbeError.invalid("the direct steady-state solver needs a closed system (zero flux on every edge); with a prescribed concentration use the transient solver")
        }
        self.model = model
        self.options = options
        full = model.pattern
        let dofs = model.dofs
        // Columns: u_x, u_y, logit c (mu columns go to dR/dmu0). Rows: u rows stay, mu rows take
        // the place of c; mass (c) rows drop out. `third` is the field kept in slot 2.
        func slotOf(_ dof: Int, third: Field) -> Int? {
            let (n, f) = dofs.field(of: dof)
            switch f {
            case .ux, .uy: return Self.perNode * n + f.rawValue
            default: return f == third ? Self.perNode * n + 2 : nil
            }
        }
        func condensedIndex(_ dof: Int) -> Int? { slotOf(dof, third: .c) }
        func condensedRow(_ dof: Int) -> Int? { slotOf(dof, third: .mu) }
        let p = model.pattern
        var pairs: [(row: Int, column: Int)] = []
        pairs.reserveCapacity(p.nonZeros / 2)
        for col in 0..<p.n {
            guard let cc = condensedIndex(col) else { continue }
            for k in p.columnStart[col]..<p.columnStart[col + 1] {
                if let r = condensedRow(p.rowIndex[k]) { pairs.append((r, cc)) }
            }
        }
        let n3 = Self.perNode * model.mesh.nodeCount
        condensed = SparseMatrix(n: n3, pattern: pairs)
        var map = [Int32](repeating: -1, count: p.nonZeros)
        var muRow = [Int32](repeating: -1, count: p.nonZeros)
        for col in 0..<p.n {
            let cc = condensedIndex(col)
            for k in p.columnStart[col]..<p.columnStart[col + 1] {
                guard let r = condensedRow(p.rowIndex[k]) else { continue }
                if let cc { map[k] = Int32(condensed.slot(row: r, column: cc)!) } else { muRow[k] = Int32(r) }
            }
        }
        slotMap = map
        muColumnRow = muRow
        nodalArea = model.lumpedNodalAreas()
        // Symbolic analysis with the values of a representative state.
        let x0 = [Double](repeating: 0.5, count: model.dofCount)
        _ = model.assemble(x0, old: x0, dt: 1, matrix: &full)
        var probe = condensed
        for k in 0..<full.nonZeros where map[k] >= 0 { probe.values[Int(map[k])] += full.values[k] }
        lu = try UMFPACKSolver(pattern: probe)
    }

    /// Copies the full tangent into the condensed matrix; returns dR/dmu0 (condensed rows).
    private func condense(_ K: SparseMatrix) -> [Double] {
        var b = [Double](repeating: 0, count: condensed.n)
        condensed.zero()
        for k in 0..<K.nonZeros {
            let s = slotMap[k]
            if s >= 0 { condensed.values[Int(s)] += K.values[k] }
            else if muColumnRow[k] >= 0 { b[Int(muColumnRow[k])] += K.values[k] }
        }
        return b
    }

    /// Solves for the equilibrium holding the Li content of `initial` (a full state vector, e.g.
    /// `TransientSolver.initialState`). Returns the full state (every nodal mu = mu0) and a
    /// report (no time steps; `steady` true).
    public func solve(_ initial: [Double], progress: ((String) -> Void)? = nil) throws -> ([Double], SolveReport) {
        let wall = Stopwatch()
        let dofs = model.dofs, nodes = model.mesh.nodeCount
        var report = SolveReport()
        report.solver = .direct
        report.symbolicSeconds = lu.symbolicSeconds
        var x = initial
        let total = model.totalConcentration(x)
        // mu0 starts at the mean nodal mu of the initial state.
        var mu0 = (0..<nodes).reduce(0.0) { $0 + nodalArea[$1] * x[dofs.dof($1, .mu)] } / nodalArea.reduce(0, +)
        func setMu() { for n in 0..<nodes { x[dofs.dof(n, .mu)] = mu0 } }
        setMu()
        var loadNorm = 0.0
        var haveFactorization = false
        var previous = Double.infinity
        var history: [Double] = []
        for it in 0...options.maxNewtonIterations {
            let clock = Stopwatch()
            let R = model.assemble(x, old: x, dt: 1, matrix: &full, tangent: true)
            let b = condense(full)
            var Rc = [Double](repeating: 0, count: condensed.n)
            var uNorm = 0.0, chem = 0.0, massSum = 0.0
            for n in 0..<nodes {
                let rx = R[dofs.dof(n, .ux)], ry = R[dofs.dof(n, .uy)], rm = R[dofs.dof(n, .mu)]
                Rc[3 * n] = rx; Rc[3 * n + 1] = ry; Rc[3 * n + 2] = rm
                uNorm += rx * rx + ry * ry
                chem = max(chem, abs(rm) / nodalArea[n])
                massSum += nodalArea[n] * model.concentration(x, node: n)
            }
            uNorm = uNorm.squareRoot()
            if it == 0 { loadNorm = max(uNorm, 1e-300) }
            let G = massSum - total
            let res = SteadyResiduals(mechanics: uNorm / loadNorm, chemicalPotential: chem, mass: abs(G) / total)
            guard res.mechanics.isFinite, res.chemicalPotential.isFinite, res.mass.isFinite else {
                throw AtomProbeError(.computation, "the equilibrium solve produced non-finite values at iteration \(it)")
            }
            let merit = max(res.mechanics / options.equilibriumMechanicsTolerance, res.chemicalPotential / options.equilibriumChemicalTolerance,
                            res.mass / options.massTolerance)
            history.append(merit)
            report.assemblySeconds += clock.elapsed
            progress?(String(format: "equilibrium iteration %d: mechanics %.2e (relative), mu(c, sigma) - mu0 up to %.2e RT, Li content %.2e (relative), mu0 %.6g RT",
                             it, res.mechanics, res.chemicalPotential, res.mass, mu0))
            if merit <= 1 {
                report.steady = true
                report.residualHistory = [history]
                report.finalResiduals = res
                report.wallSeconds = wall.elapsed
                return (x, report)
            }
            guard it < options.maxNewtonIterations else { break }
            guard wall.elapsed <= options.maxWallSeconds else {
                throw AtomProbeError(.computation, String(format: "no equilibrium within the %.0f s wall-time limit (iteration %d, mu residual %.2e RT)", options.maxWallSeconds, it, res.chemicalPotential))
            }
            // Refactor unless the reused LU keeps cutting the residual at least fivefold an iteration
            // (a slower, linear contraction means the old tangent no longer fits).
            let fresh = !haveFactorization || !options.reuseFactorization || merit > 0.2 * previous
            previous = merit
            if fresh {
                try lu.factor(condensed)
                report.factorSeconds += lu.numericSeconds
                report.factorizations += 1
                haveFactorization = true
            }
            let steps = fresh ? 1 : options.refinementSteps
            let y = try lu.solve(condensed, Rc.map { -$0 }, refinementSteps: steps)
            report.solveSeconds += lu.solveSeconds
            let z = try lu.solve(condensed, b, refinementSteps: steps)
            report.solveSeconds += lu.solveSeconds
            report.newtonIterations += 1
            // Mass row: sum_I A_I c_I (1 - c_I) dw_I = -G, with dw = y - dmu0 z.
            var gy = 0.0, gz = 0.0
            for n in 0..<nodes {
                let g = nodalArea[n] * SegregationModel.variance(logit: x[dofs.dof(n, .c)])
                gy += g * y[3 * n + 2]; gz += g * z[3 * n + 2]
            }
            guard gz != 0, gz.isFinite else { throw AtomProbeError(.computation, "the Li content does not respond to mu0 (singular mass row)") }
            let dmu0 = (G + gy) / gz
            var dx = (0..<condensed.n).map { y[$0] - dmu0 * z[$0] }
            var dm = dmu0
            // Logit jumps above 8 are shortened (c stays in (0, 1) anyway).
            var maxW = 0.0
            for n in 0..<nodes { maxW = max(maxW, abs(dx[3 * n + 2])) }
            if maxW > 8 { let s = 8 / maxW; for k in dx.indices { dx[k] *= s }; dm *= s }
            for n in 0..<nodes {
                x[dofs.dof(n, .ux)] += dx[3 * n]
                x[dofs.dof(n, .uy)] += dx[3 * n + 1]
                let w = dofs.dof(n, .c)
                x[w] = min(max(x[w] + dx[3 * n + 2], -SegregationModel.maxLogit), SegregationModel.maxLogit)
            }
            for (dof, v) in model.dirichlet { x[dof] = v }
            mu0 += dm
            setMu()
        }
        throw AtomProbeError(.computation, "the direct equilibrium solve did not converge in \(options.maxNewtonIterations) Newton iterations")
    }
}
