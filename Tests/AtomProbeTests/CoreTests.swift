import XCTest
import APKTestSupport
@testable import AtomProbe
import KitFoundation

final class CoreTests: XCTestCase {
    /// Known values (NIST): Li 6.94 Da with 7Li 95.15 %; Zr has 5 natural isotopes; abundances sum to 1.
    func testPeriodicTable() throws {
        let li = try XCTUnwrap(PeriodicTable.element("Li"))
        XCTAssertEqual(li.atomicNumber, 3); assertClose(li.atomicMass, 6.94, within: .roundoff(1e-9, "standard atomic weight of Li from the table"))
        XCTAssertEqual(li.isotopes.map(\.massNumber), [6, 7])
        XCTAssertEqual(PeriodicTable.element("Zr")?.isotopes.count, 5)
        XCTAssertEqual(PeriodicTable.elements.count, 118)
        for el in PeriodicTable.elements where !el.isotopes.isEmpty {
            assertClose(el.isotopes.reduce(0) { $0 + $1.abundance }, 1, within: .roundoff(1e-9, "isotopic abundances sum to 1"), el.symbol)
        }
        XCTAssertEqual(PeriodicTable.element(atomicNumber: 92)?.symbol, "U")
        XCTAssertNil(PeriodicTable.element("Aa"))
    }

    func testFormulaParsing() {
        XCTAssertEqual(IonType.parseFormula("ZrO2"), [AtomCount("Zr", 1), AtomCount("O", 2)])
        XCTAssertEqual(IonType.parseFormula("Ca2CO3"), [AtomCount("Ca", 2), AtomCount("C", 1), AtomCount("O", 3)])
        XCTAssertEqual(IonType.parseFormula("H3O"), [AtomCount("H", 3), AtomCount("O", 1)])
        XCTAssertNil(IonType.parseFormula("Aa"))
        XCTAssertNil(IonType.parseFormula("59"))
        XCTAssertEqual(IonType.parseFormula("AbCd2", symbols: ["Ab", "Cd"]), [AtomCount("Ab", 1), AtomCount("Cd", 2)])
        let ion = IonType(atoms: [AtomCount("O", 1), AtomCount("Zr", 1), AtomCount("O", 1)])
        XCTAssertEqual(ion.name, "O2Zr"); XCTAssertEqual(ion.count(of: "O"), 2); XCTAssertEqual(ion.atomCount, 3)
        XCTAssertTrue(ion.sameChemistry(as: IonType(name: "ZrO2", atoms: [AtomCount("Zr", 1), AtomCount("O", 2)])))
    }

    /// Ranges: [low, high) and binary search; bad bounds throw naming the line.
    func testRangeTableLookup() throws {
        let ions = [IonType(atoms: [AtomCount("Li", 1)]), IonType(atoms: [AtomCount("O", 1)])]
        let t = try RangeTable(ions: ions, ranges: [MassRange(low: 15.5, high: 16.5, ionIndex: 1), MassRange(low: 6.5, high: 7.5, ionIndex: 0)])
        XCTAssertEqual(t.ranges.map(\.low), [6.5, 15.5])
        XCTAssertEqual(t.rangeIndex(of: 6.5), 0); XCTAssertNil(t.rangeIndex(of: 7.5))
        XCTAssertEqual(t.rangeIndex(of: 16), 1); XCTAssertNil(t.rangeIndex(of: 1)); XCTAssertNil(t.rangeIndex(of: 100))
        XCTAssertThrowsError(try RangeTable(ions: ions, ranges: [MassRange(low: 2, high: 1, ionIndex: 0, sourceLine: 9)], file: "f.rrng")) {
            XCTAssertEqual("\($0)", "f.rrng: line 9: range lower bound 2.0 Da is not below its upper bound 1.0 Da")
        }
        // Same-ion overlaps merge only when asked.
        let overlapping = [MassRange(low: 1, high: 3, ionIndex: 0), MassRange(low: 2, high: 4, ionIndex: 0)]
        XCTAssertThrowsError(try RangeTable(ions: ions, ranges: overlapping))
        XCTAssertEqual(try RangeTable(ions: ions, ranges: overlapping, mergeSameIonOverlaps: true).ranges.map(\.high), [4])
    }

