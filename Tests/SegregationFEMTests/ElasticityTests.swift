import XCTest
import APKTestSupport
import Foundation
@testable import SegregationFEM

final class ElasticityTests: XCTestCase {
    /// sigma_h of a non-singular edge dislocation from the FEM (elastic only, traction-free
    /// square of half-size L) against the closed form of Cai et al. (2006) for an infinite body.
    func dislocationErrors(elements n: Int, halfSize L: Double, grading: Double, burgers: (Double, Double) = (1.123, 0),
                           cutAlongMesh: Bool = false, radii: [Double] = [2, 3, 5, 8]) throws -> (maxRelError: Double, minSize: Double) {
        var p = Parameters()
        p.coreWidth = 1e-9
        let a = 1.0
        let axis = gradedAxis(from: -L, to: L, elements: n, foci: [0], grading: grading)
        let mesh = QuadMesh(xs: axis, ys: axis)
        let along = EdgeDislocation(x: 0, y: 0, bx: burgers.0, by: burgers.1, coreWidth: a)
        let d = cutAlongMesh ? along.cutAlongMeshAxis : along
        let model = try SegregationModel(mesh: mesh, parameters: p, dislocations: [d], material: { _, _ in 0 },
                                         edges: [:], elasticOnly: true)
        let solver = try TransientSolver(model: model)
        let (x, _) = try solver.run(solver.initialState { _ in 0.78 })
        let C = p.llzo.elasticTensor()
        var worst = 0.0
        for r in radii {
            for angle in [30.0, 60.0, 90.0, 135.0, 240.0, 300.0] {
                // Sample at the centroid of the element holding the point (where Q1 stresses are most
                // accurate and the element-wise eigenstrain is sampled).
                let e = model.element(containing: r * cos(angle * .pi / 180), r * sin(angle * .pi / 180))!
                let (px, py) = mesh.elementCentroid(e)
                let fem = SegregationModel.hydrostatic(model.evaluate(x, at: px, py)!.stress)
                let exact = d.closedFormHydrostatic(px, py, shearModulus: C.shearModulus, poissonRatio: C.poissonRatio)
                worst = max(worst, abs(fem - exact) / abs(exact))
                if ProcessInfo.processInfo.environment["APK_DEBUG2"] != nil { print("r \(r) angle \(angle): fem \(fem) exact \(exact) rel \((fem - exact) / exact)") }
            }
        }
        return (worst, mesh.minElementSize)
    }

    /// Closed form (Cai et al. 2006): within 2 % at r = 2a ... 8a on a mesh of a/3 near the core.
    func testEdgeDislocationMatchesCai() throws {
        let (err, h) = try dislocationErrors(elements: 240, halfSize: 1000, grading: 0.12)
        XCTAssertLessThanOrEqual(h, 0.5)  // mesh size <= a/2 near the core
        XCTAssertLessThan(err, 0.02, "max relative error \(err) (min element \(h) nm)")
    }

    /// Closed form (Cai et al. 2006, which does not depend on the cut): a Burgers vector at 45
    /// degrees to the mesh. With the cut along the mesh axis (what `simulate` uses) the FEM is
    /// within 2 % at r = 3a ... 8a in every direction, behind the core included (2.7 % at 2a,
    /// 15 degrees off the slip plane, where the graded mesh is coarser than on the axes); with the
    /// cut along b (crossing elements obliquely) the error behind the core is 5 % on the same mesh.
    func testInclinedDislocationMatchesCai() throws {
        let b45 = (1.123 / 2.0.squareRoot(), 1.123 / 2.0.squareRoot())
        let (along, _) = try dislocationErrors(elements: 240, halfSize: 1000, grading: 0.12, burgers: b45, cutAlongMesh: true, radii: [3, 5, 8])
        XCTAssertLessThan(along, 0.02, "cut along the mesh: max relative error \(along)")
        let (oblique, _) = try dislocationErrors(elements: 240, halfSize: 1000, grading: 0.12, burgers: b45, cutAlongMesh: false, radii: [3, 5, 8])
        XCTAssertGreaterThan(oblique, 2 * along, "cut along b: \(oblique), along the mesh: \(along)")
    }

    /// The error falls with refinement at about second order (Q1 stresses sampled at centroids).
    func testConvergenceOrder() throws {
        let (e1, h1) = try dislocationErrors(elements: 80, halfSize: 1000, grading: 0.12)
        let (e2, h2) = try dislocationErrors(elements: 160, halfSize: 1000, grading: 0.12)
        let order = log(e1 / e2) / log(h1 / h2)
        XCTAssertGreaterThan(order, 1.5, "errors \(e1) at h \(h1), \(e2) at h \(h2)")
    }
}

final class DislocationCutTests: XCTestCase {
    /// A cut ahead of the line with the opposite slip differs from the cut behind by a uniform
    /// slip of the whole plane: W_behind - W_ahead integrates the spreading function over the full line.
    func testCutSidesDifferByWholePlaneSlip() {
        let behind = EdgeDislocation(x: 1, y: 2, bx: 1, by: 0, coreWidth: 0.8)
        var ahead = behind; ahead.cutAhead = true
        for (px, py) in [(0.0, 2.0), (3.0, 2.5), (-4.0, 1.0), (1.0, 2.0)] {
            let a = 0.8, A2 = (py - 2) * (py - 2) + a * a
            let line = 3 * pow(a, 4) / (4 * pow(A2, 2.5))
            assertClose(behind.spreading(px, py) - ahead.spreading(px, py), line, within: .roundoff(1e-12, "the two cut directions differ by the line of the cut"))
        }
        // Far behind, W tends to the full line integral; far ahead, to 0 (and the reverse for the other cut).
        assertClose(behind.spreading(-1000, 2), 3 / (4 * 0.8), within: .closedForm(1e-6, "spreading function far behind the core: 3 / (4 a)"))
        assertClose(behind.spreading(1000, 2), 0, within: .closedForm(1e-9, "spreading function vanishes far ahead"))
        assertClose(ahead.spreading(-1000, 2), 0, within: .closedForm(1e-9, "spreading function vanishes far ahead"))
    }
}
