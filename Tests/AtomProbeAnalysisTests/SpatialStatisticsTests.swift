import XCTest
import APKTestSupport
import AtomProbe
import AtomProbeAnalysis
import AtomProbeSynthesis
import KitFoundation

/// Issue 26: is a solute random or clustered, and are the clusters real? Closed forms (the
/// special functions, binomial p-values uniform over seeds, the Poisson first-neighbour law) and
/// synthetic truth of our own (random Fe-Cu, Fe-Cu with Cu precipitates: `SyntheticSolidSolution`).
final class SpatialStatisticsTests: XCTestCase {
    static func ions(_ p: SyntheticSolidSolution.Parameters) throws -> LabelledIons {
        let ds = try SyntheticSolidSolution(p).generate()
        return try LabelledIons(source: ds.reconstruction, table: ds.ranges)
    }

    static func feCu(seed: UInt64, precipitates: Int = 0, ions: Int = 200_000) -> SyntheticSolidSolution.Parameters {
        var p = SyntheticSolidSolution.Parameters()
        p.ions = ions; p.seed = seed; p.soluteFraction = precipitates > 0 ? 0.01 : 0.03
        p.precipitates = precipitates; p.precipitateRadius = 1.5; p.precipitateSoluteFraction = 0.5
        return p
    }

    func testSpecialFunctionsMatchClosedForms() {
        for x in [0.01, 0.5, 1, 3, 10, 40] {
            assertClose(SpecialFunctions.regularizedGammaQ(1, x), exp(-x), within: .closedForm(1e-12 * max(1, exp(-x)), "Q(1, x) = exp(-x)"))
            assertClose(SpecialFunctions.chiSquareSurvival(x, dof: 2), exp(-x / 2), within: .closedForm(1e-12, "chi2 tail, 2 dof"))
            assertClose(SpecialFunctions.regularizedGammaQ(0.5, x), erfc(x.squareRoot()), within: .closedForm(1e-12, "Q(1/2, x) = erfc(sqrt x)"))
            // 4 dof: Q(2, x/2) = exp(-x/2) (1 + x/2).
            assertClose(SpecialFunctions.chiSquareSurvival(x, dof: 4), exp(-x / 2) * (1 + x / 2), within: .closedForm(1e-12, "chi2 tail, 4 dof"))
        }
        // A tiny tail keeps its relative precision (continued fraction): Q(1, 600) = e^-600.
        assertClose(SpecialFunctions.regularizedGammaQ(1, 600) / exp(-600), 1, within: .closedForm(1e-10, "relative precision of a tiny tail"))
        assertClose(SpecialFunctions.chiSquareSurvival(3.841458820694124, dof: 1), 0.05, within: .knownAnswer(1e-12, "the 95 % quantile of chi2(1)"))
        let b = SpecialFunctions.binomialProbabilities(n: 100, p: 0.03)
        assertClose(b.reduce(0, +), 1, within: .roundoff(1e-12, "binomial probabilities sum to 1"))
        assertClose(zip(0..., b).reduce(0) { $0 + Double($1.0) * $1.1 }, 3, within: .roundoff(1e-10, "binomial mean np"))
        assertClose(SpecialFunctions.kolmogorovSurvival(1.3580986), 0.05, within: .knownAnswer(1e-6, "the 95 % quantile of the Kolmogorov distribution"))
    }

    /// A random solid solution (closed form: the binomial): over 40 seeds the p-values are uniform
    /// (the fraction below 0.05 is binomial(40, 0.05): at most 7 of 40 with 99 % probability; their
    /// mean is 1/2 ± 3 sigma, sigma = 1/sqrt(12 * 40)), and mu stays near 0.
    func testRandomSolidSolutionGivesUniformPValuesAndMuNearZero() throws {
        var ps: [Double] = [], mus: [Double] = []
        for seed in 1...40 {
            var p = Self.feCu(seed: UInt64(seed), ions: 30_000)
            p.soluteFraction = 0.05
            let f = try FrequencyDistribution(try Self.ions(p), solutes: ["Cu"], blockAtoms: 100)
            ps.append(f.combined.pValue); mus.append(f.combined.pearsonMu)
        }
        let below = ps.filter { $0 < 0.05 }.count
        XCTAssertLessThanOrEqual(below, 7, "p-values: \(ps)")
        assertClose(ps.reduce(0, +) / 40, 0.5, within: .statistics(3 / (12.0 * 40).squareRoot(), "mean of 40 uniform p-values"))
        XCTAssertLessThan(mus.max()!, 0.03, "mu: \(mus)")
        print("FDA over 40 random seeds: \(below)/40 p-values below 0.05, mean p \(ps.reduce(0, +) / 40), mu \(mus.min()!)-\(mus.max()!)")
    }

