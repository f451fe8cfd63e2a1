import Foundation
import AtomProbe
import KitFoundation

/// A segregation layer in a 1D profile: a peak of one element between plateaus of the same phase
/// (a grain boundary), where an erf step cannot describe the profile. Its Gibbsian interfacial
/// excess of every element comes from the cumulative (ladder) diagram of Krakauer and Seidman:
///
/// - the ladder: after each bin, the atoms of the element counted so far (Y) against all atoms
///   counted so far (X); a plateau is a straight line of slope c (its composition), the layer a
///   vertical step;
/// - a straight line is fitted (least squares) to the ladder's points in each plateau: the bins
///   entirely before `position - gap` and entirely after `position + gap`, with the layer found
///   by a Gaussian peak fit (`PeakFit`) and gap = `plateauGap` (default twice its FWHM, at least
///   1 nm), or the bins inside two given ranges;
/// - the excess is the vertical offset between the two lines at the layer, X* = the atoms before
///   its position (a bin straddling it split by length):
///       Gamma_i = [L_high(X*) - L_low(X*)] / (A eta)
///   with A the cross-section and eta the detection efficiency (1: detected atoms). The lines of
///   all elements add up to the line of all atoms, so sum_i Gamma_i = 0.
///
/// Counts are the corrected ones with background or overlap corrections (as the step's excess).
/// One-sigma error: the offset is a function of every bin's counts; each bin's detected atoms
/// of each element are taken as independent Poisson counts and propagated to first order through
/// both line fits and X*: sigma^2 = sum_k [(g_k + h_k)^2 n_ik + h_k^2 (n_k - n_ik)] / (A eta)^2,
/// g_k the offset's derivative by the element's atoms of bin k, h_k by any atom of bin k. For a
/// solute of fraction c between the plateaus this reads (1 - c) n_i, binomial-like. The
/// background model's own uncertainty, and atoms of one molecular ion moving together, are left out.
/// With a plane normal the excess is per nm^2 of the plane: x cos(tilt) (`PlaneTilt`).
public struct SegregationLayer: Sendable {
    public let species: String
    /// The layer's peak in the species' at.% (nil when plateau ranges were given and no peak fits).
    public let fit: PeakFit?
    /// Where the ladder's offset is read (nm along the axis): the peak's centre, or with given
    /// ranges and no peak, halfway between them.
    public let position: Double
    public let low: InterfaceAnalysis.Plateau, high: InterfaceAnalysis.Plateau
    public let excess: [InterfaceAnalysis.Excess]
    public let efficiency: Double
    public let tilt: PlaneTilt?
    /// True when the plateaus were given, false when found from the peak.
    public let plateausGiven: Bool
    /// Fewest bins a plateau needs for its ladder line.
    public static let minimumPlateauBins = 3

