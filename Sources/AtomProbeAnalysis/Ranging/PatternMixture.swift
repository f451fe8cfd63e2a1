import Foundation
import KitFoundation

/// Detected peaks explained as a non-negative mixture of candidate isotope patterns (issue 24).
///
/// The spectrum is cut into cells: the window of every detected peak, and a "predicted" cell
/// (+-2 sigma) at every place where a candidate puts at least 1 % of its ions and no peak was
/// found, so a candidate pays for the peaks it predicts and the data lack. A predicted place inside
/// a detected peak's window but off its centre (TaMo 3+ at 92.33 Da in the window of W 2+ at
/// 92.0 Da) is carved out of the window, so that the window's counts say where in it they are.
/// A cell holds N counts,
/// B of them expected from the background; candidate c puts a share S_cj of its ions in cell j
/// (its isotope pattern at the measured `PeakShape`). With amplitudes a_c >= 0 (ions of c) the
/// cell expects mu_j = B_j + sum_c a_c S_cj, and the Poisson log-likelihood is
/// L = sum_j N_j ln mu_j - mu_j.
///
/// The ions are then chosen by `select` (PatternSelection.swift): stepwise, BIC-like, with
/// the simpler ion preferred where the data cannot tell, and no ion whose pattern the data contradict.
public struct PatternMixture: Sendable {
    public struct Cell: Sendable {
        public var low: Double
        public var high: Double
        public var counts: Double
        public var background: Double
        /// The detected peak whose centre this cell holds (nil: not a peak's centre) and the centre.
        public var peak: Int?
        public var centre: Double?
        /// The window (index into `windows`) this cell is a piece of (nil: outside every window).
        public var window: Int? = nil
        /// A place where a candidate predicts a peak and none was found.
        public var predicted = false
    }

    /// How far a predicted isotope peak may lie from a detected peak's centre and still be
    /// taken as that peak (a real spectrum's calibration may be off by a few 0.1 %): max(2 sigma,
    /// 0.5 % of m/n), at most 0.1 Da (less than half the spacing of a 4+ ion's isotopes above 20 Da).
    public static func tolerance(_ m: Double, _ shape: PeakShape) -> Double { min(0.1, max(2 * shape.sigma(m), 0.005 * m)) }

    public let cells: [Cell]
    /// The detected peaks' windows as given, and the cells each is cut into.
    public let windows: [Cell]
    let windowCells: [[Int]]
    public let candidates: [CandidateIon]
    /// Per candidate, its cells and shares.
    let shares: [[(cell: Int, share: Double)]]
    /// The chosen candidates (indices) and their amplitudes (ions).
    public let chosen: [Int]
    public let amplitudes: [Int: Double]
    public let logLikelihood: Double
    public let penalty: Double

    /// Expected counts of candidate c in window k.
    public func contribution(_ c: Int, window k: Int) -> Double {
        guard let a = amplitudes[c] else { return 0 }
        return a * shares[c].reduce(0) { windowCells[k].contains($1.cell) ? $0 + $1.share : $0 }
    }

