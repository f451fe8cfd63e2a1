import KitFoundation

/// The isotopic peaks of an ion at one charge state: where in mass-to-charge its ions arrive
/// and what share of them each peak holds (natural isotope abundances).
public struct IsotopePattern: Sendable, Equatable {
    public struct Peak: Sendable, Equatable {
        /// Mass-to-charge in Da.
        public var massToCharge: Double
        /// Share of the ions (0-1); the shares of a pattern sum to 1.
        public var abundance: Double
    }

    public let charge: Int
    /// Peaks in ascending mass-to-charge.
    public let peaks: [Peak]

    /// Ions with more atoms than this get no pattern (real molecular ions hold a handful; the
    /// convolution of a thousand atoms would be slow and meaningless).
    public static let maxAtoms = 60

    /// Convolves the natural isotope distributions of the ion's atoms.
    /// - Parameters:
    ///   - minimumIsotopeAbundance: isotopes below this natural abundance are left out and the
    ///     rest renormalized (0.001 leaves out 138La, 180Ta and 17O).
    ///   - minimumPeak: peaks (isotope combinations) below this share are dropped.
    /// Peaks closer than 1 mDa merge. Throws for an ion with a non-element symbol, no atoms, too
    /// many atoms, or a charge outside 1-10.
    public init(_ ion: IonType, charge: Int, minimumIsotopeAbundance: Double = 0.001, minimumPeak: Double = 1e-5) throws {
        guard (1...10).contains(charge) else { throw AtomProbeError.invalid("charge state \(charge) of \(ion.name) is not in 1-10") }
        guard !ion.atoms.isEmpty else { throw AtomProbeError.invalid("\(ion.name) has no atoms, so no isotope pattern") }
        guard ion.atomCount <= Self.maxAtoms else {
            throw AtomProbeError.invalid("\(ion.name) has \(ion.atomCount) atoms; isotope patterns are made for at most \(Self.maxAtoms)")
        }
        var dist: [(mass: Double, share: Double)] = [(0, 1)]
        for a in ion.atoms {
            guard let el = PeriodicTable.element(a.symbol), !el.isotopes.isEmpty else {
                throw AtomProbeError.invalid("no natural isotopes known for \(a.symbol) (in \(ion.name))")
            }
            let isotopes = el.isotopes.filter { $0.abundance >= minimumIsotopeAbundance }
            let total = isotopes.reduce(0) { $0 + $1.abundance }
            for _ in 0..<a.count {
                var next: [(mass: Double, share: Double)] = []
                next.reserveCapacity(dist.count * isotopes.count)
                for (m, p) in dist {
                    for iso in isotopes { next.append((m + iso.mass, p * iso.abundance / total)) }
                }
                next.sort { $0.mass < $1.mass }
                var merged: [(mass: Double, share: Double)] = []
                for (m, p) in next {
                    if let last = merged.last, m - last.mass < 1e-3 {
                        let w = last.share + p
                        merged[merged.count - 1] = ((last.mass * last.share + m * p) / w, w)
                    } else { merged.append((m, p)) }
                }
                dist = merged.filter { $0.share >= minimumPeak }
            }
        }
        let total = dist.reduce(0) { $0 + $1.share }
        self.charge = charge
        peaks = dist.map { Peak(massToCharge: $0.mass / Double(charge), abundance: $0.share / total) }
    }

    /// The share of the ions that falls in [low, high) (peak centres).
    public func share(in low: Double, _ high: Double) -> Double {
        peaks.reduce(0) { $0 + ($1.massToCharge >= low && $1.massToCharge < high ? $1.abundance : 0) }
    }
}
