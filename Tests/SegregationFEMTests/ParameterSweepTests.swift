import XCTest
import APKTestSupport
import Foundation
@testable import SegregationFEM

/// The grid of a sweep and its metrics.
final class ParameterSweepTests: XCTestCase {
    /// Members are the Cartesian product, first axis slowest, and each applies its values.
    func testGridOrderAndParameters() throws {
        var s = ScenarioSettings(); s.elements = 8
        let sweep = try ParameterSweep(scenario: .interface, base: Parameters(), settings: s,
                                       axes: [(.misfitSpacing, [0, 4]), (.omega, [1, 3.5, 7])])
        XCTAssertEqual(sweep.memberCount, 6)
        let m = sweep.member(4)
        XCTAssertEqual(m.values, [4, 3.5])
        XCTAssertEqual(m.settings.misfitSpacing, 4)
        XCTAssertEqual(m.parameters.partialMolarVolume, 3.5e-6, accuracy: 1e-18)
        XCTAssertEqual(m.name, "member0004_spacing4_omega3.5")
        XCTAssertEqual(sweep.member(0).values, [0, 1])
    }

    /// Impossible sweeps are refused before anything runs: a member beyond the spinodal, an axis
    /// twice, an interface axis on the dislocation scenario, too many members.
    func testRefusals() {
        var s = ScenarioSettings(); s.elements = 8
        let p = Parameters()
        XCTAssertThrowsError(try ParameterSweep(scenario: .interface, base: p, settings: s, axes: [(.chi, [0, 20])])) {
            XCTAssertTrue("\($0)".contains("spinodal") || "\($0)".contains("mobility"), "\($0)")
        }
        XCTAssertThrowsError(try ParameterSweep(scenario: .interface, base: p, settings: s, axes: [(.chi, [0]), (.chi, [1])]))
        XCTAssertThrowsError(try ParameterSweep(scenario: .dislocation, base: p, settings: s, axes: [(.misfitSpacing, [4])]))
        XCTAssertThrowsError(try ParameterSweep(scenario: .interface, base: p, settings: s,
                                                axes: [(.omega, Array(repeating: 1, count: 200)), (.chi, Array(repeating: 0, count: 200))]))
        XCTAssertThrowsError(try ParameterSweep(scenario: .interface, base: p, settings: s, axes: [(.temperature, [1])]))
    }

    /// A member's metrics are those of the same run made by hand (independent path: a Simulation
    /// run with the parameters set directly), and read off its fields: peak enrichment = highest
    /// LLZO Li at.% in the central half minus the reference 100 * 9 c_ref / (9 c_ref + 17).
    func testMetricsOfAMember() throws {
        var s = ScenarioSettings(); s.elements = 24; s.domain = 24
        let sweep = try ParameterSweep(scenario: .interface, base: Parameters(), settings: s, axes: [(.misfitSpacing, [4])])
        var settings = s; settings.misfitSpacing = 4
        let sim = try Simulation.run(.interface, parameters: Parameters(), settings: settings, maxSteps: 400)
        let m = sweep.member(0)
        let metrics = ParameterSweep.Metrics(try Simulation.run(.interface, parameters: m.parameters, settings: m.settings, maxSteps: 400))
        XCTAssertEqual(metrics.interdiffusionWidth!, sim.interdiffusionWidth!, accuracy: 1e-9)
        let mesh = sim.model.mesh
        let llzo = (0..<mesh.nodeCount).filter { abs(mesh.position($0).0) <= 6 && sim.model.materialOfNode($0) == 0 }
        let maxLi = llzo.map { sim.results.liAtPercent[$0] }.max()!
        XCTAssertEqual(metrics.liAtPctMaxLLZO, maxLi, accuracy: 1e-9)
        XCTAssertEqual(metrics.peakEnrichmentAtPct, maxLi - 100 * 9 * 0.78 / (9 * 0.78 + 17), accuracy: 1e-9)
        XCTAssertTrue(metrics.steady)
        XCTAssertLessThan(metrics.muSpreadRT, 1e-8)
    }
}
