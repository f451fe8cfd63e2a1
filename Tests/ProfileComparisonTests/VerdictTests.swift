import XCTest
import APKTestSupport
import KitFoundation
import Foundation
@testable import ProfileComparison

/// Issue 22: the instrument model blurs atoms, the steps are aligned without origins, every
/// scenario has a p-value, and a ranking whose best scenario is improbable says no scenario fits.
final class VerdictTests: XCTestCase {
    /// Closed forms of the chi^2 upper tail: dof 1 erfc(sqrt(x/2)), dof 2 exp(-x/2),
    /// dof 4 exp(-x/2)(1 + x/2); and its mean for large dof (p near 0.5 at chi^2 = dof).
    func testChiSquarePValue() {
        for x in [0.01, 0.5, 1, 3, 10, 40, 200] {
            assertClose(ChiSquare.pValue(x, dof: 1), erfc((x / 2).squareRoot()), within: .closedForm(1e-12 + 1e-10 * erfc((x / 2).squareRoot())))
            assertClose(ChiSquare.pValue(x, dof: 2), exp(-x / 2), within: .closedForm(1e-12 + 1e-10 * exp(-x / 2)))
            assertClose(ChiSquare.pValue(x, dof: 4), exp(-x / 2) * (1 + x / 2), within: .closedForm(1e-12 + 1e-10 * exp(-x / 2) * (1 + x / 2)))
        }
        assertClose(ChiSquare.pValue(1000, dof: 1000), 0.4941, within: .closedForm(2e-3, "median of chi^2_1000 is about dof - 2/3"))
        XCTAssertEqual(ChiSquare.pValue(0, dof: 5), 1)
        XCTAssertEqual(ChiSquare.pValue(.infinity, dof: 5), 0)
    }

    /// Closed form: a sharp step between LLZO (30 at.% Li, 88 atoms/nm^3) and Li metal (100 at.%,
    /// 46 atoms/nm^3) blurred by sigma reads (30 rho1 Phi(-x/s) + 100 rho2 Phi(x/s)) /
    /// (rho1 Phi(-x/s) + rho2 Phi(x/s)), not the blur of at.% (30 + 70 Phi(x/s)).
    func testInstrumentBlursAtomsNotConcentrations() throws {
        let xs = stride(from: -10.0, through: 10.0, by: 0.01).map { $0 }
        let rho1 = 88.0, rho2 = 46.3, s = 0.5
        let step = Profile(distance: xs, value: xs.map { $0 < 0 ? 30 : 100 }, density: xs.map { $0 < 0 ? rho1 : rho2 })
        let b = try step.blurred(sigma: s, step: 0.01)
        func phi(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }
        for x in [-1.0, -0.5, 0, 0.3, 1] {
            // The sampled step rises between -0.01 and 0: its centre is at -0.005 nm.
            let u = x + 0.005
            let expected = (30 * rho1 * phi(-u / s) + 100 * rho2 * phi(u / s)) / (rho1 * phi(-u / s) + rho2 * phi(u / s))
            assertClose(b.interpolate(x)!, expected, within: .closedForm(0.02, "the step is sampled every 0.01 nm"))
        }
        // At the interface the denser LLZO weighs more: below the at.% blur's 65.
        XCTAssertLessThan(b.interpolate(0)!, 60)
        // A blur far wider than the profile: flat at the density-weighted mean of the ends, at once.
        let wide = try step.blurred(sigma: 1e300)
        assertClose(wide.value[wide.value.count / 2], (30 * rho1 + 100 * rho2) / (rho1 + rho2), within: .closedForm(1e-9))
        XCTAssertLessThan(wide.distance.count, 1000)
    }

    /// Synthetic truth: the equal-area crossing of a noisy erf step is its centre; a peak or a flat
    /// profile has none.
    func testStepCrossing() {
        var rng = SeededRandom(seed: 5)
        let xs = stride(from: 0.0, through: 20.0, by: 0.2).map { $0 }
        let noisy = Profile(distance: xs, value: xs.map { 30 + 60 * 0.5 * (1 + erf(($0 - 8.3) / 0.5)) + rng.normal() }, sigma: xs.map { _ in 1 })
        assertClose(noisy.stepCrossing()!, 8.3, within: .statistics(0.1, "1 at.% noise on 101 points; the first and last points are half-weighted"))
        let falling = Profile(distance: xs, value: xs.map { 90 - 60 * 0.5 * (1 + erf(($0 - 12) / 1)) })
        assertClose(falling.stepCrossing()!, 12, within: .closedForm(0.05, "trapezoid sum of a symmetric step"))
        let peak = Profile(distance: xs, value: xs.map { 30 + 40 * exp(-($0 - 10) * ($0 - 10)) + rng.normal() }, sigma: xs.map { _ in 1 })
        XCTAssertNil(peak.stepCrossing())
    }

