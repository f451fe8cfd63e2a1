import XCTest
import APKTestSupport
import KitFoundation
import AtomProbe
import AtomProbeAnalysis
import AtomProbeSynthesis

/// The virtual atom probe against closed forms: a sharp simulated interface seen through an
/// isotropic blur sigma_b has a 10-90 % width of 2.563 sqrt(s^2 + sigma_b^2) (s = 0: sharp).
final class VirtualAtomProbeTests: XCTestCase {
    static func sharpInterface() -> FieldSample2D {
        let xs = stride(from: -10.0, through: 10.0, by: 0.25).map { $0 }, ys = xs
        let c = ys.flatMap { y in xs.map { _ in y <= 0 ? 0.78 : 1.0 } }
        let metal = (0..<(ys.count - 1)).flatMap { j in (0..<(xs.count - 1)).map { _ in ys[j] >= 0 } }
        return FieldSample2D(xs: xs, ys: ys, c: c, lithiumMetal: metal)
    }

    func testSharpInterfaceThroughTheInstrument() throws {
        for sb in [0.4, 0.8] {
            var p = VirtualAtomProbe.Parameters()
            p.blur = SIMD3(repeating: sb); p.thickness = 12; p.seed = 3
            let ds = try VirtualAtomProbe(p).generate(Self.sharpInterface())
            let region = ProfileRegion(from: SIMD3(0, 0, -7), to: SIMD3(0, 0, 7), crossSection: .cylinder(radius: 4))
            let prof = try ConcentrationProfile(ds.reconstruction, ranged: RangedIons(ds.reconstruction, table: ds.ranges), region: region, binning: .width(0.1))
            let a = try InterfaceAnalysis(prof, species: "Li")
            assertClose(a.fit.width1090, 2.5631 * sb, within: .closedForm(0.2 * 2.5631 * sb, "a sharp step through a Gaussian blur of sigma_b (densities differ: 20 %)"))
            assertClose(a.fit.crossing, 7, within: .closedForm(0.3, "the plane z = 0 lies 7 nm along the axis"))
            let li = prof.elements.firstIndex(of: "Li")!
            // Plateaus: LLZO at c = 0.78 is 100 * 9c / (9c + 17) = 29.2 at.% Li; Li metal 100 at.% (less the background).
            assertClose(100 * a.low.fraction[li], 100 * 9 * 0.78 / (9 * 0.78 + 17), within: .statistics(1.5, "c = 0.78 in LLZO"))
            assertClose(100 * a.high.fraction[li], 100, within: .statistics(2, "Li metal, 1 % background"))
        }
    }

    func testBadFields() throws {
        let v = try VirtualAtomProbe(VirtualAtomProbe.Parameters())
        var f = Self.sharpInterface(); f.c[0] = .nan
        XCTAssertThrowsError(try v.generate(f))
        var g = Self.sharpInterface(); g.lithiumMetal.removeLast()
        XCTAssertThrowsError(try v.generate(g))
        var p = VirtualAtomProbe.Parameters(); p.thickness = 1e6
        XCTAssertThrowsError(try VirtualAtomProbe(p))
    }
}
