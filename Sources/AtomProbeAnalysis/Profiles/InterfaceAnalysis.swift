import Foundation
import AtomProbe
import KitFoundation

/// An interface seen in a 1D profile (the study's Fig. 4c): the fitted step of one element,
/// the compositions of the plateaus on both sides, and the Gibbsian interfacial excess of every
/// element (atoms per nm^2 of interface).
///
/// Plateaus: the bins lying entirely more than `plateauGap` (default: twice the 10-90 % width,
/// at least 1 nm) before or after the crossing, or inside two given ranges; their atoms give each
/// side's composition, with the profile's error model (binomial over atoms, or multinomial over
/// ions; `Composition`). A step smaller than 3 sigma of the plateaus is refused: the same phase
/// on both sides (a segregation layer) is measured by `SegregationLayer`.
///
/// Excess (Krakauer and Seidman's ladder method with the dividing surface at the crossing):
///     Gamma_i = (N_i - c_i^low N_low - c_i^high N_high) / (A eta)
/// with N_i the atoms of element i in the whole profile, N_low and N_high all atoms before and
/// after the crossing (a bin straddling it split by length), A the cross-section and eta the
/// detection efficiency (1: detected atoms). With the dividing surface where the total atom
/// count has no excess, sum_i Gamma_i = 0. With background or overlap corrections every count
/// (N_i, N_low, N_high, the plateaus) is the corrected one. In the plateaus' own bins the element's
/// atoms are c N exactly (c is their ratio there), so they add nothing to Gamma and its error
/// comes from the rest: sigma^2 = [N_i' + (N_low' sigma_low)^2 + (N_high' sigma_high)^2] / (A eta)^2,
/// primes marking the counts outside the plateaus. (Counting every N_i and all of N_low, N_high,
/// as before, overstated sigma 1.6-3.2 times against the scatter over 20 seeds of an independent
/// check.)
/// With a plane normal the excess is per nm^2 of the plane: x cos(tilt) (`PlaneTilt`).
public struct InterfaceAnalysis: Sendable {
    public struct Plateau: Sendable {
        public var from: Double, to: Double
        public var atoms: Int
        /// Per element: fraction and its one-sigma error (fractions, not at.%).
        public var fraction: [Double], sigma: [Double]
    }

    public struct Excess: Sendable {
        public var element: String
        public var atomsPerNm2: Double, sigma: Double
        /// Atoms counted against atoms expected from the plateaus.
        public var measured: Int, expected: Double
    }

    public let species: String
    public let fit: InterfaceFit
    public let low: Plateau, high: Plateau
    public let excess: [Excess]
    public let efficiency: Double
    /// The axis's tilt from a given plane normal (nil: the axis assumed normal to the interface).
    public let tilt: PlaneTilt?

    /// A step fit this poor (chi^2/dof above 3) means the profile is not a step between two
    /// phases: most often the species segregates to a layer at the interface, where the erf
    /// places the crossing and the plateaus wrongly (an independent check: the layer's element
    /// read 2.07 +- 0.60 against 4.0 atoms/nm^2 at chi^2/dof 3.58; a phase's element, 4.1).
    public var fitWarning: String? {
        guard fit.chiSquarePerDOF > 3 else { return nil }
        return String(format: "the erf step fits %@ poorly (chi^2/dof %.2f): if %@ segregates to a layer rather than changing with the phase, locate the interface with an element of one phase, or measure the layer in the segregation-layer mode", species, fit.chiSquarePerDOF, species)
    }

