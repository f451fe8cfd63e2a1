import Foundation
import AtomProbe
import KitFoundation
import ParallelLoops

/// A regular grid of voxels; value (i, j, k) sits at the voxel centre
/// `origin + (i + 0.5, j + 0.5, k + 0.5) * spacing`. Storage is x fastest.
public struct VoxelGrid: Sendable, Equatable {
    public var origin: SIMD3<Double>
    public var spacing: Double
    public var size: SIMD3<Int>

    public init(origin: SIMD3<Double>, spacing: Double, size: SIMD3<Int>) {
        self.origin = origin; self.spacing = spacing; self.size = size
    }

    /// The most voxels any grid may have, whatever the memory.
    public static let maxVoxels = 2_000_000_000.0

    /// A grid covering `bounds` with `margin` nm on every side. Sizes are checked in floating
    /// point before any integer conversion, so absurd values give an error, not a trap.
    public init(bounds: (min: SIMD3<Double>, max: SIMD3<Double>), spacing: Double, margin: Double) throws {
        guard spacing > 0, spacing.isFinite else { throw AtomProbeError.invalid("voxel size must be > 0, got \(spacing)") }
        guard margin >= 0, margin.isFinite else { throw AtomProbeError.invalid("grid margin must be finite, got \(margin)") }
        let lo = bounds.min - SIMD3(repeating: margin), hi = bounds.max + SIMD3(repeating: margin)
        let counts = (0..<3).map { ((hi[$0] - lo[$0]) / spacing).rounded(.up) + 1 }
        let total = counts.reduce(1, *)
        guard counts.allSatisfy({ $0.isFinite }), total <= Self.maxVoxels else {
            let shown = counts.map { $0.isFinite ? String(format: "%.3g", $0) : "inf" }.joined(separator: " x ")
            throw AtomProbeError(.invalidInput, String(format: "the grid would need %@ voxels (voxel size %g nm, margin %g nm); use a larger voxel size", shown, spacing, margin),
                                 remedy: .raiseMemoryLimit)
        }
        self.init(origin: lo, spacing: spacing, size: SIMD3<Int>(Int(counts[0]), Int(counts[1]), Int(counts[2])))
    }

    public var count: Int { size.x * size.y * size.z }

    @inline(__always) public func index(_ i: Int, _ j: Int, _ k: Int) -> Int { i + size.x * (j + size.y * k) }

    @inline(__always) public func center(_ i: Int, _ j: Int, _ k: Int) -> SIMD3<Double> {
        origin + SIMD3(Double(i) + 0.5, Double(j) + 0.5, Double(k) + 0.5) * spacing
    }

    /// Continuous grid coordinates of a point: voxel centres at integers.
    @inline(__always) public func gridCoordinates(_ p: SIMD3<Double>) -> SIMD3<Double> {
        (p - origin) / spacing - SIMD3(repeating: 0.5)
    }

    /// Index of the voxel whose centre is nearest to `p`, or nil outside the grid (or not finite).
    @inline(__always) public func nearestVoxel(_ p: SIMD3<Double>) -> Int? {
        let g = gridCoordinates(p)
        // Compare before converting: a far-away or non-finite point must not trap in Int().
        guard g.x > -0.5, g.y > -0.5, g.z > -0.5,
              g.x < Double(size.x) - 0.5, g.y < Double(size.y) - 0.5, g.z < Double(size.z) - 0.5 else { return nil }
        return index(roundedToInt(g.x), roundedToInt(g.y), roundedToInt(g.z))
    }

    public var voxelVolume: Double { spacing * spacing * spacing }

    /// The z-layer of a voxel index.
    @inline(__always) public func layer(ofVoxel v: Int) -> Int { v / (size.x * size.y) }

    /// The (i, j, k) of a voxel index.
    @inline(__always) public func coordinates(ofVoxel v: Int) -> SIMD3<Int> {
        SIMD3(v % size.x, (v / size.x) % size.y, v / (size.x * size.y))
    }

    /// Whether a point lies inside the grid's box (stray ions far outside do not).
    @inline(__always) public func covers(_ p: SIMD3<Double>) -> Bool {
        let hi = origin + SIMD3<Double>(size) * spacing
        return p.x >= origin.x && p.y >= origin.y && p.z >= origin.z && p.x <= hi.x && p.y <= hi.y && p.z <= hi.z
    }
}

/// `Int(x.rounded())` (halves away from zero) without the C library call Swift makes for
/// `rounded()` on baseline x86-64 (2.5 % of an `analyze` run, in the deposition and the nearest
/// voxel). The same value for every finite `x` that fits an Int: truncation, then the exact
/// remainder decides.
@inline(__always) func roundedToInt(_ x: Double) -> Int {
    let t = Int(x)
    let f = x - Double(t)
    return f >= 0.5 ? t + 1 : (f <= -0.5 ? t - 1 : t)
}