    /// - Parameters:
    ///   - windows: the detected peaks' windows (sorted, not overlapping), with their counts and background.
    ///   - count: counts of the spectrum in [lo, hi); background: expected background counts there.
    public init(windows: [Cell], candidates: [CandidateIon], shape: PeakShape, minSignificance: Double,
                count: (Double, Double) -> Double, background: (Double, Double) -> Double) {
        /// The first window ending above m (windows are sorted and disjoint).
        func firstWindow(endingAbove m: Double) -> Int {
            var lo = 0, hi = windows.count
            while lo < hi { let mid = (lo + hi) / 2; if windows[mid].high <= m { lo = mid + 1 } else { hi = mid } }
            return lo
        }
        func detectedCell(_ m: Double) -> Int? {
            let k = firstWindow(endingAbove: m)
            return k < windows.count && windows[k].low <= m ? k : nil
        }
        let centres = windows.compactMap(\.centre)
        /// A predicted m/n moved onto the nearest detected peak's centre within the tolerance.
        func snapped(_ m: Double) -> Double {
            var lo = 0, hi = centres.count
            while lo < hi { let mid = (lo + hi) / 2; if centres[mid] < m { lo = mid + 1 } else { hi = mid } }
            let near = [lo - 1, lo].filter { centres.indices.contains($0) }.map { centres[$0] }.min { abs($0 - m) < abs($1 - m) }
            guard let c = near, abs(c - m) <= Self.tolerance(m, shape) else { return m }
            return c
        }
        // Predicted places without a peak: in the gaps (clipped to them), or carved out of a
        // window (clear of its centre's tolerance).
        var phantoms: [(Double, Double)] = []
        var carves = [[(Double, Double)]](repeating: [], count: windows.count)
        for c in candidates {
            for p in c.pattern.peaks where p.abundance >= 0.01 && snapped(p.massToCharge) == p.massToCharge {
                let m = p.massToCharge, s = shape.sigma(m)
                var lo = m - 2 * s, hi = m + 2 * s
                if let k = detectedCell(m) {
                    let w = windows[k], centre = w.centre ?? (w.low + w.high) / 2, tol = Self.tolerance(centre, shape)
                    if m > centre { lo = max(lo, centre + tol); hi = min(hi, w.high) } else { lo = max(lo, w.low); hi = min(hi, centre - tol) }
                    if hi > lo { carves[k].append((lo, hi)) }
                    continue
                }
                // Clip to the gap around the peak.
                let k = firstWindow(endingAbove: m)
                if k > 0 { lo = max(lo, windows[k - 1].high) }
                if k < windows.count { hi = min(hi, windows[k].low) }
                if hi > lo, lo > 0 { phantoms.append((lo, hi)) }
            }
        }
        var cells: [Cell] = []
        for (lo, hi) in Self.merged(phantoms) {
            cells.append(Cell(low: lo, high: hi, counts: count(lo, hi), background: background(lo, hi), peak: nil, predicted: true))
        }
        for (k, w) in windows.enumerated() {
            guard !carves[k].isEmpty else { var whole = w; whole.window = k; cells.append(whole); continue }
            // The window cut at the carved places: pieces that are carved, and the rest.
            var edges: [(Double, Double, Bool)] = [], at = w.low
            for (lo, hi) in Self.merged(carves[k]) {
                if lo > at { edges.append((at, lo, false)) }
                edges.append((lo, hi, true))
                at = hi
            }
            if w.high > at { edges.append((at, w.high, false)) }
            for (lo, hi, carved) in edges {
                let holds = !carved && w.centre.map { lo <= $0 && $0 < hi } == true
                cells.append(Cell(low: lo, high: hi, counts: count(lo, hi), background: background(lo, hi),
                                  peak: holds ? w.peak : nil, centre: holds ? w.centre : nil, window: k, predicted: carved))
            }
        }
        cells.sort { $0.low < $1.low }
        let lows = cells.map(\.low)
        // Shares of every candidate in the cells near its peaks.
        var shares: [[(cell: Int, share: Double)]] = []
        for c in candidates {
            var row: [Int: Double] = [:]
            for p in c.pattern.peaks {
                let m = snapped(p.massToCharge)
                let (dl, dh) = shape.extent(m, loss: 1e-4)
                var j = Self.firstCell(lows, m - dl) 
                while j < cells.count, cells[j].low < m + dh {
                    let f = shape.share(centre: m, cells[j].low, cells[j].high) * p.abundance
                    if f > 1e-7 { row[j, default: 0] += f }
                    j += 1
                }
            }
            shares.append(row.sorted { $0.key < $1.key }.map { (cell: $0.key, share: $0.value) })
        }
        let total = cells.reduce(0) { $0 + $1.counts }
        let penalty = max(log(max(total, 2)), minSignificance * minSignificance)
        let fit = Self.select(cells: cells, shares: shares, penalty: penalty, candidates: candidates, shape: shape,
                              minSignificance: minSignificance)
        self.cells = cells
        self.windows = windows
        var windowCells = [[Int]](repeating: [], count: windows.count)
        for (j, cell) in cells.enumerated() { if let k = cell.window { windowCells[k].append(j) } }
        self.windowCells = windowCells
        self.candidates = candidates
        self.shares = shares
        chosen = fit.chosen
        amplitudes = fit.amplitudes
        logLikelihood = fit.logLikelihood
        self.penalty = penalty
    }

