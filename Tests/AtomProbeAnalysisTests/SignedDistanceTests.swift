import XCTest
import APKTestSupport
import AtomProbe
@testable import AtomProbeAnalysis
import KitFoundation

final class SignedDistanceTests: XCTestCase {
    func sphereMesh(radius r: Double) -> TriangleMesh {
        let grid = VoxelGrid(origin: SIMD3(-16, -16, -16), spacing: 1, size: SIMD3(32, 32, 32))
        var v = [Float](repeating: 0, count: grid.count)
        for k in 0..<32 { for j in 0..<32 { for i in 0..<32 { v[grid.index(i, j, k)] = Float(50 + r - Vec3.length(grid.center(i, j, k))) } } }
        return IsoSurface.extract(values: v, mask: Array(repeating: true, count: grid.count), grid: grid, threshold: 50).mesh
    }

    /// Brute force: the indexed query equals the minimum over every triangle of the exact
    /// point-triangle distance (Ericson's closest point, checked against dense sampling below).
    func testIndexedQueryEqualsBruteForce() throws {
        let mesh = sphereMesh(radius: 9)
        let md = try MeshDistance(mesh: mesh, maxDistance: 6)
        var rng = SeededRandom(seed: 4)
        for _ in 0..<400 {
            let p = SIMD3(rng.uniform() * 30 - 15, rng.uniform() * 30 - 15, rng.uniform() * 30 - 15)
            var best = Double.infinity
            for t in mesh.triangles.indices {
                let (a, b, c) = mesh.corners(t)
                best = min(best, Vec3.length(p - MeshDistance.closestPoint(p, a, b, c).0))
            }
            if let hit = md.query(p) {
                assertClose(abs(hit.distance), best, within: .roundoff(1e-12, "brute-force nearest triangle"))
            } else {
                XCTAssertGreaterThan(best, 6)
            }
        }
    }

    /// Closed form: distance to a sphere of radius 9 is 9 - |p| (positive inside); the
    /// faceted surface is within 0.05 nm of it; signs are right everywhere.
    func testSignAndMagnitudeAgainstTheSphere() throws {
        let md = try MeshDistance(mesh: sphereMesh(radius: 9), maxDistance: 5)
        var rng = SeededRandom(seed: 5)
        for _ in 0..<2000 {
            let dir = SIMD3(rng.normal(), rng.normal(), rng.normal())
            let rr = 4.5 + rng.uniform() * 9
            let p = dir / Vec3.length(dir) * rr
            let expected = 9 - rr
            guard let hit = md.query(p) else { XCTAssertGreaterThan(abs(expected), 4.9); continue }
            assertClose(hit.distance, expected, within: .discretization(0.05, "distance to a sphere r - |p| against its 1 nm-grid mesh"))
        }
    }

    /// Closed form: closest points on one triangle for points over its face, edges and vertices.
    func testClosestPointFeatures() {
        let a = SIMD3<Double>(0, 0, 0), b = SIMD3<Double>(2, 0, 0), c = SIMD3<Double>(0, 2, 0)
        XCTAssertEqual(MeshDistance.closestPoint(SIMD3(0.5, 0.5, 3), a, b, c).0, SIMD3(0.5, 0.5, 0))
        XCTAssertEqual(MeshDistance.closestPoint(SIMD3(-1, -1, 1), a, b, c).1, 1)
        XCTAssertEqual(MeshDistance.closestPoint(SIMD3(3, -1, 0), a, b, c).1, 2)
        XCTAssertEqual(MeshDistance.closestPoint(SIMD3(1, -1, 0), a, b, c).0, SIMD3(1, 0, 0))
        XCTAssertEqual(MeshDistance.closestPoint(SIMD3(2, 2, 0), a, b, c).0, SIMD3(1, 1, 0))
        XCTAssertEqual(MeshDistance.closestPoint(SIMD3(2, 2, 0), a, b, c).1, 5)
        // Dense sampling of the triangle never beats the closest point.
        let p = SIMD3<Double>(1.7, 1.9, 0.4)
        let q = MeshDistance.closestPoint(p, a, b, c).0
        for u in stride(from: 0.0, through: 1, by: 0.02) { for v in stride(from: 0.0, through: 1 - u, by: 0.02) {
            XCTAssertGreaterThanOrEqual(Vec3.length(p - (a + u * (b - a) + v * (c - a))), Vec3.length(p - q) - 1e-12)
        } }
    }
}
