import XCTest
import APKTestSupport
import Foundation
import KitFoundation

/// `simulate --end-time-s`: a finite-time transient with its time series.
extension CLITests {
    func testTransientSeriesFiles() throws {
        let dir = try temporaryFolder(self)
        let r = try run(["simulate", "interface", "--elements", "12", "--domain-nm", "20", "--end-time-s", "9e-5", "--snapshots", "3", "-o", dir])
        XCTAssertEqual(r.status, 0, r.stderr)
        let summary = try JSONValue.parse(String(contentsOfFile: dir + "/summary.json", encoding: .utf8))
        XCTAssertEqual(summary["solver"]?.string, "transient")
        XCTAssertEqual(summary["steady_state"]?.bool, false)
        // Evenly spaced in sqrt(t): T/9, 4T/9, T; the run ends at T.
        let times = summary["snapshot_times_s"]?.array?.compactMap(\.double) ?? []
        XCTAssertEqual(times.count, 3)
        for (t, want) in zip(times, [1e-5, 4e-5, 9e-5]) { XCTAssertEqual(t, want, accuracy: 1e-12 * want) }
        XCTAssertEqual(summary["time_s"]?.double ?? 0, 9e-5, accuracy: 1e-15)
        let pvd = try String(contentsOfFile: dir + "/series.pvd", encoding: .utf8)
        XCTAssertEqual(pvd.components(separatedBy: "<DataSet ").count - 1, 3)
        for k in 0..<3 { XCTAssertTrue(FileManager.default.fileExists(atPath: dir + String(format: "/series/fields_%04d.vtu", k))) }
        for f in ["series.h5", "series.xdmf", "profile_series.svg"] { XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/" + f), f) }
        let csv = try String(contentsOfFile: dir + "/profile_series.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertTrue(csv[0].hasPrefix("distance_nm,c_t1e-05s,c_t4e-05s,c_t9e-05s,li_at_pct_t1e-05s"), String(csv[0]))
        // Li leaves the metal over time: c at the top end (deep in Li) falls from snapshot to snapshot.
        let last = csv.last!.split(separator: ",").map { Double($0)! }
        XCTAssertGreaterThan(last[1], last[3])
        let xdmf = try String(contentsOfFile: dir + "/series.xdmf", encoding: .utf8)
        XCTAssertTrue(xdmf.contains("CollectionType=\"Temporal\"") && xdmf.contains("<Time Value=\"9e-05\"/>"), xdmf)
    }
}

extension CLITests {
    /// --check-mesh: the same run on 1.5x the elements, every quantity with its change; with misfit
    /// dislocations the interface "width" is an unresolved step (below two elements), said so.
    func testCheckMesh() throws {
        let dir = try temporaryFolder(self)
        let r = try run(["simulate", "interface", "--elements", "40", "--misfit-spacing-nm", "4", "--check-mesh", "-o", dir])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("mesh check (40 -> 60 elements per edge)"), r.stdout)
        let check = try JSONValue.parse(String(contentsOfFile: dir + "/mesh_check.json", encoding: .utf8))
        XCTAssertEqual(check["fine_elements_per_edge"]?.int, 60)
        let names = check["quantities"]?.array?.compactMap { $0["name"]?.string } ?? []
        XCTAssertEqual(names, ["interdiffusion_width_nm", "c_min_interior", "c_max_interior", "sigma_h_min_interior_pa", "sigma_h_max_interior_pa",
                               "profile_c_max_difference", "profile_sigma_h_max_difference_pa"])
        let width = check["quantities"]?[0]
        XCTAssertEqual(width?["converged"]?.bool, false)
        XCTAssertTrue(width?["note"]?.string?.contains("unresolved step") ?? false, "\(String(describing: width))")
        let summary = try JSONValue.parse(String(contentsOfFile: dir + "/summary.json", encoding: .utf8))
        XCTAssertNotNil(summary["results_interior"]?["c_min"]?.double)
    }
}

extension HardeningTests {
    func testTransientRefusals() throws {
        let dir = try temporaryFolder(self)
        let base = ["simulate", "interface", "--elements", "8", "-o", dir + "/x"]
        try refuses(base + ["--end-time-s", "-1"], "--end-time-s")
        try refuses(base + ["--end-time-s", "nan"], "--end-time-s")
        try refuses(base + ["--end-time-s", "1", "--snapshots", "0"], "--snapshots")
        try refuses(base + ["--end-time-s", "1", "--time-tolerance", "2"], "--time-tolerance")
        try refuses(base + ["--end-time-s", "1", "--solver", "direct"], "--solver direct")
        try refuses(base + ["--end-time-s", "1", "--elastic-only"], "mechanics alone")
    }
}
