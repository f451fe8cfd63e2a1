import Foundation
import AtomProbe
import KitFoundation

/// Ranges made from the spectrum alone (issue 24, `atomprobe autorange`): peaks found as
/// significant excesses over the fitted background (`PeakDetection`), their shape measured
/// (`PeakShape`), identified as a parsimonious non-negative mixture of the isotope patterns of
/// every ion the listed elements can make (`CandidateIons`, `PatternMixture`), and given
/// non-overlapping windows (`WidthRule`), each with a record of how it was made.
///
/// A detected peak is ranged to the chosen ion that puts most counts in it; it is listed as
/// unexplained when no chosen ion has a peak there or the chosen ions explain less than 5 % of its
/// counts above background. Other chosen ions with counts in a window are its `overlaps` (the
/// deconvolution moves them). Limits: ions with the same m/n and pattern cannot be told apart
/// (N+ and Si2+ at 14 Da differ only by 15N/29Si peaks; O+ and O2 2+ at 16 Da; CO2+ and Si2+);
/// an element left out of the list makes its peaks unexplained or misnamed; a human decides then.
public struct AutomaticRanges: Sendable {
    /// How a peak's window is drawn.
    public enum WidthRule: String, Sendable, CaseIterable {
        /// Each side ends where the fitted peak (core, and tail on the high side) falls to the
        /// local background density, at least 2 and at most 5 sigma (tail: at most 5 decay lengths).
        case background
        /// A fixed multiple of the measured shape: 4 sigma each side, the tail to 4 decay lengths.
        case shape
    }

    public struct Settings: Sendable {
        public var elements: [String]
        public var maxAtoms = 3
        public var charges = 1...4
        public var widthRule = WidthRule.background
        public var minSignificance = 5.0
        /// Also try molecular ions at the charges `CandidateIons.isPlausible` leaves out.
        public var highChargeMolecules = false
        public init(elements: [String]) { self.elements = elements }

        /// Charges written "1-4" or "2".
        public static func charges(_ text: String) throws -> ClosedRange<Int> {
            let ends = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard (1...2).contains(ends.count), let lo = ends[0], let hi = ends.last!, lo >= 1, hi <= 4, lo <= hi else {
                throw AtomProbeError.invalid("charges", "needs LOW-HIGH within 1-4, e.g. 1-4, got \"\(text.escapedForOneLine)\"")
            }
            return lo...hi
        }

        public func checked() throws -> Settings {
            try Validation.require([
                (minSignificance.isFinite && minSignificance >= 2 && minSignificance <= 100, "min_significance", "must be 2-100 (sigma), got \(minSignificance)"),
                (charges.lowerBound >= 1 && charges.upperBound <= 4, "charges", "must lie within 1-4, got \(charges.lowerBound)-\(charges.upperBound)"),
                ((1...CandidateIons.maxAtomsLimit).contains(maxAtoms), "max_atoms", "must be 1-\(CandidateIons.maxAtomsLimit), got \(maxAtoms)"),
            ])
            var s = self
            s.elements = try CandidateIons.checkedElements(elements)
            return s
        }
    }

    /// Another ion's expected counts inside a range.
    public struct Overlap: Sendable {
        public var ion: IonType
        public var charge: Int
        public var counts: Double
        /// Its share of the window's counts.
        public var share: Double
    }

    /// One range and its record.
    public struct Range: Sendable {
        public var low: Double
        public var high: Double
        public var ion: IonType
        public var charge: Int
        public var peak: Double
        public var counts: Double
        public var backgroundCounts: Double
        /// Share of the window's counts expected from its own ion (background included in the total).
        public var purity: Double
        public var significance: Double
        public var overlaps: [Overlap]
    }

    public struct UnexplainedPeak: Sendable {
        public var massToCharge: Double
        public var counts: Double
        public var significance: Double
    }

