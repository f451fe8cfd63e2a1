import XCTest
import AtomProbe
import AtomProbeIO
import AtomProbeAnalysis
import AtomProbeSynthesis
import KitFoundation
import APKTestSupport

/// Background subtraction, isotopic-overlap deconvolution and the error model of compositions
/// (docs/quantification.md).
final class QuantificationTests: XCTestCase {
    /// Ground truth: a synthetic LLZO with 5 % background (flat in m/n) and Zr3+, whose 96Zr peak
    /// sits under O2+ at 32 Da. With both corrections every element is within 3 sigma of the
    /// generated atoms and sigma is at most 3x the counting sigma; without them the errors are larger.
    func testBackgroundAndOverlapRecoverTheTruth() throws {
        var p = SyntheticLLZO.Parameters()
        p.ions = 300_000; p.seed = 7; p.objectCount = 0; p.backgroundFraction = 0.05
        let ds = try SyntheticLLZO(p).generate()
        let truth = try XCTUnwrap(ds.truth["regions"]?.array?.first { $0["name"]?.string == "all signal" })
        let fixes = try QuantificationCorrections.prepare(mass: ds.reconstruction.mass, table: ds.ranges, background: .constant, deconvolve: true)
        let corrected = try CompositionAnalysis.composition(ds.reconstruction, table: ds.ranges, corrections: fixes)
        let plain = try CompositionAnalysis.composition(ds.reconstruction, table: ds.ranges)
        XCTAssertEqual(corrected.corrections.count, 2, "\(corrected.corrections)")
        var plainMiss = 0.0, correctedMiss = 0.0
        for el in ["Li", "La", "Zr", "Ta", "O"] {
            let t = try XCTUnwrap(truth["elements"]?[el]?["at_pct"]?.double)
            let c = try XCTUnwrap(corrected[el]), u = try XCTUnwrap(plain[el])
            assertClose(c.atPercent, t, within: .groundTruth(3 * c.sigmaAtPercent, "3 sigma of the corrected composition"), el)
            XCTAssertLessThanOrEqual(c.sigma, 3 * u.sigma, el)
            plainMiss += pow((u.atPercent - t) / u.sigmaAtPercent, 2)
            correctedMiss += pow((c.atPercent - t) / c.sigmaAtPercent, 2)
        }
        XCTAssertLessThan(correctedMiss, plainMiss / 4, "sum of squared z: corrected \(correctedMiss), plain \(plainMiss)")
        // The background level: 5 % of 300,000 ions spread evenly over 0.5-200 Da.
        let b = try XCTUnwrap(fixes.background)
        let expected = 0.05 * 300_000 / 199.5
        assertClose(b.coefficients[0], expected, within: .statistics(3 * b.covariance[0][0].squareRoot(), "3 sigma of the fitted level"))
    }

