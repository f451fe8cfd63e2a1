import XCTest
import KitFoundation
@testable import SegregationFEM
import APKTestSupport

/// Issue 14, parameters that cannot hang or lie: refused up front with the reason, a strict JSON
/// file, and summary.json's parameters reading back as a parameter file.
final class ParameterTests: XCTestCase {
    func refuses(_ change: (inout Parameters) -> Void, _ text: String, file: StaticString = #filePath, line: UInt = #line) {
        var p = Parameters()
        change(&p)
        let start = Date()
        XCTAssertThrowsError(try p.validated().checkMobility([p.llzo]), file: file, line: line) { XCTAssertTrue("\($0)".contains(text), "\($0)", file: file, line: line) }
        XCTAssertLessThan(Date().timeIntervalSince(start), 1, file: file, line: line)
    }

    /// The cases that ran for minutes or exited 0 with nonsense: each refused in well under a second.
    func testAbsurdParametersAreRefused() {
        refuses({ $0.interaction = 3; $0.partialMolarVolume = 0.1e-6 }, "spinodal")
        refuses({ $0.interaction = 20 }, "spinodal")
        refuses({ $0.temperature = 1 }, "temperature")
        refuses({ $0.temperature = .infinity }, "finite")
        refuses({ $0.interaction = .nan }, "finite")
        refuses({ $0.burgersVector = 100e-9 }, "small strains")
        refuses({ $0.llzo.cubic = [100e9, -60e9, 50e9] }, "C11 + 2 C12")
        // Closed form of the pole: 4 - 2 chi + kappa > 0 just below the limit, refused just above it.
        var p = Parameters()
        let limit = 2 + p.mobilityKappa(p.llzo) / 2
        p.interaction = limit - 1e-6
        XCTAssertNoThrow(try p.checkMobility([p.llzo]))
        p.interaction = limit + 1e-6
        XCTAssertThrowsError(try p.checkMobility([p.llzo]))
        XCTAssertThrowsError(try SegregationModel.scenario(.dislocation, parameters: p, settings: ScenarioSettings()), "the model refuses it too")
        p.allowSpinodal = true
        XCTAssertNoThrow(try p.checkMobility([p.llzo]), "explicitly allowed")
        // A negative partial molar volume is physical (the lattice shrinks with Li): accepted.
        var q = Parameters(); q.partialMolarVolume = -2e-6
        XCTAssertNoThrow(try q.validated())
    }

    /// The JSON file is strict: wrong types, repeated keys and derived keys that disagree are
    /// errors naming the key.
    func testStrictParameterFile() {
        for (text, key) in [("{\"temperature_k\": \"298\"}", "temperature_k"),
                            ("{\"printed_sign_of_eq14\": 1}", "printed_sign_of_eq14"),
                            ("{\"temperature_k\": 300, \"temperature_k\": 310}", "temperature_k\" appears twice"),
                            ("{\"llzo\": {\"poisson_ratio\": 0.2, \"poisson_ratio\": 0.3}}", "llzo.poisson_ratio\" appears twice"),
                            ("{\"poisson_ratio\": 0.3}", "poisson_ratio = 0.3 disagrees"),
                            ("{\"llzo\": {\"name\": 5}}", "llzo.name must be a string"),
                            ("{\"partial_molar_volume_shape\": 1}", "partial_molar_volume_shape")] {
            XCTAssertThrowsError(try ParameterFile.parse(text, path: "p.json"), text) { XCTAssertTrue("\($0)".contains(key), "\(text): \($0)") }
        }
    }

    /// Round trip: the parameters summary.json writes read back as the same parameters.
    func testSummaryParametersReadBack() throws {
        var p = Parameters()
        p.temperature = 350; p.interaction = 0.5; p.partialMolarVolume = -1e-6; p.printedSign = true
        p.llzo.cubic = [200e9, 60e9, 70e9]
        let text = ParameterFile.json(p).serialized()
        let back = try ParameterFile.parse(text, path: "summary.json")
        XCTAssertEqual(back, p)
    }
}