    public let settings: Settings
    public let ranges: [Range]
    public let unexplained: [UnexplainedPeak]
    public let shape: PeakShape
    public let background: MassSpectrumBackground?
    /// The chosen ions with their fitted numbers of ions (whole pattern).
    public let ions: [(label: String, ions: Double)]
    public let candidatesTried: Int
    public let peaksFound: Int

    /// The ranges as a table every command reads (ions in order of first range). With
    /// `sharedPeaks`, the ions found in other ions' ranges are in it too (after those owning
    /// ranges), for the deconvolution, when they hold at least `sharedPeakMinimumShare` of the
    /// range where they have most counts: an ion with no clean range is estimated from what its
    /// range holds beyond the owner, which magnifies the owner's errors (30x for 28Si+ from
    /// 30Si+), so a trace the fit put there is left alone. A range file cannot hold them
    /// (ranges.json lists them).
    public func table(sharedPeaks: Bool = false) throws -> RangeTable {
        var ionTypes: [IonType] = []
        var out: [MassRange] = []
        func index(_ ion: IonType) -> Int { ionTypes.firstIndex(of: ion) ?? { ionTypes.append(ion); return ionTypes.count - 1 }() }
        for r in ranges {
            let k = index(r.ion)
            var range = MassRange(low: r.low, high: r.high, ionIndex: k, volume: 0, color: Self.colors[k % Self.colors.count])
            range.purity = r.purity
            out.append(range)
        }
        var shared: [RangeTable.SharedPeak] = []
        if sharedPeaks {
            // Each recorded ion where it has most counts: kept when it is a real part of that range.
            func key(_ o: Overlap) -> String { "\(o.ion.name) \(o.charge)" }
            var most: [String: Overlap] = [:]
            for r in ranges { for o in r.overlaps where o.counts > (most[key(o)]?.counts ?? 0) { most[key(o)] = o } }
            for r in ranges { for o in r.overlaps where most[key(o)]?.share ?? 0 >= Self.sharedPeakMinimumShare {
                let p = RangeTable.SharedPeak(ionIndex: index(o.ion), charge: o.charge)
                if !shared.contains(p) { shared.append(p) }
            } }
        }
        var table = try RangeTable(ions: ionTypes, ranges: out)
        table.sharedPeaks = shared
        return table
    }

    /// Least share of a range an ion found in it must hold to be handed to the deconvolution.
    public static let sharedPeakMinimumShare = 0.05

    static let colors = ["1F77B4", "D62728", "2CA02C", "FF7F0E", "9467BD", "8C564B", "E377C2", "7F7F7F", "BCBD22", "17BECF"]