    /// The first-neighbour distance of a Poisson process of density rho has the CDF
    /// 1 - exp(-4/3 pi rho r^3) (closed form); points at least the reach from every face are
    /// asked (no edge effect). The binned CDF agrees within the KS 99.9 % bound 1.95/sqrt(n).
    func testFirstNeighbourDistanceOfPoissonProcess() throws {
        var rng = SeededRandom(seed: 11)
        let side = 40.0, rho = 1.0, n = Int(rho * side * side * side)
        let points = (0..<n).map { _ in SIMD3(side * rng.uniform(), side * rng.uniform(), side * rng.uniform()) }
        let reach = 2.5, bins = 50
        let interior = points.indices.filter { i in (0..<3).allSatisfy { points[i][$0] > reach && points[i][$0] < side - reach } }
        let c = try NearestNeighbourDistributions.counts(points, queries: interior, maxOrder: 1, reach: reach, bins: bins)
        var cdf = 0.0, worst = 0.0
        for b in 0..<bins {
            cdf += c.counts[0][b] / Double(interior.count)
            let r = Double(b + 1) * reach / Double(bins)
            worst = max(worst, abs(cdf - (1 - exp(-4.0 / 3 * .pi * rho * r * r * r))))
        }
        XCTAssertLessThan(worst, 1.95 / Double(interior.count).squareRoot(), "largest CDF difference over \(interior.count) points")
        // The mean: Gamma(4/3) (4/3 pi rho)^(-1/3).
        assertClose(c.sums[0] / c.found[0], tgamma(4.0 / 3) * pow(4.0 / 3 * .pi * rho, -1.0 / 3),
                    within: .statistics(4 * 0.26 / Double(interior.count).squareRoot(), "4 standard errors of the mean (sd 0.26 rho^-1/3)"))
    }

    /// Synthetic truth: random Fe-3 % Cu reads random; Fe-1 % Cu with 50 % Cu precipitates reads clustered.
    func testRandomAndPrecipitatedFeCu() throws {
        var o = SpatialStatistics.Options(solutes: ["Cu"])
        o.maxOrder = 5
        let random = try SpatialStatistics(try Self.ions(Self.feCu(seed: 3)), options: o)
        let f = random.frequency.combined
        XCTAssertGreaterThan(f.pValue, 0.001)
        XCTAssertLessThan(abs(f.pearsonMu), 0.1)
        let g = random.pairCorrelation
        let middle = g.r.indices.filter { g.r[$0] >= 0.5 && g.r[$0] <= 2 }
        XCTAssertFalse(middle.isEmpty)
        for k in middle { assertClose(g.g[k], 1, within: .groundTruth(0.1, "a random solution: g = 1 at every r (r = \(g.r[k]) nm)")) }
        let nn = try XCTUnwrap(random.nearestNeighbours)
        XCTAssertGreaterThan(nn.orders[0].ksPValue, 0.001)
        assertClose(nn.orders[0].observedMean, nn.orders[0].randomizedMean, within: .statistics(0.01, "random: the same mean 1st-neighbour distance (nm)"))

        let clustered = try SpatialStatistics(try Self.ions(Self.feCu(seed: 4, precipitates: 20)), options: o)
        let c = clustered.frequency.combined
        XCTAssertLessThan(c.pValue, 1e-6)
        XCTAssertGreaterThan(c.pearsonMu, 5 * f.pearsonMu)
        let h = clustered.pairCorrelation
        for k in h.r.indices where h.r[k] < 1 { XCTAssertGreaterThan(h.g[k], 2, "r = \(h.r[k]) nm") }
        let cn = try XCTUnwrap(clustered.nearestNeighbours)
        XCTAssertLessThan(cn.orders[0].ksPValue, 1e-6)
        assertClose(cn.orders[0].monteCarloPValue, 0.05, within: .roundoff(1e-12, "observed beyond all 19 randomizations: p = 1/20"))
        XCTAssertLessThan(cn.orders[0].observedMean, cn.orders[0].randomizedMean)
        print(String(format: "random Fe-Cu: p %.3g, mu %.4f, g %.3f-%.3f over 0.5-2 nm; precipitates: p %.3g, mu %.4f, g below 1 nm >= %.2f",
                     f.pValue, f.pearsonMu, middle.map { g.g[$0] }.min()!, middle.map { g.g[$0] }.max()!, c.pValue, c.pearsonMu,
                     h.r.indices.filter { h.r[$0] < 1 }.map { h.g[$0] }.min()!))
    }

