import XCTest
import APKTestSupport
import AtomProbe
@testable import AtomProbeIO

/// The real Si run of apav 1.4.0 as POS, EPOS (first 100k records) and APT (first 100k).
/// Expected numbers: FACTS and KNOWN ANSWERS in shared/external-data/SOURCES.md.
final class ExternalReconstructionTests: XCTestCase {
    func testSiPOSKnownFacts() throws {
        let r = try ReconstructionIO.load(Shared.path(Shared.apav + "Si.pos"))
        XCTAssertEqual(r.count, 945_211)
        XCTAssertEqual(r.x[0], -4.9054155); XCTAssertEqual(r.y[0], 5.7244563)
        XCTAssertEqual(r.z[0], -1.7161659); XCTAssertEqual(r.mass[0], 6.554053)
        let b = try XCTUnwrap(r.bounds)
        XCTAssertEqual(b.min.x, -20.433578); XCTAssertEqual(b.max.x, 19.706375)
        XCTAssertEqual(b.min.z, -75.08065); XCTAssertEqual(b.max.z, -0.020034153)
        let m = try XCTUnwrap(r.massRange)
        XCTAssertEqual(m.min, 0); XCTAssertEqual(m.max, 378.30127)
        XCTAssertNil(r.detail)  // apav test_from_pos: a POS has no detector information
    }

    /// Known answer (upstream): apav test_from_apt, APT == EPOS == POS for mass, xyz, ipp, det x/y.
    func testPOSEPOSAndAPTCarryTheSameIons() throws {
        let pos = try ReconstructionIO.load(Shared.path(Shared.apav + "Si.pos"))
        let epos = try ReconstructionIO.load(Shared.path(Shared.apav + "Si.first100000.DERIVED.epos"))
        let apt = try ReconstructionIO.load(Shared.path(Shared.apav + "Si.first100000.DERIVED.apt"))
        XCTAssertEqual(epos.count, 100_000)
        XCTAssertEqual(apt.count, 100_000)
        XCTAssertEqual(epos.x, Array(pos.x[0..<100_000])); XCTAssertEqual(epos.mass, Array(pos.mass[0..<100_000]))
        XCTAssertEqual(apt.x, epos.x); XCTAssertEqual(apt.y, epos.y); XCTAssertEqual(apt.z, epos.z)
        XCTAssertEqual(apt.mass, epos.mass)
        let ed = try XCTUnwrap(epos.detail), ad = try XCTUnwrap(apt.detail)
        XCTAssertEqual(ad.detectorX, ed.detectorX); XCTAssertEqual(ad.detectorY, ed.detectorY)
        XCTAssertEqual(ad.ionsPerPulse, ed.ionsPerPulse)
        XCTAssertTrue(ad.available.contains(.tof))
        XCTAssertFalse(ad.available.contains(.voltageDC))
        // FACT: ipp histogram of the first 100k EPOS records.
        var hist: [Int32: Int] = [:]
        for v in ed.ionsPerPulse { hist[v, default: 0] += 1 }
        XCTAssertEqual(hist, [0: 2088, 1: 95966, 2: 1821, 3: 112, 4: 11, 5: 1, 7: 1])
        // FACT: TOF, voltages and delta pulse are all zero in this export.
        XCTAssertTrue(ed.tof.allSatisfy { $0 == 0 }); XCTAssertTrue(ed.deltaPulse.allSatisfy { $0 == 0 })
    }

    func testAPTSectionsAreListed() throws {
        let path = try Shared.path(Shared.apav + "Si.first100000.DERIVED.apt")
        let file = try FileBytes(path: path)
        let (n, secs) = try APTFormat.sections(file.bytes, path: path)
        // The headers read alone (pread) give the same layout as the whole file in memory.
        XCTAssertEqual(try APTFormat.sections(path: path).sections, secs)
        XCTAssertEqual(n, 100_000)
        XCTAssertEqual(secs.map(\.name), ["tofc", "Mass", "XDet_mm", "YDet_mm", "Multiplicity", "Detector Coordinates", "Position"])
        XCTAssertEqual(secs.last?.recordSize, 12)
    }

    /// Round trip: write then read gives bit-identical values (POS and EPOS, real data).
    func testRoundTripRealData() throws {
        let dir = try temporaryFolder(self)
        let epos = try ReconstructionIO.load(Shared.path(Shared.apav + "Si.first100000.DERIVED.epos"))
        try ReconstructionIO.write(epos, to: dir + "/a.epos")
        let back = try ReconstructionIO.load(dir + "/a.epos")
        XCTAssertEqual(back, epos)
        try ReconstructionIO.write(epos, to: dir + "/a.pos")
        let pos = try ReconstructionIO.load(dir + "/a.pos")
        XCTAssertEqual(pos.x, epos.x); XCTAssertEqual(pos.mass, epos.mass); XCTAssertNil(pos.detail)
        // Bytes identical to the original file.
        let original = try Data(contentsOf: URL(fileURLWithPath: Shared.path(Shared.apav + "Si.first100000.DERIVED.epos")))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/a.epos")), original)
    }
}