    /// Ranges `spectrum` (of `ions` ions). Throws, naming the cause, when there is nothing to range:
    /// no peak above the background, a spectrum of one m/n value, or no peak the elements explain.
    public init(_ spectrum: MassSpectrum, ionsInSpectrum: Int, settings given: Settings) throws {
        let settings = try given.checked()
        let candidates = try CandidateIons.enumerate(elements: settings.elements, maxAtoms: settings.maxAtoms, charges: settings.charges,
                                                     highChargeMolecules: settings.highChargeMolecules)
        let h = spectrum.counts, w = spectrum.binWidth
        let total = h.reduce(0, +)
        guard total > 0 else { throw AtomProbeError.invalid("the spectrum holds no ions") }
        if let top = h.max(), Double(top) >= 0.99 * Double(total), total >= 100 {
            throw AtomProbeError.invalid(String(format: "%d of %d ions lie in one %g Da bin at %.4f Da: a spectrum of one m/n value has no peak shape and cannot be ranged",
                                                top, total, w, spectrum.start + (Double(h.firstIndex(of: top)!) + 0.5) * w))
        }
        let last = spectrum.start + Double((h.lastIndex { $0 > 0 } ?? 0) + 1) * w
        var prefix = [Double](repeating: 0, count: h.count + 1)
        for i in h.indices { prefix[i + 1] = prefix[i] + Double(h[i]) }
        func count(_ lo: Double, _ hi: Double) -> Double {
            func at(_ m: Double) -> Double {
                let x = min(max((m - spectrum.start) / w, 0), Double(h.count))
                let b = min(Int(x), h.count - 1)
                return prefix[b] + (x - Double(b)) * Double(h[b])
            }
            return at(hi) - at(lo)
        }
        // Background: first fitted with every block far above it rejected, then between the peaks.
        var background = Self.fitBackground(spectrum, windows: [], last: last, ions: ionsInSpectrum)
        var shape = PeakShape.initialGuess
        var peaks: [DetectedPeak] = []
        for _ in 0..<3 {
            let bg = background
            peaks = PeakDetection.detect(spectrum, shape: shape, background: { bg?.density(at: $0) ?? 0 }, minSignificance: settings.minSignificance)
            shape = PeakShape.estimate(spectrum, peaks: peaks.map(\.centre), guess: shape, background: { bg?.density(at: $0) ?? 0 })
            let provisional = peaks.map { p -> ClosedRange<Double> in
                let (l, u) = shape.extent(p.centre, loss: 1e-3)
                return (p.centre - l)...(p.centre + u)
            }
            background = Self.fitBackground(spectrum, windows: provisional, last: last, ions: ionsInSpectrum) ?? background
        }
        let bg = background
        let density: (Double) -> Double = { bg?.density(at: $0) ?? 0 }
        peaks = PeakDetection.detect(spectrum, shape: shape, background: density, minSignificance: settings.minSignificance)
        guard !peaks.isEmpty else {
            throw AtomProbeError.invalid("min_significance", String(format: "no peak stands out of the background by %g sigma: nothing to range", settings.minSignificance))
        }
        // One peak has no isotope pattern, charge state or neighbour to be identified by (27 Da is
        // Al+ or Al2 2+ or a calibration off 0.1 %); a measured spectrum always has more.
        guard peaks.count > 1 else {
            throw AtomProbeError.invalid("min_significance", String(format: "only one peak (at %.2f Da) stands out of the background by %g sigma: one peak cannot be identified from the spectrum; range it by hand", peaks[0].centre, settings.minSignificance))
        }
        func backgroundCounts(_ lo: Double, _ hi: Double) -> Double { bg.map { max(0, $0.expected(max(lo, 1e-9), max(hi, 1e-9)).count) } ?? 0 }
        let windows = Self.windows(peaks, shape: shape, rule: settings.widthRule, spectrum: spectrum, density: density, count: count)
        let cells = zip(windows, peaks.indices).map { wnd, k in
            PatternMixture.Cell(low: wnd.0, high: wnd.1, counts: count(wnd.0, wnd.1), background: backgroundCounts(wnd.0, wnd.1), peak: k, centre: peaks[k].centre)
        }
        let mixture = PatternMixture(windows: cells, candidates: candidates, shape: shape, minSignificance: settings.minSignificance,
                                     count: count, background: backgroundCounts)
        var ranges: [Range] = [], unexplained: [UnexplainedPeak] = []
        for (j, cell) in mixture.windows.enumerated() {
            guard let k = cell.peak else { continue }
            let contributions = mixture.chosen.map { (c: $0, n: mixture.contribution($0, window: j)) }.filter { $0.n > 0 }
            let explained = contributions.reduce(0) { $0 + $1.n }
            let net = cell.counts - cell.background
            guard let own = contributions.max(by: { $0.n < $1.n }), explained >= 0.05 * net else {
                unexplained.append(UnexplainedPeak(massToCharge: peaks[k].centre, counts: cell.counts, significance: peaks[k].significance))
                continue
            }
            let all = explained + cell.background
            let overlaps = contributions.filter { $0.c != own.c && $0.n >= 1e-3 * all }.sorted { $0.n > $1.n }.map {
                Overlap(ion: candidates[$0.c].ion, charge: candidates[$0.c].charge, counts: $0.n, share: $0.n / max(all, 1e-12))
            }
            ranges.append(Range(low: cell.low, high: cell.high, ion: candidates[own.c].ion, charge: candidates[own.c].charge, peak: peaks[k].centre,
                                counts: cell.counts, backgroundCounts: cell.background, purity: own.n / max(all, 1e-12),
                                significance: peaks[k].significance, overlaps: overlaps))
        }
        guard !ranges.isEmpty else {
            throw AtomProbeError.invalid("elements", "explain none of the \(peaks.count) peak(s) found (at " +
                peaks.prefix(5).map { String(format: "%.2f", $0.centre) }.joined(separator: ", ") + (peaks.count > 5 ? ", ..." : "") + " Da): no range is made; list the specimen's elements")
        }
        self.settings = settings
        self.ranges = ranges
        self.unexplained = unexplained
        self.shape = shape
        self.background = background
        ions = mixture.chosen.map { (candidates[$0].label, mixture.amplitudes[$0] ?? 0) }.sorted { $0.1 > $1.1 }
        candidatesTried = candidates.count
        peaksFound = peaks.count
    }

