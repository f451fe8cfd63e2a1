import XCTest
import APKTestSupport
import Foundation

/// `atomprobe multihit` and `synth --detector` from the command line (issue 28): outputs on
/// synthetic truth, one-line refusals of a POS file and of bad options.
extension HardeningTests {
    func testMultihitOnSyntheticDetector() throws {
        let dir = try temporaryFolder(self)
        XCTAssertEqual(try run(["synth", "--ions", "100000", "--seed", "5", "--objects", "0", "--detector", "-o", dir + "/in", "--name", "s"]).status, 0)
        let r = try run(["multihit", dir + "/in/s.epos", "--ranges", dir + "/in/s.rrng", "-o", dir + "/out", "--dead-time-correction", "--track", "ZrO++ -> Zr+ + O+"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/out/multihit.json"))) as! [String: Any]
        let truth = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/in/s.truth.json"))) as! [String: Any]
        let lostLi = ((truth["detector"] as! [String: Any])["lost_per_ion_type"] as! [String: Any])["Li"] as! Double
        let losses = (json["dead_zone"] as! [String: Any])["losses"] as! [String: [String: Double]]
        assertClose(losses["Li"]!["lost_ions"]!, lostLi, within: .groundTruth(0.2 * lostLi, "every lost ion is in the truth JSON (issue 28: within 20 %)"))
        let corrected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/out/composition-corrected.json"))) as! [String: Any]
        for key in ["mode", "ranged_ions", "unranged_ions", "atoms", "elements", "losses"] { XCTAssertNotNil(corrected[key], key) }
        for f in ["correlation.svg", "correlation.csv", "multiplicity.csv", "spectra.csv", "detector-distances.csv"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/out/" + f), f)
        }
    }

    func testMultihitRefusals() throws {
        let dir = try temporaryFolder(self)
        try refuses(["multihit", pos, "--ranges", rrng, "-o", dir + "/a"], "no detector columns")
        for (flag, value) in [("--correlation-bin-da", "nan"), ("--correlation-bin-da", "-1"), ("--correlation-bin-da", "1e-9"),
                              ("--max-mass-da", "inf"), ("--dead-zone-mm", "-2"), ("--fit-width-mm", "0")] {
            try refuses(["multihit", pos, "--ranges", rrng, "-o", dir + "/b", flag, value], flag)
        }
        try refuses(["multihit", pos, "--ranges", rrng, "-o", dir + "/c", "--track", "ZrO2++ -> ZrO+ + O"], "--track")
        XCTAssertEqual(try run(["synth", "--ions", "3000", "--objects", "0", "--detector", "-o", dir + "/s", "--name", "s"]).status, 0)
        try refuses(["multihit", dir + "/s/s.epos", "--ranges", dir + "/s/s.rrng", "-o", dir + "/d", "--dead-time-correction", "--fit-width-mm", "0.5"], "--dead-time-correction")
    }
}
