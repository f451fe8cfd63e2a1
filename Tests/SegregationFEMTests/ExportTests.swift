import XCTest
import APKTestSupport
import Foundation
import HDF5Kit
import ResultsBundle
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import SegregationFEM

final class ExportTests: XCTestCase {
    func solved() throws -> FieldResults {
        var s = ScenarioSettings(); s.domain = 10; s.elements = 10; s.grading = 0
        let model = try SegregationModel.scenario(.dislocation, parameters: Parameters(), settings: s)
        let solver = try TransientSolver(model: model)
        return FieldResults(model: model, state: try solver.run(solver.initialState { model.referenceConcentration(node: $0) }).0)
    }

    /// The HDF5 file reads back to the same fields; the XDMF and VTU are well-formed XML.
    func testHDF5XDMFAndVTU() throws {
        let r = try solved()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("apk-fem-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let xdmf: String
        do {
            let f = try HDF5File.create(path)
            xdmf = try r.writeHDF5(f, group: "simulation", fileName: "x.h5")
        }
        let f = try HDF5File.open(path)
        XCTAssertEqual(try f.openGroup("simulation/fields").read("c", as: Double.self).values, r.c)
        XCTAssertEqual(try f.openGroup("simulation/mesh").read("quads", as: Int32.self).shape, [100, 4])
        XCTAssertEqual(try f.openGroup("simulation/fields").stringAttribute("units_sigma_h_pa"), "Pa")
        XCTAssertEqual(try XMLDocument(data: Data(xdmf.utf8)).rootElement()?.name, "Xdmf")
        let vtu = try XMLDocument(data: Data(r.vtu().utf8))
        XCTAssertEqual(vtu.rootElement()?.name, "VTKFile")
    }

    /// Closed form: the Li at.% mapping of nominal LLZO (c = 7/9 gives Li7La3Zr2O12: 7/24).
    func testLiMapping() {
        assertClose(LiMapping().atPercent(7.0 / 9, in: .hostLattice), 100 * 7.0 / 24, within: .roundoff(1e-12, "100 * 9c / (9c + 17) at c = 7/9"))
        XCTAssertEqual(LiMapping().atPercent(0.5, in: .metal), 100)
    }

    /// A profile through the mesh interpolates the nodal values (at a node it returns that node's value).
    func testProfileHitsNodes() throws {
        let r = try solved()
        let p = try r.profile(from: (-5, 0), to: (5, 0), count: 11)
        for k in 0..<11 {
            let n = r.model.mesh.node(k, 5)
            assertClose(p.c[k], r.c[n], within: .roundoff(1e-12, "a profile through nodes reproduces nodal values"))
        }
        XCTAssertThrowsError(try r.profile(from: (-6, 0), to: (5, 0)))
    }
}
