import XCTest
import KitFoundation
import APKTestSupport
import AtomProbe
@testable import AtomProbeIO

/// Bad input gets a clear error naming the file and the place, never a crash.
final class BadInputTests: XCTestCase {
    func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let p = try temporaryFolder(self) + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }

    func bePOS(_ rows: [[Float]]) -> [UInt8] {
        rows.flatMap { $0.flatMap { f -> [UInt8] in withUnsafeBytes(of: f.bitPattern.bigEndian) { Array($0) } } }
    }

    func assertError(_ body: @autoclosure () throws -> Any, contains parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { e in
            for p in parts { XCTAssertTrue("\(e)".contains(p), "\"\(e)\" lacks \"\(p)\"", file: file, line: line) }
        }
    }

    func testTruncatedPOS() throws {
        var bytes = bePOS([[1, 2, 3, 4], [5, 6, 7, 8]])
        bytes.removeLast(3)
        let p = try write(bytes, "cut.pos")
        assertError(try ReconstructionIO.load(p), contains: ["cut.pos", "byte 16", "not a whole number of 16-byte POS records"])
    }

    func testEmptyFiles() throws {
        for name in ["e.pos", "e.epos", "e.apt"] {
            let p = try write([], name)
            assertError(try ReconstructionIO.load(p), contains: [name, "empty file"])
        }
        let r = try write([], "e.rrng")
        assertError(try RangeFileIO.read(r), contains: ["e.rrng", "empty range file"])
    }

    func testMisalignedEPOS() throws {
        let p = try write([UInt8](repeating: 0, count: 44 * 3 + 16), "m.epos")
        assertError(try ReconstructionIO.load(p), contains: ["m.epos", "byte 132", "44-byte EPOS"])
    }

    func testNonFiniteRejectedOrDropped() throws {
        let p = try write(bePOS([[1, 2, 3, 4], [.nan, 0, 0, 1], [1, 1, 1, .infinity], [0, 0, 0, 5]]), "nan.pos")
        assertError(try ReconstructionIO.load(p), contains: ["nan.pos", "2 record(s)", "record 1", "byte 16"])
        let (r, dropped) = try ReconstructionIO.read(p, nonFinite: .drop)
        XCTAssertEqual(dropped, 2); XCTAssertEqual(r.mass, [4, 5])
        XCTAssertEqual(try ReconstructionIO.read(p, nonFinite: .keep).recon.nonFiniteCount, 2)
    }

    func testBadAPT() throws {
        var header = [UInt8](repeating: 0, count: 540)
        header[0...3] = [0x41, 0x50, 0x54, 0]
        withUnsafeBytes(of: Int32(540).littleEndian) { header[4..<8] = ArraySlice($0) }
        withUnsafeBytes(of: Int64(10).littleEndian) { header[532..<540] = ArraySlice($0) }
        let noSections = try write(header, "h.apt")
        assertError(try ReconstructionIO.load(noSections), contains: ["h.apt", "no \"Mass\" section"])
        let junk = try write(header + [0x53, 0x45, 0x43, 0, 1, 2], "j.apt")
        assertError(try ReconstructionIO.load(junk), contains: ["j.apt", "byte 540", "truncated section header"])
        let notAPT = try write([UInt8](repeating: 7, count: 600), "n.apt")
        assertError(try ReconstructionIO.load(notAPT), contains: ["n.apt", "byte 0", "signature"])
    }

    func testUnknownExtension() throws {
        let p = try write([1, 2, 3], "x.dat")
        assertError(try ReconstructionIO.load(p), contains: ["x.dat", "unknown reconstruction file kind"])
        assertError(try ReconstructionIO.load("/nonexistent/file.pos"), contains: ["/nonexistent/file.pos", "cannot open"])
    }

    func testMalformedRangeLines() throws {
        let cases: [(String, [String])] = [
            ("[Ions]\nNumber=1\nIon1=Zr\n[Ranges]\nNumber=1\nRange1=45.0 abc Zr:1\n", ["line 6", "not numbers"]),
            ("[Ions]\nNumber=1\nIon1=Zr\n[Ranges]\nNumber=1\nRange1=46.0 45.0 Zr:1\n", ["line 6", "not below"]),
            ("[Ions]\nNumber=1\nIon1=Zr\n[Ranges]\nNumber=1\nRange1=45.0 46.0 Vol:0.1\n", ["line 6", "neither element counts nor a Name"]),
            ("[Ions]\nNumber=1\nIon1=Zr\n[Ranges]\nNumber=1\nRange1=45.0 46.0 Zr:1.5\n", ["line 6", "whole number"]),
            ("[Ions]\nNumber=2\nIon1=Zr\nIon2=O\n[Ranges]\nNumber=2\nRange1=45.0 46.0 Zr:1\nRange2=45.5 47 O:2\n", ["overlapping", "Zr", "O2", "line 7", "line 8"]),
            ("[Ions]\nNumber=1\nIon1=Zr\n[Ranges]\nNumber=1\nRange1=nan 46 Zr:1\n", ["line 6", "finite"]),
            ("Number=1\n", ["line 1", "before any"]),
        ]
        for (k, (text, parts)) in cases.enumerated() {
            let p = try write(Array(text.utf8), "bad\(k).rrng")
            assertError(try RangeFileIO.read(p), contains: ["bad\(k).rrng"] + parts)
        }
        let rng = try write(Array("2 1\nZr\nZr 1 0 0\nO\nO 0 1 0\n---- Zr O\n. 45.0 46.0 1\n".utf8), "short.rng")
        assertError(try RangeFileIO.read(rng), contains: ["short.rng", "line 7", "expected low, high and 2 counts"])
        let rngHeader = try write(Array("Zr O\n".utf8), "h.rng")
        assertError(try RangeFileIO.read(rngHeader), contains: ["h.rng", "line 1", "number of ions"])
    }

    func testOverlapCanBeAllowed() throws {
        let text = "[Ions]\nNumber=2\nIon1=Zr\nIon2=O\n[Ranges]\nNumber=2\nRange1=45.0 46.0 Zr:1\nRange2=45.5 47 O:1\n"
        let t = try RangeFileIO.parse(text, format: .rrng, allowOverlaps: true)
        XCTAssertEqual(t.ranges[0].high, 45.5)
        XCTAssertEqual(t.ions[t.ranges[t.rangeIndex(of: 45.7)!].ionIndex].name, "O")
        XCTAssertFalse(t.warnings.isEmpty)
    }

    func testWritersNeverOverwriteOnFailure() throws {
        // An atomic write into a missing folder fails cleanly and leaves nothing behind.
        XCTAssertThrowsError(try ReconstructionIO.write(Reconstruction(), to: "/nonexistent-dir/x.pos"))
        // An existing output survives a write that fails half-way, and no temporary file stays.
        let dir = try temporaryFolder(self)
        let path = dir + "/result.pos"
        let original = Data([1, 2, 3, 4])
        try original.write(to: URL(fileURLWithPath: path))
        struct Interrupted: Error {}
        XCTAssertThrowsError(try AtomicFile.produce(path) { tmp in
            try Data(repeating: 9, count: 1000).write(to: URL(fileURLWithPath: tmp))
            throw Interrupted()
        })
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), original)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["result.pos"])
        // A write whose rename fails (the target is a folder) leaves the folder and no temporary file.
        try FileManager.default.createDirectory(atPath: dir + "/taken", withIntermediateDirectories: false)
        try Data([7]).write(to: URL(fileURLWithPath: dir + "/taken/keep"))
        XCTAssertThrowsError(try AtomicFile.write("text", to: dir + "/taken"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), ["result.pos", "taken"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/taken"), ["keep"])
    }
}
