import Foundation
import AtomProbe
import KitFoundation

/// An ion's signed distance to the iso-surface and the object of the nearest surface, as the
/// passes of step 3 need it: `raw` against every surface found, `resolve` against the kept ones
/// (ions in or within the bulk distance of a dropped object get NaN: they are in no region).
/// Caps at the data edge are no interface and are left out (`SurfaceObjects.cap`).
///
/// What it holds is the grid's labels and occupancy and the meshes' search structures: the
/// concentration field itself is not needed (and is freed) once the surface is known. The query
/// lists of a large surface are built per z-slab of the grid (`slabs`), one at a time.
public struct DistanceResolver: Sendable {
    let grid: VoxelGrid
    /// The voxels holding ions (where queries will come from).
    let occupied: QueryVoxels
    /// The occupied voxels near dropped objects (after `dropObjects`): the second pass and the
    /// kept surfaces' queries come only from these.
    var nearDropped: QueryVoxels?
    let bulkDistance: Double
    let maxDistance: Double
    /// Search structures of the raw surface (with query lists when there is one slab).
    var rawDistance: MeshDistance
    /// Per voxel: the raw object it lies in (0: none).
    let rawLabels: [Int32]
    /// Voxel z-layers of each slab; one slab (everything) unless the query lists would not fit.
    public let slabs: [Range<Int>]
    var keptDistance: MeshDistance?
    /// Per raw object: kept by the size filters (empty until `dropObjects`).
    var kept: [Bool] = []
    /// Boxes around the dropped objects holding every ion whose nearest surface is theirs.
    public internal(set) var droppedBoxes: [(min: SIMD3<Double>, max: SIMD3<Double>)] = []
    /// Raw object id -> final id (0: dropped); identity until `renumber`.
    var finalID: [Int32]?

    /// Query lists take about this much memory per triangle (measured: 1e8 and 1e9 ions), about
    /// 450 entries of 8 bytes.
    static let listBytesPerTriangle = 3600.0
    /// At most this many list entries are planned per slab (the lists index with Int32).
    static let maxEntriesPerSlab = 1.0e9

    init(grid: VoxelGrid, occupied: [Bool], mesh: TriangleMesh, cap: [Bool], labels: [Int32], maxDistance: Double, bulkDistance: Double,
         slabs requested: Int? = nil, budget: MemoryBudget = .standard) throws {
        self.grid = grid
        self.occupied = QueryVoxels(grid: grid, dense: occupied)
        self.maxDistance = maxDistance
        self.bulkDistance = bulkDistance
        let raw = Self.interface(mesh, cap)
        rawLabels = labels
        // The search grids span the surface plus the reach on every side (the surface lies in the
        // field's grid): estimated before they are allocated (issue 23, 3).
        try budget.require(MeshDistance.gridBytes(extent: SIMD3<Double>(grid.size) * grid.spacing, maxDistance: maxDistance),
                           for: String(format: "distance search grids reaching %g nm from the surface", maxDistance))
        let estimate = Self.listBytesPerTriangle * Double(raw.triangles.count)
        // Clamped in floating point before the conversion (a budget near 0 must not trap).
        let planned = max((estimate / (0.25 * budget.bytes)).rounded(.up), (estimate / 8 / Self.maxEntriesPerSlab).rounded(.up))
        let wanted = requested ?? Int(min(planned.isNaN ? 1 : planned, 1e6))
        slabs = Self.slabs(max(1, wanted), of: raw, grid: grid)
        // One slab: the lists of every occupied cell, built once. Several: built per slab, in `slab`.
        rawDistance = MeshDistance(searchOnly: raw, maxDistance: maxDistance)
        if slabs.count == 1 { rawDistance = try rawDistance.withLists(for: self.occupied, layers: 0..<grid.size.z) }
    }

