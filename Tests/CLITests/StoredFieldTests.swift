import XCTest
import APKTestSupport
import Foundation
import KitFoundation

/// Issue 21, "read steps back": `proxigram`, `table` and `analyze` reuse the field an earlier
/// `isosurface` run stored (`--stored-field DIR`) and refuse it when the inputs or the field
/// options differ. Verified against the same commands without reuse (the field is deterministic,
/// so every output must be byte-identical).
extension HardeningTests {
    func testProxigramAndTableReuseTheStoredFieldAndRefuseChangedInputs() throws {
        let h = self, dir = try temporaryFolder(self), fm = FileManager.default
        for ext in ["pos", "rrng"] { try fm.copyItem(atPath: h.sample + "." + ext, toPath: dir + "/a." + ext) }
        let chain = [dir + "/a.pos", "--ranges", dir + "/a.rrng", "--species", "Li", "--threshold", "42"]
        var r = try h.run(["isosurface"] + chain + ["-o", dir + "/iso"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for f in ["field.json", "concentration_Li.f32", "occupied.u8"] { XCTAssertTrue(fm.fileExists(atPath: dir + "/iso/" + f), f) }

        let fresh = try h.run(["table"] + chain + ["--format", "csv"])
        r = try h.run(["table"] + chain + ["--format", "csv", "--stored-field", dir + "/iso"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("reusing the Li field stored in"), r.stderr)
        XCTAssertFalse(r.stderr.contains("voxelizing"), "the field was deposited again: \(r.stderr)")
        XCTAssertEqual(r.stdout, fresh.stdout)
        XCTAssertEqual(try h.run(["proxigram"] + chain + ["-o", dir + "/p1"]).status, 0)
        XCTAssertEqual(try h.run(["proxigram"] + chain + ["--stored-field", dir + "/iso", "-o", dir + "/p2"]).status, 0)
        for f in ["proxigram_all.csv", "proxigram_object1.json", "proxigram_object2.csv"] {
            XCTAssertEqual(fm.contents(atPath: dir + "/p1/" + f), fm.contents(atPath: dir + "/p2/" + f), f)
        }

        // Other field options, another species, a folder without a field: refused by name.
        try h.refuses(["table"] + chain + ["--voxel", "0.8", "--stored-field", dir + "/iso"], "--voxel")
        try h.refuses(["table"] + chain + ["--delocalization", "2,2,1", "--stored-field", dir + "/iso"], "--delocalization")
        try h.refuses(["table", dir + "/a.pos", "--ranges", dir + "/a.rrng", "--species", "O", "--threshold", "42", "--stored-field", dir + "/iso"], "not O")
        try h.refuses(["table"] + chain + ["--stored-field", dir], "holds no stored field")
        // A run into the folder whose field it reuses would rewrite that field: refused, the field untouched.
        let before = fm.contents(atPath: dir + "/iso/field.json")
        try h.refuses(["analyze"] + chain + ["--stored-field", dir + "/iso", "-o", dir + "/iso"], "the run would replace its input")
        XCTAssertEqual(fm.contents(atPath: dir + "/iso/field.json"), before)
        // A damaged field file: the wrong size, or a name outside its folder.
        try fm.copyItem(atPath: dir + "/iso", toPath: dir + "/bad")
        try Data(count: 10).write(to: URL(fileURLWithPath: dir + "/bad/occupied.u8"))
        try h.refuses(["table"] + chain + ["--stored-field", dir + "/bad"], "occupied.u8: has 10 bytes")
        let json = try String(contentsOfFile: dir + "/iso/field.json", encoding: .utf8)
        try json.replacingOccurrences(of: "\"concentration_Li.f32\"", with: "\"../a.pos\"").write(toFile: dir + "/bad/field.json", atomically: true, encoding: .utf8)
        try h.refuses(["table"] + chain + ["--stored-field", dir + "/bad"], "outside its folder")
        // A changed input (the range file rewritten after the field was made) is refused.
        try fm.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: dir + "/a.rrng")
        try h.refuses(["table"] + chain + ["--stored-field", dir + "/iso"], "has changed since")
    }
}
