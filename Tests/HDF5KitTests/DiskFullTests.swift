import XCTest
import Foundation
@testable import HDF5Kit

/// Writes onto a really full disk: a 1 MB tmpfs mounted for each test (needs root; skipped when
/// mounting is not permitted) and always unmounted afterwards. A failed write is an HDF5Error,
/// closing the file it left behind does not crash (HDF5 1.10 used to, at exit, after a failed
/// close), and the next file of the process is written and read back as usual.
final class DiskFullTests: XCTestCase {
    private var mountPoint: String?

    override func setUpWithError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("apk-full-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let mounted = try? Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", dir])
        guard let mounted, mounted.status == 0 else {
            try? FileManager.default.removeItem(atPath: dir)
            let why = mounted?.output.split(separator: "\n").first.map(String.init) ?? "no /bin/mount"
            throw XCTSkip("cannot mount a 1 MB tmpfs for a full disk (needs root): \(why)")
        }
        mountPoint = dir
    }

    override func tearDown() {
        guard let dir = mountPoint else { return }
        mountPoint = nil
        // A lazy unmount if something still holds a file there (the test then fails below).
        if (try? Self.run("/bin/umount", [dir]))?.status != 0 {
            XCTFail("\(dir) was still busy: some file on it stayed open")
            _ = try? Self.run("/bin/umount", ["-l", dir])
        }
        try? FileManager.default.removeItem(atPath: dir)
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        let pipe = Pipe()
        p.standardOutput = pipe; p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// 8 MB of floats that deflate cannot shrink below the disk's 1 MB.
    static func noise(_ n: Int) -> [Float] {
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<n).map { _ in
            x = x &* 6364136223846793005 &+ 1442695040888963407
            return Float(x >> 40) / Float(1 << 24)
        }
    }

    /// After a failure: a new file elsewhere is created, written (every write path) and read back.
    func assertNextFileWorks(file: StaticString = #filePath, line: UInt = #line) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("apk-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let values = Self.noise(10_000)
        do {
            let f = try HDF5File.create(path)
            try f.createGroup("a/b").write("x", values, shape: [100, 100])
            try f.writeString("s", "after the full disk")
            try f.setAttribute("n", [Int32(7)])
            try f.close()
        }
        let f = try HDF5File.open(path)
        let (back, shape) = try f.openGroup("a/b").read("x", as: Float.self)
        XCTAssertEqual(back, values, file: file, line: line); XCTAssertEqual(shape, [100, 100], file: file, line: line)
        XCTAssertEqual(try f.readString("s"), "after the full disk", file: file, line: line)
        XCTAssertEqual(try f.numericAttribute("n", as: Int32.self), [7], file: file, line: line)
    }

    /// One line naming what failed, and why.
    func assertOneLine(_ error: Error, naming what: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let e = error as? HDF5Error else { return XCTFail("not an HDF5Error: \(error)", file: file, line: line) }
        XCTAssertFalse(e.message.contains("\n"), e.message, file: file, line: line)
        XCTAssertTrue(e.message.contains(what), "\(e.message) does not name \(what)", file: file, line: line)
    }

    /// A dataset larger than the disk: its write throws (from H5Dwrite, or from closing the
    /// dataset, which writes its last chunks), and so may the file's close; nothing crashes.
    func testDatasetLargerThanTheDiskThrows() throws {
        let path = try XCTUnwrap(mountPoint) + "/big.h5"
        do {
            let f = try HDF5File.create(path)
            let g = try f.createGroup("entry")
            XCTAssertThrowsError(try g.write("noise", Self.noise(1 << 21))) { error in
                assertOneLine(error, naming: "/entry/noise")
                XCTAssertTrue("\(error)".contains("No space left on device"), "\(error)")
            }
            do { try g.write("contiguous", Self.noise(4000)) } catch { assertOneLine(error, naming: "/entry/contiguous") }
            do { try f.close() } catch { assertOneLine(error, naming: path) }
            XCTAssertNoThrow(try f.close())  // closed once: the second close does nothing
            XCTAssertThrowsError(try f.write("after", [1.0])) { assertOneLine($0, naming: "closed") }
        }
        try assertNextFileWorks()
    }

    /// A disk filled first: small writes stay in HDF5's caches, then the flush (what every writer
    /// of the toolkit calls before moving its file into place) throws, and so may the close.
    func testFlushOntoAFullDiskThrows() throws {
        let dir = try XCTUnwrap(mountPoint)
        XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/filler", contents: nil))
        let filler = try XCTUnwrap(FileHandle(forWritingAtPath: dir + "/filler"))
        let block = Data(count: 64 << 10)
        while (try? filler.write(contentsOf: block)) != nil {}
        try filler.close()
        var errors: [Error] = []
        do {
            let f = try HDF5File.create(dir + "/small.h5")
            let g = try f.createGroup("entry/run")
            for k in 0..<20 {
                do { try g.write("v\(k)", [Double(k), 1, 2]) } catch { errors.append(error); break }
            }
            do { try g.setAttribute("units", "nm"); try g.writeBool("flag", true) } catch { errors.append(error) }
            do { try f.flush() } catch { errors.append(error); assertOneLine(error, naming: "small.h5") }
            do { try f.close() } catch { errors.append(error) }
        } catch {
            errors.append(error)  // the create itself may already fail
        }
        XCTAssertFalse(errors.isEmpty, "nothing failed on a full disk")
        for e in errors { XCTAssertTrue(e is HDF5Error, "\(e)"); XCTAssertFalse("\(e)".contains("\n"), "\(e)") }
        try assertNextFileWorks()
    }

    /// The file released without `close()` (as the toolkit's writers do): its deinit closes it,
    /// after the groups opened in it, whatever order the references go in; nothing crashes.
    func testFileReleasedAfterFailedWrite() throws {
        let path = try XCTUnwrap(mountPoint) + "/released.h5"
        var group: HDF5Group?
        do {
            let f = try HDF5File.create(path)
            group = try f.createGroup("entry")
        }
        XCTAssertThrowsError(try group?.write("noise", Self.noise(1 << 21), shape: [1 << 11, 1 << 10]))
        group = nil  // the last reference to the file too
        try assertNextFileWorks()
    }
}
