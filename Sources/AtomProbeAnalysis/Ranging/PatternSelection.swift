import Foundation

/// Which candidate ions explain the spectrum (issue 24): the parsimonious set, chosen in five
/// steps. Throughout, 2 dL (twice the gain in the Poisson log-likelihood L of `PatternMixture`)
/// is weighed against the penalty max(ln N_total, Z^2): BIC's ln n, never less than the detection
/// significance Z squared.
///
/// 1. **Forward.** Each candidate's amplitude is fitted alone (the chosen ones fixed); those whose
///    pattern the data refute (below) are set aside. Of the rest, the ones whose gain lies within
///    the penalty of the best cannot be told apart by the data, and the simplest of them (fewest
///    atoms, then lowest charge) enters. All amplitudes are refitted (EM, the multiplicative
///    Poisson update, which keeps them non-negative); it stays when 2 dL >= the penalty. Then the
///    candidates whose main peak the chosen ions already explain are tried the same way with all
///    amplitudes refitted (N2+ under 28Si+ gains nothing while Si+ keeps its amplitude).
/// 2. **Backward.** Each ion is removed in turn when the others explain the data as well up to the penalty.
/// 3. **Simpler swaps.** A chosen ion is replaced by a simpler candidate whose main isotope peak
///    falls on the same detected peak when the fit gets worse by less than the penalty: Co+ for
///    Ni2 2+ at 59 Da, CrO 2+ for Si2C 2+ at 34 Da.
/// 4. **Whole pattern.** An ion whose strongest isotope peak lies in no detected peak is dropped
///    (its pattern must be supported, not a minor isotope alone).
/// 5. **Refuted patterns.** An ion is dropped when one of its isotope peaks holding at least 3 %
///    of it falls where no peak was found (the peak's place, not where only its tail reaches),
///    the ion alone would put a peak there that the detection would have seen (Z >= the minimum
///    significance over the background), and the counts there fall short of the model by 3 sigma
///    or more (sigma: Poisson, and 20 % of what other ions put there): a lone peak at 26.98 Da is
///    not FeCr 4+; W 2+ at 92 Da is not TaMo 3+ (no peak at 92.33 Da).
extension PatternMixture {
    /// Least share of an ion in an isotope peak for that peak to refute it when missing.
    static let refutingShare = 0.03
    /// Least shortfall of the counts below the model (sigma) that refutes an ion.
    static let refutingDeficit = 3.0
    /// Relative accuracy of the model's counts of other ions in a place (the measured peak shape,
    /// its tail above all), added to the Poisson sigma of a shortfall.
    static let shapeUncertainty = 0.2

    /// Poisson likelihood-ratio significance of n counts falling short of an expected mu.
    static func zDeficit(_ n: Double, _ mu: Double) -> Double {
        guard n < mu, mu > 0 else { return 0 }
        let t = n > 0 ? n * log(n / mu) : 0
        return max(0, 2 * (t - (n - mu))).squareRoot()
    }

    /// Whether candidate c at amplitude `amp`, with the model expecting `mu` (c included), is
    /// refuted by a missing isotope peak (step 5).
    static func refuted(_ c: Int, amp: Double, cells: [Cell], shares: Shares, mu: [Double], minSignificance: Double, at places: [Int]) -> Bool {
        for s in shares[c] where places.contains(s.cell) && s.share >= refutingShare {
            let own = amp * s.share, b = max(cells[s.cell].background, 1e-9)
            guard PeakDetection.zExcess(b + own, b) >= minSignificance else { continue }
            // Counts of other ions there (a big peak's tail) are known to the shape model's accuracy only.
            let n = cells[s.cell].counts, others = max(0, mu[s.cell] - b - own)
            let systematic = (mu[s.cell] - n) / (mu[s.cell] + (shapeUncertainty * others) * (shapeUncertainty * others)).squareRoot()
            if min(zDeficit(n, mu[s.cell]), systematic) >= refutingDeficit { return true }
        }
        return false
    }

    /// The predicted cells (no peak found) that hold one of candidate c's isotope peaks of at least
    /// `refutingShare`: the places that can refute it (not where only its tail reaches).
    static func refutingPlaces(_ c: CandidateIon, cells: [Cell], lows: [Double]) -> [Int] {
        c.pattern.peaks.filter { $0.abundance >= refutingShare }.compactMap { p in
            let j = firstCell(lows, p.massToCharge)
            return (j..<min(j + 2, cells.count)).first { cells[$0].predicted && cells[$0].low <= p.massToCharge && p.massToCharge < cells[$0].high }
        }
    }

    /// (atoms, charge): smaller is simpler.
    static func complexity(_ c: CandidateIon) -> (Int, Int) { (c.ion.atomCount, c.charge) }

    /// Of trials (candidate, gain), the simplest among those within the penalty of the best gain
    /// (the data cannot tell them apart), the higher gain between equally simple ones.
    static func simplestNearBest<T>(_ trials: [T], candidate: (T) -> Int, gain: (T) -> Double, penalty: Double,
                                    candidates: [CandidateIon]) -> T? {
        guard let top = trials.map(gain).max() else { return nil }
        return trials.filter { 2 * (top - gain($0)) < penalty }.min { x, y in
            let (cx, cy) = (complexity(candidates[candidate(x)]), complexity(candidates[candidate(y)]))
            return cx != cy ? cx < cy : gain(x) > gain(y)
        }
    }

