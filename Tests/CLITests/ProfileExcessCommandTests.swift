import XCTest
import APKTestSupport
import Foundation
import KitFoundation

/// `atomprobe profile --excess layer` end to end (issue 22, 5, 10): a Cu segregation layer inside
/// one phase, its plane tilted 25 degrees from the axis, 10 % background ions flat in m/n,
/// written as POS + RRNG.
final class ProfileExcessCommandTests: XCTestCase {
    static func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = CLITests.executable
        p.arguments = args
        let out = Pipe(), err = Pipe(); p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// Synthetic truth: matrix Li 40 / O 60 at.% at 20 atoms/nm^3 in an 18 x 18 x 40 nm box; a
    /// layer of 2.2 detected Cu atoms per nm^2 of its plane (normal tilted 25 degrees from z,
    /// through z = -20 nm); 10 % background ions. With a detection efficiency of 0.52 the truth
    /// is 2.2 / 0.52 = 4.23 atoms/nm^2 of the plane; the excess read with the normal given and
    /// the background fitted is within 2.5 sigma of it. The text states the efficiency and the
    /// tilt, stderr warns of the tilt, profile.json has the layer under `segregation`.
    func testSegregationLayerTiltedWithBackground() throws {
        let dir = try temporaryFolder(self)
        var rng = SeededRandom(seed: 41)
        let t = 25 * Double.pi / 180
        let normal = SIMD3(sin(t), 0, cos(t)), e1 = SIMD3(cos(t), 0, -sin(t)), point = SIMD3(0.0, 0, -20)
        var data = Data()
        func add(_ p: SIMD3<Double>, _ m: Float) {
            for v in [Float(p.x), Float(p.y), Float(p.z), m] { withUnsafeBytes(of: v.bitPattern.bigEndian) { data.append(contentsOf: $0) } }
        }
        func anywhere() -> SIMD3<Double> { SIMD3(18 * rng.uniform() - 9, 18 * rng.uniform() - 9, 40 * rng.uniform() - 40) }
        let signal = 18 * 18 * 40 * 20
        for _ in 0..<signal { add(anywhere(), rng.uniform() < 0.4 ? 7 : 16) }
        for _ in 0..<1980 {  // 2.2 atoms/nm^2 over 30 x 30 nm
            let p = point + (30 * rng.uniform() - 15) * e1 + SIMD3(0, 30 * rng.uniform() - 15, 0) + 0.25 * rng.normal() * normal
            if abs(p.x) <= 9, abs(p.y) <= 9 { add(p, 63) }
        }
        for _ in 0..<(signal / 9) { add(anywhere(), Float(1 + 99 * rng.uniform())) }
        try data.write(to: URL(fileURLWithPath: dir + "/gb.pos"))
        try "[Ions]\nNumber=3\nIon1=Li\nIon2=O\nIon3=Cu\n[Ranges]\nNumber=3\nRange1=6.5 7.5 Vol:0.02 Li:1\nRange2=15.5 16.5 Vol:0.01 O:1\nRange3=62.5 63.5 Vol:0.01 Cu:1\n"
            .write(toFile: dir + "/gb.rrng", atomically: true, encoding: .utf8)
        let common = ["profile", dir + "/gb.pos", "--ranges", dir + "/gb.rrng", "--from", "0,0,-35", "--to", "0,0,-5", "--radius", "7", "--species", "Cu", "--excess", "layer"]
        let r = try Self.run(common + ["--plane-normal", "\(normal.x),0,\(normal.z)", "--efficiency", "0.52", "--background", "fit", "-o", dir + "/out"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("detection efficiency 0.52"), r.out)
        XCTAssertTrue(r.out.contains("axis tilted 25.0 degrees"), r.out)
        XCTAssertTrue(r.err.contains("warning: the profile's axis is tilted 25.0 degrees"), r.err)
        let j = try JSONValue.parse(String(contentsOfFile: dir + "/out/profile.json", encoding: .utf8))
        let l = try XCTUnwrap(j["segregation"])
        XCTAssertNil(j["interface"])
        XCTAssertEqual(l["mode"]?.string, "layer")
        assertClose(l["tilt_deg"]?.double ?? .nan, 25, within: .roundoff(1e-6))
        assertClose(l["position_nm"]?.double ?? .nan, 15, within: .groundTruth(0.3, "the layer crosses the axis 15 nm along it"))
        let cu = try XCTUnwrap(l["interfacial_excess"]?["Cu"])
        let value = cu["atoms_per_nm2"]?.double ?? .nan, sigma = cu["sigma_atoms_per_nm2"]?.double ?? .nan
        print(String(format: "CLI layer, tilted 25 degrees, 10 %% background, efficiency 0.52: Cu %.3f ± %.3f atoms/nm^2, truth %.3f", value, sigma, 2.2 / 0.52))
        assertClose(value, 2.2 / 0.52, within: .groundTruth(2.5 * sigma, "2.5 sigma of the counting error"))
        // Bad input: one line naming the option.
        for (extra, words) in [(["--plateau-ranges", "5,2,10,12"], "--plateau-ranges needs 4 numbers"),
                               (["--plane-normal", "1,0,0"], "--plane-normal is 90.0 degrees from the profile's axis"),
                               (["--plane-normal", "0,0"], "--plane-normal needs 3 numbers")] {
            let bad = try Self.run(common + extra + ["-o", dir + "/bad"])
            XCTAssertNotEqual(bad.status, 0, "\(extra)")
            XCTAssertTrue(bad.err.hasPrefix("Error: ") && bad.err.contains(words), bad.err)
            XCTAssertEqual(bad.err.split(separator: "\n").count, 1, bad.err)
        }
    }
}

