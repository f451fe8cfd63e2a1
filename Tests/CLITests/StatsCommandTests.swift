import XCTest
import Foundation
import APKTestSupport

/// Issue 26 from the command line: `stats` on the bundled sample, bad input refused in one line
/// naming the option, and the clusters additions (`--randomizations`, `--sweep`, `--exclude-edge`).
extension HardeningTests {
    func testStatsOnTheSampleAndItsBadInput() throws {
        let dir = try temporaryFolder(self)
        let pos = sample + ".pos", rrng = sample + ".rrng"
        let r = try run(["stats", pos, "--ranges", rrng, "--solutes", "Ta", "--k", "3", "--randomizations", "5", "--output", dir + "/s"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for f in ["stats.json", "fda.csv", "fda.svg", "nn.csv", "nn.svg", "rdf.csv", "rdf.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/s/" + f), f)
        }
        let rdf = try String(contentsOfFile: dir + "/s/rdf.csv", encoding: .utf8)
        XCTAssertTrue(rdf.hasPrefix("r_nm,g,"), rdf)
        let nn = try String(contentsOfFile: dir + "/s/nn.csv", encoding: .utf8)
        XCTAssertTrue(nn.hasPrefix("r_nm,k1_observed,k1_random_mean,k1_random_low,k1_random_high,k2_observed"), String(nn.prefix(200)))
        let base = ["stats", pos, "--ranges", rrng, "--output", dir + "/bad"]
        try refuses(base + ["--solutes", "Cu"], "--solutes")
        try refuses(base + ["--solutes", "Cu"], "not in the range file")
        try refuses(base + ["--solutes", "Ta", "--block-atoms", "100000000"], "--block-atoms")
        try refuses(base + ["--solutes", "Ta", "--block-atoms", "2000000"], "--block-atoms")
        try refuses(base + ["--solutes", "Ta", "--k", "0"], "--k")
        try refuses(base + ["--solutes", "Ta", "--randomizations", "0"], "--randomizations")
        try refuses(base + ["--solutes", "Ta", "--rdf-bin-nm", "nan"], "--rdf-bin-nm")
        try refuses(base + ["--solutes", "Ta", "--rdf-max-nm", "-1"], "--rdf-max-nm")
        try refuses(base + ["--solutes", ","], "--solutes")
    }

    /// A solute held by one ion, k beyond the solutes, blocks larger than the data: a tiny file.
    func testStatsRefusesTooFewSolutes() throws {
        let dir = try temporaryFolder(self)
        // 300 ions on a line 0.3 nm apart: Fe (28 Da) and 5 Cu (31.5 Da), one Ni (29.5 Da).
        var rows: [(Float, Float, Float, Float)] = []
        for i in 0..<300 { rows.append((Float(i % 7), Float(i % 5), Float(i) * 0.3, i == 7 ? 29.5 : (i % 60 == 0 ? 31.5 : 28))) }
        try posFile(rows, dir + "/t.pos")
        try "[Ions]\nNumber=3\nIon1=Fe\nIon2=Cu\nIon3=Ni\n[Ranges]\nNumber=3\nRange1=27.5000 28.5000 Vol:0.01178 Fe:1 Color:FF0000\nRange2=31.0000 32.0000 Vol:0.01178 Cu:1 Color:00FF00\nRange3=29.0000 30.0000 Vol:0.01178 Ni:1 Color:0000FF\n"
            .write(toFile: dir + "/t.rrng", atomically: true, encoding: .utf8)
        let base = ["stats", dir + "/t.pos", "--ranges", dir + "/t.rrng", "--output", dir + "/o"]
        try refuses(base + ["--solutes", "Ni"], "--solutes")
        try refuses(base + ["--solutes", "Cu", "--k", "10", "--block-atoms", "20"], "--k")
        try refuses(base + ["--solutes", "Cu", "--k", "2", "--block-atoms", "500"], "--block-atoms")
    }

    func testClustersRandomizationsSweepAndExcludeEdge() throws {
        let dir = try temporaryFolder(self)
        let args = ["clusters", sample + ".pos", "--ranges", sample + ".rrng", "--solutes", "Ta", "--dmax", "0.5", "--nmin", "5"]
        let r = try run(args + ["--randomizations", "3", "--sweep", "dmax=0.3:0.6:4,nmin=5,10", "--exclude-edge", "--output", dir + "/c"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let sweep = try String(contentsOfFile: dir + "/c/sweep.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(sweep.first, "dmax_nm,nmin,clusters,false_clusters")
        XCTAssertEqual(sweep.count, 1 + 8)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/c/false-clusters.csv"))
        let matrix = try String(contentsOfFile: dir + "/c/matrix.json", encoding: .utf8)
        XCTAssertTrue(matrix.contains("\"expected_false_clusters\"") && matrix.contains("\"edge_clusters_excluded\""), matrix)
        try refuses(args + ["--sweep", "dmax=1:2", "--output", dir + "/x"], "--sweep")
        try refuses(args + ["--randomizations", "-1", "--output", dir + "/x"], "--randomizations")
    }
}