    /// Closed form: binomial sigma sqrt(c(1-c)/N).
    func testCompositionSigma() {
        let c = Composition(mode: .atomic, counts: [("A", 25), ("B", 75)], rangedIons: 100, unrangedIons: 3)
        assertClose(c["A"]!.atPercent, 25, within: .closedForm(1e-12, "25 of 100 atoms"))
        assertClose(c["A"]!.sigmaAtPercent, 100 * (0.25 * 0.75 / 100).squareRoot(), within: .closedForm(1e-12, "sqrt(c(1-c)/N)"))
        let empty = Composition(mode: .atomic, counts: [("A", 0)], rangedIons: 0, unrangedIons: 0)
        XCTAssertEqual(empty["A"]!.fraction, 0); XCTAssertEqual(empty["A"]!.sigma, 0)
    }

    func testJSONRoundTripKeepsOrderAndValues() throws {
        let v: JSONValue = .object([("z", .int(1)), ("a", .array([.number(0.1), .string("q\"\n\u{1}é"), .null, .bool(true)])),
                                    ("m", .object([("k", .number(-1.5e-300))]))])
        let back = try JSONValue.parse(v.serialized())
        XCTAssertEqual(back, v)
        XCTAssertEqual(back.object?.map(\.0), ["z", "a", "m"])
        XCTAssertEqual(try JSONValue.parse(v.serialized(pretty: false)), v)
        XCTAssertThrowsError(try JSONValue.parse("{\"a\": }"))
        XCTAssertThrowsError(try JSONValue.parse("[1, 2"))
        XCTAssertEqual(JSONValue.number(.nan).serialized(pretty: false), "null")
    }

    func testReconstructionHelpers() {
        let r = Reconstruction(x: [0, .nan, 2], y: [0, 0, -1], z: [1, 1, 5], mass: [1, 2, .infinity])
        XCTAssertEqual(r.nonFiniteCount, 2)
        XCTAssertEqual(r.droppingNonFinite().count, 1)
        XCTAssertEqual(r.bounds?.max, SIMD3(2, 0, 5))
        XCTAssertEqual(r.massRange?.max, 2)
    }
}

/// `RangeLookup` answers as the binary search does: at random m/n, at every range bound and one
/// ulp either side, on a real-world-like table and on one with ranges narrower than a cell.
final class RangeLookupTests: XCTestCase {
    func testLookupEqualsBinarySearch() throws {
        var ranges: [MassRange] = []
        var x = 0.7
        var rng = SystemRandomNumberGenerator()
        var ions: [IonType] = []
        for k in 0..<60 {
            ions.append(IonType(atoms: [AtomCount("Li", 1 + k % 3)]))
            let w = k % 5 == 0 ? 0.0003 : Double.random(in: 0.01...0.5, using: &rng)
            ranges.append(MassRange(low: x, high: x + w, ionIndex: k))
            x += w + (k % 7 == 0 ? 0 : Double.random(in: 0.0001...2, using: &rng))  // some ranges touch
        }
        let table = try RangeTable(ions: ions, ranges: ranges)
        for cells in [1024.0, 3.0] {
            let lookup = RangeLookup(table, cellsPerDa: cells)
            var probes: [Double] = (0..<200_000).map { _ in Double.random(in: 0...(x + 2), using: &rng) }
            for r in table.ranges { probes += [r.low, r.high, r.low.nextUp, r.low.nextDown, r.high.nextUp, r.high.nextDown] }
            probes += [-1, .nan, .infinity, -.infinity, 1e300, Double(Float.greatestFiniteMagnitude)]
            for m in probes { XCTAssertEqual(lookup.rangeIndex(of: m), table.rangeIndex(of: m), "\(m) at \(cells) cells/Da") }
        }
        XCTAssertNil(RangeLookup(try RangeTable(ions: [], ranges: [])).rangeIndex(of: 5))
    }

