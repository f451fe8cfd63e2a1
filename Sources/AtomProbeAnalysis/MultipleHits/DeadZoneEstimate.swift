import Foundation
import AtomProbe
import KitFoundation

/// The pairs a delay-line detector loses in its dead zone, estimated per pair of ion types from
/// the distribution of detector distances between same-pulse hits (issue 28).
///
/// Two hits of one pulse that arrive within the dead time and within the dead-zone radius of
/// each other cannot be told apart, and one of them is lost. Ions of one type arrive together
/// (equal flight times), so it is same-type pairs that are lost (Meisenkothen et al. 2015,
/// Ultramicroscopy 159, 101: few same-isotope B+ B+ pairs are recorded; Peng et al. 2018,
/// Ultramicroscopy 189, 54: the spatial distribution of multiple hits on the detector and its
/// hole at small separations). Without the dead zone, the number of pairs per unit detector
/// area at separation r is smooth down to r = 0; on a 2D detector the pairs in a ring of
/// radius r grow as r for small r.
///
/// Model (ours, stated here): the pair density per unit area g(r) = exp(b0 + b1 u + b2 u^2),
/// u = r / (d + w), fitted by Poisson maximum likelihood (Newton's method on the log-linear
/// model, bin areas as offsets) to the pairs at separations d to d + w beyond the dead-zone
/// radius d. It covers a flat density (uncorrelated hits), an exponential fall-off, and a
/// Gaussian spread of correlated hits. Extrapolated into 0..d it gives the pairs expected there;
/// the missing pairs are those minus the pairs observed. Each missing pair is one lost ion (the
/// later of the two hits). The uncertainty adds the fit's (delta method on the parameters'
/// covariance, the inverse Fisher information) and the Poisson spread of the expected count.
///
/// Honesty checks (a smooth model extrapolated inward can invent a hole where the pairs simply
/// peak more sharply than the model bends, as on the real Si run):
/// - the fit must describe the fitted separations: chi^2/dof at most 1 + 3 sqrt(2/dof) (a
///   3-sigma bound on chi^2), else no estimate (`status` unsupported, with a warning);
/// - a deficit is a loss only when it is significant, missing >= 3 sigma; otherwise the loss is
///   reported as 0 with its sigma and a one-sided 95 % upper limit (deficit+ + 1.645 sigma);
/// - a significant excess inside (more pairs than the model) means the model does not hold at
///   small separations: unsupported, with a warning;
/// - the hole's radius is estimated from the data: the smallest bin edge r such that the pairs
///   between r and the fit's start show no deficit beyond 2 sigma (the edge where the observed
///   density falls below the model); when the first fitted bins already fall short of the model
///   (3 sigma), the hole reaches into the fit and a warning says to widen the radius.
public struct DeadZoneEstimate: Sendable {
    /// What the pairs of two ion types support.
    public enum Status: String, Sendable { case loss, noSignificantLoss = "no_significant_loss", unsupported }
    /// A deficit of at least this many sigmas is a loss.
    public static let significance = 3.0
    public struct Options: Sendable {
        /// Dead-zone radius d (mm): the model is fitted beyond it and the losses counted inside; the
        /// hole's own radius is estimated from the data within it (`Pair.estimatedRadius`).
        public var deadZone = 1.0
        /// Width w of the fitted separations beyond it (mm).
        public var fitWidth = 4.0
        /// The fewest pairs in the fitted separations for an estimate (of a dataset or of a region).
        public var minPairs = 100

        public init() {}

        public func checked(distanceBin: Double, maxDistance: Double) throws -> Options {
            try Validation.require([
                (deadZone.isFinite && deadZone >= distanceBin && deadZone < maxDistance, "dead_zone_mm", "must be at least one distance bin (\(distanceBin) mm) and below \(maxDistance) mm, got \(deadZone)"),
                (fitWidth.isFinite && fitWidth >= 5 * distanceBin && fitWidth <= 1000, "fit_width_mm", "must be at least 5 distance bins (\(5 * distanceBin) mm) and at most 1000 mm, got \(fitWidth)"),
                (minPairs >= 10 && minPairs <= 1_000_000_000, "min_pairs", "must be 10 to 1e9, got \(minPairs)"),
            ])
            return self
        }
    }

    /// The estimate for one pair of ion types.
    public struct Pair: Sendable {
        public var types: (Int, Int)
        public var names: (String, String)
        /// Pairs observed inside the dead zone and in the fitted separations.
        public var observedInZone: Int
        public var fitPairs: Int
        /// nil when there are too few pairs to fit (`reason` says why).
        public var expectedInZone: Double?
        public var missing: Double?
        public var sigma: Double?
        /// Pearson chi^2 per degree of freedom of the fit.
        public var chi2PerDof: Double?
        /// The fitted pairs per distance bin from 0 to the end of the fit (for the figure).
        public var model: [Double] = []
        public var reason: String?
        public var status = Status.unsupported
        /// The deficit (expected - observed inside) and the one-sided 95 % upper limit of the loss.
        public var deficit: Double?
        public var upperLimit: Double?
        /// The hole's radius estimated from the data (mm; 0: no deficit anywhere inside).
        public var estimatedRadius: Double?
        /// Why the estimate should not be trusted (also in `reason` when unsupported).
        public var warning: String?
        public var sameType: Bool { types.0 == types.1 }
    }

