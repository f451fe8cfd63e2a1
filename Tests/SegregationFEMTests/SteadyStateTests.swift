import XCTest
import APKTestSupport
import Foundation
@testable import SegregationFEM

/// Li around an edge dislocation in a closed LLZO grain, run to steady state.
final class SteadyStateTests: XCTestCase {
    static let solved: (SegregationModel, [Double], SolveReport) = {
        var s = ScenarioSettings()
        s.domain = 24; s.elements = 40; s.grading = 0.15
        let model = try! SegregationModel.scenario(.dislocation, parameters: Parameters(), settings: s)
        var opts = SolverOptions()
        opts.reuseFactorization = false  // full Newton, to see its quadratic convergence
        let solver = try! TransientSolver(model: model, options: opts)
        let x0 = solver.initialState { model.referenceConcentration(node: $0) }
        let (x, report) = try! solver.run(x0, progress: ProcessInfo.processInfo.environment["APK_DEBUG"] != nil ? { print($0) } : nil)
        if ProcessInfo.processInfo.environment["APK_DEBUG"] != nil {
            print("assembly \(report.assemblySeconds) factor \(report.factorSeconds) solve \(report.solveSeconds) wall \(report.wallSeconds) iterations \(report.newtonIterations)")
        }
        return (model, x, report)
    }()

    /// Steady state: mu is uniform, and each node is in local equilibrium with its stress:
    /// mu = ln(c/(1-c)) - (alpha/3) P, P the projected sigma : omega (chi = 0).
    func testEquilibrium() throws {
        let (model, x, report) = Self.solved
        XCTAssertTrue(report.steady)
        let mu = (0..<model.mesh.nodeCount).map { x[model.dofs.dof($0, .mu)] }
        let mean = mu.reduce(0, +) / Double(mu.count)
        XCTAssertLessThan(mu.map { abs($0 - mean) }.max()!, 1e-6)
        let omega = model.omegaVoigt(material: 0), k = model.stressCouplingCoefficient(material: 0)
        let P = model.projectedNodal(x) { s in (0..<6).reduce(0.0) { $0 + s[$1] * omega[$1] } }
        for n in 0..<model.mesh.nodeCount {
            let c = model.concentration(x, node: n)
            assertClose(log(c / (1 - c)) - k * P[n], mu[n], within: .closedForm(1e-8, "local equilibrium mu = ln(c/(1-c)) - k P at steady state (Newton tolerance)"))
        }
    }

    /// Li gathers where sigma_h is tensile and is depleted where it is compressive (Fig. 8).
    func testLiFollowsTension() throws {
        let (model, x, _) = Self.solved
        let sh = model.nodalHydrostatic(x)
        let c = (0..<model.mesh.nodeCount).map { model.concentration(x, node: $0) }
        let ref = model.parameters.llzo.referenceSiteFraction
        let iMax = sh.indices.max { sh[$0] < sh[$1] }!, iMin = sh.indices.min { sh[$0] < sh[$1] }!
        XCTAssertGreaterThan(sh[iMax], 0); XCTAssertLessThan(sh[iMin], 0)
        XCTAssertGreaterThan(c[iMax], ref + 0.01)
        XCTAssertLessThan(c[iMin], ref - 0.01)
        // Tension below the slip plane (y < 0 for b = +x), so Li is richer below than above.
        let below = model.evaluate(x, at: 0, -1.5)!.values[2], above = model.evaluate(x, at: 0, 1.5)!.values[2]
        XCTAssertGreaterThan(below, above)
    }

    /// Zero-flux edges conserve Li to 1e-10.
    func testMassConserved() {
        XCTAssertLessThan(abs(Self.solved.2.massChangeRelative), 1e-10)
    }

    /// Newton converges quadratically near the solution: e_{k+1} <= K e_k^2 on the residual norms
    /// (normalized by the first) of the first time step, while above round-off.
    func testQuadraticConvergence() throws {
        let norms = Self.solved.2.residualHistory[0]
        XCTAssertGreaterThanOrEqual(norms.count, 3, "\(norms)")
        let e = norms.map { $0 / norms[0] }
        var checked = 0
        for k in 1..<(e.count - 1) where e[k] < 1e-2 && e[k + 1] > 1e-13 {
            XCTAssertLessThan(e[k + 1], 100 * e[k] * e[k], "residual norms \(norms)")
            checked += 1
        }
        XCTAssertGreaterThan(checked, 0, "no iteration in the quadratic range: \(norms)")
    }

    /// The printed sign of eq. 14 sends Li to the compressive side instead (checked early in the
    /// transient: with that sign the stress coupling destabilizes, since Li attracted to
    /// compression makes more compression, and no physical steady state exists).
    func testPrintedSignReversesSegregation() throws {
        var p = Parameters(); p.printedSign = true
        var s = ScenarioSettings(); s.domain = 24; s.elements = 24; s.grading = 0.15
        let model = try SegregationModel.scenario(.dislocation, parameters: p, settings: s)
        var opts = SolverOptions(); opts.endTime = 0.2; opts.initialTimeStep = 0.05; opts.fixedTimeStep = true
        let solver = try TransientSolver(model: model, options: opts)
        let (x, _) = try solver.run(solver.initialState { model.referenceConcentration(node: $0) })
        XCTAssertLessThan(model.evaluate(x, at: 0, -1.5)!.values[2], model.evaluate(x, at: 0, 1.5)!.values[2])
    }
}