    /// Closed form: the Poisson fit of a constant over counts in windows of total width W is
    /// N / W with variance (N / W) / W; a background flat in time of flight is recovered by the
    /// tof model (synthetic spectrum with ranges only where there are no counts).
    func testBackgroundFitClosedFormAndShape() throws {
        let table = try RangeFileIO.parse("[Ions]\nNumber=1\nIon1=Li\n[Ranges]\nNumber=1\nRange1=50.0 51.0 Li:1\n", format: .rrng)
        var rng = SeededRandom(seed: 3)
        let flat = (0..<20_000).map { _ in Float(1 + 99 * rng.uniform()) }
        let spectrum = try MassSpectrum(flat, binWidth: 0.01, start: 0, end: 110)
        let b = try MassSpectrumBackground.fit(spectrum, table: table, windows: [1...100], ionsInSpectrum: flat.count)
        let width = b.windows.reduce(0) { $0 + ($1.upperBound - $1.lowerBound) }
        // Blocks are whole bins inside the windows, so the fitted width is that of the blocks.
        let n = Double(b.countsUsed)
        XCTAssertEqual(b.blocksRejected, 0)
        assertClose(b.coefficients[0], n / width, within: .closedForm(0.002 * n / width, "N/W (block edges round the width to bins)"))
        assertClose(b.covariance[0][0], b.coefficients[0] / width, within: .closedForm(0.01 * b.coefficients[0] / width, "Poisson: var = rate / W"))
        assertClose(b.reducedChiSquare, 1, within: .statistics(0.25, "a flat spectrum fits a flat model"))
        // Flat in sqrt(m): density ~ m^-1/2; the tof model finds it and the constant model does not fit as well.
        let tofMass = (0..<40_000).map { _ -> Float in let t = 1 + 9 * rng.uniform(); return Float(t * t) }
        let tofSpectrum = try MassSpectrum(tofMass, binWidth: 0.01, start: 0, end: 110)
        let tof = try MassSpectrumBackground.fit(tofSpectrum, table: table, shape: .tof, windows: [1...100], ionsInSpectrum: tofMass.count)
        let constant = try MassSpectrumBackground.fit(tofSpectrum, table: table, shape: .constant, windows: [1...100], ionsInSpectrum: tofMass.count)
        // u uniform in [1, 10] -> density 40000 / (9 * 2 sqrt(m)) per Da: theta = 40000 / 18.
        assertClose(tof.coefficients[0], 40_000.0 / 18, within: .statistics(3 * tof.covariance[0][0].squareRoot(), "3 sigma of the fit"))
        XCTAssertLessThan(tof.reducedChiSquare, 1.3)
        XCTAssertGreaterThan(constant.reducedChiSquare, 2 * tof.reducedChiSquare)
    }

    /// Hand count: ranges Zr3+ (4 clean peaks, shares from the pattern) and O2 at 32 Da with
    /// 96Zr3+ inside. Counts move f X_Zr3 from O2 to Zr, X from the clean ranges; the variance is
    /// propagated through the same linear map.
    func testOverlapDeconvolutionByHand() throws {
        let table = try RangeFileIO.parse("""
        [Ions]
        Number=2
        Ion1=Zr
        Ion2=O2
        [Ranges]
        Number=5
        Range1=29.95 30.05 Zr:1
        Range2=30.28 30.38 Zr:1
        Range3=30.62 30.72 Zr:1
        Range4=31.28 31.38 Zr:1
        Range5=31.93 32.06 O:2
        """, format: .rrng)
        let overlaps = IsotopicOverlaps(table)
        XCTAssertEqual(overlaps.overlaps.count, 1)
        let zr = PeriodicTable.element("Zr")!.isotopes
        let share96 = zr.first { $0.massNumber == 96 }!.abundance, clean = 1 - share96
        assertClose(overlaps.cleanShare[overlaps.overlaps[0].species], clean, within: .closedForm(1e-9, "1 - a(96Zr)"))
        let counts = [500, 110, 170, 175, 2000]
        let model = QuantificationCorrections(overlaps: overlaps).counts(rangeCounts: counts, regionIons: 2955, table: table)
        let x = Double(500 + 110 + 170 + 175) / clean   // all Zr3+ ions
        assertClose(model.estimate[0], 955 + share96 * x, within: .closedForm(1e-9, "Zr: clean counts + f X"))
        assertClose(model.estimate[1], 2000 - share96 * x, within: .closedForm(1e-9, "O2: its range less f X"))
        XCTAssertEqual(model.observed, [955, 2000])
        // var(Zr estimate) = (1 + f/clean)^2 * 955 (the four clean ranges, Poisson)
        assertClose(model.variance(of: [1, 0]), pow(1 + share96 / clean, 2) * 955, within: .closedForm(1e-9, "linear propagation"))
        // var(O2 estimate) = 2000 + (f/clean)^2 * 955
        assertClose(model.variance(of: [0, 1]), 2000 + pow(share96 / clean, 2) * 955, within: .closedForm(1e-9, "linear propagation"))
    }