    public let options: Options
    public let pairs: [Pair]

    /// Fits every pair of ion types with same-pulse pairs.
    public init(_ events: MultiHitEvents, options: Options = Options()) throws {
        let eo = events.options
        let o = try options.checked(distanceBin: eo.distanceBin, maxDistance: eo.maxDistance)
        self.options = o
        let t = events.ionNames.count, bin = eo.distanceBin
        let zone = max(1, Int((o.deadZone / bin).rounded())), end = min(events.distanceBins, zone + Int((o.fitWidth / bin).rounded()))
        var out: [Pair] = []
        for a in 0..<t {
            for b in a..<t {
                let h = Array(events.distanceHistogram(a, b))
                guard h.contains(where: { $0 > 0 }) else { continue }
                var p = Pair(types: (a, b), names: (events.ionNames[a], events.ionNames[b]), observedInZone: h[0..<zone].reduce(0, +), fitPairs: h[zone..<end].reduce(0, +))
                if p.fitPairs < o.minPairs {
                    p.reason = "too few pairs to fit: \(p.fitPairs) at \(o.deadZone)-\(o.deadZone + o.fitWidth) mm, need \(o.minPairs)"
                } else if let fit = Self.fit(h, bin: bin, zone: zone, end: end) {
                    p.expectedInZone = fit.expected
                    p.chi2PerDof = fit.chi2PerDof
                    p.model = fit.model
                    Self.judge(&p, h: h, fit: fit, zone: zone, end: end, bin: bin, options: o)
                } else {
                    p.reason = "the fit of the pair distances did not converge"
                }
                out.append(p)
            }
        }
        pairs = out
    }

    /// Lost ions per ion type (from its same-type pairs) with one-sigma errors: the significant
    /// losses, and 0 ± sigma where no deficit is significant; types without an estimate are absent.
    public var losses: [(type: Int, name: String, lost: Double, sigma: Double)] {
        pairs.filter(\.sameType).compactMap { p in p.missing.map { (p.types.0, p.names.0, $0, p.sigma!) } }
    }

    /// Warnings about same-type pairs with enough pairs whose estimate cannot be trusted, and
    /// about pairs of two types with a significant loss, which the correction leaves out (the
    /// method counts same-type pairs: equal flight times; which of the two was lost is unknown).
    public var warnings: [String] {
        pairs.filter(\.sameType).compactMap { p in p.warning.map { "dead zone \(p.names.0)-\(p.names.1): \($0)" } }
            + pairs.filter { !$0.sameType && $0.status == .loss }.map { p in
                "dead zone \(p.names.0)-\(p.names.1): \(Int((p.missing ?? 0).rounded())) pairs missing, not corrected (the correction adds same-type losses only)"
            }
    }

    /// Sets the status, loss, upper limit, radius and warnings of a fitted pair (the type's
    /// honesty checks).
    static func judge(_ p: inout Pair, h: [Int], fit: (expected: Double, variance: Double, chi2PerDof: Double, model: [Double]), zone: Int, end: Int, bin: Double, options o: Options) {
        let dof = Double(max(1, end - zone - 3)), chi2Limit = 1 + 3 * (2 / dof).squareRoot()
        let deficit = fit.expected - Double(p.observedInZone), sigma = (fit.variance + fit.expected).squareRoot()
        p.deficit = deficit
        // The radius: the outer edge of the outermost annulus [r, start of the fit) short of the model.
        var e = 0.0, obs = 0.0, radius = 0
        for k in stride(from: zone - 1, through: 0, by: -1) {
            e += fit.model[k]; obs += Double(h[k])
            if radius == 0, e - obs > Self.significance * e.squareRoot() { radius = k + 1 }
        }
        p.estimatedRadius = Double(radius) * bin
        var firstE = 0.0, firstObs = 0.0
        for k in zone..<min(end, zone + 3) { firstE += fit.model[k]; firstObs += Double(h[k]) }
        if fit.chi2PerDof > chi2Limit {
            p.warning = String(format: "the smooth model does not describe the pairs at %.3g-%.3g mm (chi2/dof %.2f > %.2f): no estimate", o.deadZone, o.deadZone + o.fitWidth, fit.chi2PerDof, chi2Limit)
        } else if deficit < -Self.significance * sigma {
            p.warning = String(format: "%.0f more pairs inside %.3g mm than the model predicts (%.1f sigma): the model does not hold at small separations, no estimate", -deficit, o.deadZone, -deficit / sigma)
        } else if deficit >= Self.significance * sigma {
            p.status = .loss; p.missing = deficit; p.sigma = sigma
            if firstE - firstObs > 3 * firstE.squareRoot() {
                p.warning = String(format: "the pairs just beyond %.3g mm fall short of the model too: the hole may be wider than the radius (widen it)", o.deadZone)
            }
        } else {
            p.status = .noSignificantLoss; p.missing = 0; p.sigma = sigma
        }
        if p.status == .unsupported { p.reason = p.warning } else { p.upperLimit = max(0, deficit) + 1.645 * sigma }
    }

