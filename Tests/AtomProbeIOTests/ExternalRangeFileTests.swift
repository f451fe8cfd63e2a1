import XCTest
import APKTestSupport
import AtomProbe
@testable import AtomProbeIO

/// Real range files from public projects (../shared/external-data); expected numbers are the
/// known answers listed in its SOURCES.md (3Depict's regression table, apav's tests, facts
/// computed there with numpy).
final class ExternalRangeFileTests: XCTestCase {
    /// Known answer (upstream): 3Depict src/testing/testing.cpp ion and range counts.
    func test3DepictRegressionSet() throws {
        let expected: [String: (ions: Int, ranges: Int)] = [
            "test1.rng": (10, 6), "test2.rng": (7, 9), "test3.rng": (19, 59), "test5.rng": (4, 2),
            "test7.rng": (2, 2), "test8.rng": (2, 2), "test9.rng": (3, 3), "test10.rng": (3, 3),
            "test11.rng": (5, 10), "test12.rng": (5, 10),
            "test1.rrng": (1, 1), "test2.rrng": (3, 6), "test3.rrng": (8, 42), "test4.rrng": (14, 15),
            "test5.rrng": (1, 1), "test6.rrng": (2, 4), "test1.env": (1, 1),
        ]
        for (name, want) in expected {
            let t = try RangeFileIO.read(Shared.path(Shared.depict + name))
            XCTAssertEqual(t.ions.count, want.ions, "\(name) ions")
            XCTAssertEqual(t.ranges.count, want.ranges, "\(name) ranges")
        }
    }

    /// Known answer (upstream): 3Depict's failSet = {test4.rng (overlap), test6.rng (unnamed composite)}.
    func test3DepictFilesThatMustFail() throws {
        let p4 = try Shared.path(Shared.depict + "test4.rng")
        XCTAssertThrowsError(try RangeFileIO.read(p4)) { e in
            let msg = "\(e)"
            XCTAssertTrue(msg.contains("overlapping"), msg)
            XCTAssertTrue(msg.contains("test4.rng"), msg)
            XCTAssertTrue(msg.contains("line 7") && msg.contains("line 8"), msg)  // both ranges named
        }
        let p6 = try Shared.path(Shared.depict + "test6.rng")
        XCTAssertThrowsError(try RangeFileIO.read(p6)) { e in
            XCTAssertTrue("\(e)".contains("test6.rng: line 9"), "\(e)")
        }
    }

    /// Edge cases of the 3Depict set: composites named by unused columns, scientific notation.
    func test3DepictEdgeCases() throws {
        let t5 = try RangeFileIO.read(Shared.path(Shared.depict + "test5.rng"))
        let names = t5.ranges.map { t5.ions[$0.ionIndex].name }
        XCTAssertEqual(names, ["Cd2", "AbCd2"])
        XCTAssertEqual(t5.ions[t5.ranges[1].ionIndex].atoms, [AtomCount("Ab", 1), AtomCount("Cd", 2)])
        let t9 = try RangeFileIO.read(Shared.path(Shared.depict + "test9.rng"))
        XCTAssertEqual(t9.ranges.first?.low, 1.0e7)
        XCTAssertEqual(t9.ranges.last?.high, 1.0e8)
        let t12 = try RangeFileIO.read(Shared.path(Shared.depict + "test12.rng"))
        XCTAssertTrue(t12.ions.contains { $0.name == "AaAd" })
        let t1 = try RangeFileIO.read(Shared.path(Shared.depict + "test1.rrng"))
        XCTAssertTrue(t1.ions[0].isElementless)
        XCTAssertEqual(t1.ions[0].name, "A")
    }

