import XCTest
import APKTestSupport
import Foundation
import KitFoundation
import HDF5Kit

/// Regression tests for the crash sites and resource blow-ups of the fuzz run (issue 9): every
/// case ends with one clear line naming the file or option and a non-zero exit, or with a
/// correct result, quickly and without a Swift trap.
final class HardeningTests: XCTestCase {
    let sample = Shared.repoRoot.appendingPathComponent("SampleData/llzo-sample").path
    var pos: String { sample + ".pos" }
    var rrng: String { sample + ".rrng" }

    struct Outcome { var status: Int32; var signalled: Bool; var stdout: String; var stderr: String }

    func run(_ args: [String], in dir: String? = nil) throws -> Outcome {
        let p = Process()
        p.executableURL = CLITests.executable
        p.arguments = args
        if let dir { p.currentDirectoryURL = URL(fileURLWithPath: dir) }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Outcome(status: p.terminationStatus, signalled: p.terminationReason == .uncaughtSignal,
                       stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// A refusal: no crash, non-zero exit, one line on stderr (after any progress notes) holding `text`.
    func refuses(_ args: [String], _ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try run(args)
        XCTAssertFalse(r.signalled, "crashed: \(args) \(r.stderr)", file: file, line: line)
        XCTAssertNotEqual(r.status, 0, "\(args)", file: file, line: line)
        let errors = r.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }
        XCTAssertEqual(errors.count, 1, r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.contains(text), "\(args): \(r.stderr)", file: file, line: line)
        XCTAssertFalse(r.stderr.contains("Usage:"), r.stderr, file: file, line: line)
    }

    func posFile(_ rows: [(Float, Float, Float, Float)], _ path: String) throws {
        var d = Data()
        for r in rows { for v in [r.0, r.1, r.2, r.3] { withUnsafeBytes(of: v.bitPattern.bigEndian) { d.append(contentsOf: $0) } } }
        try d.write(to: URL(fileURLWithPath: path))
    }

    /// 1 and 9: spectrum limits and absurd m/n values.
    func testSpectrum() throws {
        let dir = try temporaryFolder(self)
        try posFile([(0, 0, 0, 1e38), (1, 1, 1, 7), (0, 0, 0, 999_999)], dir + "/big.pos")
        let ok = try run(["spectrum", dir + "/big.pos", "-o", dir + "/s"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stderr.contains("2 above 1000 Da"), ok.stderr)
        let csv = try String(contentsOfFile: dir + "/s.csv", encoding: .utf8)
        XCTAssertEqual(csv.split(separator: "\n").count, 100_001)  // header + 1000 Da / 0.01 Da
        try refuses(["spectrum", pos, "--max", "1e300", "-o", dir + "/t"], "bins")
        try refuses(["spectrum", pos, "--max", "inf", "-o", dir + "/t"], "--max")
        try refuses(["spectrum", pos, "--min=-1e300", "-o", dir + "/t"], "--min")  // named by the library check of min
        try refuses(["spectrum", pos, "--min=-inf", "-o", dir + "/t"], "--min")
        try refuses(["spectrum", pos, "--bin-width", "1e-300", "-o", dir + "/t"], "bins")
        try refuses(["spectrum", pos, "--bin-width", "1e-5", "--memory-limit-gb", "0.5", "-o", dir + "/t"], "--memory-limit-gb")
    }

    /// Commands that read a file whole measure it first (its layout only) and refuse, with one
    /// line naming --memory-limit-gb, what would not fit, before allocating; `convert` to POS, or
    /// POS to EPOS, streams and needs no such check (a 1e9-ion file converts in bounded memory).
    func testWholeFileReadsAreMeasuredFirst() throws {
        let dir = try temporaryFolder(self)
        let root = Shared.repoRoot.appendingPathComponent("SampleData").path
        let pos = root + "/llzo-sample.pos", rrng = root + "/llzo-sample.rrng"  // 1e6 ions, 16 MB
        let tiny = ["--memory-limit-gb", "0.01"]
        try refuses(["clusters", pos, "--ranges", rrng, "--solutes", "Li", "-o", dir + "/c"] + tiny, "--memory-limit-gb")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/c"))
        try refuses(["export-nexus", pos, "--ranges", rrng, "-o", dir + "/s.nxs"] + tiny, "--memory-limit-gb")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/s.nxs"))
        let streamed = try run(["convert", pos, dir + "/s.epos"] + tiny)
        XCTAssertEqual(streamed.status, 0, streamed.stderr)
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: dir + "/s.epos")[.size] as? Int), 1_000_000 * 44)
        try refuses(["convert", dir + "/s.epos", dir + "/t.epos"] + tiny, "--memory-limit-gb")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/t.epos"))
    }

    /// 2: an APT section whose byte count is near Int64.max.
    func testAPTSectionByteCountOverflow() throws {
        let dir = try temporaryFolder(self)
        var d = Data(count: 540 + 148)
        d.replaceSubrange(0..<4, with: [0x41, 0x50, 0x54, 0])
        func put<T: FixedWidthInteger>(_ v: T, _ at: Int) { withUnsafeBytes(of: v.littleEndian) { d.replaceSubrange(at..<(at + MemoryLayout<T>.size), with: $0) } }
        put(Int32(540), 4); put(Int64(0), 532)
        d.replaceSubrange(540..<544, with: [0x53, 0x45, 0x43, 0])
        put(Int32(148), 544); put(Int32(4), 540 + 96)
        put(Int64.max / 4, 540 + 132); put(Int64.max - 3, 540 + 140)
        try d.write(to: URL(fileURLWithPath: dir + "/huge.apt"))
        for cmd in [["info"], ["composition", "--ranges", rrng], ["spectrum", "-o", dir + "/s"]] {
            try refuses(Array(cmd.prefix(1)) + [dir + "/huge.apt"] + cmd.dropFirst(), "huge.apt: byte")
        }
        try refuses(["convert", dir + "/huge.apt", dir + "/x.pos"], "huge.apt: byte")
    }

    /// 3 and 8: far ions, absurd voxel sizes and delocalizations, memory estimates.
    func testVoxelGrids() throws {
        let dir = try temporaryFolder(self)
        var data = try Data(contentsOf: URL(fileURLWithPath: pos))
        for v: Float in [300, 0, -20, 7] { withUnsafeBytes(of: v.bitPattern.bigEndian) { data.append(contentsOf: $0) } }
        for v: Float in [1e38, 1e38, 1e38, 7] { withUnsafeBytes(of: v.bitPattern.bigEndian) { data.append(contentsOf: $0) } }
        try data.write(to: URL(fileURLWithPath: dir + "/stray.pos"))
        let surface = ["--ranges", rrng, "--species", "Li", "--threshold", "42"]
        let r = try run(["analyze", dir + "/stray.pos"] + surface + ["-o", dir + "/a"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("2 ion(s) lie far outside"), r.stderr)
        // The same objects as without the strays (ground truth: two nanodendrites).
        XCTAssertTrue(r.stdout.contains("2 object(s)"), r.stdout)
        for (option, text) in [(["--voxel", "1e-300"], "voxels"), (["--voxel", "1e-6"], "voxels"),
                               (["--delocalization", "1e300,1,1"], "exceeds twice the specimen"), (["--delocalization", "1e6,1e6,1e6"], "exceeds twice the specimen"),
                               (["--delocalization", "200,200,200"], "exceeds twice the specimen's extent"),
                               (["--voxel", "0.1", "--memory-limit-gb", "1"], "--memory-limit-gb"),
                               (["--core-distance", "inf"], "--core-distance"), (["--min-density=-1"], "--min-density"),
                               (["--delocalization", "nan,1,1"], "--delocalization"),
                               (["--distance-slabs", "0"], "--distance-slabs"), (["--distance-slabs", "99999999999999999999"], "--distance-slabs")] {
            try refuses(["analyze", pos] + surface + option + ["-o", dir + "/b"], text)
        }
        try refuses(["table", pos] + surface + ["--core-distance", "inf"], "--core-distance")
    }

    /// 5 and 11: atom counts, colours, conversions that keep unknown peaks.
    func testRangeFiles() throws {
        let dir = try temporaryFolder(self)
        for (name, body, text) in [("big.rrng", "[Ions]\nNumber=1\nIon1=Si\n[Ranges]\nNumber=1\nRange1=27.5 28.5 Si:1e300\n", "line 6"),
                                   ("huge.rrng", "[Ions]\nNumber=1\nIon1=Si\n[Ranges]\nNumber=1\nRange1=27.5 28.5 Si:4000000000000000000\n", "line 6"),
                                   ("many.rrng", "[Ions]\nNumber=1\nIon1=Si\n[Ranges]\nNumber=1\nRange1=27.5 28.5 Si:2000000\n", "from 0 to 999"),
                                   ("nan.rng", "1 1\nSi\nSi nan 0 0\n------------------- Si\n. 27.5 28.5 1\n", "line 3")] {
            try body.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
            try refuses(["ranges", dir + "/" + name], text)
        }
        try refuses(["ranges", "/dev/zero"], "not a regular file")
        try "[Ions]\nNumber=2\nIon1=A\nIon2=Si\n[Ranges]\nNumber=2\nRange1=21 22 Vol:0.01 Name:A\nRange2=27.5 28.5 Vol:0.01 Si:1\n"
            .write(toFile: dir + "/unknown.rrng", atomically: true, encoding: .utf8)
        XCTAssertEqual(try run(["convert", dir + "/unknown.rrng", dir + "/unknown.rng"]).status, 0)
        try posFile([(0, 0, 0, 21.5), (0, 0, 0, 21.5), (0, 0, 0, 28)], dir + "/p.pos")
        let c = try run(["composition", dir + "/p.pos", "--ranges", dir + "/unknown.rng", "--format", "json"])
        XCTAssertEqual(c.status, 0, c.stderr)  // "A" stays an unknown peak, not an element
        XCTAssertEqual(try JSONValue.parse(c.stdout)["atoms"]?.int, 1)
    }

    /// 6: HDF5 profiles too large, of overflowing shape, of unequal lengths, missing.
    func testBundleProfiles() throws {
        let dir = try temporaryFolder(self)
        try "distance_nm,li_at_pct\n0,30\n1,31\n".write(toFile: dir + "/sim.csv", atomically: true, encoding: .utf8)
        try refuses(["compare", "--measured", dir + "/missing.h5:/a", "--simulated", dir + "/sim.csv", "-o", dir + "/c"], "No such file")
        let made = try run(["simulate", "dislocation", "--elements", "8", "-o", dir + "/s", "--bundle", dir + "/b.h5"])
        XCTAssertEqual(made.status, 0, made.stderr)
        for (group, text) in [("/simulation/dislocation/mesh", "no dataset"), ("/nothing", "nothing")] {
            try refuses(["compare", "--measured", dir + "/b.h5:" + group, "--simulated", dir + "/sim.csv", "-o", dir + "/c"], text)
        }
        // Hostile groups: 2^40 values (8.8 TB if read), a 2^32 x 2^32 shape, unequal lengths.
        do {  // closed at the end of the block, before the command opens it
            let f = try HDF5File.create(dir + "/hostile.h5")
            let huge = try f.createGroup("huge"), square = try f.createGroup("square"), unequal = try f.createGroup("unequal")
            for g in [huge, square] { try g.write("value", [1.0]); try g.write("sigma", [1.0]) }
            try huge.createEmpty("distance", as: Double.self, shape: [1 << 40])
            try square.createEmpty("distance", as: Double.self, shape: [1 << 32, 1 << 32])
            try unequal.write("distance", [0.0, 1, 2]); try unequal.write("value", [1.0, 2]); try unequal.write("sigma", [1.0, 1, 1])
            try f.flush()
        }
        let cols = ["--measured-columns", "distance,value,sigma"]
        try refuses(["compare", "--measured", dir + "/hostile.h5:/huge", "--simulated", dir + "/sim.csv", "-o", dir + "/c"] + cols, "more than")
        try refuses(["compare", "--measured", dir + "/hostile.h5:/square", "--simulated", dir + "/sim.csv", "-o", dir + "/c"] + cols, "more than")
        try refuses(["compare", "--measured", dir + "/hostile.h5:/unequal", "--simulated", dir + "/sim.csv", "-o", dir + "/c"] + cols, "differ in length")
        // A damaged file on which the HDF5 library itself crashes (found by Scripts/fuzz.sh): read
        // in a child process first, so the crash becomes an error.
        let damaged = Shared.repoRoot.appendingPathComponent("Tests/Fixtures/damaged-bundle.h5").path
        try refuses(["compare", "--measured", damaged + ":/analysis/proxigram/object1", "--simulated", dir + "/sim.csv", "-o", dir + "/c"], "damaged HDF5 file")
    }

    /// 7 and 14: FEM settings that would never finish or never fit.
    func testSimulationSettings() throws {
        let dir = try temporaryFolder(self)
        for (args, text) in [(["interface", "--misfit-spacing-nm", "1e-300"], "10000 dislocations"),
                             (["interface", "--misfit-spacing-nm", "1e-6"], "10000 dislocations"),
                             (["interface", "--misfit-spacing-nm", "4", "--domain-nm", "inf"], "domain"),
                             (["interface", "--misfit-spacing-nm", "nan"], "misfit"),
                             (["interface", "--misfit-spacing-nm=-4"], "misfit"),
                             (["dislocation", "--elements", "2000"], "--memory-limit-gb"),
                             (["dislocation", "--elements", "600", "--memory-limit-gb", "4"], "--memory-limit-gb")] {
            try refuses(["simulate"] + args + ["-o", dir + "/f"], text)
        }
    }

    /// 10, 12, 13, 14: outputs never replace inputs; a run's files go together; no stale files.
    func testOutputFolders() throws {
        let dir = try temporaryFolder(self)
        XCTAssertEqual(try run(["simulate", "dislocation", "--elements", "8", "-o", dir + "/D"]).status, 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: dir + "/D/summary.json"))
        try refuses(["simulate", "dislocation", "--elements", "8", "--params", dir + "/D/summary.json", "-o", dir + "/D"], "summary.json")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/D/summary.json")), before)
        let surface = ["--ranges", rrng, "--species", "Li", "--threshold", "42"]
        XCTAssertEqual(try run(["analyze", pos] + surface + ["-o", dir + "/E"]).status, 0)
        try refuses(["analyze", pos, "--ranges", dir + "/E/summary.txt", "--species", "Li", "--threshold", "42", "-o", dir + "/E"], "summary.txt")
        // A user's input with the name of an output, in a folder no run has written: found when the
        // run's files are moved into place, and nothing is replaced.
        try Folders.make(dir + "/K")
        try FileManager.default.copyItem(atPath: rrng, toPath: dir + "/K/table.txt")
        try refuses(["analyze", pos, "--ranges", dir + "/K/table.txt", "--species", "Li", "--threshold", "42", "-o", dir + "/K"], "table.txt")
        XCTAssertEqual(try String(contentsOfFile: dir + "/K/table.txt", encoding: .utf8), try String(contentsOfFile: rrng, encoding: .utf8))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/K"), ["table.txt"])
        // Fewer objects in a second run: the first run's object 2 files go.
        XCTAssertEqual(try run(["analyze", pos] + surface + ["--min-object-atoms", "35000", "-o", dir + "/G"]).status, 0)
        XCTAssertEqual(try run(["analyze", pos] + surface + ["-o", dir + "/H"]).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/H/proxigram_object2.csv"))
        XCTAssertEqual(try run(["analyze", pos] + surface + ["--min-object-atoms", "35000", "-o", dir + "/H"]).status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/H/proxigram_object2.csv"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/G").sorted(),
                       try FileManager.default.contentsOfDirectory(atPath: dir + "/H").sorted())
        // A killed writer's temporary file is removed by the next write into its folder.
        try Data(count: 100).write(to: URL(fileURLWithPath: dir + "/.x.pos.tmp-99999999-7"))
        XCTAssertEqual(try run(["convert", pos, dir + "/x.pos"]).status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/.x.pos.tmp-99999999-7"))
        try refuses(["synth", "--name", "../x", "-o", dir + "/S"], "--name")
        try refuses(["synth", "--name", "a\nb", "-o", dir + "/S"], "--name")
    }

    /// Issue 23, 11: a run whose bundle cannot be written publishes none of its files (the folder
    /// and the bundle go together or not at all). The previous binary left a complete folder.
    func testFailedBundlePublishesNothing() throws {
        let dir = try temporaryFolder(self)
        try refuses(["simulate", "dislocation", "--elements", "8", "--bundle", "/proc/nope/x.h5", "-o", dir + "/sim"], "/proc/nope/x.h5")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/sim"))
        XCTAssertEqual(try run(["simulate", "dislocation", "--elements", "8", "-o", dir + "/ok"]).status, 0)
        let profile = dir + "/ok/profile.csv"
        try refuses(["compare", "--measured", profile, "--measured-columns", "distance_nm,li_at_pct,li_at_pct", "--simulated", profile, "--measured-origin-nm", "0",
                     "--bundle", "/proc/nope/x.h5", "-o", dir + "/cmp"], "/proc/nope/x.h5")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/cmp"))
        try refuses(["analyze", pos, "--ranges", rrng, "--species", "Li", "--threshold", "42", "--bundle", "/proc/nope/x.h5", "-o", dir + "/an"],
                    "/proc/nope/x.h5")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/an"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), ["ok"])
    }
}


