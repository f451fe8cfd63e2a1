import XCTest
import APKTestSupport
import AtomProbe
import AtomProbeIO
@testable import AtomProbeAnalysis
import KitFoundation

final class CompositionTests: XCTestCase {
    let table = try! RangeFileIO.parse("""
        [Ions]
        Number=3
        Ion1=Zr
        Ion2=O
        Ion3=Li
        [Ranges]
        Number=4
        Range1=6.5 7.5 Li:1
        Range2=15.5 16.5 O:1
        Range3=44.5 46.5 Zr:1
        Range4=52.5 53.5 Zr:1 O:2
        """, format: .rrng)

    /// Hand-computed: 2 Li+, 3 O+, 1 Zr2+, 2 ZrO2+ and 2 unranged ions.
    /// Atoms: Li 2, O 3 + 2*2 = 7, Zr 1 + 2 = 3; total 12. Li = 2/12 = 16.667 at.%.
    /// Multinomial sigma over ion counts, sum_k (a_Li,k - c a_k)^2 n_k / A^2 with c = 1/6:
    /// [2 (5/6)^2 + 3 (1/6)^2 + 1 (1/6)^2 + 2 (3/6)^2] / 144 = 2/144, sigma = sqrt(2)/12 = 11.785 at.%
    /// (the binomial sqrt(c(1-c)/N) = sqrt(1/6 * 5/6 / 12) = 10.758 at.% ignores that the two ZrO2
    /// ions carry 6 atoms between them).
    func testAtomicCompositionByHand() throws {
        let mass: [Float] = [7, 7, 16, 16, 16, 45, 53, 53, 3, 100]
        let r = Reconstruction(x: mass.map { _ in 0 }, y: mass.map { _ in 0 }, z: mass.map { _ in 0 }, mass: mass)
        let c = try CompositionAnalysis.composition(r, table: table)
        XCTAssertEqual(c.total, 12); XCTAssertEqual(c.rangedIons, 8); XCTAssertEqual(c.unrangedIons, 2)
        XCTAssertEqual(c["Li"]?.count, 2); XCTAssertEqual(c["O"]?.count, 7); XCTAssertEqual(c["Zr"]?.count, 3)
        assertClose(c["Li"]!.atPercent, 100.0 / 6, within: .closedForm(1e-12, "hand count"))
        assertClose(c["Li"]!.sigmaAtPercent, 100 * (1.0 / 6 * 5.0 / 6 / 12).squareRoot(), within: .closedForm(1e-12, "sqrt(c(1-c)/N) by hand (the default)"))
        assertClose(100 * c["Li"]!.multinomialSigma, 100 * 2.0.squareRoot() / 12, within: .closedForm(1e-12, "multinomial sigma by hand"))
        let multinomial = try CompositionAnalysis.composition(r, table: table, errors: .multinomial)
        assertClose(multinomial["Li"]!.sigmaAtPercent, 100 * 2.0.squareRoot() / 12, within: .closedForm(1e-12, "multinomial sigma by hand"))
        // Ionic mode: ZrO2 counts once: 8 ions, ZrO2 = 2/8.
        let ionic = try CompositionAnalysis.composition(r, table: table, mode: .ionic)
        XCTAssertEqual(ionic.total, 8)
        assertClose(ionic["ZrO2"]!.atPercent, 25, within: .closedForm(1e-12, "hand count"))
        // Excluding O: Li 2 of 5 atoms.
        let noO = try CompositionAnalysis.composition(r, table: table, excluding: ["O"])
        XCTAssertEqual(noO.total, 5); assertClose(noO["Li"]!.atPercent, 40, within: .closedForm(1e-12, "hand count"))
        XCTAssertNil(noO["O"])
    }

    /// Regions select ions by position: hand-placed ions inside and outside box, sphere, cylinder.
    func testRegions() throws {
        let xs: [Float] = [0, 1, 5, 0, 0]
        let zs: [Float] = [0, 0, 0, 4, -9]
        let r = Reconstruction(x: xs, y: xs.map { _ in 0 }, z: zs, mass: [7, 7, 7, 16, 16])
        let sphere = try Region.sphere(center: .zero, radius: 2).validated()
        XCTAssertEqual(try CompositionAnalysis.composition(r, table: table, region: sphere).total, 2)
        let box = try Region.box(min: SIMD3(-1, -1, -10), max: SIMD3(1, 1, 5)).validated()
        XCTAssertEqual(try CompositionAnalysis.composition(r, table: table, region: box).total, 4)
        let cyl = try Region.cylinder(center: SIMD3(0, 0, -2), axis: SIMD3(0, 0, 3), radius: 1.5, length: 15).validated()
        let c = try CompositionAnalysis.composition(r, table: table, region: cyl)
        XCTAssertEqual(c.total, 4)  // x = 5 is outside the radius; z = -9 and 4 inside -9.5...5.5
        XCTAssertThrowsError(try Region.sphere(center: .zero, radius: -1).validated())
        XCTAssertThrowsError(try Region.box(min: SIMD3(1, 0, 0), max: SIMD3(0, 1, 1)).validated())
    }