    /// Known answer (upstream): apav test_range.py: 25 ranges, first Si, last Cr2O (apav sorts by
    /// position in the file; we sort by mass, so check membership and the composition of Cr2O).
    func testSiRRNGAndRNGAgree() throws {
        let rrng = try RangeFileIO.read(Shared.path(Shared.apav + "Si.RRNG"))
        let rng = try RangeFileIO.read(Shared.path(Shared.apav + "Si.RNG"))
        XCTAssertEqual(rrng.ranges.count, 25)
        XCTAssertEqual(rng.ranges.count, 25)
        XCTAssertEqual(Set(rrng.ions.map(\.name)), ["Si", "Cr", "Cu", "C", "O", "CrO", "CrO2", "Cr2O"])
        XCTAssertEqual(Set(rng.ions.map(\.name)), Set(rrng.ions.map(\.name)))
        for (a, b) in zip(rrng.ranges, rng.ranges) {
            XCTAssertEqual(a.low, b.low); XCTAssertEqual(a.high, b.high)
            XCTAssertTrue(rrng.ions[a.ionIndex].sameChemistry(as: rng.ions[b.ionIndex]))
        }
        let cr2o = try XCTUnwrap(rrng.ions.first { $0.name == "Cr2O" })
        XCTAssertEqual(cr2o.count(of: "Cr"), 2); XCTAssertEqual(cr2o.count(of: "O"), 1)
    }

    /// FACTS in SOURCES.md: every ifes file parses; counts as listed; VAlN has duplicates.
    func testIfesRangeFiles() throws {
        let rrngs: [(String, Int)] = [
            ("rrng/examples_without_provenance/ger_berlin_kuehbach/Ranges_R45_2434-v01.rrng", 13),
            ("rrng/examples_without_provenance/ger_berlin_kuehbach/TiAlN_film_cross-section_850C.rrng", 54),
            ("rrng/examples_without_provenance/ger_duesseldorf_kuehbach/Mo_range.rrng", 46),
            ("rrng/examples_without_provenance/ger_duesseldorf_kuehbach/R18_58152-v02.RRNG", 14),
            ("rrng/examples_without_provenance/ger_duesseldorf_kuehbach/R31_06365-v02.rrng", 72),
        ]
        for (p, n) in rrngs {
            let t = try RangeFileIO.read(Shared.path(Shared.ifes + p))
            XCTAssertEqual(t.ranges.count, n, p)
        }
        let valn = try RangeFileIO.read(Shared.path(Shared.ifes + "rrng/examples_without_provenance/ger_aachen_saelker/VAlN_film_plan-view_700C.rrng"))
        XCTAssertLessThan(valn.ranges.count, 1440)
        XCTAssertTrue(valn.warnings.contains { $0.contains("duplicate") }, "\(valn.warnings)")
        let rngs = ["aus_sydney_lafontaine/87D_1.rng", "ger_duesseldorf_kuehbach/R18_53705-v03.rng",
                    "ger_duesseldorf_kuehbach/R18_55377-v02.rng", "ger_duesseldorf_kuehbach/R18_59377.rng",
                    "ger_duesseldorf_kuehbach/R18_59377_new.rng", "ger_duesseldorf_kuehbach/R18_60310-v02.rng",
                    "ger_duesseldorf_kuehbach/SeHoKim_R5076_44076_v02.rng", "ger_duesseldorf_kuehbach/all02.rng",
                    "ger_duesseldorf_kuehbach/range_file_RNG.RNG"]
        for p in rngs {
            let t = try RangeFileIO.read(Shared.path(Shared.ifes + "rng/examples_without_provenance/" + p))
            XCTAssertFalse(t.ranges.isEmpty, p)
        }
        let r2 = try RangeFileIO.read(Shared.path(Shared.ifes + "rng/examples_without_provenance/ger_duesseldorf_kuehbach/R18_53705-v03.rng"))
        XCTAssertEqual(r2.ranges.count, 2)
        let alh = try RangeFileIO.read(Shared.path(Shared.ifes + "rng/examples_without_provenance/ger_duesseldorf_kuehbach/R18_55377-v02.rng"))
        XCTAssertEqual(alh.ranges.count, 8)
        XCTAssertTrue(alh.ions.contains { $0.name == "AlH" && $0.count(of: "Al") == 1 && $0.count(of: "H") == 1 })
    }