/// The commands of issue 10 against absurd options and inputs: one line naming the option.
extension HardeningTests {
    func testProfileVirtualizeSynthCompareRefuseAbsurdInput() throws {
        let h = self
        let dir = try temporaryFolder(self)
        let pos = h.pos, rrng = h.rrng
        let profile = ["profile", pos, "--ranges", rrng]
        for (args, text) in [(["--from", "1,2", "--to", "0,0,-10", "--radius", "3"], "--from needs 3"),
                             (["--from", "nan,0,0", "--to", "0,0,-10", "--radius", "3"], "--from"),
                             (["--from", "0,0,0", "--to", "0,0,-10", "--radius", "0"], "--radius"),
                             (["--from", "0,0,0", "--to", "0,0,-10", "--radius", "3", "--box-width", "2"], "--radius or --box-width"),
                             (["--from", "0,0,0", "--to", "0,0,-1e6", "--radius", "3", "--bin-width", "1e-300"], "too many"),
                             (["--from", "0,0,0", "--to", "0,0,-1e300", "--radius", "3"], "too long"),
                             (["--from", "0,0,0", "--to", "0,0,-10", "--radius", "3", "--efficiency", "2"], "--efficiency"),
                             (["--from", "0,0,0", "--to", "0,0,-10", "--radius", "3", "--species", "Fe"], "species Fe")] {
            try h.refuses(profile + args + ["-o", dir + "/p"], text)
        }
        // An input that an earlier run wrote into the output folder.
        XCTAssertEqual(try h.run(profile + ["--from", "0,0,-5", "--to", "0,0,-30", "--radius", "5", "-o", dir + "/P"]).status, 0)
        try h.refuses(["profile", pos, "--ranges", dir + "/P/profile.csv", "--from", "0,0,0", "--to", "0,0,-10", "--radius", "3", "-o", dir + "/P"], "profile.csv")
        for (args, text) in [([dir + "/nowhere"], "fields.h5"), ([dir, "--thickness-nm", "1e6"], "--thickness-nm"),
                             ([dir, "--blur-nm", "nan,1,1"], "--blur-nm"), ([dir, "--efficiency", "2"], "--efficiency")] {
            try h.refuses(["virtualize"] + args + ["-o", dir + "/v"], text)
        }
        for (args, text) in [(["--tilt-deg", "85"], "--tilt-deg"), (["--width-nm", "nan"], "--width-nm"),
                             (["--lithium-side", "1,2"], "--lithium-side"), (["--ions", "1000", "--depth-nm", "500"], "do not reach")] {
            try h.refuses(["synth", "interface"] + args + ["-o", dir + "/s"], text)
        }
        try "distance_nm,li_at_pct\n0,30\n1,31\n".write(toFile: dir + "/sim.csv", atomically: true, encoding: .utf8)
        try "distance_nm,Li_at_pct,Li_sigma_at_pct\n0,30,1\n1,31,1\n".write(toFile: dir + "/m.csv", atomically: true, encoding: .utf8)
        try h.refuses(["compare", "--measured", dir + "/m.csv", "--simulated", dir + "/sim.csv", "--instrument-blur-nm=-1", "-o", dir + "/c"], "--instrument-blur-nm")
        try h.refuses(["compare", "--measured", dir + "/m.csv", "--simulated", dir + "/sim.csv", "--simulated", dir + "/sim.csv", "--name", "a", "-o", dir + "/c"], "--name must name each")
    }

