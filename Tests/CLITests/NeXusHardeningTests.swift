import XCTest
import APKTestSupport
import Foundation
import KitFoundation
import HDF5Kit

/// Hostile and damaged NXapm files: one line naming the file, a non-zero exit, never a crash or a
/// runaway allocation; NaN positions follow --non-finite as for POS.
extension HardeningTests {
    /// A minimal NXapm layout (what `NXapmFile.read` needs), with parts to break.
    func nxapm(_ path: String, positions: [Float], shape: [Int], mass: [Float], hash: UInt16 = 3 + 255 * 256, hugeMass: Bool = false,
               hashes: [UInt16]? = nil) throws {
        let f = try HDF5File.create(path)
        let ap = try f.createGroup("entry1").createGroup("atom_probe")
        let m = try ap.createGroup("mass_to_charge_conversion")
        if hugeMass { try m.createEmpty("mass_to_charge", as: Float.self, shape: [1 << 40]) } else { try m.write("mass_to_charge", mass) }
        try ap.createGroup("reconstruction").write("reconstructed_positions", positions, shape: shape)
        let ion = try ap.createGroup("ranging").createGroup("peak_identification").createGroup("ion1")
        try ion.write("nuclide_hash", hashes ?? [hash] + [UInt16](repeating: 0, count: 31))  // the definition's 32 values
        try ion.write("mass_to_charge_range", [6.5, 7.5], shape: [1, 2])
        try ion.writeString("name", "Li")
        try f.flush()
    }

    func testHostileNeXusFiles() throws {
        let dir = try temporaryFolder(self)
        let good: [Float] = [0, 0, 0, 1, 1, 1]
        try nxapm(dir + "/good.nxs", positions: good, shape: [2, 3], mass: [7, 7])
        let ok = try run(["composition", dir + "/good.nxs", "--ranges", dir + "/good.nxs", "--format", "json"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertEqual(try JSONValue.parse(ok.stdout)["atoms"]?.int, 2)
        try nxapm(dir + "/shape.nxs", positions: [0, 0, 1, 1], shape: [2, 2], mass: [7, 7])
        try refuses(["info", dir + "/shape.nxs"], "reconstructed_positions has shape")
        try nxapm(dir + "/hash.nxs", positions: good, shape: [2, 3], mass: [7, 7], hash: 200)
        try refuses(["composition", dir + "/hash.nxs", "--ranges", dir + "/hash.nxs"], "names no element")
        try nxapm(dir + "/huge.nxs", positions: good, shape: [2, 3], mass: [], hugeMass: true)
        try refuses(["info", dir + "/huge.nxs"], "more than")
        try nxapm(dir + "/nan.nxs", positions: [0, 0, 0, .nan, 1, 1], shape: [2, 3], mass: [7, 7])
        try refuses(["composition", dir + "/nan.nxs", "--ranges", dir + "/good.nxs"], "NaN")
        let dropped = try run(["composition", dir + "/nan.nxs", "--ranges", dir + "/good.nxs", "--non-finite", "drop", "--format", "json"])
        XCTAssertEqual(dropped.status, 0, dropped.stderr)
        XCTAssertEqual(try JSONValue.parse(dropped.stdout)["atoms"]?.int, 1)
        // Not HDF5 at all, a truncated file, and the damaged bundle that crashes the HDF5 library.
        try "not an HDF5 file\n".write(toFile: dir + "/text.nxs", atomically: true, encoding: .utf8)
        try refuses(["info", dir + "/text.nxs"], "text.nxs")
        let sample = Shared.repoRoot.appendingPathComponent("SampleData/llzo-sample").path
        XCTAssertEqual(try run(["export-nexus", sample + ".pos", "--ranges", sample + ".rrng", "-o", dir + "/sample.nxs"]).status, 0)
        let whole = try Data(contentsOf: URL(fileURLWithPath: dir + "/sample.nxs"))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: dir + "/half.nxs"))
        try refuses(["composition", dir + "/half.nxs", "--ranges", sample + ".rrng"], "half.nxs")
        try FileManager.default.copyItem(atPath: Shared.repoRoot.appendingPathComponent("Tests/Fixtures/damaged-bundle.h5").path, toPath: dir + "/damaged.nxs")
        try refuses(["info", dir + "/damaged.nxs"], "damaged.nxs")
    }
}

/// `analyze --report --map-points N`: the report's 3D atom map holds at most N points and, in
/// headless Chromium (skipped when absent), draws them.
extension CLITests {
    func testAnalyzeReportMapPoints() throws {
        let dir = try temporaryFolder(self)
        let sample = Shared.repoRoot.appendingPathComponent("SampleData/llzo-sample").path
        let r = try run(["analyze", sample + ".pos", "--ranges", sample + ".rrng", "--species", "Li", "--threshold", "42",
                         "--report", "--map-points", "5000", "-o", dir + "/a"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let html = try String(contentsOfFile: dir + "/a/report.html", encoding: .utf8)
        XCTAssertTrue(html.contains("id=\"atom-map\""))
        // "N ions (every k-th ranged ion)": every k-th of 1e6 ions with k = 200, the ranged ones.
        let n = html.components(separatedBy: "</b>: ").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }.first ?? 0
        XCTAssertLessThanOrEqual(n, 5000); XCTAssertGreaterThan(n, 4000)
        func shell(_ command: String) throws -> (Int32, String) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/bash")
            p.arguments = ["-c", command]
            let out = Pipe(); p.standardOutput = out
            try p.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            return (p.terminationStatus, text)
        }
        guard try shell("command -v chromium").0 == 0 else { print("chromium not installed: browser check skipped"); return }
        let (status, text) = try shell("bash \(Shared.repoRoot.path)/Scripts/check-report.sh \(dir)/a/report.html")
        XCTAssertEqual(status, 0, text)
        // The default view shows the iso-surface species only (issue 25): Li, about 30 % of the sample's ions.
        let drawn = text.components(separatedBy: "atom map drew ").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }.first ?? 0
        XCTAssertTrue(drawn > n / 5 && drawn < n / 2, "\(drawn) of \(n) points drawn: \(text)")
    }
}
