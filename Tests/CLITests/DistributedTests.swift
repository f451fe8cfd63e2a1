import XCTest
import Foundation
import APKTestSupport

/// Issue 12: `mpirun -n 2 atomprobe analyze ... --distributed` gives the same `table.json` and
/// `objects.json` as one process (integer sums throughout: byte for byte). The sample is cut into
/// chunks of 100,000 ions so that both ranks hold a part; one object is dropped by the size
/// filter so that the second pass (near dropped objects) is split too.
final class DistributedTests: XCTestCase {
    static func mpirun() -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let p = "\(dir)/mpirun"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    func launch(_ executable: String, _ args: [String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["ATOMPROBE_CHUNK_IONS"] = "100000"
        p.environment = env
        let err = Pipe()
        p.standardOutput = FileHandle.nullDevice; p.standardError = err
        try p.run()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: e, as: UTF8.self))
    }

    func testTwoRanksEqualOneProcess() throws {
        guard let mpirun = Self.mpirun() else { throw XCTSkip("Open MPI's mpirun is not installed (Scripts/install-deps.sh installs it)") }
        let dir = try temporaryFolder(self)
        let bin = CLITests.executable.path
        let sample = Shared.repoRoot.appendingPathComponent("SampleData/llzo-sample").path
        let common = ["analyze", sample + ".pos", "--ranges", sample + ".rrng", "--species", "Li", "--threshold", "42", "--min-object-atoms", "35000"]
        let (one, e1) = try launch(bin, common + ["-o", dir + "/one"])
        XCTAssertEqual(one, 0, e1)
        let (two, e2) = try launch(mpirun, ["--allow-run-as-root", "--oversubscribe", "-n", "2", bin] + common + ["-o", dir + "/two", "--distributed"])
        XCTAssertEqual(two, 0, e2)
        for file in ["table.json", "objects.json", "proxigram_all.csv", "concentration_Li.f32"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/one/" + file)), b = try Data(contentsOf: URL(fileURLWithPath: dir + "/two/" + file))
            XCTAssertEqual(a, b, file)
        }
        XCTAssertTrue(try String(contentsOfFile: dir + "/one/table.json", encoding: .utf8).contains("\"excluded_atoms_in_dropped_objects\""))
        // Query lists in 3 slabs on each rank (each reads only the chunks reaching a slab): the same.
        let (twoSlabs, e6) = try launch(mpirun, ["--allow-run-as-root", "--oversubscribe", "-n", "2", bin] + common + ["-o", dir + "/twoslabs", "--distributed", "--distance-slabs", "3"])
        XCTAssertEqual(twoSlabs, 0, e6)
        XCTAssertTrue(e6.contains("3 slabs"), e6)
        for file in ["table.json", "objects.json", "proxigram_all.csv"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/one/" + file)), b = try Data(contentsOf: URL(fileURLWithPath: dir + "/twoslabs/" + file))
            XCTAssertEqual(a, b, "3 slabs: " + file)
        }
        // The background fitted to the spectrum summed over both ranks: the same as one process's.
        let fit = ["--background", "fit", "--background-model", "constant+tof"]
        let (oneFit, e4) = try launch(bin, common + fit + ["-o", dir + "/onefit"])
        XCTAssertEqual(oneFit, 0, e4)
        let (twoFit, e5) = try launch(mpirun, ["--allow-run-as-root", "--oversubscribe", "-n", "2", bin] + common + fit + ["-o", dir + "/twofit", "--distributed"])
        XCTAssertEqual(twoFit, 0, e5)
        let t1 = try String(contentsOfFile: dir + "/onefit/table.json", encoding: .utf8), t2 = try String(contentsOfFile: dir + "/twofit/table.json", encoding: .utf8)
        XCTAssertEqual(t1, t2)
        XCTAssertTrue(t1.contains("background"), t1)
        // An error on one rank stops the run with one line and a non-zero exit (no hang).
        let (bad, e3) = try launch(mpirun, ["--allow-run-as-root", "--oversubscribe", "-n", "2", bin, "analyze", sample + ".pos", "--ranges", sample + ".rrng",
                                            "--species", "Li", "--threshold", "99", "-o", dir + "/bad", "--distributed"])
        XCTAssertNotEqual(bad, 0)
        XCTAssertTrue(e3.contains("Error: "), e3)
    }
}
