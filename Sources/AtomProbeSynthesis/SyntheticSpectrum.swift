import Foundation
import AtomProbe
import KitFoundation

/// A realistic synthetic mass spectrum with a known composition (issue 24's held-out checks):
/// ions of given chemistries and charges with their natural isotope patterns, Gaussian peaks
/// whose width grows with m/n (constant resolving power), a thermal tail on the high-mass side
/// (a share of the ions arrives late by an exponential delay), and a background flat in time of
/// flight (uniform in sqrt(m/n), i.e. a density ~ (m/n)^-1/2). Steel-like, Al-alloy-like and
/// oxide mixtures with deliberate overlaps are provided (`steel`, `aluminium`, `oxide`).
public struct SyntheticSpectrum: Sendable {
    public struct Emission: Sendable {
        public var ion: IonType
        public var charge: Int
        /// Share of the signal ions (the shares are normalized).
        public var share: Double
        public init(_ formula: String, _ charge: Int, _ share: Double) {
            ion = IonType(atoms: IonType.parseFormula(formula) ?? [])
            self.charge = charge
            self.share = share
        }
    }

    public var emissions: [Emission]
    public var ions = 100_000
    /// m / dm at FWHM.
    public var resolvingPower = 1000.0
    /// Share of ions in the thermal tail and its decay length in core sigmas.
    public var tailFraction = 0.15
    public var tailSigmas = 5.0
    public var backgroundFraction = 0.02
    public var backgroundMass = 1.0...160.0
    public var seed: UInt64 = 1

    public init(emissions: [Emission]) { self.emissions = emissions }

    /// The generated m/n values and the true atom counts per element of the signal ions.
    public func generate() throws -> (mass: [Float], atoms: [String: Int]) {
        let patterns = try emissions.map { try IsotopePattern($0.ion, charge: $0.charge) }
        let total = emissions.reduce(0) { $0 + $1.share }
        var cumulative: [Double] = [], acc = 0.0
        for e in emissions { acc += e.share / total; cumulative.append(acc) }
        let peakCumulative = patterns.map { p -> [Double] in
            var a = 0.0
            return p.peaks.map { a += $0.abundance; return a }
        }
        var rng = SeededRandom(seed: seed)
        var mass: [Float] = []
        mass.reserveCapacity(ions)
        var atoms: [String: Int] = [:]
        let lo = backgroundMass.lowerBound.squareRoot(), hi = backgroundMass.upperBound.squareRoot()
        for _ in 0..<ions {
            if rng.uniform() < backgroundFraction {
                let r = lo + rng.uniform() * (hi - lo)
                mass.append(Float(r * r))
                continue
            }
            let k = rng.pick(cumulative: cumulative)
            let p = patterns[k].peaks[rng.pick(cumulative: peakCumulative[k])].massToCharge
            let sigma = p / resolvingPower / 2.3548
            var m = p + sigma * rng.normal()
            if rng.uniform() < tailFraction { m += -tailSigmas * sigma * log(1 - rng.uniform()) }
            mass.append(Float(m))
            for a in emissions[k].ion.atoms { atoms[a.symbol, default: 0] += a.count }
        }
        return (mass, atoms)
    }

    /// The true atomic composition (at.%) of `atoms`.
    public static func atPercent(_ atoms: [String: Int]) -> [String: Double] {
        let n = Double(atoms.values.reduce(0, +))
        return atoms.mapValues { 100 * Double($0) / n }
    }

    /// Steel-like: Fe, Cr, Ni, Mn, Si, C; overlaps 54Fe2+/54Cr2+ at 27 Da, 58Fe2+/58Ni2+ at 29 Da,
    /// 28Si+ under 56Fe2+, C2 dimers.
    public static func steel() -> SyntheticSpectrum {
        SyntheticSpectrum(emissions: [
            Emission("Fe", 2, 0.55), Emission("Fe", 1, 0.06), Emission("Cr", 2, 0.15), Emission("Cr", 1, 0.03),
            Emission("Ni", 2, 0.07), Emission("Ni", 1, 0.015), Emission("Mn", 2, 0.015), Emission("Si", 2, 0.01),
            Emission("Si", 1, 0.0015), Emission("C", 1, 0.004), Emission("C", 2, 0.003), Emission("C2", 1, 0.002),
        ])
    }

    /// Al-alloy-like: Al, Mg, Si, Cu, Zn; Al2 dimers, Mg2+ beside Al3+ and C-free 12-13 Da.
    public static func aluminium() -> SyntheticSpectrum {
        SyntheticSpectrum(emissions: [
            Emission("Al", 1, 0.78), Emission("Al", 2, 0.08), Emission("Al", 3, 0.02), Emission("Al2", 1, 0.01),
            Emission("Mg", 1, 0.012), Emission("Mg", 2, 0.015), Emission("Si", 1, 0.006), Emission("Si", 2, 0.005),
            Emission("Cu", 1, 0.012), Emission("Cu", 2, 0.006), Emission("Zn", 1, 0.01), Emission("Zn", 2, 0.012),
        ])
    }

    /// Spinel-like oxide MgAl2O4 with Ti: O+, O2+, AlO+, MgO+; 48Ti2+ under 24Mg+ and TiO2+ under O2+ at 32 Da.
    public static func oxide() -> SyntheticSpectrum {
        SyntheticSpectrum(emissions: [
            Emission("O", 1, 0.20), Emission("O2", 1, 0.10), Emission("Al", 1, 0.12), Emission("Al", 2, 0.07),
            Emission("AlO", 1, 0.08), Emission("AlO", 2, 0.04), Emission("Mg", 1, 0.05), Emission("Mg", 2, 0.06),
            Emission("MgO", 1, 0.03), Emission("Ti", 2, 0.02), Emission("TiO", 2, 0.025),
        ])
    }
}