    /// Synthetic truth and closed form: N2+ (one peak, 28.006 Da) under 28Si+, recorded by a ranger
    /// as a shared peak; N2 owns no range. 1e6 Si+ and 5e4 N2+ ions spread by their isotope patterns
    /// into Si's three ranges. Si is estimated from its one clean range (30 Da; 29 Da holds
    /// 14N15N+), N2 as what the 28 Da range holds beyond it; the variance through the same map.
    func testIonHiddenUnderAnotherRangeIsEstimatedFromTheOwner() throws {
        var table = try RangeTable(ions: [IonType(atoms: [.init("Si", 1)]), IonType(atoms: [.init("N", 2)])],
                                   ranges: [MassRange(low: 27.93, high: 28.06, ionIndex: 0), MassRange(low: 28.93, high: 29.06, ionIndex: 0),
                                            MassRange(low: 29.93, high: 30.03, ionIndex: 0)])
        XCTAssertEqual(IsotopicOverlaps(table).overlaps.count, 0, "without the record N2 is not a species")
        table.sharedPeaks = [.init(ionIndex: 1, charge: 1)]
        let overlaps = IsotopicOverlaps(table)
        XCTAssertTrue(overlaps.overlaps.allSatisfy { $0.fromOwner && $0.separable }, overlaps.descriptions.joined(separator: "\n"))
        let si = try IsotopePattern(table.ions[0], charge: 1), n2 = try IsotopePattern(table.ions[1], charge: 1)
        let (xSi, xN2) = (1_000_000.0, 50_000.0)
        let counts = table.ranges.map { r -> Int in
            let expected: Double = xSi * si.share(in: r.low, r.high) + xN2 * n2.share(in: r.low, r.high)
            return Int(expected.rounded())
        }
        let model = QuantificationCorrections(overlaps: overlaps).counts(rangeCounts: counts, regionIons: counts.reduce(0, +), table: table)
        // Rounding the counts moves N2 by at most 0.5 (1 + w) / f, w = a(28Si) / a(30Si) ~ 30; the
        // 0.7 15N15N+ counts at 30 Da (below the 0.1 % an overlap needs) are taken for Si: w 0.7 more.
        assertClose(model.estimate[1], xN2, within: .groundTruth(40, "generated N2+ ions"))
        assertClose(model.estimate[0] + model.estimate[1], Double(counts.reduce(0, +)), within: .closedForm(1e-6, "counts are moved, not made"))
        let r28 = table.ranges[0], r30 = table.ranges[2]
        let w: Double = si.share(in: r28.low, r28.high) / si.share(in: r30.low, r30.high)
        let f: Double = n2.share(in: r28.low, r28.high)
        let inSi: Double = 1 - n2.share(in: r30.low, r30.high)  // N2's share in Si's ranges but 30 Da
        let (n28, n30) = (Double(counts[0]), Double(counts[2]))
        assertClose(model.estimate[1], (n28 - w * n30) / f * inSi, within: .closedForm(1e-6, "X_N2 = (N28 - w N30) / f"))
        let variance: Double = (n28 + w * w * n30) / (f * f) * inSi * inSi
        assertClose(model.variance(of: [0, 1]), variance, within: .closedForm(1e-3 * variance, "linear propagation of Poisson counts"))
    }

