import XCTest
import APKTestSupport
import Foundation

/// HDF5 and UMFPACK (with OpenBLAS) are loaded on first use, not at start (issue 12: together they
/// cost about 13 ms of start and, through OpenBLAS's busy-waiting threads, 0.03 s of a 265 MB
/// composition on two cores). The loader's own report (glibc's `LD_DEBUG=libs`) is the witness:
/// a command that needs neither loads neither, and one that writes HDF5 loads it.
final class LibraryLoadingTests: XCTestCase {
    /// The shared objects the dynamic loader looked up while `atomprobe args` ran; nil when the
    /// loader does not report (not glibc).
    func loadedLibraries(_ args: [String]) throws -> (status: Int32, libraries: [String])? {
        let p = Process()
        p.executableURL = CLITests.executable
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["LD_DEBUG"] = "libs"
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        _ = out.fileHandleForReading.readDataToEndOfFile()
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        // glibc writes "  12345:\tfind library=libmpi.so.40 [0]; searching".
        let found = e.split(separator: "\n").compactMap { line -> String? in
            guard let r = line.range(of: "find library=") else { return nil }
            return String(line[r.upperBound...].prefix { $0 != " " })
        }
        return found.isEmpty ? nil : (p.terminationStatus, found)
    }

    func testCompositionLoadsNeitherHDF5NorUMFPACK() throws {
        let root = Shared.repoRoot.appendingPathComponent("SampleData").path
        guard let r = try loadedLibraries(["composition", root + "/llzo-sample.pos", "--ranges", root + "/llzo-sample.rrng", "--json"]) else {
            throw XCTSkip("the dynamic loader does not report its lookups here (not glibc)")
        }
        XCTAssertEqual(r.status, 0)
        let heavy = r.libraries.filter { $0.contains("hdf5") || $0.contains("umfpack") || $0.contains("blas") || $0.contains("lapack") }
        XCTAssertEqual(heavy, [], "loaded at start: \(r.libraries)")
    }

    func testWritingHDF5LoadsItOnFirstUse() throws {
        let dir = try temporaryFolder(self)
        let root = Shared.repoRoot.appendingPathComponent("SampleData").path
        guard let r = try loadedLibraries(["export-nexus", root + "/llzo-sample.pos", "--ranges", root + "/llzo-sample.rrng",
                                           "-o", dir + "/sample.nxs"]) else {
            throw XCTSkip("the dynamic loader does not report its lookups here (not glibc)")
        }
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.libraries.contains { $0.contains("hdf5") }, "\(r.libraries)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/sample.nxs"))
    }
}
