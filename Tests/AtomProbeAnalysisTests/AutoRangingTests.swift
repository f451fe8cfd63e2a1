import XCTest
import AtomProbe
import AtomProbeIO
import AtomProbeAnalysis
import AtomProbeSynthesis
import KitFoundation
import APKTestSupport

/// Ranging from the spectrum alone (issue 24), checked against synthetic truth of chemistries
/// other than the sample's, against the shipped sample's truth, and on bad spectra.
final class AutoRangingTests: XCTestCase {
    /// The composition of `mass` with automatic ranges, background fit and deconvolution (as
    /// `composition --ranges auto --background fit --deconvolve`).
    static func autoComposition(_ mass: [Float], elements: [String]) throws -> (Composition, AutomaticRanges) {
        let spectrum = try MassSpectrum(mass, binWidth: 0.002, end: 1000)
        let ranges = try AutomaticRanges(spectrum, ionsInSpectrum: mass.count, settings: AutomaticRanges.Settings(elements: elements))
        let table = try ranges.table()
        let recon = Reconstruction(x: [Float](repeating: 0, count: mass.count), y: [Float](repeating: 0, count: mass.count),
                                   z: [Float](repeating: 0, count: mass.count), mass: mass)
        let fixes = try QuantificationCorrections.prepare(mass: mass, table: table, background: .constant, deconvolve: true)
        return (try CompositionAnalysis.composition(recon, table: table, corrections: fixes), ranges)
    }

    /// Ground truth: every element within 0.25 at.% + 5 % (relative) of the generated atoms; the
    /// element named but absent below 0.05 at.%.
    @discardableResult
    func check(_ s: SyntheticSpectrum, elements: [String], absent: String, file: StaticString = #filePath, line: UInt = #line) throws -> AutomaticRanges {
        let (mass, atoms) = try s.generate()
        let truth = SyntheticSpectrum.atPercent(atoms)
        let (c, r) = try Self.autoComposition(mass, elements: elements)
        var worst = 0.0
        for (el, t) in truth.sorted(by: { $0.key < $1.key }) {
            let got = c[el]?.atPercent ?? 0
            worst = max(worst, abs(got - t))
            assertClose(got, t, within: .groundTruth(0.25 + 0.05 * t, "issue 24: 0.25 at.% + 5 % of the generated composition"), "\(el): \(AutorangeText.lines(r).joined(separator: "\n"))", file: file, line: line)
        }
        XCTAssertLessThan(c[absent]?.atPercent ?? 0, 0.05, "\(absent) is absent", file: file, line: line)
        print("autorange \(elements.joined(separator: ",")): max |error| \(String(format: "%.3f", worst)) at.%, \(r.ranges.count) ranges, \(r.unexplained.count) unexplained")
        return r
    }

    /// Also: the deliberate overlap 54Cr2+ in the 54Fe2+ window at 27 Da is recorded. (28Si+ under
    /// 56Fe2+, 0.15 % of the ions here, is too weak to be selected: its 29/30 Da peaks lie under
    /// Ni2+; its atoms are lost, within the tolerance.)
    func testSteelLikeSpectrum() throws {
        let r = try check(SyntheticSpectrum.steel(), elements: ["Fe", "Cr", "Ni", "Mn", "Si", "C", "Mo"], absent: "Mo")
        let at27 = try XCTUnwrap(r.ranges.first { $0.low < 26.95 && $0.high > 26.97 })
        XCTAssertEqual("\(at27.ion.name)\(at27.charge)", "Fe2")
        XCTAssertTrue(at27.overlaps.contains { $0.ion.name == "Cr" && $0.charge == 2 }, "\(at27.overlaps)")
        XCTAssertFalse(r.ranges.contains { $0.ion.atoms.contains { $0.symbol == "Mo" } })
    }

    func testAluminiumAlloySpectrum() throws {
        var s = SyntheticSpectrum.aluminium()
        s.seed = 2
        try check(s, elements: ["Al", "Mg", "Si", "Cu", "Zn", "Fe"], absent: "Fe")
    }

    func testOxideSpectrum() throws {
        var s = SyntheticSpectrum.oxide()
        s.seed = 3
        try check(s, elements: ["Mg", "Al", "O", "Ti", "Zn"], absent: "Zn")
    }