    static func select(cells: [Cell], shares: Shares, penalty: Double, candidates: [CandidateIon], shape: PeakShape,
                       minSignificance: Double) -> (chosen: [Int], amplitudes: [Int: Double], logLikelihood: Double) {
        var a: [Int: Double] = [:]
        var mu = expected(cells, shares, a)
        var l = logLikelihood(cells, mu)
        func adopt(_ fit: [Int: Double]) { a = fit; mu = expected(cells, shares, a); l = logLikelihood(cells, mu) }
        /// Whether c, at its amplitude in `fit`, is refuted.
        func refutedIn(_ fit: [Int: Double], _ c: Int) -> Bool {
            refuted(c, amp: fit[c] ?? 0, cells: cells, shares: shares, mu: expected(cells, shares, fit), minSignificance: minSignificance, at: places[c])
        }
        // 1. Forward, among the candidates whose strongest isotope peak lies on a detected peak
        // (step 4 up front: a wide window may hold a candidate's peak off the detected centre).
        let mains = candidates.indices.map { mainPeakCell($0, cells: cells, shares: shares, candidates: candidates, shape: shape) }
        var setAside: Set<Int> = []
        let lows = cells.map(\.low)
        let places = candidates.map { refutingPlaces($0, cells: cells, lows: lows) }
        while a.count < min(candidates.count, 200) {
            var trials: [(c: Int, amp: Double, gain: Double)] = []
            for c in candidates.indices where a[c] == nil && !setAside.contains(c) && mains[c] != nil {
                let (amp, gain) = oneMore(cells, shares[c], mu)
                guard 2 * gain >= penalty else { continue }
                var withC = mu
                for s in shares[c] { withC[s.cell] += amp * s.share }
                if refuted(c, amp: amp, cells: cells, shares: shares, mu: withC, minSignificance: minSignificance, at: places[c]) { continue }
                trials.append((c, amp, gain))
            }
            guard let pick = simplestNearBest(trials, candidate: \.c, gain: \.gain, penalty: penalty, candidates: candidates) else { break }
            var trial = a
            trial[pick.c] = pick.amp
            trial = refit(cells, shares, trial)
            let lt = logLikelihood(cells, expected(cells, shares, trial))
            guard 2 * (lt - l) >= penalty else { setAside.insert(pick.c); continue }
            adopt(trial)
        }
        // 1b. Hidden ions: a candidate whose main peak the chosen ions already explain gains nothing
        // with their amplitudes fixed (N2+ under 28Si+), so those are tried with all refitted.
        while a.count < min(candidates.count, 200) {
            var trials: [(c: Int, fit: [Int: Double], gain: Double)] = []
            for c in candidates.indices where a[c] == nil && !setAside.contains(c) {
                guard let main = mains[c], mu[main] - cells[main].background >= 0.5 * cells[main].counts else { continue }
                var trial = a
                trial[c] = 0.1 * cells[main].counts / max(shares[c].first { $0.cell == main }?.share ?? 1, 1e-9)
                trial = refit(cells, shares, trial)
                let gain = logLikelihood(cells, expected(cells, shares, trial)) - l
                guard 2 * gain >= penalty, (trial[c] ?? 0) > 0, !refutedIn(trial, c) else { continue }
                trials.append((c, trial, gain))
            }
            guard let pick = simplestNearBest(trials, candidate: \.c, gain: \.gain, penalty: penalty, candidates: candidates) else { break }
            adopt(pick.fit)
        }
        // 2. Backward.
        var removed = true
        while removed, !a.isEmpty {
            removed = false
            var weakest: (c: Int, loss: Double, fit: [Int: Double])?
            for c in a.keys.sorted() {
                var without = a
                without[c] = nil
                without = refit(cells, shares, without)
                let loss = l - logLikelihood(cells, expected(cells, shares, without))
                if 2 * loss < penalty, loss < (weakest?.loss ?? .infinity) { weakest = (c, loss, without) }
            }
            if let w = weakest { adopt(w.fit); removed = true }
        }
        // 3. Simpler swaps.
        for _ in 0..<20 {
            var swapped = false
            for c in a.keys.sorted(by: { complexity(candidates[$0]) > complexity(candidates[$1]) }) {
                guard let main = mains[c] else { continue }
                var best: (fit: [Int: Double], l: Double)?
                for d in candidates.indices where a[d] == nil && complexity(candidates[d]) < complexity(candidates[c])
                    && mains[d] == main {
                    var trial = a
                    trial[c] = nil
                    trial[d] = a[c]! * (shares[c].first { $0.cell == main }?.share ?? 0) / max(shares[d].first { $0.cell == main }?.share ?? 1, 1e-9)
                    trial = refit(cells, shares, trial)
                    guard (trial[d] ?? 0) > 0 else { continue }
                    let lt = logLikelihood(cells, expected(cells, shares, trial))
                    if 2 * (l - lt) < penalty, lt > (best?.l ?? -.infinity), !refutedIn(trial, d) { best = (trial, lt) }
                }
                if let b = best { adopt(b.fit); swapped = true; break }
            }
            if !swapped { break }
        }
        // 4 and 5. Whole pattern; refuted patterns.
        var dropped = true
        while dropped {
            dropped = false
            for c in a.keys.sorted() {
                let unsupported = mains[c] == nil
                if unsupported || (a[c] ?? 0) <= 0 || refutedIn(a, c) { a[c] = nil; dropped = true; break }
            }
            if dropped { adopt(refit(cells, shares, a)) }
        }
        return (a.keys.sorted(), a, l)
    }

    /// The detected peak's cell that holds candidate c's strongest isotope peak (nil: none).
    static func mainPeakCell(_ c: Int, cells: [Cell], shares: Shares, candidates: [CandidateIon], shape: PeakShape) -> Int? {
        guard let main = candidates[c].pattern.peaks.max(by: { $0.abundance < $1.abundance }) else { return nil }
        return shares[c].first { s in
            cells[s.cell].peak != nil && abs((cells[s.cell].centre ?? .infinity) - main.massToCharge) <= tolerance(main.massToCharge, shape)
        }?.cell
    }
}
