import XCTest
import APKTestSupport
import AtomProbe
import AtomProbeIO
@testable import AtomProbeAnalysis
@testable import AtomProbeSynthesis

/// The synthetic generator against its own ground truth (and closed forms for its pieces).
final class SyntheticDataTests: XCTestCase {
    static let dataset: SyntheticLLZO.Dataset = {
        var p = SyntheticLLZO.Parameters()
        p.ions = 600_000
        p.seed = 7
        p.objectLength = 16
        return try! SyntheticLLZO(p).generate()
    }()

    func testDeterministicForASeed() throws {
        var p = SyntheticLLZO.Parameters()
        p.ions = 70_000; p.objectCount = 0; p.seed = 3
        let a = try SyntheticLLZO(p).generate(), b = try SyntheticLLZO(p).generate()
        XCTAssertEqual(a.reconstruction, b.reconstruction)
        p.seed = 4
        XCTAssertNotEqual(try SyntheticLLZO(p).generate().reconstruction.mass, a.reconstruction.mass)
    }

    /// Ground truth: the whole-dataset atomic composition measured with the generated RRNG equals
    /// the truth JSON's "all signal" composition within 2 sigma for every element.
    func testMeasuredCompositionMatchesTruthWithin2Sigma() throws {
        let ds = Self.dataset
        let c = try CompositionAnalysis.composition(ds.reconstruction, table: ds.ranges)
        let truth = try XCTUnwrap(ds.truth["regions"]?.array?.first { $0["name"]?.string == "all signal" })
        for el in ["Li", "La", "Zr", "Ta", "O"] {
            let t = try XCTUnwrap(truth["elements"]?[el]?["at_pct"]?.double)
            let m = try XCTUnwrap(c[el])
            assertClose(m.atPercent, t, within: .statistics(2 * m.sigmaAtPercent, "2 sigma of the counted atoms against the generated truth"), el)
        }
        // About the background fraction of ions is unranged (a few land inside ranges).
        assertClose(Double(c.unrangedIons) / 600_000, 0.01, within: .statistics(0.002, "1 % background drawn for 600,000 ions: 0.2 % is > 10 sigma"))
    }

    /// Ground truth: a sphere inside a dataset of matrix only measures the matrix composition of
    /// the truth JSON within 2 sigma (the sphere's own counting sigma).
    func testMatrixRegionMatchesTruth() throws {
        var p = SyntheticLLZO.Parameters()
        p.ions = 300_000; p.objectCount = 0; p.seed = 11
        let ds = try SyntheticLLZO(p).generate()
        let length = try XCTUnwrap(ds.truth["tip"]?["length_nm"]?.double)
        let sphere = try Region.sphere(center: SIMD3(0, 0, -length / 2), radius: 8).validated()
        let c = try CompositionAnalysis.composition(ds.reconstruction, table: ds.ranges, region: sphere)
        XCTAssertGreaterThan(c.total, 50_000)
        let matrix = try XCTUnwrap(ds.truth["regions"]?.array?.first { $0["name"]?.string == "matrix" })
        for el in ["Li", "La", "Zr", "Ta", "O"] {
            let t = matrix["elements"]![el]!["at_pct"]!.double!
            assertClose(c[el]!.atPercent, t, within: .statistics(2 * c[el]!.sigmaAtPercent, "2 sigma of the counted atoms"), el)
        }
    }

    /// More objects than compositions: compositions are used in turn and every object has a truth region.
    func testManyObjects() throws {
        var p = SyntheticLLZO.Parameters()
        p.ions = 1_500_000; p.objectCount = 3; p.objectLength = 10; p.objectWidth = 6; p.seed = 2
        let ds = try SyntheticLLZO(p).generate()
        XCTAssertEqual(ds.objects.map(\.compositionIndex), [0, 1, 0])
        let regions = try XCTUnwrap(ds.truth["regions"]?.array)
        XCTAssertEqual(regions.map { $0["name"]?.string ?? "" }, ["matrix", "object 1", "object 2", "object 3", "all signal"])
        XCTAssertTrue(regions.allSatisfy { ($0["atoms"]?.int ?? 0) > 0 })
    }

    /// Ground truth: the realized object compositions are close to their targets (Table 1 values).
    func testObjectsCarryTheirTargetComposition() throws {
        let regions = try XCTUnwrap(Self.dataset.truth["regions"]?.array)
        for r in regions where r["region"]?.string == "object" {
            for el in ["Li", "O"] {
                let got = r["elements"]![el]!["at_pct"]!.double!, want = r["target_at_pct"]![el]!.double!
                let sigma = r["elements"]![el]!["sigma_at_pct"]!.double!
                assertClose(got, want, within: .statistics(4 * sigma, "4 sigma of a binomial count"), el)
            }
        }
        XCTAssertEqual(Self.dataset.objects.count, 2)
    }

