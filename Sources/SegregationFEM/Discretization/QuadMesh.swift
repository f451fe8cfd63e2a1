import Foundation

/// A structured mesh of axis-aligned bilinear quadrilaterals (Q1), nodes numbered x fastest.
/// Coordinates in nm. Element sizes can be graded: fine near chosen lines (dislocation cores,
/// an interface), growing linearly with the distance from them.
public struct QuadMesh: Sendable {
    public let xs: [Double]
    public let ys: [Double]

    public init(xs: [Double], ys: [Double]) {
        precondition(xs.count >= 2 && ys.count >= 2)
        self.xs = xs; self.ys = ys
    }

    public var nodeCountX: Int { xs.count }
    public var nodeCountY: Int { ys.count }
    public var nodeCount: Int { xs.count * ys.count }
    public var elementCountX: Int { xs.count - 1 }
    public var elementCountY: Int { ys.count - 1 }
    public var elementCount: Int { elementCountX * elementCountY }

    @inline(__always) public func node(_ i: Int, _ j: Int) -> Int { i + xs.count * j }
    @inline(__always) public func position(_ n: Int) -> (Double, Double) { (xs[n % xs.count], ys[n / xs.count]) }

    /// The 4 nodes of element (i, j), counter-clockwise from the lower left.
    @inline(__always) public func elementNodes(_ e: Int) -> (Int, Int, Int, Int) {
        let i = e % elementCountX, j = e / elementCountX
        return (node(i, j), node(i + 1, j), node(i + 1, j + 1), node(i, j + 1))
    }

    public func elementSize(_ e: Int) -> (Double, Double) {
        let i = e % elementCountX, j = e / elementCountX
        return (xs[i + 1] - xs[i], ys[j + 1] - ys[j])
    }

    public func elementCentroid(_ e: Int) -> (Double, Double) {
        let i = e % elementCountX, j = e / elementCountX
        return ((xs[i] + xs[i + 1]) / 2, (ys[j] + ys[j + 1]) / 2)
    }

    public enum Edge: String, Sendable, CaseIterable { case left, right, bottom, top }

    public func nodes(on edge: Edge) -> [Int] {
        switch edge {
        case .left: return (0..<ys.count).map { node(0, $0) }
        case .right: return (0..<ys.count).map { node(xs.count - 1, $0) }
        case .bottom: return (0..<xs.count).map { node($0, 0) }
        case .top: return (0..<xs.count).map { node($0, ys.count - 1) }
        }
    }

    public var minElementSize: Double {
        min(zip(xs.dropFirst(), xs).map { $0 - $1 }.min()!, zip(ys.dropFirst(), ys).map { $0 - $1 }.min()!)
    }
}

/// Node positions along one axis: `elements` elements over [lo, hi] whose local size is
/// proportional to 1 + g d, with d the distance (nm) to the nearest focus and g = `grading`
/// (1/nm). g = 0 gives a uniform axis; foci outside [lo, hi] are ignored.
public func gradedAxis(from lo: Double, to hi: Double, elements n: Int, foci: [Double], grading: Double) -> [Double] {
    precondition(n >= 1 && hi > lo)
    let inside = foci.filter { $0 >= lo && $0 <= hi }
    if grading <= 0 || inside.isEmpty { return (0...n).map { lo + (hi - lo) * Double($0) / Double(n) } }
    // Cumulative mesh density, integrated numerically on a fine sampling.
    let samples = 20_000
    var cumulative = [Double](repeating: 0, count: samples + 1)
    func density(_ x: Double) -> Double { 1 / (1 + grading * inside.map { abs(x - $0) }.min()!) }
    let dx = (hi - lo) / Double(samples)
    for k in 0..<samples {
        let x = lo + (Double(k) + 0.5) * dx
        cumulative[k + 1] = cumulative[k] + density(x) * dx
    }
    let total = cumulative[samples]
    var out = [lo]
    var k = 0
    for e in 1..<n {
        let target = total * Double(e) / Double(n)
        while cumulative[k + 1] < target { k += 1 }
        let f = (target - cumulative[k]) / (cumulative[k + 1] - cumulative[k])
        out.append(lo + (Double(k) + f) * dx)
    }
    out.append(hi)
    return out
}