    /// Synthetic truth: 1e4 Fe2+ ions beside 5e4 Si+ at 28 Da, whose thermal tail puts 500 counts
    /// in the 57Fe2+ range at 28.5 Da (no isotope peak: only a ranger's purity, 0.3, says so).
    /// Fe2+ is estimated from its pure range (54Fe2+ at 27 Da) alone; with the impure one it would
    /// read 1.6e4 and take 6e3 ions from Si.
    func testImpureRangeIsNoReference() throws {
        var impure = MassRange(low: 28.40, high: 28.60, ionIndex: 1)
        impure.purity = 0.3
        let table = try RangeTable(ions: [IonType(atoms: [.init("Si", 1)]), IonType(atoms: [.init("Fe", 1)])],
                                   ranges: [MassRange(low: 26.90, high: 27.10, ionIndex: 1), MassRange(low: 27.90, high: 28.10, ionIndex: 0), impure])
        let fe = try IsotopePattern(table.ions[1], charge: 2), si = try IsotopePattern(table.ions[0], charge: 1)
        let (xFe, xSi, tail) = (10_000.0, 50_000.0, 500.0)
        let counts = table.ranges.enumerated().map { k, r -> Int in
            let expected: Double = xFe * fe.share(in: r.low, r.high) + xSi * si.share(in: r.low, r.high) + (k == 2 ? tail : 0)
            return Int(expected.rounded())
        }
        let overlaps = IsotopicOverlaps(table)
        let feSpecies = try XCTUnwrap(overlaps.species.firstIndex { $0.ionIndex == 1 })
        XCTAssertEqual(overlaps.cleanRanges[feSpecies], [0], "the 28.5 Da range is impure")
        let model = QuantificationCorrections(overlaps: overlaps).counts(rangeCounts: counts, regionIons: counts.reduce(0, +), table: table)
        let inRanges = table.ranges.reduce(0.0) { $0 + fe.share(in: $1.low, $1.high) }
        // Fe: X_Fe times its share in the three ranges, plus the tail counted in its 28.5 Da range.
        assertClose(model.estimate[1], xFe * inRanges + tail, within: .groundTruth(0.5 / fe.share(in: 26.9, 27.1) + 1, "generated Fe2+ ions (rounding)"))
        assertClose(model.estimate[0], xSi * si.share(in: 27.9, 28.1), within: .groundTruth(0.5 / fe.share(in: 26.9, 27.1) + 1, "generated Si+ ions (rounding)"))
    }

    /// Synthetic truth: Ni+ and Sn2+ share 58, 60, 61, 62 Da; Ni+'s only range of its own (64Ni+)
    /// lies in a Cu+ tail (purity 0.4, 2000 tail counts), and a Ni2 2+ the ranger put in the
    /// 58 Da range (a shared peak with no range of its own) competes for that range's rest.
    /// Ni+ is estimated from what 58 Da holds beyond Sn2+ (from Sn2+'s own 117/119 peaks), not
    /// from 64Ni+ (which would read 3x too many); Ni2 2+ owns no range and is left alone.
    func testRestOfARangeGoesToTheIonOwningRanges() throws {
        var ni64 = MassRange(low: 63.85, high: 64.05, ionIndex: 0)
        ni64.purity = 0.4
        let ions = [IonType(atoms: [.init("Ni", 1)]), IonType(atoms: [.init("Sn", 1)]), IonType(atoms: [.init("Ni", 2)])]
        var table = try RangeTable(ions: ions, ranges: [
            MassRange(low: 57.85, high: 58.05, ionIndex: 0), MassRange(low: 58.40, high: 58.55, ionIndex: 1),
            MassRange(low: 59.40, high: 59.55, ionIndex: 1), MassRange(low: 59.85, high: 60.05, ionIndex: 1), ni64])
        table.sharedPeaks = [.init(ionIndex: 2, charge: 2)]
        let ni = try IsotopePattern(ions[0], charge: 1), sn = try IsotopePattern(ions[1], charge: 2)
        let (xNi, xSn, tail) = (100_000.0, 200_000.0, 2000.0)
        let counts = table.ranges.map { r -> Int in
            let expected: Double = xNi * ni.share(in: r.low, r.high) + xSn * sn.share(in: r.low, r.high) + (r.low > 63 ? tail : 0)
            return Int(expected.rounded())
        }
        let overlaps = IsotopicOverlaps(table)
        let niSpecies = try XCTUnwrap(overlaps.species.firstIndex { $0.ionIndex == 0 })
        let ni2Species = try XCTUnwrap(overlaps.species.firstIndex { $0.ionIndex == 2 })
        XCTAssertEqual(overlaps.ownerRange[niSpecies], 0, overlaps.descriptions.joined(separator: "\n"))
        XCTAssertNil(overlaps.ownerRange[ni2Species], "two species may not take one range's rest")
        let model = QuantificationCorrections(overlaps: overlaps).counts(rangeCounts: counts, regionIons: counts.reduce(0, +), table: table)
        let niIn = table.ranges.reduce(0.0) { $0 + ni.share(in: $1.low, $1.high) }
        // Ni: X_Ni in its share of the ranges, plus the tail left in its 64 Da range.
        assertClose(model.estimate[0], xNi * niIn + tail, within: .groundTruth(0.01 * xNi * niIn, "generated Ni+ ions (rounding through 2 % shares)"))
    }

