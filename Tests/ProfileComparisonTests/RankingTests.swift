import XCTest
import APKTestSupport
import KitFoundation
import Foundation
@testable import ProfileComparison

/// The instrument model and the scenario ranking against synthetic ground truth.
final class RankingTests: XCTestCase {
    static func step(low: Double, high: Double, width: Double, from a: Double = -20, to b: Double = 20, at x0: Double = 0) -> Profile {
        let s = width / 2.5631031310892007
        let xs = stride(from: a, through: b, by: 0.05).map { $0 }
        return Profile(distance: xs, value: xs.map { low + (high - low) * 0.5 * (1 + erf(($0 - x0) / (s * 2.0.squareRoot()))) }, label: "li_at_pct")
    }

    /// Closed form: a sharp step blurred by a Gaussian of sigma_b has a 10-90 % width of 2.563 sigma_b.
    func testBlurOfASharpStep() throws {
        let sharp = Self.step(low: 0, high: 100, width: 1e-6)
        for sb in [0.3, 0.8] {
            let b = try sharp.blurred(sigma: sb)
            let c = try XCTUnwrap(PiecewiseLinear.crossings10_90(b.distance, b.value, from: 0, to: 100, segmentEnds: 1..<b.distance.count))
            assertClose(c.at90 - c.at10, 2.5631 * sb, within: .closedForm(0.02 * 2.5631 * sb, "erf of the blur; 2 % for the sampling"))
        }
        // Blur widths add in quadrature: a 1 nm step (s = 0.39) blurred by 0.5 nm.
        let s = 1 / 2.5631031310892007
        let b = try Self.step(low: 0, high: 100, width: 1).blurred(sigma: 0.5)
        let c = try XCTUnwrap(PiecewiseLinear.crossings10_90(b.distance, b.value, from: 0, to: 100, segmentEnds: 1..<b.distance.count))
        assertClose(c.at90 - c.at10, 2.5631 * (s * s + 0.25).squareRoot(), within: .closedForm(0.02, "sqrt(s^2 + sigma_b^2)"))
    }

    /// Ground truth: a measured profile made from scenario A (blurred by the instrument, shifted,
    /// with 1 at.% Gaussian noise) ranks A first, with nearly all the weight and chi^2/dof near 1.
    func testRankingPrefersTheTrueScenario() throws {
        var rng = SeededRandom(seed: 77)
        let truth = try Self.step(low: 30, high: 92, width: 1.0).blurred(sigma: 0.3)
        let xs = stride(from: -6.0, through: 6.0, by: 0.2).map { $0 }
        let measured = Profile(distance: xs, value: xs.map { truth.interpolate($0 - 0.4)! + rng.normal() }, sigma: xs.map { _ in 1.0 }, label: "Li_at_pct")
        var o = Comparison.Options(); o.fitOffset = true; o.offsetRange = -2...2
        let r = try Ranking(measured: measured,
                            scenarios: [("coherent", Self.step(low: 30, high: 92, width: 4)), ("misfit", Self.step(low: 30, high: 92, width: 1.0)),
                                        ("other plateau", Self.step(low: 30, high: 80, width: 1.0))],
                            instrumentBlur: 0.3, options: o)
        XCTAssertEqual(r.best.name, "misfit")
        XCTAssertGreaterThan(r.best.weight, 0.99)
        assertClose(r.best.comparison.chiSquarePerDOF, 1, within: .statistics(0.5, "chi^2/dof of the right model with Gaussian noise"))
        assertClose(r.best.comparison.offset, 0.4, within: .groundTruth(0.1, "the measured profile was shifted by 0.4 nm"))
        assertClose(r.entries.reduce(0) { $0 + $1.weight }, 1, within: .roundoff(1e-12))
        XCTAssertEqual(r.json["best"]?.string, "misfit")
        // A scenario shorter than the measured range is held at its end values: ranked on every point.
        let short = try Ranking(measured: measured, scenarios: [("short", Profile(distance: [-1, 0, 1], value: [30, 60, 92]))], instrumentBlur: 0.3, options: o)
        XCTAssertEqual(short.best.comparison.points.count, measured.distance.count)
    }
}
