import AtomProbe
import KitFoundation

/// An ion's signed distance to the iso-surface and the object of the nearest surface, as the
/// passes of step 3 need it: `raw` against every surface found, `resolve` against the kept ones
/// (ions in or within the bulk distance of a dropped object get NaN: they are in no region).
/// Caps at the data edge are no interface and are left out (`SurfaceObjects.cap`).
public struct DistanceResolver: Sendable {
    let field: ConcentrationField
    let bulkDistance: Double
    let maxDistance: Double
    var rawDistance: MeshDistance
    let rawLabels: [Int32]
    /// Surfaces without caps (the raw one, and the kept one after `dropObjects`).
    let rawMesh: TriangleMesh
    var keptMesh: TriangleMesh?
    /// Voxel z-layers of each slab; one slab (everything) unless the query lists would not fit.
    public let slabs: [Range<Int>]
    var keptDistance: MeshDistance?
    var keptLabels: [Int32] = []
    /// Per raw object: kept by the size filters.
    var kept: [Bool] = []
    /// Boxes around the dropped objects holding every ion whose nearest surface is theirs.
    public internal(set) var droppedBoxes: [(min: SIMD3<Double>, max: SIMD3<Double>)] = []
    /// Raw object id -> final id (0: dropped); identity until `renumber`.
    var finalID: [Int32]?

    /// Query lists take about this much memory per triangle (measured: 1e8 and 1e9 ions).
    static let listBytesPerTriangle = 3600.0

    init(field: ConcentrationField, mesh: TriangleMesh, cap: [Bool], labels: [Int32], maxDistance: Double, bulkDistance: Double,
         occupied: some IonSource, slabs requested: Int? = nil, budget: MemoryBudget = .standard) {
        self.field = field
        self.maxDistance = maxDistance
        self.bulkDistance = bulkDistance
        rawMesh = Self.interface(mesh, cap)
        rawLabels = labels
        let layers = field.grid.size.z
        let estimate = Self.listBytesPerTriangle * Double(rawMesh.triangles.count)
        let wanted = requested ?? Int((estimate / (0.25 * budget.bytes)).rounded(.up))
        let n = min(max(1, wanted), max(1, layers / 4))
        slabs = (0..<n).map { s in (layers * s / n)..<(layers * (s + 1) / n) }
        // One slab: the lists of every occupied cell, built once. Several: built per slab, in `slab`.
        rawDistance = MeshDistance(mesh: rawMesh, maxDistance: maxDistance, occupied: (field.grid, n == 1 ? field.occupied : []))
    }

    /// The resolver restricted to slab `s` (its query lists only), and whether a point lies in the
    /// slab (by the z-layer of its nearest voxel). With one slab, itself and every point.
    public func slab(_ s: Int) -> (resolver: DistanceResolver, contains: (SIMD3<Double>) -> Bool) {
        guard slabs.count > 1 else { return (self, { _ in true }) }
        let layers = slabs[s], g = field.grid
        var occupied = field.occupied
        let perLayer = g.size.x * g.size.y
        for v in occupied.indices where occupied[v] && !layers.contains(v / perLayer) { occupied[v] = false }
        var r = self
        r.rawDistance = MeshDistance(mesh: rawMesh, maxDistance: maxDistance, occupied: (g, occupied))
        if let keptMesh { r.keptDistance = MeshDistance(mesh: keptMesh, maxDistance: maxDistance, occupied: (g, occupied)) }
        return (r, { p in g.nearestVoxel(p).map { layers.contains($0 / perLayer) } ?? (s == 0) })
    }

    /// The triangles that are not caps.
    static func interface(_ full: TriangleMesh, _ cap: [Bool]) -> TriangleMesh {
        var mesh = TriangleMesh(vertices: full.vertices)
        for t in full.triangles.indices where !cap[t] {
            mesh.triangles.append(full.triangles[t])
            mesh.objectID.append(full.objectID[t])
        }
        return mesh
    }

    /// Distance and raw object against every surface: NaN for a non-finite position or a stray
    /// outside the field; -inf / +inf beyond the reach, by the voxel's label.
    @inline(__always)
    func raw(_ p: SIMD3<Double>) -> (Float, Int32) {
        measure(p, rawDistance, rawLabels)
    }

    @inline(__always)
    func measure(_ p: SIMD3<Double>, _ md: MeshDistance, _ labels: [Int32]) -> (Float, Int32) {
        guard p.x.isFinite, p.y.isFinite, p.z.isFinite, field.covers(p) else { return (.nan, 0) }
        if let hit = md.query(p) { return (Float(hit.distance), md.mesh.objectID[Int(hit.triangle)]) }
        if let v = field.grid.nearestVoxel(p), labels[v] > 0 { return (.infinity, labels[v]) }
        return (-.infinity, 0)
    }

    /// After the size filters: the kept surfaces, and the boxes near the dropped objects.
    mutating func dropObjects(keep: [Bool], keptMesh: TriangleMesh, keptCap: [Bool], occupied: some IonSource) {
        kept = keep
        let interface = Self.interface(keptMesh, keptCap)
        self.keptMesh = interface
        keptDistance = MeshDistance(mesh: interface, maxDistance: maxDistance, occupied: (field.grid, slabs.count == 1 ? field.occupied : []))
        keptLabels = rawLabels.map { $0 > 0 && keep[Int($0)] ? $0 : 0 }
        // Per dropped object: its voxels' box and its triangles' box, widened by the reach.
        var lo = [SIMD3<Double>](repeating: SIMD3(repeating: .infinity), count: keep.count)
        var hi = [SIMD3<Double>](repeating: SIMD3(repeating: -.infinity), count: keep.count)
        let g = field.grid
        for v in rawLabels.indices where rawLabels[v] > 0 && !keep[Int(rawLabels[v])] {
            let o = Int(rawLabels[v])
            let i = v % g.size.x, j = (v / g.size.x) % g.size.y, k = v / (g.size.x * g.size.y)
            let c = g.center(i, j, k)
            lo[o] = pointwiseMin(lo[o], c); hi[o] = pointwiseMax(hi[o], c)
        }
        let raw = rawMesh
        for t in raw.triangles.indices where !keep[Int(raw.objectID[t])] {
            let o = Int(raw.objectID[t])
            let (a, b, c) = raw.corners(t)
            lo[o] = pointwiseMin(lo[o], pointwiseMin(a, pointwiseMin(b, c))); hi[o] = pointwiseMax(hi[o], pointwiseMax(a, pointwiseMax(b, c)))
        }
        let widen = SIMD3<Double>(repeating: maxDistance + 2 * g.spacing)
        droppedBoxes = (1..<keep.count).filter { !keep[$0] && lo[$0].x <= hi[$0].x }.map { (lo[$0] - widen, hi[$0] + widen) }
    }

    /// Distance and object against the kept surfaces; NaN for ions in or within the bulk
    /// distance of a dropped object (whose nearest surface of all is a dropped one).
    @inline(__always)
    public func resolve(_ p: SIMD3<Double>) -> (Float, Int32) {
        let (d0, o0) = raw(p)
        guard let keptDistance, o0 > 0, !kept[Int(o0)] else { return (d0, finalID.map { $0[Int(o0)] } ?? o0) }
        if d0 >= Float(-bulkDistance) { return (.nan, 0) }
        let (d, o) = measure(p, keptDistance, keptLabels)
        return (d, finalID.map { $0[Int(o)] } ?? o)
    }

    mutating func renumber(_ newID: [Int32]) { finalID = newID }
}