    func testUnknownElementNamesTheIon() throws {
        let t = try RangeFileIO.parse("[Ions]\nNumber=1\nIon1=Aa\n[Ranges]\nNumber=2\nRange1=1 2 Aa:1\nRange2=3 4 Name:59\n", format: .rrng)
        let r = Reconstruction(x: [0, 0], y: [0, 0], z: [0, 0], mass: [1.5, 3.5])
        XCTAssertThrowsError(try CompositionAnalysis.composition(r, table: t)) { e in
            XCTAssertTrue("\(e)".contains("ion \"Aa\""), "\(e)")
        }
        // Ionic mode works with made-up names; the unknown peak counts as an ion type.
        XCTAssertEqual(try CompositionAnalysis.composition(r, table: t, mode: .ionic).total, 2)
    }

    func testJSONKeysAreStable() throws {
        let r = Reconstruction(x: [0], y: [0], z: [0], mass: [7])
        let j = try CompositionAnalysis.composition(r, table: table).json
        XCTAssertEqual(j.object?.map(\.0), ["mode", "ranged_ions", "unranged_ions", "atoms", "elements", "corrections"])
        XCTAssertEqual(j["elements"]?["Li"]?.object?.map(\.0), ["count", "at_pct", "sigma_at_pct", "corrected_count", "sigma_multinomial_at_pct", "interval_at_pct"])
        XCTAssertEqual(try JSONValue.parse(j.serialized()), j)
    }

    /// Known answer (FACT in SOURCES.md, also apav 1.4.0's output): Si.pos + Si.RRNG, decomposed;
    /// binomial sigmas as listed there. The multinomial sigmas are computed by hand in this test
    /// from the listed ion counts (Si 1.57x, Cr 1.22x, O 0.83x the binomial: Cr2O carries 2 Cr + 1 O).
    func testSiCompositionKnownAnswer() throws {
        let recon = try ReconstructionIO.load(Shared.path(Shared.apav + "Si.pos"))
        for rangeFile in ["Si.RRNG", "Si.RNG"] {
            let t = try RangeFileIO.read(Shared.path(Shared.apav + rangeFile))
            let ranged = RangedIons(recon, table: t)
            XCTAssertEqual(ranged.ranged, 877_010, rangeFile); XCTAssertEqual(ranged.unranged, 68_201, rangeFile)
            let ionCounts = Dictionary(uniqueKeysWithValues: t.ions.indices.map { (t.ions[$0].name, ranged.countsPerIonType[$0]) })
            XCTAssertEqual(ionCounts, ["Si": 785_076, "Cr2O": 85_660, "CrO": 1_681, "O": 1_355, "Cr": 1_207, "C": 706, "Cu": 683, "CrO2": 642])
            let c = try CompositionAnalysis.composition(recon, table: t)
            XCTAssertEqual(c.total, 1_051_295)
            let expected: [String: (Int, Double, Double)] = [
                "Si": (785_076, 74.6770, 0.0424), "Cr": (174_850, 16.6319, 0.0363), "O": (89_980, 8.5590, 0.0273),
                "C": (706, 0.0672, 0.0025), "Cu": (683, 0.0650, 0.0025)]
            for (el, (n, pct, sigma)) in expected {
                XCTAssertEqual(c[el]?.count, n, el)
                assertClose(c[el]!.atPercent, pct, within: .knownAnswer(5e-5, "4 decimals as listed"), el)
                assertClose(c[el]!.sigmaAtPercent, sigma, within: .knownAnswer(5e-5, "4 decimals as listed"), el)
            }
            let atoms: [String: [String: Int]] = ["Si": ["Si": 1], "Cr2O": ["Cr": 2, "O": 1], "CrO": ["Cr": 1, "O": 1], "O": ["O": 1],
                                                  "Cr": ["Cr": 1], "C": ["C": 1], "Cu": ["Cu": 1], "CrO2": ["Cr": 1, "O": 2]]
            for el in expected.keys {
                let f = c[el]!.fraction, total = Double(c.total)
                let variance = ionCounts.reduce(0.0) { v, ion in
                    let a = Double(atoms[ion.key]![el] ?? 0), all = Double(atoms[ion.key]!.values.reduce(0, +))
                    return v + (a - f * all) * (a - f * all) * Double(ion.value)
                } / (total * total)
                assertClose(c[el]!.multinomialSigma, variance.squareRoot(), within: .closedForm(1e-12, "multinomial sigma from the listed ion counts"), el)
            }
        }
    }
}

/// Issue 11: leaving out an element the range file does not have is an error, not silence.
final class ExcludeTests: XCTestCase {
    func testExcludingAnUnknownNameFails() throws {
        let table = try RangeTable(ions: [IonType(name: "Li", atoms: [AtomCount("Li", 1)]), IonType(name: "O", atoms: [AtomCount("O", 1)])],
                                   ranges: [MassRange(low: 6.5, high: 7.5, ionIndex: 0), MassRange(low: 15.5, high: 16.5, ionIndex: 1)])
        XCTAssertThrowsError(try CompositionAnalysis.composition(ionCounts: [3, 1], unranged: 0, table: table, excluding: ["Ga"])) {
            XCTAssertTrue("\($0)".contains("cannot exclude Ga"), "\($0)")
        }
        let c = try CompositionAnalysis.composition(ionCounts: [3, 1], unranged: 0, table: table, excluding: ["O"])
        assertClose(c["Li"]!.atPercent, 100, within: .closedForm(1e-12, "O left out"))
    }
}