    /// The quantification options refuse what cannot work, naming the option.
    func testQuantificationOptionsRefuseAbsurdInput() throws {
        let dir = try temporaryFolder(self)
        let composition = ["composition", pos, "--ranges", rrng]
        for (args, text) in [(["--background", "fit", "--background-windows", "abc"], "--background-windows"),
                             (["--background", "fit", "--background-windows", "5:3"], "--background-windows"),
                             (["--background", "fit", "--background-windows", "1:nan"], "--background-windows"),
                             (["--background-windows", "1:5"], "--background fit"),
                             (["--background", "fit", "--background-windows", "6.9:7.1"], "background windows hold")] {
            try refuses(composition + args, text)
        }
        try refuses(["spectrum", pos, "--background", "fit", "-o", dir + "/s"], "--ranges")
        let analyze = ["analyze", pos, "--ranges", rrng, "--species", "Li", "--threshold", "42", "-o", dir + "/a"]
        try refuses(analyze + ["--delocalization-sigma", "-1,1,1"], "--delocalization-sigma")
        try refuses(analyze + ["--delocalization-sigma", "1,1"], "--delocalization-sigma needs 3")
        try refuses(analyze + ["--delocalization-sigma", "0.01,0.01,0.01"], "delocalization sigma must be at least")
        try refuses(analyze + ["--delocalization-sigma", "1,1,1", "--delocalization", "2,2,2"], "not both")
    }

