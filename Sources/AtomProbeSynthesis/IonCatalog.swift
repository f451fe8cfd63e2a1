import AtomProbe
import KitFoundation

/// A molecular or atomic ion as emitted in a synthetic spectrum: its atoms, charge state and
/// isotopic peaks.
public struct EmittedIon: Sendable {
    public var ion: IonType
    public var charge: Int
    /// Peak positions (Da) and relative abundances (summing to 1).
    public var peaks: [(mass: Double, abundance: Double)]

    /// The isotopic peaks of the ion at this charge (`IsotopePattern`: isotopes below 0.1 %
    /// natural abundance left out, peak combinations below 1e-5 dropped).
    public init(_ atoms: [AtomCount], charge: Int) throws {
        ion = IonType(atoms: atoms)
        self.charge = charge
        peaks = try IsotopePattern(ion, charge: charge).peaks.map { (mass: $0.massToCharge, abundance: $0.abundance) }
    }

    public var label: String { ion.name + String(repeating: "+", count: charge) }
}

/// How each element of Ta-doped LLZO leaves the tip: the share of its atoms carried by each ion
/// (after typical LLZO spectra: Li+, La3+/La2+/LaO2+, Zr3+/Zr2+/ZrO2+/ZrO2+, Ta3+/TaO2+, O+/O2+).
/// The oxide ions carry oxygen; the rest of the oxygen leaves as O+ and O2+.
public struct IonCatalog: Sendable {
    public struct Channel: Sendable {
        public var emitted: EmittedIon
        /// The element whose atoms this channel carries (the metal, or O for pure oxygen ions).
        public var carrier: String
        /// Share of the carrier's atoms leaving through this channel.
        public var share: Double
    }
    public var channels: [Channel]

    public static func llzo() throws -> IonCatalog {
        func ch(_ atoms: [(String, Int)], _ q: Int, _ carrier: String, _ share: Double) throws -> Channel {
            Channel(emitted: try EmittedIon(atoms.map { AtomCount($0.0, $0.1) }, charge: q), carrier: carrier, share: share)
        }
        return IonCatalog(channels: [
            try ch([("Li", 1)], 1, "Li", 1.0),
            try ch([("La", 1)], 3, "La", 0.45),
            try ch([("La", 1)], 2, "La", 0.25),
            try ch([("La", 1), ("O", 1)], 2, "La", 0.30),
            try ch([("Zr", 1)], 3, "Zr", 0.15),
            try ch([("Zr", 1)], 2, "Zr", 0.20),
            try ch([("Zr", 1), ("O", 1)], 2, "Zr", 0.45),
            try ch([("Zr", 1), ("O", 2)], 1, "Zr", 0.20),
            try ch([("Ta", 1)], 3, "Ta", 0.40),
            try ch([("Ta", 1), ("O", 1)], 2, "Ta", 0.60),
            try ch([("O", 1)], 1, "O", 0.60),
            try ch([("O", 2)], 1, "O", 0.40),
        ])
    }

    /// Probabilities of each channel per detected ion for a target atomic composition
    /// (fractions by element). Throws when the oxide ions would need more oxygen than there is.
    public func ionProbabilities(for composition: [String: Double]) throws -> [Double] {
        var ionsPerAtom = [Double](repeating: 0, count: channels.count)
        var oxygenCarried = 0.0
        for (k, c) in channels.enumerated() where c.carrier != "O" {
            let f = composition[c.carrier] ?? 0
            let atomsOfCarrier = Double(c.emitted.ion.count(of: c.carrier))
            ionsPerAtom[k] = f * c.share / atomsOfCarrier
            oxygenCarried += ionsPerAtom[k] * Double(c.emitted.ion.count(of: "O"))
        }
        let freeO = (composition["O"] ?? 0) - oxygenCarried
        guard freeO >= -1e-12 else {
            throw AtomProbeError.invalid("composition has too little O (\(composition["O"] ?? 0)) for the oxide ions of the catalogue")
        }
        for (k, c) in channels.enumerated() where c.carrier == "O" {
            ionsPerAtom[k] = max(freeO, 0) * c.share / Double(c.emitted.ion.count(of: "O"))
        }
        let total = ionsPerAtom.reduce(0, +)
        return ionsPerAtom.map { $0 / total }
    }
}