    /// The same seed gives the same numbers; another seed other randomizations.
    func testSeedMakesRandomizationsReproducible() throws {
        let ions = try Self.ions(Self.feCu(seed: 5, ions: 20_000))
        var o = SpatialStatistics.Options(solutes: ["Cu"])
        o.maxOrder = 3; o.randomizations = 5
        let a = try SpatialStatistics(ions, options: o), b = try SpatialStatistics(ions, options: o)
        XCTAssertEqual(a.pairCorrelation.randomPairs, b.pairCorrelation.randomPairs)
        XCTAssertEqual(a.nearestNeighbours?.orders[2].randomMean, b.nearestNeighbours?.orders[2].randomMean)
        o.seed = 2
        let c = try SpatialStatistics(ions, options: o)
        XCTAssertNotEqual(a.pairCorrelation.randomPairs, c.pairCorrelation.randomPairs)
    }

    /// False clusters (synthetic truth): near zero for strong precipitates at a suitable dmax,
    /// large for a random solution at a generous dmax.
    func testFalseClustersFromRandomizedCopies() throws {
        func run(_ p: SyntheticSolidSolution.Parameters, dmax: Double) throws -> (MaximumSeparation, FalseClusters) {
            let ds = try SyntheticSolidSolution(p).generate()
            let ranged = RangedIons(ds.reconstruction, table: ds.ranges)
            var o = MaximumSeparation.Options(solutes: ["Cu"])
            o.dmax = dmax; o.nmin = 10
            let m = try MaximumSeparation(ds.reconstruction, ranged: ranged, options: o)
            let sample = try RandomizedSolutes(ds.reconstruction, ranged: ranged, solutes: ["Cu"])
            return (m, try FalseClusters(observedSizes: m.clusters.map(\.soluteAtoms), sample: sample, options: o, randomizations: 5, seed: 1))
        }
        let (mp, fp) = try run(Self.feCu(seed: 6, precipitates: 10), dmax: 0.4)
        XCTAssertGreaterThanOrEqual(mp.clusters.count, 9, "the 10 precipitates are found")
        XCTAssertLessThanOrEqual(fp.randomMean, 0.5, "strong precipitates: almost no false cluster")
        let (mr, fr) = try run(Self.feCu(seed: 7), dmax: 0.7)
        XCTAssertGreaterThan(fr.randomMean, 20, "a random 3 % solution at dmax 0.7 nm: many false clusters")
        assertClose(Double(mr.clusters.count), fr.randomMean, within: .statistics(4 * (fr.randomMean + 1).squareRoot(), "random data: found ~ false"))
        print("false clusters: precipitates \(mp.clusters.count) found, \(fp.randomMean) false; random \(mr.clusters.count) found, \(fr.randomMean) ± \(fr.randomSD) false")
    }

    func testSweepGridParsing() throws {
        let g = try ClusterSweep.Grid(parsing: "dmax=0.3:1.0:8,nmin=5,10,20", dmax: 0.5, nmin: 10)
        XCTAssertEqual(g.dmax, [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
        XCTAssertEqual(g.nmin, [5, 10, 20])
        XCTAssertEqual(try ClusterSweep.Grid(parsing: "nmin=3", dmax: 0.5, nmin: 10), ClusterSweep.Grid(dmax: [0.5], nmin: [3]))
        for bad in ["dmax=0.3:1.0", "x=1", "dmax=-1", "nmin=2.5", "5,10", "dmax=0.3:1:1e9"] {
            XCTAssertThrowsError(try ClusterSweep.Grid(parsing: bad, dmax: 0.5, nmin: 10), bad)
        }
    }

    func testBadInputNamesTheOption() throws {
        let ions = try Self.ions(Self.feCu(seed: 8, ions: 2_000))  // 60 Cu
        func refused(_ o: SpatialStatistics.Options, _ parameter: String, _ text: String) {
            XCTAssertThrowsError(try SpatialStatistics(ions, options: o)) { e in
                let d = "\(e)"
                XCTAssertTrue(d.contains(parameter) && d.contains(text), d)
            }
        }
        refused(SpatialStatistics.Options(solutes: ["Ni"]), "solutes", "not in the range file")
        var o = SpatialStatistics.Options(solutes: ["Cu"]); o.blockAtoms = 10_000
        refused(o, "block_atoms", "must not exceed")
        o = SpatialStatistics.Options(solutes: ["Cu"]); o.maxOrder = 100
        refused(o, "k", "below the")
        // A solute held by one ion only.
        var one = Self.feCu(seed: 9, ions: 2_000); one.soluteFraction = 0
        let ds = try SyntheticSolidSolution(one).generate()
        var recon = ds.reconstruction
        recon.mass[0] = 31.5
        let lone = try LabelledIons(source: recon, table: ds.ranges)
        XCTAssertThrowsError(try SpatialStatistics(lone, options: SpatialStatistics.Options(solutes: ["Cu"]))) { e in
            XCTAssertTrue("\(e)".contains("at least 2"), "\(e)")
        }
    }
}