    /// Closed form: the Wilson half-width for n of n atoms is 1 / (2 (n + 1)) of 100 at.%; a CSV
    /// with an atoms column gets it for its all-Li bins, and other dropped points are counted.
    func testZeroSigmaBinsGetAnHonestSigma() throws {
        assertClose(Profile.wilsonSigma(atPercent: 100, atoms: 40), 100 / 82, within: .closedForm(1e-12))
        assertClose(Profile.wilsonSigma(atPercent: 0, atoms: 9), 5, within: .closedForm(1e-12))
        let csv = "distance_nm,atoms,Li_at_pct,Li_sigma_at_pct\n0,100,30,4.58\n1,40,100,0\n2,0,,\n3,50,100,0\n"
        let p = try ProfileCSV.parse(csv, path: "x.csv", distance: "distance_nm", value: "Li_at_pct", sigma: "Li_sigma_at_pct")
        XCTAssertEqual(p.distance, [0, 1, 3])
        assertClose(p.sigma![1], 100 / 82, within: .closedForm(1e-12))
        XCTAssertEqual(p.droppedCount, 1)
        let bare = try ProfileCSV.parse("distance_nm,Li_at_pct,Li_sigma_at_pct\n0,30,4\n1,100,0\n", path: "y.csv", distance: "distance_nm", value: "Li_at_pct", sigma: "Li_sigma_at_pct")
        XCTAssertEqual(bare.dropped[Profile.noSigma], 1)
    }

    /// Synthetic truth: without origins the steps are aligned (the measured step at 8.3 nm, the
    /// scenarios' at 20 nm), the true scenario ranks first and fits; a measured profile that
    /// none of the scenarios describes gets best_fits false and a verdict saying so.
    func testAlignedRankingAndTheGate() throws {
        var rng = SeededRandom(seed: 11)
        func step(_ x: Double, _ x0: Double, _ width: Double, high: Double = 92) -> Double { 30 + (high - 30) * 0.5 * (1 + erf((x - x0) / (width / 2.5631 * 2.0.squareRoot()))) }
        let xs = stride(from: 0.0, through: 16.0, by: 0.2).map { $0 }
        let sims = [("sharp", Profile(distance: stride(from: 0.0, through: 40, by: 0.05).map { $0 }, value: stride(from: 0.0, through: 40, by: 0.05).map { step($0, 20, 0.5) })),
                    ("wide", Profile(distance: stride(from: 0.0, through: 40, by: 0.05).map { $0 }, value: stride(from: 0.0, through: 40, by: 0.05).map { step($0, 20, 4) }))]
        let measured = Profile(distance: xs, value: xs.map { step($0, 8.3, 0.5) + rng.normal() }, sigma: xs.map { _ in 1 })
        var o = Comparison.Options(); o.fitOffset = true; o.offsetRange = -1...1
        let r = try Ranking(measured: measured, scenarios: sims, instrumentBlur: 0, options: o, alignment: .stepCrossings)
        XCTAssertEqual(r.best.name, "sharp")
        XCTAssertTrue(r.bestFits, r.verdict)
        assertClose(r.best.comparison.offset, 8.3 - 20, within: .groundTruth(0.05, "the steps are 11.7 nm apart"))
        XCTAssertEqual(r.json["best_fits"]?.bool, true)
        XCTAssertNotNil(r.json["scenarios"]?[0]?["p_value"]?.double)
        // A plateau at 70 at.% fits neither scenario (both end at 92).
        let other = Profile(distance: xs, value: xs.map { step($0, 8.3, 0.5, high: 70) + rng.normal() }, sigma: xs.map { _ in 1 })
        let bad = try Ranking(measured: other, scenarios: sims, instrumentBlur: 0, options: o, alignment: .stepCrossings)
        XCTAssertFalse(bad.bestFits)
        XCTAssertEqual(bad.json["best_fits"]?.bool, false)
        XCTAssertTrue(bad.verdict.hasPrefix("no scenario fits"), bad.verdict)
        // No step to align on: refused, with a remedy the front end words as its options.
        let flat = Profile(distance: xs, value: xs.map { _ in 30 + rng.normal() }, sigma: xs.map { _ in 1 })
        XCTAssertThrowsError(try Ranking(measured: flat, scenarios: sims, instrumentBlur: 0, options: o, alignment: .stepCrossings)) {
            XCTAssertEqual(($0 as? AtomProbeError)?.remedy, .giveOrigins)
        }
    }
}