    /// `clusters` refuses absurd settings by option name, and a solute the range file lacks.
    func testClustersRefuseAbsurdInput() throws {
        let dir = try temporaryFolder(self)
        let base = ["clusters", pos, "--ranges", rrng, "-o", dir + "/c"]
        try refuses(base + ["--solutes", "Li", "--dmax", "0"], "--dmax")
        try refuses(base + ["--solutes", "Li", "--dmax", "nan"], "--dmax")
        try refuses(base + ["--solutes", "Li", "--nmin", "0"], "--nmin")
        try refuses(base + ["--solutes", "Li", "--erosion", "3"], "--erosion")
        try refuses(base + ["--solutes", "Fe"], "solute Fe")
        try refuses(base + ["--solutes", ","], "--solutes")
    }

    /// Issue 14: parameters that ran for minutes or exited 0 with nonsense are refused at once,
    /// each with its reason; a profile outside the domain is refused before the solve.
    func testSimulateRefusesParametersAtOnce() throws {
        let dir = try temporaryFolder(self)
        for (args, text) in [(["--chi", "3", "--partial-molar-volume", "0.1"], "spinodal"), (["--chi", "20"], "spinodal"),
                             (["--temperature-k", "1"], "temperature"), (["--temperature-k", "inf"], "finite"), (["--chi", "nan"], "finite"),
                             (["--domain-nm", "inf"], "domain"), (["--profile", "0,-100,0,100"], "--profile"),
                             (["--max-seconds", "0"], "--max-seconds")] {
            let start = Date()
            try refuses(["simulate", "dislocation"] + args + ["-o", dir + "/s"], text)
            XCTAssertLessThan(Date().timeIntervalSince(start), 5, "\(args) took too long to refuse")
        }
        // A 10 nm Burgers vector runs, but says its strains leave the linear model's validity.
        let big = try run(["simulate", "dislocation", "--elements", "20", "--elastic-only", "--dislocation", "0,0,10,0,1", "-o", dir + "/big"])
        XCTAssertEqual(big.status, 0, big.stderr)
        XCTAssertTrue(big.stderr.contains("beyond small strains"), big.stderr)
    }
}