    public init(_ p: ConcentrationProfile, species: String, efficiency: Double = 1, plateauGap: Double? = nil,
                plateaus given: PlateauRanges? = nil, planeNormal: SIMD3<Double>? = nil) throws {
        guard let e = p.elements.firstIndex(of: species) else {
            throw AtomProbeError.invalid("species \(species) is not in the range file (it has \(p.elements.joined(separator: ", ")))")
        }
        guard efficiency > 0 && efficiency <= 1 else { throw AtomProbeError.invalid("detection efficiency must be in (0, 1], got \(efficiency)") }
        let tilt = try planeNormal.map { try PlaneTilt(axis: p.region.axis, normal: $0) }
        let values = p.bins.indices.map { p.atPercent(e, bin: $0) }
        let sig = p.bins.indices.map { b -> Double in
            let n = Double(p.bins[b].atoms)
            return n > 0 ? max(values[b].sigma, 100 / n) : .nan
        }
        let fit: PeakFit?
        let ranges: PlateauRanges, position: Double
        if let given {
            fit = try? PeakFit.fit(x: p.bins.map(\.distance), y: values.map(\.value), sigma: sig)
            let inner = given.low.upperBound...given.high.lowerBound
            position = fit.map(\.center).flatMap { inner.contains($0) ? $0 : nil } ?? (inner.lowerBound + inner.upperBound) / 2
            ranges = given
        } else {
            let f = try PeakFit.fit(x: p.bins.map(\.distance), y: values.map(\.value), sigma: sig)
            let gap = plateauGap ?? max(1, 2 * f.fwhm)
            fit = f; position = f.center
            ranges = PlateauRanges(low: 0...max(0, f.center - gap), high: min(p.region.length, f.center + gap)...p.region.length)
        }
        // The ladder's points (after each bin) in each plateau.
        let inLow = p.bins.map { $0.lower >= ranges.low.lowerBound - 1e-9 && $0.upper <= ranges.low.upperBound + 1e-9 && $0.atoms > 0 }
        let inHigh = p.bins.map { $0.lower >= ranges.high.lowerBound - 1e-9 && $0.upper <= ranges.high.upperBound + 1e-9 && $0.atoms > 0 }
        let nLow = inLow.filter { $0 }.count, nHigh = inHigh.filter { $0 }.count
        guard nLow >= Self.minimumPlateauBins, nHigh >= Self.minimumPlateauBins else {
            throw AtomProbeError.invalid(String(format: "the profile does not extend past the layer (at %.2f nm) on both sides: its plateaus from %.2f to %.2f and from %.2f to %.2f nm hold %d and %d bins with atoms (at least %d each); lengthen the profile across the layer, or give a smaller {plateau_gap} or other {plateau_ranges}",
                                                position, ranges.low.lowerBound, ranges.low.upperBound, ranges.high.lowerBound, ranges.high.upperBound, nLow, nHigh, Self.minimumPlateauBins))
        }
        guard let low = InterfaceAnalysis.plateau(p, p.bins.indices.filter { inLow[$0] }.map { p.bins[$0] }, from: ranges.low.lowerBound, to: ranges.low.upperBound),
              let high = InterfaceAnalysis.plateau(p, p.bins.indices.filter { inHigh[$0] }.map { p.bins[$0] }, from: ranges.high.lowerBound, to: ranges.high.upperBound)
        else { throw AtomProbeError.invalid("no atoms in the plateaus") }
        // Atoms per bin and element: corrected with corrections, detected otherwise.
        let nE = p.elements.count
        let atoms: [[Double]] = p.bins.indices.map { b in
            guard let c = p.composition(bin: b) else { return p.bins[b].counts.map(Double.init) }
            return p.elements.map { c[$0]?.estimate ?? 0 }
        }
        let totals = atoms.map { $0.reduce(0, +) }
        var X: [Double] = [], run = 0.0
        for t in totals { run += t; X.append(run) }
        // The share of each bin before the layer's position, and X* (atoms before it).
        let before = p.bins.map { b in min(1, max(0, (position - b.lower) / max(b.upper - b.lower, 1e-300))) }
        let xStar = zip(before, totals).reduce(0.0) { $0 + $1.0 * $1.1 }
        // Each line's value at X* is sum_j u_j Y_j over its points j; W(k) = sum_{j in line, j >= k} u_j
        // is that value's derivative by the element's atoms in bin k.
        func line(_ member: [Bool]) -> (u: [Double], W: [Double]) {
            let idx = p.bins.indices.filter { member[$0] }
            let m = Double(idx.count), mean = idx.reduce(0.0) { $0 + X[$1] } / m
            let sxx = idx.reduce(0.0) { $0 + pow(X[$1] - mean, 2) }
            var u = [Double](repeating: 0, count: p.bins.count)
            for j in idx { u[j] = 1 / m + (sxx > 0 ? (X[j] - mean) * (xStar - mean) / sxx : 0) }
            var W = u, acc = 0.0
            for k in stride(from: u.count - 1, through: 0, by: -1) { acc += u[k]; W[k] = acc }
            return (u, W)
        }
        let (uLow, wLow) = line(inLow), (uHigh, wHigh) = line(inHigh)
        // The slope of a line: the least-squares slope over its points.
        func slope(_ member: [Bool], _ Y: [Double]) -> Double {
            let idx = p.bins.indices.filter { member[$0] }
            let mx = idx.reduce(0.0) { $0 + X[$1] } / Double(idx.count), my = idx.reduce(0.0) { $0 + Y[$1] } / Double(idx.count)
            let sxx = idx.reduce(0.0) { $0 + pow(X[$1] - mx, 2) }
            return sxx > 0 ? idx.reduce(0.0) { $0 + (X[$1] - mx) * (Y[$1] - my) } / sxx : 0
        }
        let between = p.bins.indices.filter { k in !inLow[k] && !inHigh[k] && p.bins[k].lower >= ranges.low.upperBound - 1e-9 && p.bins[k].upper <= ranges.high.lowerBound + 1e-9 }
        let scale = p.region.area * efficiency / (tilt?.cosine ?? 1)
        excess = (0..<nE).map { i in
            var Y: [Double] = [], acc = 0.0
            for k in p.bins.indices { acc += atoms[k][i]; Y.append(acc) }
            let offset = p.bins.indices.reduce(0.0) { $0 + (uHigh[$1] - uLow[$1]) * Y[$1] }
            let bLow = slope(inLow, Y), bHigh = slope(inHigh, Y)
            var variance = 0.0
            for k in p.bins.indices {
                let g = wHigh[k] - wLow[k]
                let h = -(bHigh * wHigh[k] - bLow * wLow[k]) + (bHigh - bLow) * before[k]
                let ni = Double(p.bins[k].counts[i]), n = Double(p.bins[k].atoms)
                variance += (g + h) * (g + h) * ni + h * h * (n - ni)
            }
            let measured = between.reduce(0) { $0 + p.bins[$1].counts[i] }
            let counted = between.reduce(0.0) { $0 + atoms[$1][i] }
            return InterfaceAnalysis.Excess(element: p.elements[i], atomsPerNm2: offset / scale, sigma: variance.squareRoot() / scale,
                                            measured: measured, expected: counted - offset)
        }
        self.species = species
        self.fit = fit
        self.position = position
        self.low = low
        self.high = high
        self.efficiency = efficiency
        self.tilt = tilt
        plateausGiven = given != nil
    }
}
