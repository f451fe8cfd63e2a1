import XCTest
import Foundation
import KitFoundation
import APKTestSupport

/// A program embedding the toolkit abandons a run by putting `.atomprobe-cancel-<pid>` in its
/// output folder (the Python package on Ctrl-C). Ground truth: the folder's listing before the
/// run, which a cancelled run must leave exactly as it was, whenever the marker arrives.
final class RunFolderTests: XCTestCase {
    let fm = FileManager.default
    var marker: String { RunFolder.cancelPrefix + "\(getpid())" }

    func listing(_ path: String) throws -> [String] { try fm.contentsOfDirectory(atPath: path).sorted() }

    func earlierRun(_ dir: String) throws {
        let run = try RunFolder(dir, kind: "test", inputs: [])
        try "earlier".write(toFile: run.staging + "/result.txt", atomically: true, encoding: .utf8)
        try run.commit()
    }

    func testMarkerBeforeTheRunStartsRefusesAtOnce() throws {
        let dir = try temporaryFolder(self) + "/out"
        try earlierRun(dir)
        try "".write(toFile: dir + "/" + marker, atomically: true, encoding: .utf8)
        let before = try listing(dir)
        XCTAssertThrowsError(try RunFolder(dir, kind: "test", inputs: [])) { XCTAssertTrue("\($0)".contains("cancelled"), "\($0)") }
        XCTAssertEqual(try listing(dir), before)
    }

    func testMarkerDuringTheRunPublishesNothing() throws {
        let dir = try temporaryFolder(self) + "/out"
        try earlierRun(dir)
        let run = try RunFolder(dir, kind: "test", inputs: [])
        try "new".write(toFile: run.staging + "/result.txt", atomically: true, encoding: .utf8)
        try "".write(toFile: dir + "/" + marker, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try run.commit())
        try fm.removeItem(atPath: dir + "/" + marker)
        XCTAssertEqual(try listing(dir), [".atomprobe-test.json", "result.txt"])
        XCTAssertEqual(try String(contentsOfFile: dir + "/result.txt", encoding: .utf8), "earlier")
    }

    /// A cancelled run whose staging folder was removed under it (the embedding program tidying
    /// up at exit) does not make it again.
    func testRemovedStagingIsNotMadeAgain() throws {
        let dir = try temporaryFolder(self) + "/out"
        let run = try RunFolder(dir, kind: "test", inputs: [])
        try fm.removeItem(atPath: run.staging)
        XCTAssertThrowsError(try run.folder("sub"))
        XCTAssertFalse(fm.fileExists(atPath: run.staging))
    }

    /// Markers of processes that have ended (a child that exited) go with the next run; this
    /// process's own marker would cancel it, so it is removed by the program that made it.
    func testMarkersOfEndedProcessesAreRemoved() throws {
        let dir = try temporaryFolder(self) + "/out"
        try earlierRun(dir)
        let done = Process(); done.executableURL = URL(fileURLWithPath: "/bin/true")
        try done.run(); done.waitUntilExit()
        let stale = dir + "/" + RunFolder.cancelPrefix + "\(done.processIdentifier)"
        try "".write(toFile: stale, atomically: true, encoding: .utf8)
        let run = try RunFolder(dir, kind: "test", inputs: [])
        try "new".write(toFile: run.staging + "/result.txt", atomically: true, encoding: .utf8)
        try run.commit()
        XCTAssertFalse(fm.fileExists(atPath: stale))
        XCTAssertEqual(try String(contentsOfFile: dir + "/result.txt", encoding: .utf8), "new")
    }
}