    /// Known answer, real data (apav's Si.pos with its expert range file Si.RRNG). The 58, 60,
    /// 61, 62 and 64 Da peaks that Si.RRNG calls Cr2O (and 29, 30 Da it calls Si) have the isotope
    /// pattern of Ni+ (and Ni2+) to within counting error: 60/58 = 0.39 (Ni 0.385), and no
    /// Cr2O2+ 60.5 Da peak (would be 23 % of 60). So: (1) with the expert's list Si,Cr,O the
    /// ranging refuses to call them Cr2O at 58 Da (the largest such peak stays unexplained) and
    /// Si2+ holds the 14, 14.5 and 15 Da peaks; (2) with Ni listed, the composition matches Si.RRNG's
    /// windows with those peaks renamed Ni within 1 at.% for Si and Ni, and the ranges holding 99 % of
    /// the ranged ions name the same elements as the renamed file.
    func testRealSiliconRun() throws {
        let path = try Shared.path("jesseds_apav/apav/tests/Si.pos")
        let recon = try ReconstructionIO.load(path)
        let expert = try RangeFileIO.read(try Shared.path("jesseds_apav/apav/tests/Si.RRNG"))
        let spectrum = try MassSpectrum(recon.mass, binWidth: 0.002, end: 1000)
        let plain = try AutomaticRanges(spectrum, ionsInSpectrum: recon.count, settings: AutomaticRanges.Settings(elements: ["Si", "Cr", "O"]))
        XCTAssertTrue(plain.unexplained.contains { abs($0.massToCharge - 57.94) < 0.05 }, AutorangeText.lines(plain).joined(separator: "\n"))
        for m in [14.03, 14.53, 15.03] {
            XCTAssertEqual(plain.ranges.first { $0.low <= m && m < $0.high }.map { "\($0.ion.name)\($0.charge)" }, "Si2", "\(m) Da")
        }
        // Si.RRNG with the Ni peaks renamed (ranges 57.819-61.159, 28.826-29.255, 29.783-30.252).
        var ions = expert.ions
        ions.append(IonType(name: "Ni", atoms: [AtomCount("Ni", 1)]))
        let renamed = try RangeTable(ions: ions, ranges: expert.ranges.map { r in
            var r = r
            if [57.819, 28.826, 29.783].contains(where: { abs($0 - r.low) < 1e-3 }) { r.ionIndex = ions.count - 1 }
            return r
        })
        let (auto, withNi) = try Self.autoComposition(recon.mass, elements: ["Si", "Ni", "Cr", "O"])
        let reference = try CompositionAnalysis.composition(recon, table: renamed)
        print("Si.pos: element, automatic (Si,Ni,Cr,O), Si.RRNG with Ni renamed, Si.RRNG as given")
        let given = try CompositionAnalysis.composition(recon, table: expert)
        for el in ["Si", "Ni", "Cr", "O", "C", "Cu"] {
            print(String(format: "%@ %.3f %.3f %.3f", el, auto[el]?.atPercent ?? 0, reference[el]?.atPercent ?? 0, given[el]?.atPercent ?? 0))
        }
        for el in ["Si", "Ni", "Cr", "O"] {
            assertClose(auto[el]?.atPercent ?? 0, reference[el]?.atPercent ?? 0, within: .knownAnswer(1, "issue 24: 1 at.% of the expert's ranging (Ni renamed)"), el)
        }
        // The ranges holding 99 % of the ranged ions, by element.
        let counts = withNi.ranges.sorted { $0.counts > $1.counts }
        let total = counts.reduce(0) { $0 + $1.counts }
        var acc = 0.0, major: Set<String> = []
        for r in counts where acc < 0.99 * total { acc += r.counts; major.formUnion(r.ion.atoms.map(\.symbol)) }
        XCTAssertEqual(major, ["Si", "Ni"], AutorangeText.lines(withNi).joined(separator: "\n"))
    }
}

/// The ranges as text for failure messages.
enum AutorangeText {
    static func lines(_ r: AutomaticRanges) -> [String] {
        r.ranges.map { String(format: "%.3f-%.3f %@%d+ counts %.0f purity %.3f", $0.low, $0.high, $0.ion.name, $0.charge, $0.counts, $0.purity) }
            + r.unexplained.map { String(format: "unexplained %.3f (%.0f)", $0.massToCharge, $0.counts) }
    }
}