    /// The constant + time-of-flight background fitted between `windows` (nil when it cannot be fitted).
    static func fitBackground(_ spectrum: MassSpectrum, windows: [ClosedRange<Double>], last: Double, ions: Int) -> MassSpectrumBackground? {
        let sorted = windows.sorted { $0.lowerBound < $1.lowerBound }
        let lowest = max(0.5, spectrum.start)
        guard last > lowest + 1 else { return nil }
        let table = (try? RangeTable(ions: [IonType(name: "peak", atoms: [])],
                                     ranges: sorted.map { MassRange(low: $0.lowerBound, high: $0.upperBound, ionIndex: 0) }, allowOverlaps: true))
        guard let table else { return nil }
        for shape in [MassSpectrumBackground.Shape.constantPlusTOF, .tof] {
            if let b = try? MassSpectrumBackground.fit(spectrum, table: table, shape: shape, windows: [lowest...last], ionsInSpectrum: ions),
               b.coefficients.allSatisfy({ $0.isFinite }), (0..<20).allSatisfy({ b.density(at: lowest + Double($0) * (last - lowest) / 19) >= 0 }) {
                return b
            }
        }
        return nil
    }

    /// Non-overlapping windows by the rule; two windows that would overlap are split at the
    /// lowest point of the counts between the two peaks.
    static func windows(_ peaks: [DetectedPeak], shape: PeakShape, rule: WidthRule, spectrum: MassSpectrum,
                        density: (Double) -> Double, count: (Double, Double) -> Double) -> [(Double, Double)] {
        var out: [(Double, Double)] = peaks.map { p in
            let c = p.centre, s = shape.sigma(c), lambda = shape.tailLength(c), r = shape.tailFraction
            switch rule {
            case .shape:
                return (c - 4 * s, c + max(4 * s, r > 0 ? 4 * lambda : 0))
            case .background:
                let area = max(p.counts - p.background, 1) / 0.76  // one FWHM holds 76 % of a Gaussian
                let b = max(density(c), 1e-12)
                let z = min(5, max(2, (2 * log(max(area * (1 - r) / (s * (2 * Double.pi).squareRoot() * b), 1))).squareRoot()))
                let tail = r > 0 ? min(5 * lambda, max(0, lambda * log(max(area * r / (lambda * b), 1)))) : 0
                return (c - z * s, c + max(z * s, tail))
            }
        }
        let w = spectrum.binWidth
        for k in out.indices.dropLast() where out[k].1 > out[k + 1].0 {
            // Lowest count between the centres, in steps of a bin (sums over one bin).
            let a = peaks[k].centre, b = peaks[k + 1].centre
            var best = (a + b) / 2, lowest = Double.infinity
            var m = a
            while m < b {
                let n = count(m, m + w)
                if n < lowest { lowest = n; best = m + w / 2 }
                m += w
            }
            out[k].1 = best
            out[k + 1].0 = best
        }
        return out.map { (max(0, $0.0), $0.1) }
    }
}
