import XCTest
import APKTestSupport
import KitFoundation
import Foundation
@testable import ProfileComparison

final class ComparisonTests: XCTestCase {
    /// A tanh interface profile, sampled like a proxigram (value, sigma) and like a simulation.
    func tanhProfile(_ x: Double) -> Double { 0.5 * (1 + tanh(x / 0.8)) }

    /// Analytic: a measured profile = 30 + 40 * f(x - 0.7) with noise; the simulation is f(x).
    /// The fit recovers offset 0.7 nm, a = 30, b = 40 within their uncertainties.
    func testRecoversOffsetAndScale() throws {
        var rng = SeededRandom(seed: 2026)  // fixed seed: the same noise on every run
        func gauss() -> Double { let u = Double.random(in: 1e-12..<1, using: &rng), v = Double.random(in: 0..<1, using: &rng); return (-2 * log(u)).squareRoot() * cos(2 * .pi * v) }
        let xs = stride(from: -5.0, through: 5.0, by: 0.1).map { $0 }
        let sig = xs.map { _ in 0.5 }
        let measured = Profile(distance: xs, value: xs.map { 30 + 40 * tanhProfile($0 - 0.7) + 0.5 * gauss() }, sigma: sig)
        let sx = stride(from: -8.0, through: 8.0, by: 0.05).map { $0 }
        let simulated = Profile(distance: sx, value: sx.map { tanhProfile($0) })
        var o = Comparison.Options(); o.fitOffset = true; o.fitMapping = true
        let c = try Comparison(measured: measured, simulated: simulated, options: o)
        assertClose(c.offset, 0.7, within: .groundTruth(0.05, "offset of the generated profile, 0.7 nm, on a 0.1 nm grid with noise"))
        assertClose(c.mappingA, 30, within: .statistics(4 * c.mappingASigma!, "4 sigma of the fitted constant"))
        assertClose(c.mappingB, 40, within: .statistics(4 * c.mappingBSigma!, "4 sigma of the fitted constant"))
        XCTAssertTrue(c.agrees, c.text)
        assertClose(c.chiSquarePerDOF, 1, within: .statistics(0.5, "chi^2/dof of a right model with Gaussian noise is 1 within sqrt(2/dof)"))
        // Shapes: the simulated rise mapped to at.%: bulk ~30, peak ~70, width 10-90 % = 2 * 0.8 * atanh(0.8) = 1.76 nm.
        assertClose(c.simulatedShape.width ?? 0, 1.6 * atanh(0.8), within: .closedForm(0.15, "10-90 % width of a tanh step of width 0.8 nm, sampled at 0.1 nm"))
        assertClose(c.simulatedShape.enrichment, 40 * (tanhProfile(4.3) - tanhProfile(-4.3 + 0.0)), within: .closedForm(2, "step height over the compared window"))
    }

    /// A wrong model does not agree: chi^2/dof far above 1.
    func testDisagreementIsReported() throws {
        let xs = stride(from: -5.0, through: 5.0, by: 0.2).map { $0 }
        let measured = Profile(distance: xs, value: xs.map { 30 + 40 * tanhProfile($0) }, sigma: xs.map { _ in 0.5 })
        let simulated = Profile(distance: xs, value: xs.map { 30 + 20 * tanhProfile($0) })
        let c = try Comparison(measured: measured, simulated: simulated)
        XCTAssertFalse(c.agrees)
        XCTAssertGreaterThan(c.chiSquarePerDOF, 100)
        assertClose(c.rmse, (xs.map { pow(20 * tanhProfile($0), 2) }.reduce(0, +) / Double(xs.count)).squareRoot(), within: .closedForm(1e-9, "RMSE of a known residual"))
    }

    /// Shifting and mirroring a profile moves its origin as asked.
    func testShiftAndFlip() {
        let p = Profile(distance: [0, 1, 2, 3], value: [1, 2, 3, 4])
        XCTAssertEqual(p.shifted(origin: 2).distance, [-2, -1, 0, 1])
        let f = p.shifted(origin: 2, flip: true)
        XCTAssertEqual(f.distance, [-1, 0, 1, 2]); XCTAssertEqual(f.value, [4, 3, 2, 1])
        XCTAssertEqual(p.interpolate(1.5), 2.5); XCTAssertNil(p.interpolate(3.5))
    }

    func testNoSigmaIsAnError() {
        XCTAssertThrowsError(try Comparison(measured: Profile(distance: [0, 1, 2], value: [1, 2, 3]),
                                                   simulated: Profile(distance: [0, 1, 2], value: [1, 2, 3])))
    }
}

