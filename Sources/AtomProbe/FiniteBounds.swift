/// Running bounds of the finite positions and the finite m/n of a stream of ions: what
/// `Reconstruction.bounds`, `info`'s streamed summary and the specimen box all need, kept in one
/// place. Positions with any non-finite coordinate and non-finite m/n are left out. Scalars, not
/// a SIMD3 min per ion (four times slower in the passes over 1e9 ions).
public struct FiniteBounds: Sendable {
    @usableFromInline var lo = SIMD3<Float>(repeating: .infinity), hi = SIMD3<Float>(repeating: -.infinity)
    @usableFromInline var massLow = Float.infinity, massHigh = -Float.infinity

    public init() {}

    /// Adds a position; returns false (leaving the bounds as they were) when it is not finite.
    @inlinable @inline(__always) @discardableResult
    public mutating func add(_ x: Float, _ y: Float, _ z: Float) -> Bool {
        guard x.isFinite, y.isFinite, z.isFinite else { return false }
        lo.x = Swift.min(lo.x, x); lo.y = Swift.min(lo.y, y); lo.z = Swift.min(lo.z, z)
        hi.x = Swift.max(hi.x, x); hi.y = Swift.max(hi.y, y); hi.z = Swift.max(hi.z, z)
        return true
    }

    /// Adds an m/n; returns false when it is not finite.
    @inlinable @inline(__always) @discardableResult
    public mutating func add(mass m: Float) -> Bool {
        guard m.isFinite else { return false }
        massLow = Swift.min(massLow, m); massHigh = Swift.max(massHigh, m)
        return true
    }

    /// Adds the bounds another part of the stream found.
    public mutating func merge(_ o: FiniteBounds) {
        lo = pointwiseMin(lo, o.lo); hi = pointwiseMax(hi, o.hi)
        massLow = Swift.min(massLow, o.massLow); massHigh = Swift.max(massHigh, o.massHigh)
    }

    /// The box of the finite positions, nil when there were none.
    public var box: (min: SIMD3<Float>, max: SIMD3<Float>)? { lo.x <= hi.x ? (lo, hi) : nil }
    /// The range of the finite m/n, nil when there were none.
    public var massRange: (min: Float, max: Float)? { massLow <= massHigh ? (massLow, massHigh) : nil }
}
