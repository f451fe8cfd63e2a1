import Foundation
import AtomProbe
import KitFoundation

/// The correlation histogram of multiple events (Saxey 2011, Ultramicroscopy 111, 473): for
/// every pair of ions from the same pulse, the lower m/n on x and the higher on y, in square
/// bins of `binWidth` Da from 0 to `maxMass`. Peaks pair up as spots; a molecular ion that
/// breaks up in flight leaves a curved track between its daughters' spot and the parent's spot
/// on the diagonal (`DissociationTrack`).
public struct CorrelationHistogram: Sendable, Equatable {
    public let binWidth: Double
    public let maxMass: Double
    /// Bins per axis.
    public let bins: Int
    /// counts[x + bins * y], x the bin of the lower m/n; y >= x.
    public private(set) var counts: [Int]
    /// Pairs with an m/n outside [0, maxMass) (or not finite), not in `counts`.
    public private(set) var outside = 0

    public init(binWidth: Double, maxMass: Double) {
        self.binWidth = binWidth
        self.maxMass = maxMass
        bins = max(1, Int((maxMass / binWidth).rounded(.up)))
        counts = [Int](repeating: 0, count: bins * bins)
    }

    @inline(__always) func bin(_ m: Float) -> Int? {
        let v = Double(m) / binWidth
        guard v >= 0, v < Double(bins) else { return nil }
        return Int(v)
    }

    /// Adds the pair (m1, m2) in either order.
    @inline(__always) public mutating func add(_ m1: Float, _ m2: Float) {
        guard let a = bin(min(m1, m2)), let b = bin(max(m1, m2)) else { outside += 1; return }
        counts[a &+ bins &* b] &+= 1
    }

    public mutating func merge(_ o: CorrelationHistogram) {
        for i in counts.indices { counts[i] &+= o.counts[i] }
        outside += o.outside
    }

    public var total: Int { counts.reduce(0, +) }

    /// The pairs in bin (x, y) (lower m/n bin x).
    public func count(_ x: Int, _ y: Int) -> Int { counts[x + bins * y] }

    /// Pairs whose (lower, higher) m/n lies within `halfWidth` Da of the polyline `points`
    /// (given as (m/n of one daughter, m/n of the other), in either order), counted by bins.
    public func pairs(near points: [(Double, Double)], halfWidth: Double) -> Int {
        var hit = Set<Int>()
        let reach = Int((halfWidth / binWidth).rounded(.up)) + 1
        for (p, q) in points {
            let lo = min(p, q), hi = max(p, q)
            let cx = Int(lo / binWidth), cy = Int(hi / binWidth)
            for y in max(0, cy - reach)...min(bins - 1, max(0, cy + reach)) {
                for x in max(0, cx - reach)...min(y, max(0, cx + reach)) {
                    let bx = (Double(x) + 0.5) * binWidth, by = (Double(y) + 0.5) * binWidth
                    if (bx - lo) * (bx - lo) + (by - hi) * (by - hi) <= halfWidth * halfWidth { hit.insert(x + bins * y) }
                }
            }
        }
        return hit.reduce(0) { $0 + counts[$1] }
    }

    /// The histogram summed into `n` x `n` coarser bins (for a figure), as log10(1 + pairs), rows
    /// of increasing y; and the bin centres of the coarse axis.
    public func logImage(maxBins n: Int) -> (centers: [Double], values: [Double]) {
        let f = max(1, (bins + n - 1) / n), m = (bins + f - 1) / f
        var coarse = [Double](repeating: 0, count: m * m)
        for y in 0..<bins { for x in 0...y { coarse[x / f + m * (y / f)] += Double(counts[x + bins * y]) } }
        let centers = (0..<m).map { (Double($0) + 0.5) * Double(f) * binWidth }
        return (centers, coarse.map { (1 + $0).log10 })
    }

    /// CSV rows `mz_low_da,mz_high_da,pairs` of the non-empty bins (bin centres).
    public var csv: String {
        var s = "mz_low_da,mz_high_da,pairs\n"
        for y in 0..<bins { for x in 0...y where counts[x + bins * y] > 0 {
            s += "\((Double(x) + 0.5) * binWidth),\((Double(y) + 0.5) * binWidth),\(counts[x + bins * y])\n"
        } }
        return s
    }
}

extension Double {
    var log10: Double { Foundation.log10(self) }
}