    /// FACTS in SOURCES.md on the ifes files bundled in Tests/Fixtures (run without ../shared):
    /// decimal commas, exact duplicates, a two-column RNG range with the polyatomic extension.
    func testBundledIfesRangeFiles() throws {
        let mo = try RangeFileIO.read(Fixtures.path(Fixtures.ifes + "rrng/examples_without_provenance/ger_duesseldorf_kuehbach/Mo_range.rrng"))
        XCTAssertEqual(mo.ranges.count, 46)
        XCTAssertEqual(Set(mo.symbols), ["Mo", "N", "O", "P", "Ga", "S", "Fe", "W"])  // its [Ions] list
        let valn = try RangeFileIO.read(Fixtures.path(Fixtures.ifes + "rrng/examples_without_provenance/ger_aachen_saelker/VAlN_film_plan-view_700C.rrng"))
        XCTAssertLessThan(valn.ranges.count, 1440)
        XCTAssertEqual(Set(valn.symbols), ["N", "Al", "V", "Ar", "C", "O"])
        XCTAssertTrue(valn.warnings.contains { $0.contains("duplicate") }, "\(valn.warnings)")
        let r2 = try RangeFileIO.read(Fixtures.path(Fixtures.ifes + "rng/examples_without_provenance/ger_duesseldorf_kuehbach/R18_53705-v03.rng"))
        XCTAssertEqual(r2.ranges.count, 2)
        XCTAssertEqual(r2.symbols, ["Al"])
        let alh = try RangeFileIO.read(Fixtures.path(Fixtures.ifes + "rng/examples_without_provenance/ger_duesseldorf_kuehbach/R18_55377-v02.rng"))
        XCTAssertEqual(alh.ranges.count, 8)
        XCTAssertTrue(alh.ions.contains { $0.name == "AlH" && $0.count(of: "Al") == 1 && $0.count(of: "H") == 1 })
    }

    /// ErMnO.env (GPM format): 12 ions and 26 ranges as its header declares; three Er windows
    /// overlap their neighbours (55.09-55.55, 55.543-55.88, 55.877-56.27) and merge into one.
    func testGPMEnvFile() throws {
        let t = try RangeFileIO.read(Fixtures.path(Fixtures.ifes + "env/examples_without_provenance/ErMnO.env"))
        XCTAssertEqual(t.ions.count, 12); XCTAssertEqual(t.ranges.count, 24)
        XCTAssertTrue(t.warnings.contains { $0.contains("merged 2 range(s)") }, "\(t.warnings)")
        let er = try XCTUnwrap(t.ranges.first { $0.low == 55.09 })
        XCTAssertEqual(er.high, 56.27)
        let mn2o = try XCTUnwrap(t.ions.first { $0.name == "Mn2O" })
        XCTAssertEqual(mn2o.count(of: "Mn"), 2); XCTAssertEqual(mn2o.count(of: "O"), 1)
        XCTAssertEqual(t.ranges.first?.low, 0.93)   // Hyd 0.930-3.180, the lowest range
        XCTAssertEqual(t.ranges.first?.volume, 11.66)
    }

    /// pyccapt rangefile.rrng: ranges named only by Name: (unknown peaks) become element-less ions.
    func testPyccaptUnknownPeaks() throws {
        let t = try RangeFileIO.read(Shared.path("mehrpad_pyccapt/tests/data/data_leap_test/rangefile.rrng"))
        XCTAssertEqual(t.ranges.count, 32)
        for name in ["59", "52pt5", "44pt5"] {
            let ion = try XCTUnwrap(t.ions.first { $0.name == name }, name)
            XCTAssertTrue(ion.isElementless)
        }
        let ca2co3 = try XCTUnwrap(t.ions.first { $0.count(of: "Ca") == 2 && $0.count(of: "C") == 1 })
        XCTAssertEqual(ca2co3.count(of: "O"), 3)
    }
}
