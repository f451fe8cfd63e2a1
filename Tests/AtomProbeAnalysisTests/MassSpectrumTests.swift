import XCTest
import AtomProbe
@testable import AtomProbeAnalysis

final class MassSpectrumTests: XCTestCase {
    /// Hand-computed bins: width 0.5 from 0: 0.1 and 0.4 -> bin 0; 0.5 -> bin 1; 1.49 -> bin 2.
    func testBinning() throws {
        let s = try MassSpectrum([0.1, 0.4, 0.5, 1.49, .nan, -1], binWidth: 0.5, start: 0, end: 1.5)
        XCTAssertEqual(s.counts, [2, 1, 1])
        XCTAssertEqual(s.binCenters, [0.25, 0.75, 1.25])
        XCTAssertThrowsError(try MassSpectrum([1], binWidth: 0))
        XCTAssertThrowsError(try MassSpectrum([1], binWidth: 0.1, start: 5, end: 1))
    }

    /// Many ions across chunks: the total equals the finite in-range count.
    func testParallelTotal() throws {
        let mass = (0..<300_000).map { Float($0 % 1000) / 10 }
        let s = try MassSpectrum(mass, binWidth: 0.01)
        XCTAssertEqual(s.counts.reduce(0, +), 300_000)
        // Values 41.95..42.04 hold one value (42.0) of the 1000 repeated 300 times.
        XCTAssertEqual(s.counts[4195..<4205].reduce(0, +), 300)
    }
}
