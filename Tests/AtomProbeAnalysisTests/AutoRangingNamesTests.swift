import XCTest
import AtomProbe
import AtomProbeAnalysis
import AtomProbeSynthesis
import KitFoundation
import APKTestSupport

/// Ranging from the spectrum alone names the ions a chemist would (issue 24), checked against
/// synthetic truth: every range holding at least 0.5 % of the ranged counts names an ion (formula
/// and charge) that was generated. These mixtures hold the cases an independent check found
/// misnamed before the charge prior, the simpler-ion rule and the refuted-pattern rule
/// (`PatternSelection`): CrO 2+ at 34 Da (not Si2C 2+), FeO 2+ at 36 Da (not C3+), Co+ at 59 Da
/// (not Ni2 2+), AlO+ at 43 Da (not CoAl 2+), Al+ alone at 27 Da (not FeCr 4+), N 2+ at 7 Da (not CO 4+).
final class AutoRangingNamesTests: XCTestCase {
    func assertNamed(_ s: SyntheticSpectrum, elements: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let (mass, atoms) = try s.generate()
        let (c, r) = try AutoRangingTests.autoComposition(mass, elements: elements)
        let text = AutorangeText.lines(r).joined(separator: "\n")
        let truth = Set(s.emissions.map { "\($0.ion.name) \($0.charge)+" })
        let total = r.ranges.reduce(0) { $0 + $1.counts }
        for range in r.ranges where range.counts >= 0.005 * total {
            XCTAssertTrue(truth.contains("\(range.ion.name) \(range.charge)+"),
                          String(format: "%.2f Da named %@ %d+\n", range.peak, range.ion.name, range.charge) + text, file: file, line: line)
        }
        for (el, t) in SyntheticSpectrum.atPercent(atoms) {
            assertClose(c[el]?.atPercent ?? 0, t, within: .groundTruth(0.25 + 0.05 * t, "issue 24: 0.25 at.% + 5 % of the generated composition"),
                        "\(el)\n\(text)", file: file, line: line)
        }
    }

    func testSteelOxideIonsNamed() throws {
        var s = SyntheticSpectrum(emissions: [
            .init("Fe", 2, 0.35), .init("Fe", 1, 0.05), .init("Cr", 2, 0.12), .init("CrO", 2, 0.05), .init("FeO", 2, 0.06),
            .init("O", 1, 0.08), .init("O2", 1, 0.04), .init("Ni", 2, 0.06), .init("Si", 2, 0.01), .init("C", 1, 0.01),
            .init("CrO", 1, 0.02), .init("FeO", 1, 0.02),
        ])
        s.seed = 11
        try assertNamed(s, elements: ["Fe", "Cr", "Ni", "Si", "O", "C"])
    }

    func testNickelCobaltAluminaIonsNamed() throws {
        var s = SyntheticSpectrum(emissions: [
            .init("Ni", 1, 0.25), .init("Ni", 2, 0.25), .init("Co", 1, 0.08), .init("Co", 2, 0.08), .init("Al", 1, 0.10),
            .init("Al", 2, 0.05), .init("AlO", 1, 0.05), .init("O", 1, 0.03), .init("Cr", 2, 0.06),
        ])
        s.seed = 12
        try assertNamed(s, elements: ["Ni", "Co", "Al", "O", "Cr"])
    }

    /// A lone Al+ peak beside Fe and Cr: 26.98 Da fits FeCr 4+ by mass, but its other isotope
    /// peaks are missing (refuted) and 4+ diatomic ions are not tried by default.
    func testLonePeakIsTheSimpleIon() throws {
        var s = SyntheticSpectrum(emissions: [
            .init("Fe", 2, 0.5), .init("Fe", 1, 0.1), .init("Cr", 2, 0.2), .init("Al", 1, 0.05), .init("N", 1, 0.02), .init("N", 2, 0.02),
        ])
        s.seed = 13
        try assertNamed(s, elements: ["Fe", "Cr", "Al", "N", "C", "O"])
    }

    /// Long thermal tails (13 sigma, 9 %): the window of Al+ at 26.98 Da reaches 27.49 Da, where
    /// AlN2 2+ would sit. Before, AlN2 2+ entered first (the window held its whole pattern), was then
    /// dropped for lying off the detected centre, and Al+ (20 % of the ions) was left unexplained:
    /// Al 12 at.% for 26.6. A candidate now enters only with its main peak on a detected centre.
    func testLongTailsKeepTheSimpleIon() throws {
        var s = SyntheticSpectrum(emissions: [
            .init("Ti", 2, 0.15), .init("Al", 1, 0.15), .init("Al", 2, 0.05), .init("N", 1, 0.25), .init("N2", 1, 0.03),
            .init("TiN", 2, 0.08), .init("AlN", 1, 0.02), .init("AlN", 2, 0.02),
        ])
        s.ions = 400_000
        s.resolvingPower = 1100
        s.tailFraction = 0.09
        s.tailSigmas = 13
        s.seed = 14
        try assertNamed(s, elements: ["Ti", "Al", "N"])
    }

    /// Few heavy 2+ ions (W 2+ at 91-93 Da, 0.6 % of the ions, beside Re 2+ and Ta 2+): TaMo 3+
    /// has peaks at 91.0, 92.0 and 93.0 Da too, but also at 91.67, 92.33 and 92.67 Da, inside the
    /// wide windows of the W 2+ peaks and off their centres. Those places are now cells of their
    /// own, and the missing peaks there refute TaMo 3+ (before: W -0.7, Ta +0.7, Mo +0.9 at.%;
    /// TaMo 3+ was named in 8 of 24 such spectra, seeds 15-26 at 1.5e5 and 2.7e5 ions, none now).
    func testHeavyDoublyChargedIonIsNotAMolecule() throws {
        var s = SyntheticSpectrum(emissions: [
            .init("Ni", 2, 0.53), .init("Ni", 1, 0.04), .init("Co", 2, 0.074), .init("Cr", 2, 0.054), .init("Al", 1, 0.146),
            .init("Al", 2, 0.042), .init("Ta", 3, 0.021), .init("Ta", 2, 0.0053), .init("W", 3, 0.021), .init("W", 2, 0.0064),
            .init("Re", 3, 0.013), .init("Re", 2, 0.0042), .init("Mo", 3, 0.0064), .init("Mo", 2, 0.0062),
        ])
        s.ions = 150_000
        s.resolvingPower = 1100
        s.tailFraction = 0.16
        s.tailSigmas = 11
        s.seed = 15
        try assertNamed(s, elements: ["Ni", "Co", "Cr", "Al", "Ta", "W", "Re", "Mo"])
    }
}
