import XCTest
import APKTestSupport
import KitFoundation
import AtomProbe
@testable import AtomProbeAnalysis

/// 1D profiles against synthetic ground truth: a tilted erf interface of known position and
/// width, and an interfacial layer of known areal density.
final class ConcentrationProfileTests: XCTestCase {
    /// Single-atom ions at 7 (Li), 16 (O), 63 (Cu) Da.
    static let table: RangeTable = {
        let ions = [IonType(name: "Li", atoms: [AtomCount("Li", 1)]), IonType(name: "O", atoms: [AtomCount("O", 1)]),
                    IonType(name: "Cu", atoms: [AtomCount("Cu", 1)])]
        let ranges = [MassRange(low: 6.5, high: 7.5, ionIndex: 0), MassRange(low: 15.5, high: 16.5, ionIndex: 1), MassRange(low: 62.5, high: 63.5, ionIndex: 2)]
        return try! RangeTable(ions: ions, ranges: ranges)
    }()

    /// Ions uniformly in a 30 x 30 x 60 nm box at `density` per nm^3; Li fraction
    /// 0.5 (1 + erf(d / (sqrt 2 s))) with d the signed distance to the plane (point, normal).
    static func tiltedInterface(point: SIMD3<Double>, normal: SIMD3<Double>, s: Double, density: Double, seed: UInt64) -> Reconstruction {
        var rng = SeededRandom(seed: seed)
        let n = Int(30 * 30 * 60 * density)
        var x = [Float](), y = [Float](), z = [Float](), m = [Float]()
        for _ in 0..<n {
            let p = SIMD3(30 * rng.uniform() - 15, 30 * rng.uniform() - 15, 60 * rng.uniform() - 60)
            let d = Vec3.dot(p - point, normal)
            let li = 0.5 * (1 + erf(d / (2.0.squareRoot() * s)))
            x.append(Float(p.x)); y.append(Float(p.y)); z.append(Float(p.z))
            m.append(rng.uniform() < li ? 7 : 16)
        }
        return Reconstruction(x: x, y: y, z: z, mass: m)
    }

    /// Ground truth: the crossing within 0.3 nm of the plane and the 10-90 % width 2.563 s within
    /// 15 %, along a normal tilted 25 degrees from z, with fixed-width and fixed-atom bins.
    func testTiltedInterfaceRecovered() throws {
        let angle = 25.0 * Double.pi / 180
        let normal = SIMD3(sin(angle), 0, cos(angle))
        let point = SIMD3(1.0, -2.0, -30.0)
        let s = 0.8  // 10-90 % width 2.05 nm
        let recon = Self.tiltedInterface(point: point, normal: normal, s: s, density: 20, seed: 11)
        let ranged = RangedIons(recon, table: Self.table)
        let region = ProfileRegion(from: point - 12 * normal, to: point + 12 * normal, crossSection: .cylinder(radius: 5))
        for binning in [ConcentrationProfile.Binning.width(0.2), .atoms(400)] {
            let p = try ConcentrationProfile(recon, ranged: ranged, region: region, binning: binning)
            let a = try InterfaceAnalysis(p, species: "Li")
            assertClose(a.fit.crossing, 12, within: .groundTruth(0.3, "the plane lies 12 nm along the axis"), "\(binning)")
            assertClose(a.fit.width1090, InterfaceFit.widthPerSigma * s, within: .groundTruth(0.15 * InterfaceFit.widthPerSigma * s, "erf of sigma 0.8 nm"), "\(binning)")
            // The fit's own error bars are honest: the truth within 3 sigma.
            XCTAssertLessThan(abs(a.fit.crossing - 12), 3 * a.fit.crossingSigma + 0.02, "\(binning)")
            assertClose(100 * a.low.fraction[p.elements.firstIndex(of: "Li")!], 0, within: .statistics(1, "pure O plateau"))
            assertClose(100 * a.high.fraction[p.elements.firstIndex(of: "Li")!], 100, within: .statistics(1, "pure Li plateau"))
        }
        // A box of the same axis gives the same interface.
        let box = try ConcentrationProfile(recon, ranged: ranged, region: ProfileRegion(from: region.from, to: region.to, crossSection: .box(width: 8)), binning: .width(0.25))
        assertClose(try InterfaceAnalysis(box, species: "Li").fit.crossing, 12, within: .groundTruth(0.3, "the plane lies 12 nm along the axis"))
    }

