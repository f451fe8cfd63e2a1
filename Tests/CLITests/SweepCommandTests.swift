import XCTest
import APKTestSupport
import Foundation
import KitFoundation

/// `simulate sweep`: the table, a split sweep merged back, compare ranking the members.
extension CLITests {
    func testSweepSplitCollectAndCompare() throws {
        let dir = try temporaryFolder(self)
        let common = ["simulate", "sweep", "interface", "--elements", "16", "--domain-nm", "20", "--vary", "misfit-spacing-nm=0,4"]
        var r = try run(common + ["--jobs", "2", "-o", dir + "/all"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let csv = try String(contentsOfFile: dir + "/all/sweep.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.count, 3)
        XCTAssertTrue(csv[0].hasPrefix("member,name,misfit_spacing_nm,steady,solver,interdiffusion_width_nm,peak_enrichment_at_pct"), String(csv[0]))
        for f in ["sweep.json", "sweep_peak_enrichment_at_pct.svg", "members/member0001_spacing4/profile.csv", "members/member0001_spacing4/summary.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/all/" + f), f)
        }
        // The same sweep in two parts (as two Slurm array tasks would run it), merged.
        for k in 0..<2 { XCTAssertEqual(try run(common + ["--member", "\(k)", "-o", dir + "/part\(k)"]).status, 0) }
        r = try run(common + ["--collect", dir + "/part0", dir + "/part1", "-o", dir + "/merged"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let whole = try JSONValue.parse(String(contentsOfFile: dir + "/all/sweep.json", encoding: .utf8))
        let merged = try JSONValue.parse(String(contentsOfFile: dir + "/merged/sweep.json", encoding: .utf8))
        for k in 0..<2 {
            for key in ["interdiffusion_width_nm", "peak_enrichment_at_pct", "sigma_h_max_pa"] {
                XCTAssertEqual(whole["members"]?[k]?["metrics"]?[key], merged["members"]?[k]?["metrics"]?[key], key)
            }
        }
        // compare ranks the members' profiles against a measured one (here member 1's own profile,
        // which must then rank first).
        let members = dir + "/all/members/"
        r = try run(["compare", "--measured", members + "member0001_spacing4/profile.csv", "--measured-columns", "distance_nm,li_at_pct,li_at_pct",
                     "--simulated", members + "member0000_spacing0/profile.csv", "--simulated", members + "member0001_spacing4/profile.csv", "-o", dir + "/rank"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("member0001_spacing4"), r.stdout)
        // Issue 25: the sweep folder itself stands for every member's profile, the same ranking.
        r = try run(["compare", "--measured", members + "member0001_spacing4/profile.csv", "--measured-columns", "distance_nm,li_at_pct,li_at_pct",
                     "--simulated", dir + "/all", "-o", dir + "/rank2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let a = try String(contentsOfFile: dir + "/rank/ranking.json", encoding: .utf8), b = try String(contentsOfFile: dir + "/rank2/ranking.json", encoding: .utf8)
        XCTAssertEqual(try JSONValue.parse(a)["best"]?.string, try JSONValue.parse(b)["best"]?.string)
        XCTAssertEqual(try JSONValue.parse(b)["scenarios"]?.array?.count, 2)
    }
}

/// `simulate sweep` refusals: one line, non-zero, no crash.
extension HardeningTests {
    func testSweepRefusals() throws {
        let dir = try temporaryFolder(self)
        let base = ["simulate", "sweep", "interface", "--elements", "8", "-o", dir + "/x"]
        for (args, text) in [(["--vary", "chi=0,20"], "spinodal"), (["--vary", "bogus=1"], "--vary"), (["--vary", "omega=1:2:0"], "--vary"),
                             (["--vary", "omega=nan"], "--vary"), ([], "--vary"), (["--vary", "omega=1", "--jobs", "0"], "--jobs"),
                             (["--vary", "omega=1", "--member", "5"], "--member 5")] {
            try refuses(base + args, text)
        }
        try refuses(["simulate", "sweep", "interface", "--collect", dir + "/missing", "-o", dir + "/y"], "missing")
    }
}