    /// Intervals sorted and merged where they touch or overlap.
    static func merged(_ intervals: [(Double, Double)]) -> [(Double, Double)] {
        var out: [(Double, Double)] = []
        for p in intervals.sorted(by: { $0.0 < $1.0 }) {
            if let last = out.last, p.0 <= last.1 { out[out.count - 1].1 = max(last.1, p.1) } else { out.append(p) }
        }
        return out
    }

    /// The first cell that may reach m (cells are sorted and disjoint).
    static func firstCell(_ lows: [Double], _ m: Double) -> Int {
        var lo = 0, hi = lows.count
        while lo < hi { let mid = (lo + hi) / 2; if lows[mid] < m { lo = mid + 1 } else { hi = mid } }
        return max(0, lo - 1)
    }

    typealias Shares = [[(cell: Int, share: Double)]]

    static func logLikelihood(_ cells: [Cell], _ mu: [Double]) -> Double {
        var l = 0.0
        for (c, m) in zip(cells, mu) { let u = max(m, 1e-12); l += c.counts * log(u) - u }
        return l
    }

    static func expected(_ cells: [Cell], _ shares: Shares, _ a: [Int: Double]) -> [Double] {
        var mu = cells.map { max($0.background, 1e-9) }
        for (c, amp) in a { for s in shares[c] { mu[s.cell] += amp * s.share } }
        return mu
    }

    /// EM (multiplicative) refit of the amplitudes of `active`.
    static func refit(_ cells: [Cell], _ shares: Shares, _ start: [Int: Double]) -> [Int: Double] {
        var a = start
        for _ in 0..<4000 {
            let mu = expected(cells, shares, a)
            var change = 0.0
            var next = a
            for (c, amp) in a {
                var num = 0.0, den = 0.0
                for s in shares[c] { num += s.share * cells[s.cell].counts / mu[s.cell]; den += s.share }
                guard den > 0 else { next[c] = 0; continue }
                let v = amp * num / den
                change = max(change, abs(v - amp) / max(amp, 1))
                next[c] = v
            }
            a = next
            if change < 1e-6 { break }
        }
        return a
    }

    /// The best amplitude of one more candidate with the rest fixed, and the gain in L.
    static func oneMore(_ cells: [Cell], _ row: [(cell: Int, share: Double)], _ mu: [Double]) -> (Double, Double) {
        let sumS = row.reduce(0) { $0 + $1.share }
        guard sumS > 0 else { return (0, 0) }
        func slope(_ a: Double) -> Double { row.reduce(0) { $0 + cells[$1.cell].counts * $1.share / (mu[$1.cell] + a * $1.share) } - sumS }
        guard slope(0) > 0 else { return (0, 0) }
        var lo = 0.0, hi = row.reduce(0) { $0 + cells[$1.cell].counts } / sumS + 1
        for _ in 0..<60 { let mid = (lo + hi) / 2; if slope(mid) > 0 { lo = mid } else { hi = mid } }
        let a = (lo + hi) / 2
        let gain = row.reduce(0) { $0 + cells[$1.cell].counts * log((mu[$1.cell] + a * $1.share) / mu[$1.cell]) } - a * sumS
        return (a, gain)
    }
}
