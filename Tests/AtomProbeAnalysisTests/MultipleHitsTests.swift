import XCTest
import APKTestSupport
import AtomProbe
import AtomProbeIO
import AtomProbeSynthesis
@testable import AtomProbeAnalysis
import KitFoundation

/// Multiple hits (issue 28): the ions-per-pulse histogram of the real Si run against SOURCES.md,
/// the kinematic dissociation formula, a named track on the real data, and the dead-zone loss
/// estimate and corrected composition against synthetic truth.
final class MultipleHitsTests: XCTestCase {
    func siRanges() throws -> RangeTable { try RangeFileIO.read(try Shared.path(Shared.apav + "Si.RRNG")) }

    /// SOURCES.md: ipp histogram of Si.first100000.DERIVED.epos {0:2088, 1:95966, 2:1821, 3:112,
    /// 4:11, 5:1, 7:1}; the DERIVED.apt carries the same Multiplicity column. Chunks of 1024
    /// records make many events straddle chunk boundaries: everything must equal one big chunk.
    func testSiIppHistogramMatchesSources() throws {
        let table = try siRanges()
        let expected = [0: 2088, 1: 95966, 2: 1821, 3: 112, 4: 11, 5: 1, 7: 1]
        var reference: MultiHitEvents?
        for name in ["Si.first100000.DERIVED.epos", "Si.first100000.DERIVED.apt"] {
            for chunk in [1024, 1 << 20] {
                let path = try Shared.path(Shared.apav + name)
                let e = try MultiHitEvents.measure(try DetectorStream(path: path), table: table, path: path, chunkIons: chunk)
                XCTAssertEqual(Dictionary(uniqueKeysWithValues: e.ippHistogram.map { ($0.value, $0.records) }), expected, "\(name), chunks of \(chunk)")
                let pairs = 1821 + 3 * 112 + 6 * 11 + 10 + 21
                assertClose(Double(e.pairs), Double(pairs), within: .knownAnswer(0, "k(k-1)/2 pairs per k-ion event of the SOURCES.md histogram"))
                if let r = reference {
                    XCTAssertEqual(e.singles, r.singles); XCTAssertEqual(e.multiples, r.multiples)
                    XCTAssertEqual(e.correlation, r.correlation); XCTAssertEqual(e.distances, r.distances)
                } else { reference = e }
            }
        }
    }

    /// Closed form: the apparent m/n is m/n at f = 0 and M/N at f = 1, and equals 2 e V / v^2
    /// from the daughter's kinetic energy at every fraction (energy conservation by hand).
    func testKinematicFormula() throws {
        let t = try DissociationTrack("Cr2O++ -> Cr+ + CrO+")
        let (m, M) = (t.daughters.0.mass, t.parent.mass)
        assertClose(DissociationTrack.apparent(mass: m, charge: 1, parentMass: M, parentCharge: 2, fraction: 0), m, within: .closedForm(1e-12, "f = 0: the daughter's own m/n"))
        assertClose(DissociationTrack.apparent(mass: m, charge: 1, parentMass: M, parentCharge: 2, fraction: 1), M / 2, within: .closedForm(1e-9, "f = 1: the parent's m/n"))
        // e V = 1: energy at dissociation f N (m/M) plus (1 - f) n after; v^2 = 2 E / m; m/n = 2 / v^2.
        let f = 0.37, energy = f * 2 * m / M + (1 - f) * 1
        assertClose(DissociationTrack.apparent(mass: m, charge: 1, parentMass: M, parentCharge: 2, fraction: f), 2 / (2 * energy / m),
                    within: .closedForm(1e-9, "energy conservation"))
        XCTAssertThrowsError(try DissociationTrack("ZrO2++ -> ZrO+ + O")) { XCTAssertTrue("\($0)".contains("track")) }
        XCTAssertThrowsError(try DissociationTrack("ZrO2+ -> ZrO+ + O+"))  // charge not conserved
        XCTAssertThrowsError(try DissociationTrack("ZrO2++ -> Zr+ + O+"))  // atoms not conserved
    }

    /// The real Si run: CrO++ (34 Da) breaking into Cr+ + O+ leaves pairs along the computed
    /// curve, far more than along the same curve shifted 1.5 Da to either side (measured: 21
    /// against 0.5); Cr2O++ -> Cr+ + CrO+ does not (8 against 37), so the check can fail.
    func testCrOTrackOnRealSi() throws {
        let path = try Shared.path(Shared.apav + "Si.first100000.DERIVED.epos")
        var o = MultiHitEvents.Options(); o.maxMass = 130
        let e = try MultiHitEvents.measure(try DetectorStream(path: path), table: try siRanges(), options: o, path: path)
        let c = try DissociationTrack("CrO++ -> Cr+ + O+").check(e.correlation)
        XCTAssertGreaterThan(Double(c.onTrack), 10 * (c.offTrack + 1), "on \(c.onTrack), off \(c.offTrack)")
        let none = try DissociationTrack("Cr2O++ -> Cr+ + CrO+").check(e.correlation)
        XCTAssertLessThan(Double(none.onTrack), none.offTrack, "on \(none.onTrack), off \(none.offTrack)")
    }