    /// Closed form: the one-sigma Wilson interval of 0 successes in n trials is [0, 1/(n+1)];
    /// of n/2 in n it is centred at 1/2 with half-width sqrt(n/4 + 1/4) / (n + 1).
    func testWilsonIntervalForSmallCounts() throws {
        let zero = Composition.wilsonInterval(fraction: 0, effectiveCount: 100)
        XCTAssertEqual(zero.lowerBound, 0)
        assertClose(zero.upperBound, 1.0 / 101, within: .closedForm(1e-15, "1/(n+1)"))
        let half = Composition.wilsonInterval(fraction: 0.5, effectiveCount: 16)
        assertClose(half.upperBound - 0.5, (4.0 + 0.25).squareRoot() / 17, within: .closedForm(1e-15, "Wilson half-width at c = 1/2"))
        // A composition with a zero count reports an interval above zero, not 0 +- 0.
        let table = try RangeFileIO.parse("[Ions]\nNumber=2\nIon1=Li\nIon2=O\n[Ranges]\nNumber=2\nRange1=6.5 7.5 Li:1\nRange2=15.5 16.5 O:1\n", format: .rrng)
        let c = try CompositionAnalysis.composition(ionCounts: [0, 9], unranged: 0, table: table)
        XCTAssertEqual(c["Li"]?.sigma, 0)
        assertClose(c["Li"]!.interval.upperBound, 0.1, within: .closedForm(1e-15, "1/(9+1)"))
        XCTAssertTrue(Reports.compositionText(c).contains("68% interval"))
    }

    /// Two paths to one number: a profile of one bin with both corrections equals the corrected
    /// composition of the same cylinder (`composition --cylinder`), value and sigma.
    func testCorrectedProfileBinEqualsCorrectedRegion() throws {
        var p = SyntheticLLZO.Parameters()
        p.ions = 200_000; p.seed = 11; p.objectCount = 0; p.backgroundFraction = 0.05
        let ds = try SyntheticLLZO(p).generate()
        let fixes = try QuantificationCorrections.prepare(mass: ds.reconstruction.mass, table: ds.ranges, background: .constant, deconvolve: true)
        let from = SIMD3<Double>(0, 0, -2), to = SIMD3<Double>(0, 0, -10)
        let profile = try ConcentrationProfile(ds.reconstruction, ranged: RangedIons(ds.reconstruction, table: ds.ranges),
                                               region: ProfileRegion(from: from, to: to, crossSection: .cylinder(radius: 6)),
                                               binning: .width(8), corrections: fixes)
        XCTAssertEqual(profile.bins.count, 1)
        let cylinder = try Region.cylinder(center: (from + to) / 2, axis: to - from, radius: 6, length: 8).validated()
        let region = try CompositionAnalysis.composition(ds.reconstruction, table: ds.ranges, region: cylinder, corrections: fixes)
        for (e, el) in profile.elements.enumerated() {
            let (v, s) = profile.atPercent(e, bin: 0)
            assertClose(v, region[el]!.atPercent, within: .roundoff(1e-9, "same ions, same corrections"), el)
            assertClose(s, region[el]!.sigmaAtPercent, within: .roundoff(1e-9, "same error propagation"), el)
        }
    }
}