    /// Issue 22, 4, synthetic truth: the same 3 atoms/nm^2 Cu layer with 10 % background ions
    /// (flat in m/n over 1-100 Da, anywhere in the box). With the background fitted and
    /// subtracted, the plateaus and the counts N_i are both corrected: the Cu excess is within
    /// 2.5 sigma of 3 (the plateaus alone corrected read about 0.7 atoms/nm^2 high).
    func testInterfacialExcessWithBackgroundFit() throws {
        var rng = SeededRandom(seed: 6)
        var x = [Float](), y = [Float](), z = [Float](), m = [Float]()
        func add(_ p: SIMD3<Double>, _ mass: Float) { x.append(Float(p.x)); y.append(Float(p.y)); z.append(Float(p.z)); m.append(mass) }
        func anywhere() -> SIMD3<Double> { SIMD3(20 * rng.uniform() - 10, 20 * rng.uniform() - 10, 40 * rng.uniform() - 40) }
        let signal = 20 * 20 * 40 * 20
        for _ in 0..<signal { let p = anywhere(); add(p, p.z < -20 ? 16 : 7) }
        for _ in 0..<(20 * 20 * 3) { add(SIMD3(20 * rng.uniform() - 10, 20 * rng.uniform() - 10, -20 + 0.1 * (rng.uniform() - 0.5)), 63) }
        for _ in 0..<(signal / 9) { add(anywhere(), Float(1 + 99 * rng.uniform())) }
        let recon = Reconstruction(x: x, y: y, z: z, mass: m)
        let fixes = try QuantificationCorrections.prepare(mass: recon.mass, table: Self.table, background: .constant, deconvolve: false)
        let region = ProfileRegion(from: SIMD3(0, 0, -38), to: SIMD3(0, 0, -2), crossSection: .cylinder(radius: 6))
        let p = try ConcentrationProfile(recon, ranged: RangedIons(recon, table: Self.table), region: region, binning: .width(0.1), corrections: fixes)
        let a = try InterfaceAnalysis(p, species: "Li", plateauGap: 2)
        let cu = try XCTUnwrap(a.excess.first { $0.element == "Cu" })
        XCTAssertLessThan(abs(cu.atomsPerNm2 - 3), 2.5 * cu.sigma, "Cu excess \(cu.atomsPerNm2) +- \(cu.sigma) atoms/nm^2 against 3")
    }

    /// Closed form: a sharp O | Li interface with a Cu layer of 3 atoms/nm^2 on it gives a Cu
    /// excess equal to the Cu atoms in the cylinder over its area (no Cu in the plateaus), and
    /// the excesses sum to zero (the dividing surface has no excess of atoms).
    func testInterfacialExcessOfALayer() throws {
        var rng = SeededRandom(seed: 5)
        var x = [Float](), y = [Float](), z = [Float](), m = [Float]()
        func add(_ p: SIMD3<Double>, _ mass: Float) { x.append(Float(p.x)); y.append(Float(p.y)); z.append(Float(p.z)); m.append(mass) }
        for _ in 0..<(20 * 20 * 40 * 20) {
            let p = SIMD3(20 * rng.uniform() - 10, 20 * rng.uniform() - 10, 40 * rng.uniform() - 40)
            add(p, p.z < -20 ? 16 : 7)
        }
        for _ in 0..<(20 * 20 * 3) { add(SIMD3(20 * rng.uniform() - 10, 20 * rng.uniform() - 10, -20 + 0.1 * (rng.uniform() - 0.5)), 63) }
        let recon = Reconstruction(x: x, y: y, z: z, mass: m)
        let region = ProfileRegion(from: SIMD3(0, 0, -38), to: SIMD3(0, 0, -2), crossSection: .cylinder(radius: 6))
        let p = try ConcentrationProfile(recon, ranged: RangedIons(recon, table: Self.table), region: region, binning: .width(0.1))
        let a = try InterfaceAnalysis(p, species: "Li", plateauGap: 2)
        let cu = try XCTUnwrap(a.excess.first { $0.element == "Cu" })
        let cuInCylinder = p.bins.reduce(0) { $0 + $1.counts[p.elements.firstIndex(of: "Cu")!] }
        assertClose(cu.atomsPerNm2, Double(cuInCylinder) / (Double.pi * 36), within: .closedForm(1e-9, "no Cu in either plateau"))
        assertClose(cu.atomsPerNm2, 3, within: .statistics(3 * cu.sigma, "Poisson count of a 3 atoms/nm^2 layer"))
        assertClose(a.excess.reduce(0) { $0 + $1.atomsPerNm2 }, 0, within: .closedForm(1e-6, "the dividing surface has no total excess"))
        assertClose(a.fit.crossing, 18, within: .groundTruth(0.1, "a sharp step at z = -20 nm"))
        // The ladder: its last point counts every atom of the profile.
        let ladder = p.cumulative
        XCTAssertEqual(ladder.total.last, p.bins.reduce(0) { $0 + $1.atoms })
        XCTAssertEqual(ladder.perElement[p.elements.firstIndex(of: "Cu")!].last, cuInCylinder)
    }

    func testBadRegionsAndBins() throws {
        let recon = Reconstruction(x: [0], y: [0], z: [0], mass: [7])
        let ranged = RangedIons(recon, table: Self.table)
        for (region, binning) in [(ProfileRegion(from: .zero, to: .zero, crossSection: .cylinder(radius: 1)), ConcentrationProfile.Binning.width(0.1)),
                                  (ProfileRegion(from: .zero, to: SIMD3(0, 0, 1), crossSection: .cylinder(radius: .nan)), .width(0.1)),
                                  (ProfileRegion(from: .zero, to: SIMD3(0, 0, 1e300), crossSection: .cylinder(radius: 1)), .width(1e-300)),
                                  (ProfileRegion(from: .zero, to: SIMD3(0, 0, 1), crossSection: .box(width: 1)), .atoms(0))] {
            XCTAssertThrowsError(try ConcentrationProfile(recon, ranged: ranged, region: region, binning: binning))
        }
    }
}
