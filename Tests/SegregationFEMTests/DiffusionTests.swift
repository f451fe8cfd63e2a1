import XCTest
import APKTestSupport
import Foundation
@testable import SegregationFEM

final class DiffusionTests: XCTestCase {
    /// Closed form: with Omega = 0 and chi = 0 the model is linear diffusion (J = -c(1-c) grad ln(c/(1-c))
    /// = -grad c) for any c: a step c1 | c2 at x = 0 becomes (c1+c2)/2 + (c2-c1)/2 erf(x / (2 sqrt(D t))).
    func testStepRelaxesLikeErf() throws {
        var p = Parameters()
        p.partialMolarVolume = 0
        let xs = (0...160).map { -60 + 0.75 * Double($0) }
        let mesh = QuadMesh(xs: xs, ys: [0, 0.75])
        let model = try SegregationModel(mesh: mesh, parameters: p, dislocations: [], material: { _, _ in 0 }, edges: [:])
        var opts = SolverOptions()
        opts.initialTimeStep = 0.125; opts.fixedTimeStep = true; opts.endTime = 25; opts.maxSteps = 1000
        let solver = try TransientSolver(model: model, options: opts)
        let (c1, c2) = (0.2, 0.7)
        let x0 = solver.initialState { n in
            let x = mesh.position(n).0
            return x < 0 ? c1 : (x > 0 ? c2 : (c1 + c2) / 2)
        }
        let (x, report) = try solver.run(x0)
        assertClose(report.time, 25, within: .roundoff(1e-9, "the end time is reached exactly"))
        var worst = 0.0
        for n in 0..<mesh.nodeCount {
            let px = mesh.position(n).0
            let exact = (c1 + c2) / 2 + (c2 - c1) / 2 * erf(px / (2 * 25.0.squareRoot()))
            worst = max(worst, abs(model.concentration(x, node: n) - exact))
        }
        XCTAssertLessThan(worst, 0.005 * (c2 - c1), "max deviation \(worst)")
        XCTAssertLessThan(abs(report.massChangeRelative), 1e-10)
    }
}

final class ClampedDiffusionTests: XCTestCase {
    /// Closed form: in a clamped body (u = 0 everywhere) the mobility of eq. (15) turns the coupled
    /// problem into linear diffusion with D0 for any chi and Omega; the step follows erf.
    func testClampedBodyDiffusesLinearly() throws {
        var p = Parameters()
        p.interaction = 1.5
        p.partialMolarVolume = 3.5e-6
        let xs = (0...120).map { -45 + 0.75 * Double($0) }
        let mesh = QuadMesh(xs: xs, ys: [0, 0.75])  // every node on the top or bottom edge
        let model = try SegregationModel(mesh: mesh, parameters: p, dislocations: [], material: { _, _ in 0 },
                                         edges: [.top: EdgeConditions(mechanical: .fixed), .bottom: EdgeConditions(mechanical: .fixed)], pin: false)
        var opts = SolverOptions()
        opts.initialTimeStep = 0.125; opts.fixedTimeStep = true; opts.endTime = 16; opts.maxSteps = 1000
        let solver = try TransientSolver(model: model, options: opts)
        let (c1, c2) = (0.3, 0.6)
        let (x, _) = try solver.run(solver.initialState { n in
            let px = mesh.position(n).0
            return px < 0 ? c1 : (px > 0 ? c2 : (c1 + c2) / 2)
        })
        var worst = 0.0
        for n in 0..<mesh.nodeCount {
            let exact = (c1 + c2) / 2 + (c2 - c1) / 2 * erf(mesh.position(n).0 / (2 * 16.0.squareRoot()))
            worst = max(worst, abs(model.concentration(x, node: n) - exact))
        }
        XCTAssertLessThan(worst, 0.005 * (c2 - c1), "max deviation \(worst)")
    }
}

/// The transient as a time series, against the closed form, with the step chosen by the error
/// estimate instead of fixed.
final class TimeSeriesTests: XCTestCase {
    /// Closed form (as in `DiffusionTests`): a step c1 | c2 relaxes as erf(x / (2 sqrt(D t))) in a
    /// long bar (60 nm each side, far beyond sqrt(D t) = 5 nm). Snapshots at t = 0.5, 2, 8 and 25
    /// (scaled, (1 nm)^2 / D0), the steps growing from 0.01 under a local error tolerance of 1e-4:
    /// every snapshot lands on its time exactly and is within 1 % of the step of erf; without the
    /// control (the step grown 8x whenever Newton converges easily) the early error is several
    /// times larger.
    func testSnapshotsFollowErfUnderErrorControl() throws {
        var p = Parameters()
        p.partialMolarVolume = 0
        let xs = (0...160).map { -60 + 0.75 * Double($0) }
        let mesh = QuadMesh(xs: xs, ys: [0, 0.75])
        let model = try SegregationModel(mesh: mesh, parameters: p, dislocations: [], material: { _, _ in 0 }, edges: [:])
        let (c1, c2) = (0.2, 0.7)
        let times = [0.5, 2, 8, 25.0]
        func solve(control: Bool) throws -> (SolveReport, [Double]) {
            var opts = SolverOptions()
            opts.initialTimeStep = 0.01; opts.endTime = 25; opts.outputTimes = times
            opts.timeTolerance = control ? 1e-4 : nil
            let solver = try TransientSolver(model: model, options: opts)
            let (_, report) = try solver.run(solver.initialState { n in
                let x = mesh.position(n).0
                return x < 0 ? c1 : (x > 0 ? c2 : (c1 + c2) / 2)
            })
            let errors = report.snapshots.map { s in
                (0..<mesh.nodeCount).map { n in
                    abs(model.concentration(s.state, node: n) - ((c1 + c2) / 2 + (c2 - c1) / 2 * erf(mesh.position(n).0 / (2 * s.time.squareRoot()))))
                }.max()!
            }
            return (report, errors)
        }
        let (report, errors) = try solve(control: true)
        XCTAssertEqual(report.snapshots.map(\.time), times)
        for (t, e) in zip(times, errors) { XCTAssertLessThan(e, 0.01 * (c2 - c1), "t = \(t): max deviation \(e)") }
        let (_, uncontrolled) = try solve(control: false)
        XCTAssertGreaterThan(uncontrolled.max()!, 2 * errors.max()!, "uncontrolled \(uncontrolled) vs controlled \(errors)")
        print("erf deviations, controlled \(errors) (\(report.steps) steps, \(report.rejectedSteps) rejected); uncontrolled \(uncontrolled)")
    }
}
