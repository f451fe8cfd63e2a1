import XCTest
import APKTestSupport
import AtomProbe
@testable import AtomProbeAnalysis
import KitFoundation

final class IsoSurfaceTests: XCTestCase {
    /// A field that is `inside - |p - c|` around centres, max of several spheres.
    func sphereField(grid: VoxelGrid, spheres: [(SIMD3<Double>, Double)]) -> [Float] {
        var v = [Float](repeating: 0, count: grid.count)
        for k in 0..<grid.size.z { for j in 0..<grid.size.y { for i in 0..<grid.size.x {
            let p = grid.center(i, j, k)
            v[grid.index(i, j, k)] = Float(spheres.map { 50 + ($0.1 - Vec3.length(p - $0.0)) }.max()!)
        } } }
        return v
    }

    /// Closed form: a sphere of radius 12 nm at threshold 50 has area 4 pi R^2 and volume
    /// 4/3 pi R^3; the extracted surface is within 1 %, watertight and oriented outwards.
    func testSphereAreaVolumeWatertight() {
        let grid = VoxelGrid(origin: SIMD3(-16, -16, -16), spacing: 1, size: SIMD3(32, 32, 32))
        let r = 12.0
        let field = sphereField(grid: grid, spheres: [(SIMD3(0.3, -0.2, 0.1), r)])
        let res = IsoSurface.extract(values: field, mask: Array(repeating: true, count: grid.count), grid: grid, threshold: 50)
        let mesh = res.mesh
        XCTAssertEqual(res.objectCount, 1)
        XCTAssertEqual(mesh.boundaryEdgeCount(), 0)
        XCTAssertEqual(mesh.inconsistentEdgeCount(), 0)
        assertClose(mesh.area(), 4 * Double.pi * r * r, within: .discretization(0.01 * 4 * Double.pi * r * r, "sphere area 4 pi r^2 on a 1 nm grid: 1 %"))
        assertClose(mesh.volume(), 4.0 / 3 * Double.pi * r * r * r, within: .discretization(0.01 * 4.0 / 3 * Double.pi * r * r * r, "sphere volume 4/3 pi r^3 on a 1 nm grid: 1 %"))
        // Normals point away from the centre (out of the high-value region).
        for t in stride(from: 0, to: mesh.triangles.count, by: 37) {
            let (a, b, c) = mesh.corners(t)
            XCTAssertGreaterThan(Vec3.dot(mesh.areaNormal(t), (a + b + c) / 3 - SIMD3(0.3, -0.2, 0.1)), 0)
        }
    }

    /// Saddle configurations: two touching spheres and a field of random values stay watertight.
    func testWatertightOnAmbiguousFields() {
        let grid = VoxelGrid(origin: .zero, spacing: 1, size: SIMD3(20, 20, 20))
        var rng = SeededRandom(seed: 9)
        let noise = (0..<grid.count).map { _ in Float(rng.uniform() * 100) }
        // The outer layer is outside the data, so every surface closes.
        var mask = Array(repeating: true, count: grid.count)
        for k in 0..<20 { for j in 0..<20 { for i in 0..<20 where [i, j, k].contains(0) || [i, j, k].contains(19) { mask[grid.index(i, j, k)] = false } } }
        for threshold in [30.0, 50.0, 70.0] {
            let m = IsoSurface.extract(values: noise, mask: mask, grid: grid, threshold: threshold).mesh
            XCTAssertFalse(m.isEmpty)
            XCTAssertEqual(m.boundaryEdgeCount(), 0, "threshold \(threshold)")
            XCTAssertEqual(m.inconsistentEdgeCount(), 0, "threshold \(threshold)")
        }
        let two = sphereField(grid: grid, spheres: [(SIMD3(6, 10, 10), 4.3), (SIMD3(14.6, 10, 10), 4.3)])
        let res = IsoSurface.extract(values: two, mask: Array(repeating: true, count: grid.count), grid: grid, threshold: 50)
        XCTAssertEqual(res.mesh.boundaryEdgeCount(), 0)
    }

    /// Masked voxels close surfaces at the data edge; the object is flagged as touching it.
    func testClosingAtTheDataEdge() {
        let grid = VoxelGrid(origin: .zero, spacing: 1, size: SIMD3(20, 20, 20))
        let field = sphereField(grid: grid, spheres: [(SIMD3(10, 10, 10), 6)])
        var mask = Array(repeating: true, count: grid.count)
        for k in 0..<grid.size.z { for j in 0..<grid.size.y { for i in 0..<grid.size.x where i > 12 { mask[grid.index(i, j, k)] = false } } }
        let closed = IsoSurface.extract(values: field, mask: mask, grid: grid, threshold: 50)
        XCTAssertEqual(closed.mesh.boundaryEdgeCount(), 0)
        XCTAssertEqual(closed.touchesEdge, [1])
        XCTAssertGreaterThan(closed.mesh.volume(), 0)
        let open = IsoSurface.extract(values: field, mask: mask, grid: grid, threshold: 50, closeAtEdges: false)
        XCTAssertGreaterThan(open.mesh.boundaryEdgeCount(), 0)
        XCTAssertLessThan(open.mesh.triangles.count, closed.mesh.triangles.count)
    }
}