    public init(_ p: ConcentrationProfile, species: String, efficiency: Double = 1, plateauGap: Double? = nil,
                plateaus: PlateauRanges? = nil, planeNormal: SIMD3<Double>? = nil) throws {
        guard let e = p.elements.firstIndex(of: species) else {
            throw AtomProbeError.invalid("species \(species) is not in the range file (it has \(p.elements.joined(separator: ", ")))")
        }
        guard efficiency > 0 && efficiency <= 1 else { throw AtomProbeError.invalid("detection efficiency must be in (0, 1], got \(efficiency)") }
        let values = p.bins.indices.map { p.atPercent(e, bin: $0) }
        // Empty-ish bins: a floor on the counting error so a bin of 0 or 100 % still weighs finitely.
        let sig = p.bins.indices.map { b -> Double in
            let n = Double(p.bins[b].atoms)
            guard n > 0 else { return .nan }
            return max(values[b].sigma, 100 / n)
        }
        let fit = try InterfaceFit.fit(x: p.bins.map(\.distance), y: values.map(\.value), sigma: sig)
        // No step between two phases (the fit runs off the profile, or its step is within 3 sigma).
        let fitStepSigma = (pow(fit.lowSigma, 2) + pow(fit.highSigma, 2)).squareRoot()
        guard fit.crossing >= 0, fit.crossing <= p.region.length, !(fitStepSigma.isFinite && abs(fit.high - fit.low) <= 3 * fitStepSigma) else {
            throw AtomProbeError.invalid(String(format: "%@ shows no step between two phases along the profile (erf fit: %.2f and %.2f at.%%, crossing at %.3g nm of %.2f): no interface to locate; for a layer between equal phases use the layer mode of {excess}", species, fit.low, fit.high, fit.crossing, p.region.length))
        }
        let gap = plateauGap ?? max(1, 2 * fit.width1090)
        func plateau(_ bins: [ConcentrationProfile.Bin], from: Double, to: Double) throws -> Plateau {
            guard let q = Self.plateau(p, bins, from: from, to: to) else {
                throw AtomProbeError.invalid(String(format: "no atoms in the plateau from %.2f to %.2f nm: the profile must reach %.2g nm beyond the interface (fitted at %.2f nm) on both sides; lengthen it or give a smaller {plateau_gap}", from, to, gap, fit.crossing))
            }
            return q
        }
        let x0 = fit.crossing
        let ranges = plateaus ?? PlateauRanges(low: 0...max(0, x0 - gap), high: min(p.region.length, x0 + gap)...p.region.length)
        let low = try plateau(ranges.bins(p, ranges.low), from: ranges.low.lowerBound, to: ranges.low.upperBound)
        let high = try plateau(ranges.bins(p, ranges.high), from: ranges.high.lowerBound, to: ranges.high.upperBound)
        let step = abs(high.fraction[e] - low.fraction[e]), stepSigma = (pow(low.sigma[e], 2) + pow(high.sigma[e], 2)).squareRoot()
        guard step > 3 * stepSigma else {
            throw AtomProbeError.invalid(String(format: "%@ is the same on both sides of the profile (%.2f ± %.2f and %.2f ± %.2f at.%% in the plateaus): no step to locate an interface; for a layer between equal phases use the layer mode of {excess}", species, 100 * low.fraction[e], 100 * low.sigma[e], 100 * high.fraction[e], 100 * high.sigma[e]))
        }
        let tilt = try planeNormal.map { try PlaneTilt(axis: p.region.axis, normal: $0) }
        // Atoms before and after the dividing surface.
        var nLow = 0.0, nHigh = 0.0
        var perElement = [Int](repeating: 0, count: p.elements.count)
        // The plateaus' own bins add nothing to the excess (there the element's counts are c N
        // exactly, c being their ratio), so only the counts outside them carry counting noise.
        let plateauBins = Set((ranges.bins(p, ranges.low) + ranges.bins(p, ranges.high)).map(\.lower))
        var outside = [Int](repeating: 0, count: p.elements.count)
        for b in p.bins {
            for k in perElement.indices { perElement[k] += b.counts[k] }
            if !plateauBins.contains(b.lower) { for k in outside.indices { outside[k] += b.counts[k] } }
            let n = Double(b.atoms)
            if b.upper <= x0 { nLow += n } else if b.lower >= x0 { nHigh += n } else {
                let f = (x0 - b.lower) / max(b.upper - b.lower, 1e-300)
                nLow += f * n; nHigh += (1 - f) * n
            }
        }
        // The share of each side's atoms outside its plateau (raw counts; the corrected totals
        // below scale alike).
        let lowOutside = nLow > 0 ? max(0, 1 - Double(low.atoms) / nLow) : 0, highOutside = nHigh > 0 ? max(0, 1 - Double(high.atoms) / nHigh) : 0
        // With corrections (a fitted background, overlaps) the counts are corrected too, not only
        // the plateaus: N_i, N_low and N_high from the corrected compositions of the bins.
        var counted = perElement.map(Double.init)
        if let all = p.correctedComposition(of: p.bins) {
            func atoms(_ bins: [ConcentrationProfile.Bin]) -> Double {
                guard !bins.isEmpty, let c = p.correctedComposition(of: bins) else { return 0 }
                return c.entries.reduce(0.0) { $0 + $1.estimate }
            }
            let straddling = p.bins.filter { $0.lower < x0 && $0.upper > x0 }
            let f = straddling.first.map { (x0 - $0.lower) / max($0.upper - $0.lower, 1e-300) } ?? 0
            let split = atoms(straddling)
            nLow = atoms(p.bins.filter { $0.upper <= x0 }) + f * split
            nHigh = atoms(p.bins.filter { $0.lower >= x0 }) + (1 - f) * split
            counted = p.elements.map { all[$0]?.estimate ?? 0 }
        }
        // Per nm^2 of the plane: the layer crosses the cylinder over A / cos(tilt).
        let scale = p.region.area * efficiency / (tilt?.cosine ?? 1)
        excess = p.elements.indices.map { k in
            let expected = low.fraction[k] * nLow + high.fraction[k] * nHigh
            // Poisson counting of the atoms detected in the element's ranges outside the plateaus
            // (background included), and the plateaus' errors over the atoms outside them.
            let variance = Double(outside[k]) + pow(lowOutside * nLow * low.sigma[k], 2) + pow(highOutside * nHigh * high.sigma[k], 2)
            return Excess(element: p.elements[k], atomsPerNm2: (counted[k] - expected) / scale,
                          sigma: variance.squareRoot() / scale, measured: perElement[k], expected: expected)
        }
        self.species = species
        self.fit = fit
        self.low = low
        self.high = high
        self.efficiency = efficiency
        self.tilt = tilt
    }

    /// A side's composition from its bins (nil when they hold no atoms): corrected when the
    /// profile has corrections.
    static func plateau(_ p: ConcentrationProfile, _ bins: [ConcentrationProfile.Bin], from: Double, to: Double) -> Plateau? {
        var counts = [Int](repeating: 0, count: p.elements.count)
        var ions = [Int](repeating: 0, count: p.atomsPerType.count)
        for b in bins {
            for k in counts.indices { counts[k] += b.counts[k] }
            for k in ions.indices { ions[k] += b.ions[k] }
        }
        let n = counts.reduce(0, +)
        guard n > 0 else { return nil }
        if let c = p.correctedComposition(of: bins) {
            return Plateau(from: from, to: to, atoms: n, fraction: p.elements.map { c[$0]?.fraction ?? 0 }, sigma: p.elements.map { c[$0]?.sigma ?? 0 })
        }
        let f = counts.map { Double($0) / Double(n) }
        let sigma = p.elements.indices.map { Composition.atomicFraction(of: $0, ionCounts: ions, atomsPerType: p.atomsPerType, errors: p.errors)?.sigma ?? 0 }
        return Plateau(from: from, to: to, atoms: n, fraction: f, sigma: sigma)
    }
}