    /// `n` runs of z-layers holding about equal numbers of triangles (the lists follow the
    /// triangles), at least four layers each.
    static func slabs(_ n: Int, of mesh: TriangleMesh, grid: VoxelGrid) -> [Range<Int>] {
        let layers = grid.size.z
        let n = min(n, max(1, layers / 4))
        guard n > 1 else { return [0..<layers] }
        var perLayer = [Int](repeating: 0, count: layers)
        for t in mesh.triangles.indices {
            let (a, b, c) = mesh.corners(t)
            let g = ((a.z + b.z + c.z) / 3 - grid.origin.z) / grid.spacing
            perLayer[g.isFinite ? roundedToInt(min(max(g, 0), Double(layers - 1))) : 0] += 1
        }
        // Cut where the running count passes each multiple of total / n.
        let total = max(1, perLayer.reduce(0, +))
        var cuts = [0], running = 0
        for k in 0..<layers {
            running += perLayer[k]
            let s = cuts.count
            if s < n, running * n >= s * total, k + 1 - cuts.last! >= 4, layers - (k + 1) >= 4 * (n - s) { cuts.append(k + 1) }
        }
        cuts.append(layers)
        return (0..<(cuts.count - 1)).map { cuts[$0]..<cuts[$0 + 1] }
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

    /// The resolver with the query lists of slab `s` only (it answers for points whose nearest
    /// voxel lies in the slab's layers; `foldSlabs` routes them). With one slab, itself.
    /// `nearDroppedOnly`: lists only where the second pass asks.
    public func slab(_ s: Int, nearDroppedOnly: Bool = false) throws -> DistanceResolver {
        guard slabs.count > 1 else { return self }
        let layers = slabs[s]
        var r = self
        let near = nearDropped ?? occupied
        r.rawDistance = try rawDistance.withLists(for: nearDroppedOnly ? near : occupied, layers: layers)
        if let keptDistance { r.keptDistance = try keptDistance.withLists(for: near, layers: layers) }
        return r
    }

    /// Distance and raw object against every surface: NaN for a non-finite position or a stray
    /// outside the field; -inf / +inf beyond the reach, by the voxel's label.
    @inline(__always)
    func raw(_ p: SIMD3<Double>) -> (Float, Int32) {
        measure(p, rawDistance, keptOnly: false)
    }

    @inline(__always)
    func measure(_ p: SIMD3<Double>, _ md: MeshDistance, keptOnly: Bool) -> (Float, Int32) {
        guard p.x.isFinite, p.y.isFinite, p.z.isFinite, grid.covers(p) else { return (.nan, 0) }
        if let hit = md.query(p) { return (Float(hit.distance), md.mesh.objectID[Int(hit.triangle)]) }
        if let v = grid.nearestVoxel(p) {
            let o = rawLabels[v]
            if o > 0, !keptOnly || kept[Int(o)] { return (.infinity, o) }
        }
        return (-.infinity, 0)
    }

    /// After the size filters: the kept surfaces, and the boxes near the dropped objects. The
    /// kept surfaces are asked only about ions whose nearest surface is a dropped one: their
    /// query lists cover the occupied voxels in those boxes.
    mutating func dropObjects(keep: [Bool], keptMesh: TriangleMesh, keptCap: [Bool]) throws {
        kept = keep
        // Per dropped object: its voxels' box and its triangles' box, widened by the reach.
        var lo = [SIMD3<Double>](repeating: SIMD3(repeating: .infinity), count: keep.count)
        var hi = [SIMD3<Double>](repeating: SIMD3(repeating: -.infinity), count: keep.count)
        let g = grid
        for v in rawLabels.indices where rawLabels[v] > 0 && !keep[Int(rawLabels[v])] {
            let o = Int(rawLabels[v])
            let ijk = g.coordinates(ofVoxel: v)
            let c = g.center(ijk.x, ijk.y, ijk.z)
            lo[o] = pointwiseMin(lo[o], c); hi[o] = pointwiseMax(hi[o], c)
        }
        let raw = rawDistance.mesh
        for t in raw.triangles.indices where !keep[Int(raw.objectID[t])] {
            let o = Int(raw.objectID[t])
            let (a, b, c) = raw.corners(t)
            lo[o] = pointwiseMin(lo[o], pointwiseMin(a, pointwiseMin(b, c))); hi[o] = pointwiseMax(hi[o], pointwiseMax(a, pointwiseMax(b, c)))
        }
        let widen = SIMD3<Double>(repeating: maxDistance + 2 * g.spacing)
        droppedBoxes = (1..<keep.count).filter { !keep[$0] && lo[$0].x <= hi[$0].x }.map { (lo[$0] - widen, hi[$0] + widen) }
        let near = Self.voxels(meeting: droppedBoxes, grid: g, among: occupied.dense)
        nearDropped = near
        var md = MeshDistance(searchOnly: Self.interface(keptMesh, keptCap), maxDistance: maxDistance)
        if slabs.count == 1 { md = try md.withLists(for: near, layers: 0..<g.size.z) }
        keptDistance = md
    }

    /// The voxels among `flags` whose cube (the points nearest to its centre) meets a box: as
    /// indices when few (under 1/16 of the grid), as flags otherwise.
    static func voxels(meeting boxes: [(min: SIMD3<Double>, max: SIMD3<Double>)], grid g: VoxelGrid, among flags: [Bool]) -> QueryVoxels {
        var marked = [Bool](repeating: false, count: g.count)
        var count = 0
        for box in boxes {
            // Voxel i's cube spans origin + [i, i + 1] h on each axis (one voxel of margin).
            let lo = SIMD3<Int>((0..<3).map { a in Int(max(0, ((box.min[a] - g.origin[a]) / g.spacing).rounded(.down) - 1)) })
            let hi = SIMD3<Int>((0..<3).map { a in Int(max(-1, min(Double(g.size[a] - 1), ((box.max[a] - g.origin[a]) / g.spacing).rounded(.down) + 1))) })
            guard lo.x <= hi.x, lo.y <= hi.y, lo.z <= hi.z else { continue }
            for k in lo.z...hi.z { for j in lo.y...hi.y { for i in lo.x...hi.x {
                let v = g.index(i, j, k)
                if flags[v] && !marked[v] { marked[v] = true; count += 1 }
            } } }
        }
        guard count < g.count / 16 else { return QueryVoxels(grid: g, dense: marked) }
        var sparse: [Int] = []
        sparse.reserveCapacity(count)
        for v in marked.indices where marked[v] { sparse.append(v) }
        return QueryVoxels(grid: g, sparse: sparse)
    }

    /// Distance and object against the kept surfaces; NaN for ions in or within the bulk
    /// distance of a dropped object (whose nearest surface of all is a dropped one).
    @inline(__always)
    public func resolve(_ p: SIMD3<Double>) -> (Float, Int32) {
        let (d0, o0) = raw(p)
        guard let keptDistance, o0 > 0, !kept[Int(o0)] else { return (d0, finalID.map { $0[Int(o0)] } ?? o0) }
        if d0 >= Float(-bulkDistance) { return (.nan, 0) }
        let (d, o) = measure(p, keptDistance, keptOnly: true)
        return (d, finalID.map { $0[Int(o)] } ?? o)
    }

    mutating func renumber(_ newID: [Int32]) { finalID = newID }
}
