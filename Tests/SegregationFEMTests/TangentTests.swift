import XCTest
import APKTestSupport
import KitFoundation
import SparseSolver
@testable import SegregationFEM

final class TangentTests: XCTestCase {
    /// The consistent tangent equals a central finite-difference Jacobian of the residual.
    func testTangentMatchesFiniteDifferences() throws {
        for printed in [false, true] {
            var p = Parameters()
            p.interaction = 0.8
            p.printedSign = printed
            p.llzo.cubic = [200e9, 90e9, 60e9]
            let mesh = QuadMesh(xs: gradedAxis(from: -4, to: 4, elements: 4, foci: [0], grading: 0.3), ys: [-4, -1.5, 0.5, 4])
            let d = EdgeDislocation(x: 0.2, y: 0.1, bx: 1.1, by: 0.2, coreWidth: 1)
            let model = try SegregationModel(mesh: mesh, parameters: p, dislocations: [d], material: { _, y in y > 1 ? 1 : 0 },
                                             edges: [.left: EdgeConditions(mechanical: .fixed)], pin: false)
            var rng = SeededRandom(seed: printed ? 7 : 8)  // reproducible random state
            var x = [Double](repeating: 0, count: model.dofCount)
            for n in 0..<mesh.nodeCount {
                x[model.dofs.dof(n, .ux)] = Double.random(in: -0.1...0.1, using: &rng); x[model.dofs.dof(n, .uy)] = Double.random(in: -0.1...0.1, using: &rng)
                x[model.dofs.dof(n, .c)] = Double.random(in: 0.3...0.9, using: &rng); x[model.dofs.dof(n, .mu)] = Double.random(in: -1...1, using: &rng)
            }
            let old = x.map { $0 * 0.99 }
            var K = model.pattern
            _ = model.assemble(x, old: old, dt: 0.3, matrix: &K)
            let h = 1e-6
            var maxErr = 0.0, maxVal = 0.0
            for j in 0..<model.dofCount where model.dirichlet[j] == nil {
                var xp = x, xm = x
                xp[j] += h; xm[j] -= h
                let rp = model.residual(xp, old: old, dt: 0.3), rm = model.residual(xm, old: old, dt: 0.3)
                for i in 0..<model.dofCount where model.dirichlet[i] == nil {
                    let fd = (rp[i] - rm[i]) / (2 * h)
                    let an = K.slot(row: i, column: j).map { K.values[$0] } ?? 0
                    maxErr = max(maxErr, abs(fd - an)); maxVal = max(maxVal, abs(an))
                }
            }
            XCTAssertLessThan(maxErr, 1e-6 * maxVal, "printed sign \(printed): max error \(maxErr) of \(maxVal)")
        }
    }
}