    /// Closed form: ZrO2+ isotope peaks sum to 1 and the strongest is 90Zr16O2 at 121.9 Da.
    func testIsotopicPeaks() throws {
        let ion = try EmittedIon([AtomCount("Zr", 1), AtomCount("O", 2)], charge: 1)
        assertClose(ion.peaks.reduce(0) { $0 + $1.abundance }, 1, within: .roundoff(1e-12, "abundances sum to 1"))
        let top = ion.peaks.max { $0.abundance < $1.abundance }!
        assertClose(top.mass, 89.90469876 + 2 * 15.9949146193, within: .closedForm(1e-6, "isotope masses of 90Zr and 16O (IUPAC)"))
        let li = try EmittedIon([AtomCount("Li", 1)], charge: 1)
        XCTAssertEqual(li.peaks.map(\.mass), [6.0151228874, 7.016003434])
        assertClose(li.peaks[1].abundance, 0.9515 / (0.9515 + 0.0485), within: .closedForm(1e-9, "natural abundances of 6Li and 7Li"))
    }

    /// Every signal peak lies inside a range of its own ion except 96Zr3+, which falls under the
    /// (much stronger) O2+ peak at 32 Da: the one overlap, and the one `IsotopicOverlaps` finds,
    /// holding the natural abundance of 96Zr (2.80 %, IUPAC) of the Zr3+ ions.
    func testRangesMatchPeaks() throws {
        let gen = try SyntheticLLZO(SyntheticLLZO.Parameters())
        let t = try gen.rangeTable()
        var foreign: [String] = []
        for ch in gen.catalog.channels {
            for p in ch.emitted.peaks {
                let k = try XCTUnwrap(t.rangeIndex(of: p.mass), "\(ch.emitted.label) \(p.mass)")
                if !t.ions[t.ranges[k].ionIndex].sameChemistry(as: ch.emitted.ion) {
                    foreign.append("\(ch.emitted.label)@\(Int(p.mass.rounded())) in \(t.ions[t.ranges[k].ionIndex].name)")
                }
            }
        }
        XCTAssertEqual(foreign, ["Zr+++@32 in O2"])
        let overlaps = IsotopicOverlaps(t)
        XCTAssertEqual(overlaps.overlaps.count, 1)
        let o = try XCTUnwrap(overlaps.overlaps.first)
        XCTAssertEqual(overlaps.label(o.species), "Zr 3+")
        XCTAssertEqual(t.ions[t.ranges[o.range].ionIndex].name, "O2")
        assertClose(o.share, 0.0280, within: .closedForm(1e-6, "natural abundance of 96Zr"))
        XCTAssertTrue(o.separable)
    }

    /// Closed form: a flat sheet of thickness t contains points within t/2 of its mid-plane.
    func testNanodendriteGeometry() {
        let flat = Nanodendrite(center: .zero, u: SIMD3(1, 0, 0), v: SIMD3(0, 1, 0), w: SIMD3(0, 0, 1),
                                length: 10, width: 4, thickness: 2, curvature: 0, compositionIndex: 0)
        XCTAssertTrue(flat.contains(SIMD3(4.9, 0.9, 1.9)))
        XCTAssertFalse(flat.contains(SIMD3(0, 1.1, 0)))
        XCTAssertFalse(flat.contains(SIMD3(5.1, 0, 0)))
        // Curved: radius 10 nm; the arc point at angle 0.4 rad is (10 sin 0.4, 10 - 10 cos 0.4).
        let curved = Nanodendrite(center: .zero, u: SIMD3(1, 0, 0), v: SIMD3(0, 1, 0), w: SIMD3(0, 0, 1),
                                  length: 10, width: 4, thickness: 1, curvature: 0.1, compositionIndex: 0)
        XCTAssertTrue(curved.contains(SIMD3(10 * sin(0.4), 10 - 10 * cos(0.4), 0)))
        XCTAssertFalse(curved.contains(SIMD3(10 * sin(0.4), 0, 0)))     // the chord is off the arc
        XCTAssertFalse(curved.contains(SIMD3(10 * sin(0.6), 10 - 10 * cos(0.6), 0)))  // beyond length/2 = 5 nm of arc
    }

    func testImpossibleParameters() {
        var p = SyntheticLLZO.Parameters()
        p.detectionEfficiency = 1.5
        XCTAssertThrowsError(try SyntheticLLZO(p))
        p = SyntheticLLZO.Parameters(); p.ions = 0
        XCTAssertThrowsError(try SyntheticLLZO(p))
        p = SyntheticLLZO.Parameters(); p.matrixComposition = ["Li": 50, "La": 50, "O": 1]
        XCTAssertThrowsError(try SyntheticLLZO(p).generate())  // too little O for the oxide ions
        p = SyntheticLLZO.Parameters(); p.ions = 10_000; p.objectLength = 40
        XCTAssertThrowsError(try SyntheticLLZO(p).generate()) { e in XCTAssertTrue("\(e)".contains("could not fit")) }
    }
}