    /// Ion counts per type with the estimated losses added (at the rate lost / observed of each
    /// type, its sigma the loss's sigma / observed: `IonCountModel.scaled`), so a composition
    /// from these counts carries the estimate's uncertainty in its sigma.
    public func correctedCounts(_ observed: [Int]) -> IonCountModel {
        var rates = [Double](repeating: 0, count: observed.count), sigmas = rates
        for l in losses where observed[l.type] > 0 { rates[l.type] = l.lost / Double(observed[l.type]); sigmas[l.type] = l.sigma / Double(observed[l.type]) }
        let words = losses.map { String(format: "%@ %.1f ± %.1f", $0.name, $0.lost, $0.sigma) }.joined(separator: ", ")
        return IonCountModel(counts: observed).scaled(rates: rates, sigmas: sigmas, words: ["dead-zone losses added (ions): " + (words.isEmpty ? "none estimated" : words)] + warnings.map { "warning: " + $0 })
    }

    /// The Poisson fit of bins [zone, end) and its extrapolation into [0, zone).
    static func fit(_ h: [Int], bin: Double, zone: Int, end: Int) -> (expected: Double, variance: Double, chi2PerDof: Double, model: [Double])? {
        let scale = Double(end) * bin
        func features(_ i: Int) -> [Double] { let u = (Double(i) + 0.5) * bin / scale; return [1, u, u * u] }
        func area(_ i: Int) -> Double { Double.pi * bin * bin * Double((i + 1) * (i + 1) - i * i) }
        let fitBins = Array(zone..<end)
        let total = fitBins.reduce(0.0) { $0 + Double(h[$1]) }, totalArea = fitBins.reduce(0.0) { $0 + area($1) }
        var beta = [log(max(total, 0.5) / totalArea), 0, 0]
        func mu(_ i: Int, _ b: [Double]) -> Double { let x = features(i); return area(i) * exp(b[0] + b[1] * x[1] + b[2] * x[2]) }
        func logLikelihood(_ b: [Double]) -> Double { fitBins.reduce(0.0) { s, i in let m = mu(i, b); return s + Double(h[i]) * log(m) - m } }
        func information(_ b: [Double]) -> [[Double]] {
            var f = [[Double]](repeating: [0, 0, 0], count: 3)
            for i in fitBins { let m = mu(i, b), x = features(i); for r in 0..<3 { for c in 0..<3 { f[r][c] += m * x[r] * x[c] } } }
            return f
        }
        var ll = logLikelihood(beta)
        for _ in 0..<100 {
            var g = [0.0, 0, 0]
            for i in fitBins { let m = mu(i, beta), x = features(i); for r in 0..<3 { g[r] += (Double(h[i]) - m) * x[r] } }
            guard let step = SmallMatrix.solve(information(beta), g) else { return nil }
            var lambda = 1.0, next = beta, nextLL = -Double.infinity
            while lambda > 1e-6 {
                next = (0..<3).map { beta[$0] + lambda * step[$0] }
                nextLL = logLikelihood(next)
                if nextLL.isFinite && nextLL >= ll - 1e-9 { break }
                lambda /= 2
            }
            guard nextLL.isFinite else { return nil }
            let change = zip(next, beta).map { abs($0 - $1) }.max()!
            beta = next; ll = nextLL
            if change < 1e-10 { break }
        }
        guard let covariance = SmallMatrix.inverse(information(beta)) else { return nil }
        var expected = 0.0, gradient = [0.0, 0, 0]
        for i in 0..<zone { let m = mu(i, beta), x = features(i); expected += m; for r in 0..<3 { gradient[r] += m * x[r] } }
        var variance = 0.0
        for r in 0..<3 { for c in 0..<3 { variance += gradient[r] * covariance[r][c] * gradient[c] } }
        let chi2 = fitBins.reduce(0.0) { s, i in let m = mu(i, beta); return s + (Double(h[i]) - m) * (Double(h[i]) - m) / max(m, 1e-12) }
        guard expected.isFinite, variance.isFinite else { return nil }
        return (expected, max(0, variance), chi2 / Double(max(1, fitBins.count - 3)), (0..<end).map { mu($0, beta) })
    }
}
