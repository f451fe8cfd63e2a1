/// A triangle mesh with shared vertices (nm), e.g. an iso-surface. Triangles are counter-
/// clockwise seen from the side their normal points to; `objectID` labels each triangle
/// (0 = unassigned).
public struct TriangleMesh: Sendable, Equatable {
    public var vertices: [SIMD3<Double>]
    public var triangles: [SIMD3<Int32>]
    public var objectID: [Int32]

    public init(vertices: [SIMD3<Double>] = [], triangles: [SIMD3<Int32>] = [], objectID: [Int32]? = nil) {
        self.vertices = vertices
        self.triangles = triangles
        self.objectID = objectID ?? Array(repeating: 0, count: triangles.count)
    }

    public var isEmpty: Bool { triangles.isEmpty }

    public func corners(_ t: Int) -> (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>) {
        let tri = triangles[t]
        return (vertices[Int(tri.x)], vertices[Int(tri.y)], vertices[Int(tri.z)])
    }

    /// Unnormalized normal (length = twice the area), by the right-hand rule.
    public func areaNormal(_ t: Int) -> SIMD3<Double> {
        let (a, b, c) = corners(t)
        return Vec3.cross(b - a, c - a)
    }

    public func area(_ t: Int) -> Double { Vec3.length(areaNormal(t)) / 2 }

    /// Total area of the triangles whose object id passes `filter` (all when nil).
    public func area(object: Int32? = nil) -> Double {
        var s = 0.0
        for t in triangles.indices where object == nil || objectID[t] == object! { s += area(t) }
        return s
    }

    /// Enclosed volume by the divergence theorem (positive when normals point outwards);
    /// exact for a closed surface.
    public func volume(object: Int32? = nil) -> Double {
        var s = 0.0
        for t in triangles.indices where object == nil || objectID[t] == object! {
            let (a, b, c) = corners(t)
            s += (a * Vec3.cross(b, c)).sum()
        }
        return s / 6
    }

    /// Edges used by other than exactly two triangles (0 for a closed, watertight surface).
    public func boundaryEdgeCount() -> Int {
        var uses: [SIMD2<Int32>: Int] = [:]
        for t in triangles {
            for (a, b) in [(t.x, t.y), (t.y, t.z), (t.z, t.x)] {
                uses[SIMD2(min(a, b), max(a, b)), default: 0] += 1
            }
        }
        return uses.values.filter { $0 != 2 }.count
    }

    /// Directed edges that appear twice in the same direction (0 for a consistently oriented surface).
    public func inconsistentEdgeCount() -> Int {
        var directed: [SIMD2<Int32>: Int] = [:]
        for t in triangles {
            for (a, b) in [(t.x, t.y), (t.y, t.z), (t.z, t.x)] { directed[SIMD2(a, b), default: 0] += 1 }
        }
        return directed.values.filter { $0 > 1 }.count
    }
}

/// Vector helpers for points and directions in nm.
public enum Vec3 {
    @inlinable public static func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
    }
    @inlinable public static func dot(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { (a * b).sum() }
    @inlinable public static func length(_ a: SIMD3<Double>) -> Double { (a * a).sum().squareRoot() }
    @inlinable public static func lengthSquared(_ a: SIMD3<Double>) -> Double { (a * a).sum() }
}
