import XCTest
import Foundation
@testable import HDF5Kit

final class HDF5KitTests: XCTestCase {
    /// Write a dataset with attributes into groups, read everything back (exact values).
    func testWriteAndReadBack() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("apk-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let values = (0..<10_000).map { Double($0) * 0.25 - 7 }
        do {
            let f = try HDF5File.create(path)
            let g = try f.createGroup("entry/proxigram")
            try g.write("distance_nm", values, shape: [100, 100])
            try g.write("counts", [Int32(1), -2, 3])
            try g.setAttribute("units", "nm")
            try g.setAttribute("threshold_at_pct", [42.0])
            try f.writeString("command_line", "atomprobe analyze x.pos --species Li ü")
            try f.flush()
        }
        let f = try HDF5File.open(path)
        let g = try f.openGroup("entry/proxigram")
        let (back, shape) = try g.read("distance_nm", as: Double.self)
        XCTAssertEqual(back, values); XCTAssertEqual(shape, [100, 100])
        XCTAssertEqual(try g.read("counts", as: Int32.self).values, [1, -2, 3])
        XCTAssertEqual(try g.read("counts", as: Double.self).values, [1, -2, 3])  // converted by HDF5
        XCTAssertEqual(try g.stringAttribute("units"), "nm")
        XCTAssertEqual(try g.numericAttribute("threshold_at_pct", as: Double.self), [42])
        XCTAssertEqual(try f.readString("command_line"), "atomprobe analyze x.pos --species Li ü")
        XCTAssertEqual(try f.openGroup("entry").memberNames(), ["proxigram"])
        XCTAssertTrue(f.exists("entry")); XCTAssertFalse(f.exists("nothing"))
    }

    func testErrorsAreThrownNotPrinted() throws {
        XCTAssertThrowsError(try HDF5File.open("/nonexistent/x.h5"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("apk-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let f = try HDF5File.create(path)
        XCTAssertThrowsError(try f.read("missing", as: Float.self))
        XCTAssertThrowsError(try f.write("bad", [1.0, 2.0], shape: [3]))
    }

    /// Every write path with its status checks: booleans, declared-only datasets, attributes of
    /// datasets, attributes written twice (replaced), an explicit close; all read back.
    func testEveryWritePathRoundTrips() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("apk-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let f = try HDF5File.create(path)
            let g = try f.createGroup("a/b/c")
            try g.writeBool("yes", true)
            try g.writeBool("no", false)
            try g.createEmpty("lazy", as: Float.self, shape: [3, 2])
            try g.write("x", [1.5, 2.5])
            try g.dataset("x").setAttribute("units", "nm")
            try g.setAttribute("label", "first"); try g.setAttribute("label", "second")
            try g.setAttribute("limits", [Int64(1), 2]); try g.setAttribute("limits", [Int64(3), 4, 5])
            try g.close()
            XCTAssertNoThrow(try g.close())
            XCTAssertThrowsError(try g.write("late", [1.0])) { XCTAssertTrue("\($0)".contains("closed"), "\($0)") }
            try f.close()
        }
        let f = try HDF5File.open(path)
        let g = try f.openGroup("a/b/c")
        XCTAssertEqual(try g.read("yes", as: Int8.self).values, [1])
        XCTAssertEqual(try g.read("no", as: Int8.self).values, [0])
        let lazy = try g.read("lazy", as: Float.self)
        XCTAssertEqual(lazy.values, [0, 0, 0, 0, 0, 0]); XCTAssertEqual(lazy.shape, [3, 2])
        XCTAssertEqual(try g.read("x", as: Double.self).values, [1.5, 2.5])
        XCTAssertEqual(try g.dataset("x").stringAttribute("units"), "nm")
        XCTAssertEqual(try g.stringAttribute("label"), "second")
        XCTAssertEqual(try g.numericAttribute("limits", as: Int64.self), [3, 4, 5])
        XCTAssertEqual(try g.memberNames(), ["lazy", "no", "x", "yes"])
        XCTAssertThrowsError(try g.stringAttribute("missing")) { XCTAssertTrue("\($0)".contains("no attribute missing of group /a/b/c"), "\($0)") }
        XCTAssertThrowsError(try g.readString("x"))  // numbers, not a string
    }
}