    /// `count(_:into:)` gives the counts of `rangeIndex(of:)` taken one value at a time and the
    /// largest finite value (ground truth: the binary search), for float m/n at and around every
    /// bound, NaN and infinities, lengths that are not a multiple of 4, an empty table and a
    /// table whose span is too wide for cells.
    func testCountEqualsOneAtATime() throws {
        var rng = SystemRandomNumberGenerator()
        let ion = IonType(atoms: [AtomCount("O", 1)])
        let tables = [
            try RangeTable(ions: [ion, ion, ion], ranges: [MassRange(low: 15.9, high: 16.1, ionIndex: 0), MassRange(low: 16.1, high: 16.1003, ionIndex: 1),
                                                             MassRange(low: 31.8, high: 32.3, ionIndex: 2)]),
            try RangeTable(ions: [ion, ion], ranges: [MassRange(low: 1, high: 2, ionIndex: 0), MassRange(low: 5e11, high: 6e11, ionIndex: 1)]),
            try RangeTable(ions: [], ranges: []),
        ]
        for table in tables {
            let lookup = RangeLookup(table)
            var probes: [Float] = (0..<100_003).map { _ in Float.random(in: 0...40, using: &rng) }
            for r in table.ranges { for b in [Float(r.low), Float(r.high)] { probes += [b, b.nextUp, b.nextDown] } }
            probes += [.nan, .infinity, -.infinity, -1, .greatestFiniteMagnitude, 5.5e11]
            probes.shuffle(using: &rng)
            for length in [probes.count, probes.count - 1, 3, 0] {
                let part = Array(probes.prefix(length))
                var expected = [Int](repeating: 0, count: table.ranges.count + 1)
                var top = -Float.infinity
                for m in part {
                    expected[lookup.table.rangeIndex(of: Double(m)) ?? table.ranges.count] += 1
                    if m.isFinite { top = max(top, m) }
                }
                var counts = [Int](repeating: 0, count: table.ranges.count + 1)
                let largest = part.withUnsafeBufferPointer { p in counts.withUnsafeMutableBufferPointer { lookup.count(p, into: $0) } }
                XCTAssertEqual(counts, expected, "\(table.ranges.count) ranges, \(length) values")
                XCTAssertEqual(largest, top)
            }
        }
    }
}

/// Issue 22, 9: a correction that takes a count below zero gives 0 at.% with an interval from 0
/// to one sigma, never a negative at.% with a tiny error.
final class NegativeCorrectedCountTests: XCTestCase {
    func testNegativeEstimateIsClippedWithAnInterval() throws {
        // Ion types A and B (one atom each); a background of 20 +- 5 counts subtracted from each
        // range leaves B at 3 - 7 = -4 (closed form: sigma^2 = (3 + 25 + ...) / A^2 for B).
        let counts = IonCountModel(observed: [1000, 3], estimate: [993, -4], corrections: ["background"], sourceCounts: [1000, 3],
                                   map: [[(0, 1)], [(1, 1)]], parameterJacobian: [[-1], [-1]], parameterCovariance: [[25]])
        let c = Composition(mode: .atomic, names: ["A", "B"], atomsPerType: [[1, 0], [0, 1]], counts: counts, rangedIons: 1003, unrangedIons: 0)
        let b = try XCTUnwrap(c["B"])
        XCTAssertEqual(b.atPercent, 0)
        XCTAssertGreaterThan(b.sigmaAtPercent, 0.3, "the correction's uncertainty (about 0.54 at.%) is kept")
        XCTAssertEqual(b.interval.lowerBound, 0)
        assertClose(100 * b.interval.upperBound, b.sigmaAtPercent, within: .roundoff())
        XCTAssertEqual(b.estimate, -4, "the corrected count itself is reported as computed")
    }
}

