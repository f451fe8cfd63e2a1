import XCTest
import APKTestSupport
import KitFoundation
import AtomProbe
import AtomProbeAnalysis
import AtomProbeSynthesis

/// The synthetic Li/LLZO interface against its own truth, measured with `ConcentrationProfile`
/// (issue 10: position within 0.3 nm, 10-90 % width within 15 %).
final class SyntheticInterfaceTests: XCTestCase {
    func testProfileRecoversTheInterface() throws {
        var p = SyntheticInterface.Parameters()
        p.tip.ions = 400_000; p.tip.seed = 8
        p.tiltDegrees = 30; p.width = 1.5; p.depth = 15
        let ds = try SyntheticInterface(p).generate()
        let truth = ds.truth
        let n = SIMD3((truth["interface"]?["normal"]?[0]?.double)!, 0, (truth["interface"]?["normal"]?[2]?.double)!)
        let point = SIMD3(0, 0, -15.0)
        let expected = try XCTUnwrap(truth["expected_li_profile"])
        let region = ProfileRegion(from: point - 8 * n, to: point + 8 * n, crossSection: .cylinder(radius: 4))
        let prof = try ConcentrationProfile(ds.reconstruction, ranged: RangedIons(ds.reconstruction, table: ds.ranges), region: region, binning: .width(0.2))
        let a = try InterfaceAnalysis(prof, species: "Li")
        assertClose(a.fit.crossing, 8 + expected["crossing_offset_nm"]!.double!, within: .groundTruth(0.3, "plane 8 nm along the axis, plus the density shift of the Li at.% midpoint"))
        assertClose(a.fit.width1090, expected["width_10_90_nm"]!.double!, within: .groundTruth(0.15 * expected["width_10_90_nm"]!.double!, "erf width 1.5 nm with the reconstruction blur"))
        assertClose(a.fit.high, expected["high_at_pct"]!.double!, within: .statistics(4 * a.fit.highSigma + 0.5, "Li side at.% (background adds a little)"))
        assertClose(a.fit.low, expected["low_at_pct"]!.double!, within: .statistics(4 * a.fit.lowSigma + 0.5, "LLZO side at.%"))
        // Determinism: the same seed, the same file.
        let again = try SyntheticInterface(p).generate()
        XCTAssertEqual(again.reconstruction.mass, ds.reconstruction.mass)
        XCTAssertEqual(again.reconstruction.z, ds.reconstruction.z)
    }

    func testRefusesImpossibleSettings() {
        var p = SyntheticInterface.Parameters(); p.tiltDegrees = 85
        XCTAssertThrowsError(try SyntheticInterface(p))
        var q = SyntheticInterface.Parameters(); q.tip.ions = 1000; q.depth = 500
        XCTAssertThrowsError(try SyntheticInterface(q).generate())
    }
}
