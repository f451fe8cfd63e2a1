import XCTest
import APKTestSupport
import Foundation
import KitFoundation

/// Regression tests for issue 23 (the second hostile campaign): each case ends with a correct
/// result or with one `Error:` line naming the file or option, never with a signal.
extension HardeningTests {
    /// 5: `clusters --envelope 1` on a synthetic interface: the erosion leaves some groups of a
    /// dense Zr region with fewer than nmin solute atoms (it indexed out of range). Verified
    /// against the method's definition: every reported cluster holds at least nmin (10) solute
    /// atoms, and the groups left short are counted in matrix.json.
    func testClustersErodedBelowNminAreDropped() throws {
        let dir = try temporaryFolder(self)
        let made = try run(["synth", "interface", "--ions", "200000", "--depth-nm", "5", "-o", dir + "/D"])
        XCTAssertEqual(made.status, 0, made.stderr)
        let r = try run(["clusters", dir + "/D/interface.pos", "--ranges", dir + "/D/interface.rrng", "--solutes", "Zr", "--envelope", "1", "-o", dir + "/C"])
        XCTAssertFalse(r.signalled, r.stderr)
        XCTAssertEqual(r.status, 0, r.stderr)
        let clusters = try JSONValue.parse(String(contentsOfFile: dir + "/C/clusters.json", encoding: .utf8)).array ?? []
        XCTAssertFalse(clusters.isEmpty)
        for c in clusters { XCTAssertGreaterThanOrEqual(c["solute_atoms"]?.int ?? 0, 10) }
        let matrix = try JSONValue.parse(String(contentsOfFile: dir + "/C/matrix.json", encoding: .utf8))
        XCTAssertGreaterThan(matrix["eroded_below_nmin"]?.int ?? 0, 0)
        XCTAssertTrue(r.stdout.contains("are not counted"), r.stdout)
    }

    /// 13: user text holding newlines or control characters is escaped in the one error line
    /// (the key "a\nb\nc" of a parameter file made a 3-line error).
    func testErrorLinesEscapeUserText() throws {
        let dir = try temporaryFolder(self)
        try "{\"a\\nb\\nc\": 1, \"d\\u001b[31m\": 2}".write(toFile: dir + "/p.json", atomically: true, encoding: .utf8)
        let r = try run(["simulate", "dislocation", "--params", dir + "/p.json", "-o", dir + "/s"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr.split(separator: "\n", omittingEmptySubsequences: false).count, 2, r.stderr)  // one line and its end
        XCTAssertTrue(r.stderr.hasPrefix("Error: "), r.stderr)
        XCTAssertTrue(r.stderr.contains("a\\nb\\nc") || r.stderr.contains("\\u{1b}"), r.stderr)
        XCTAssertFalse(r.stderr.contains("\u{1b}"), r.stderr)
        // Closed form: the escaping of each kind of character.
        XCTAssertEqual("x\ny\rz\tw\u{1b}v\u{7f}".escapedForOneLine, "x\\ny\\rz\\tw\\u{1b}v\\u{7f}")
        XCTAssertEqual("Li₂O ± 1 at.%".escapedForOneLine, "Li₂O ± 1 at.%")
    }
}