    /// Synthetic truth: a dead zone (1 mm, 3 ns) loses a few % of the Li (same-type pairs). The
    /// estimated Li loss is within 20 % of the truth; the corrected Li at.% is within 2 sigma of
    /// the composition measured the same way without the losses, the uncorrected off by > 3 sigma.
    func testDeadZoneCorrectionOnSyntheticTruth() throws {
        var p = SyntheticLLZO.Parameters()
        p.ions = 200_000; p.seed = 7; p.objectCount = 0; p.detector = SyntheticDetector()
        let ds = try SyntheticLLZO(p).generate()
        let detector = try XCTUnwrap(ds.truth["detector"])
        let table = ds.ranges, li = table.ions.firstIndex { $0.name == "Li" }!
        let trueLost = try XCTUnwrap(detector["lost_per_ion_type"]?["Li"]?.double)
        let liIons = Double(ds.reconstruction.mass.filter { table.rangeIndex(of: Double($0)).map { table.ranges[$0].ionIndex } == li }.count)
        XCTAssertGreaterThan(trueLost / (liIons + trueLost), 0.01, "a few % of the Li lost")
        let e = try MultiHitEvents.measure(ds.reconstruction, table: table, options: MultiHitEvents.Options(), chunkIons: 50_000)
        var o = DeadZoneEstimate.Options(); o.deadZone = 1; o.fitWidth = 4
        let dz = try DeadZoneEstimate(e, options: o)
        let loss = try XCTUnwrap(dz.losses.first { $0.type == li })
        assertClose(loss.lost, trueLost, within: .groundTruth(0.2 * trueLost, "every lost ion is in the truth JSON; issue 28 asks within 20 %"))
        let t = table.ions.count
        let counts = (0..<t).map { e.singles[$0] + e.multiples[$0] }, unranged = e.singles[t] + e.multiples[t]
        var truthCounts = counts
        for (k, ion) in table.ions.enumerated() { truthCounts[k] += Int(detector["lost_per_ion_type"]?[ion.name]?.double ?? 0) }
        let truth = try XCTUnwrap(try CompositionAnalysis.composition(ionCounts: truthCounts, unranged: unranged, table: table)["Li"]).atPercent
        let corrected = try XCTUnwrap(try CompositionAnalysis.composition(counts: dz.correctedCounts(counts), unranged: unranged, table: table)["Li"])
        let raw = try XCTUnwrap(try CompositionAnalysis.composition(ionCounts: counts, unranged: unranged, table: table)["Li"])
        assertClose(corrected.atPercent, truth, within: .groundTruth(2 * corrected.sigmaAtPercent, "2 sigma of the corrected composition (loss estimate included)"))
        XCTAssertGreaterThan(abs(raw.atPercent - truth), 3 * raw.sigmaAtPercent, "uncorrected \(raw.atPercent) vs truth \(truth)")
        XCTAssertGreaterThan(corrected.sigmaAtPercent, raw.sigmaAtPercent, "the loss estimate's uncertainty is propagated")
    }

    /// Bad input: a multiplicity column that contradicts its records, and too few pairs to fit.
    func testContradictionsAndTooFewPairs() throws {
        let dir = try temporaryFolder(self)
        func file(_ ipp: [Int32]) throws -> String {
            let n = ipp.count
            var d = PulseDetail(count: n); d.ionsPerPulse = ipp
            let path = dir + "/f\(ipp.map(String.init).joined()).epos"
            try ReconstructionIO.write(Reconstruction(x: .init(repeating: 0, count: n), y: .init(repeating: 0, count: n), z: .init(repeating: 0, count: n),
                                                      mass: .init(repeating: 7, count: n), detail: d), to: path)
            return path
        }
        let table = try RangeFileIO.parse("[Ions]\nNumber=1\nIon1=Li\n[Ranges]\nNumber=1\nRange1=6.5 7.5 Vol:0.01 Li:1 Color:FF00FF\n", format: .rrng)
        for (ipp, record) in [([1, 0, 1], 1), ([2, 1, 1], 1), ([1, 3, 0], 1), ([0, 1], 0), ([1, -2], 1)] as [([Int32], Int)] {
            let path = try file(ipp)
            XCTAssertThrowsError(try MultiHitEvents.measure(try DetectorStream(path: path), table: table, path: path)) {
                XCTAssertTrue("\($0)".contains("record \(record)"), "\(ipp): \($0)")
            }
        }
        let path = try file([2, 0, 1, 2, 0])
        let e = try MultiHitEvents.measure(try DetectorStream(path: path), table: table, path: path)
        XCTAssertEqual(e.pairs, 2)
        let dz = try DeadZoneEstimate(e)
        XCTAssertTrue(dz.losses.isEmpty)
        XCTAssertTrue(dz.pairs.first?.reason?.contains("too few pairs") == true)
    }
}
