import AtomProbe
import KitFoundation

/// A molecular or atomic ion as emitted in a synthetic spectrum: its atoms, charge state and
/// isotopic peaks.
public struct EmittedIon: Sendable {
    public var ion: IonType
    public var charge: Int
    /// Peak positions (Da) and relative abundances (summing to 1).
    public var peaks: [(mass: Double, abundance: Double)]

    /// Builds the isotopic peaks by convolving the natural isotope distributions of the atoms.
    /// Isotopes below 0.1 % natural abundance are left out (e.g. 138La, 180Ta, 17O) and the
    /// rest renormalized; peak combinations below 1e-5 are dropped.
    public init(_ atoms: [AtomCount], charge: Int) throws {
        ion = IonType(atoms: atoms)
        self.charge = charge
        var dist: [(Double, Double)] = [(0, 1)]
        for a in ion.atoms {
            guard let el = PeriodicTable.element(a.symbol), !el.isotopes.isEmpty else {
                throw AtomProbeError.invalid("no natural isotopes known for \(a.symbol)")
            }
            let isos = el.isotopes.filter { $0.abundance >= 0.001 }
            let total = isos.reduce(0) { $0 + $1.abundance }
            for _ in 0..<a.count {
                var next: [(Double, Double)] = []
                for (m, p) in dist {
                    for iso in isos { next.append((m + iso.mass, p * iso.abundance / total)) }
                }
                // Merge peaks closer than 1 mDa.
                next.sort { $0.0 < $1.0 }
                var merged: [(Double, Double)] = []
                for (m, p) in next {
                    if let last = merged.last, m - last.0 < 1e-3 {
                        let w = last.1 + p
                        merged[merged.count - 1] = ((last.0 * last.1 + m * p) / w, w)
                    } else { merged.append((m, p)) }
                }
                dist = merged.filter { $0.1 >= 1e-5 }
            }
        }
        let total = dist.reduce(0) { $0 + $1.1 }
        peaks = dist.map { (mass: $0.0 / Double(charge), abundance: $0.1 / total) }
    }

    public var label: String { ion.name + String(repeating: "+", count: charge) }
}

/// How each element of Ta-doped LLZO leaves the tip: the share of its atoms carried by each ion
/// (after typical LLZO spectra: Li+, La3+/La2+/LaO2+, Zr2+/ZrO2+/ZrO2+, Ta3+/TaO2+, O+/O2+).
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
            try ch([("Zr", 1)], 2, "Zr", 0.35),
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
