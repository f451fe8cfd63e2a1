import Foundation
import AtomProbe
import KitFoundation
import ParallelLoops

/// Exact distance from points to a triangle mesh, signed by angle-weighted pseudo-normals
/// (Bærentzen & Aanæs, IEEE TVCG 2005): negative outside the surface (the side its normals point
/// to), positive inside.
///
/// Two grids keep the cost near linear in points: coarse bins of triangles, searched ring by ring,
/// and a fine query grid whose every cell near the surface holds the only triangles that can be
/// nearest to a point in it (those within d(c) + 2h of the cell centre c, with d(c) the centre's
/// distance to the mesh and h the half diagonal: for p in the cell d(p) <= d(c) + h, so a nearest
/// triangle lies within d(c) + 2h of c). Each list is sorted by the triangles' distance to the
/// cell centre, which bounds their distance to any point of the cell from below (minus h): a
/// query stops at the first triangle that cannot beat the best found, so it tests a handful.
public struct MeshDistance: Sendable {
    public let mesh: TriangleMesh
    /// Only distances up to this are computed; farther points get `nil`.
    public let maxDistance: Double
    let normals: PseudoNormals
    /// Coarse bins of triangles, searched ring by ring.
    let bins: CellGrid
    /// Chebyshev distance (in cells) from each bin to the nearest non-empty bin, capped at 255.
    let emptyRadius: [UInt8]
    /// Query grid: candidate triangles per cell; cells with no list are farther than maxDistance
    /// (or hold no ion to query).
    private(set) var candidates: CellGrid
    /// Per candidate item: its triangle's distance to the cell centre (the lists' sort key).
    private(set) var candidateDistance: [Float] = []
    /// Half the query cell's diagonal.
    private(set) var halfDiagonal = 0.0
    let triCenter: [SIMD3<Double>]
    let triRadius: [Double]
    /// The corners of every triangle, three in a row (no index lookups in the hot loops).
    let corners: [SIMD3<Double>]

    public struct Hit: Sendable {
        /// Signed distance (nm): < 0 outside, > 0 inside.
        public var distance: Double
        public var triangle: Int32
    }

    /// The query grid's lattice over the whole mesh (a copy's lists may cover a part of it).
    let queryOrigin: SIMD3<Double>
    let queryCell: Double
    let queryDims: SIMD3<Int>

    /// - Parameter occupied: when given, candidate lists are built only for query cells meeting an
    ///   occupied voxel (one holding an ion to be queried); points elsewhere answer nil.
    /// - Throws: when the lists would hold more than 2^31 entries (build them by parts: `withLists`).
    public init(mesh: TriangleMesh, maxDistance: Double, cellSize: Double? = nil, occupied: (grid: VoxelGrid, voxels: [Bool])? = nil) throws {
        self.init(searchOnly: mesh, maxDistance: maxDistance, cellSize: cellSize)
        try buildLists(occupied.map { (QueryVoxels(grid: $0.grid, dense: $0.voxels), 0..<$0.grid.size.z) })
    }

    /// The search structures without query lists: every query answers nil until a copy gets
    /// lists (`withLists`). Copies share these arrays.
    init(searchOnly mesh: TriangleMesh, maxDistance: Double, cellSize: Double? = nil) {
        self.mesh = mesh
        self.maxDistance = maxDistance
        normals = PseudoNormals(mesh)
        var lo = SIMD3<Double>(repeating: .infinity), hi = SIMD3<Double>(repeating: -.infinity)
        for v in mesh.vertices { lo = pointwiseMin(lo, v); hi = pointwiseMax(hi, v) }
        if mesh.vertices.isEmpty { lo = .zero; hi = .zero }
        // Bins sized to the typical triangle, at least 1 nm.
        let c = cellSize ?? max(1.0, maxDistance / 3)
        let (origin, dims) = CellGrid.dimensions(lo: lo, hi: hi, margin: maxDistance + c, cell: c)
        let boxes = mesh.triangles.indices.map { t -> (SIMD3<Int>, SIMD3<Int>) in
            let (a, b, cc) = mesh.corners(t)
            let tlo = pointwiseMin(a, pointwiseMin(b, cc)), thi = pointwiseMax(a, pointwiseMax(b, cc))
            return (SIMD3<Int>((0..<3).map { Int(((tlo[$0] - origin[$0]) / c).rounded(.down)) }),
                    SIMD3<Int>((0..<3).map { Int(((thi[$0] - origin[$0]) / c).rounded(.down)) }))
        }
        bins = CellGrid(origin: origin, cell: c, dims: dims, boxes: boxes)
        emptyRadius = Self.emptyRadius(bins, rings: Int((maxDistance / c).rounded(.up)) + 2)
        var centers = [SIMD3<Double>](), radii = [Double]()
        centers.reserveCapacity(mesh.triangles.count); radii.reserveCapacity(mesh.triangles.count)
        for t in mesh.triangles.indices {
            let (a, b, cc) = mesh.corners(t)
            let m = (a + b + cc) / 3
            centers.append(m); radii.append(max(Vec3.length(a - m), Vec3.length(b - m), Vec3.length(cc - m)))
        }
        triCenter = centers; triRadius = radii
        var flat = [SIMD3<Double>]()
        flat.reserveCapacity(3 * mesh.triangles.count)
        for t in mesh.triangles.indices { let (a, b, c) = mesh.corners(t); flat += [a, b, c] }
        corners = flat
        let q = Self.queryCell(maxDistance)
        (queryOrigin, queryDims) = CellGrid.dimensions(lo: lo, hi: hi, margin: maxDistance + q, cell: q)
        queryCell = q
        halfDiagonal = q * 3.0.squareRoot() / 2
        candidates = CellGrid(origin: queryOrigin, cell: q, dims: .zero, start: [0], items: [])
    }

    /// The query grid's cell (nm) for a reach of `maxDistance`.
    static func queryCell(_ maxDistance: Double) -> Double { min(1.4, max(0.25, maxDistance / 4)) }

    /// Bytes of the search grids over a box of `extent` (nm, the surface's) for a reach of
    /// `maxDistance`, estimated in floating point before anything is allocated: per query cell its
    /// list start (4 bytes) and its wanted flag (1), per bin its start and its empty radius.
    static func gridBytes(extent: SIMD3<Double>, maxDistance: Double) -> Double {
        let q = queryCell(maxDistance), c = max(1.0, maxDistance / 3)
        func cells(_ h: Double, margin: Double) -> Double { (0..<3).reduce(1.0) { $0 * max(1, ((extent[$1] + 2 * margin) / h).rounded(.up)) } }
        return 5 * cells(q, margin: maxDistance + q) + 5 * cells(c, margin: maxDistance + c)
    }

    /// A copy sharing the search structures, with query lists for the occupied voxels of the
    /// given z-layers only (its query grid cropped to them): the same answers as lists for every
    /// voxel, for points in those layers.
    public func withLists(for voxels: QueryVoxels, layers: Range<Int>) throws -> MeshDistance {
        var copy = self
        try copy.buildLists((voxels, layers))
        return copy
    }

    /// Builds the query lists: for every cell, or for the cells meeting an occupied voxel of
    /// `layers` (the grid cropped along z to those cells).
    mutating func buildLists(_ occupied: (voxels: QueryVoxels, layers: Range<Int>)?) throws {
        let qd = queryDims, q = queryCell
        var qo = queryOrigin
        var dims = qd
        var wanted: [Bool]?
        if let (voxels, layers) = occupied {
            let g = voxels.grid
            // The query cells' z-range that these layers' voxels can meet.
            let probe = CellGrid(origin: qo, cell: q, dims: qd, start: [], items: [])
            let eps = 1e-6 * max(1, g.spacing)
            let zLo = g.origin.z + Double(layers.lowerBound) * g.spacing - eps, zHi = g.origin.z + Double(layers.upperBound) * g.spacing + eps
            let k0 = max(0, probe.axisCell(zLo, axis: 2)), k1 = min(qd.z - 1, probe.axisCell(zHi, axis: 2))
            dims.z = max(0, k1 - k0 + 1)
            qo.z += Double(k0) * q
            var w = [Bool](repeating: false, count: dims.x * dims.y * dims.z)
            let crop = CellGrid(origin: qo, cell: q, dims: dims, start: [], items: [])
            if dims.z > 0 {
                voxels.forEach(in: layers) { v in
                    let a = g.origin + SIMD3<Double>(g.coordinates(ofVoxel: v)) * g.spacing - SIMD3(repeating: eps)
                    let b = a + SIMD3(repeating: g.spacing + 2 * eps)
                    let lo = SIMD3<Int>((0..<3).map { max(0, crop.axisCell(a[$0], axis: $0)) })
                    let hi = SIMD3<Int>((0..<3).map { min(dims[$0] - 1, crop.axisCell(b[$0], axis: $0)) })
                    guard lo.x <= hi.x, lo.y <= hi.y, lo.z <= hi.z else { return }
                    for kk in lo.z...hi.z { for jj in lo.y...hi.y { for ii in lo.x...hi.x { w[crop.index(ii, jj, kk)] = true } } }
                }
            }
            wanted = w
        }
        (candidates, candidateDistance) = try candidateLists(origin: qo, cell: q, dims: dims, wanted: wanted)
    }

    /// Distance (in cells) from every cell to the nearest non-empty cell by a Chebyshev sweep of
    /// `rings` rings at most; 255 beyond.
    static func emptyRadius(_ g: CellGrid, rings needed: Int) -> [UInt8] {
        var radius = [UInt8](repeating: 255, count: g.cellCount)
        var frontier: [Int] = []
        for k in 0..<g.cellCount where g.start[k + 1] > g.start[k] { radius[k] = 0; frontier.append(k) }
        var r: UInt8 = 0
        while !frontier.isEmpty && Int(r) < min(254, needed) {
            r += 1
            var nextFrontier: [Int] = []
            for f in frontier {
                let c = g.coordinates(f)
                for dk in -1...1 { for dj in -1...1 { for di in -1...1 {
                    let a = c.x + di, b = c.y + dj, cc = c.z + dk
                    guard a >= 0, b >= 0, cc >= 0, a < g.dims.x, b < g.dims.y, cc < g.dims.z else { continue }
                    let nb = g.index(a, b, cc)
                    if radius[nb] == 255 { radius[nb] = r; nextFrontier.append(nb) }
                } } }
            }
            frontier = nextFrontier
        }
        return radius
    }

    /// The query grid: per cell near the surface, the only triangles that can be nearest to a
    /// point in it (those within d(c) + 2h of the cell centre c, h the half diagonal).
    func candidateLists(origin qo: SIMD3<Double>, cell q: Double, dims qd: SIMD3<Int>, wanted: [Bool]?) throws -> (CellGrid, [Float]) {
        let h = q * 3.0.squareRoot() / 2
        let nQ = qd.x * qd.y * qd.z
        var lists: [([Int32], [Float])] = (mesh.triangles.isEmpty ? [] : Parallel.map(nQ, minChunk: 256) { range -> ([Int32], [Float]) in
            // Per chunk: counts then items, flattened as [n, items..., n, items...], and the items' keys.
            var out: [Int32] = [], keys: [Float] = []
            var stamp = [Int32](repeating: -1, count: mesh.triangles.count)
            var hint: Int32 = -1  // the previous cell's nearest triangle: a good first guess next door
            for cidx in range {
                if let wanted, !wanted[cidx] { out.append(0); continue }
                let i = cidx % qd.x, j = (cidx / qd.x) % qd.y, k = cidx / (qd.x * qd.y)
                let c = qo + SIMD3(Double(i) + 0.5, Double(j) + 0.5, Double(k) + 0.5) * q
                guard let near = self.nearestByRings(c, limit: maxDistance + h, hint: hint) else { out.append(0); continue }
                hint = near.triangle
                let radius = near.distance + 2 * h
                var found: [(Float, Int32)] = []
                self.forEachTriangle(near: c, within: radius) { t in
                    if stamp[Int(t)] != Int32(cidx) {
                        stamp[Int(t)] = Int32(cidx)
                        // Bounding spheres first: most triangles of the bins are farther.
                        let dc = Vec3.length(c - triCenter[Int(t)])
                        guard dc - triRadius[Int(t)] <= radius else { return }
                        let d = Vec3.length(c - MeshDistance.closestPoint(c, corners[3 * Int(t)], corners[3 * Int(t) + 1], corners[3 * Int(t) + 2]).0)
                        if d <= radius { found.append((Float(d), t)) }
                    }
                }
                found.sort { ($0.0, $0.1) < ($1.0, $1.1) }
                out.append(Int32(found.count)); out += found.map(\.1); keys += found.map(\.0)
            }
            return (out, keys)
        })
        // Flattened into one CSR list, each task's part released once copied (no second copy of
        // the lists alive at once).
        var parts = lists
        lists = []
        let total = parts.reduce(0) { $0 + $1.1.count }
        guard total < Int(Int32.max) else {
            throw AtomProbeError(.invalidInput, "the distance query lists would hold \(total) entries (at most 2^31 in one slab)", remedy: .moreDistanceSlabs)
        }
        var qs = [Int32](repeating: 0, count: nQ + 1)
        var qi: [Int32] = [], qk: [Float] = []
        qi.reserveCapacity(total); qk.reserveCapacity(total)
        var cell = 0
        for t in parts.indices {
            let (chunk, keys) = parts[t]
            parts[t] = ([], [])
            var k = 0
            qk += keys
            while k < chunk.count {
                let n = Int(chunk[k])
                qi.append(contentsOf: chunk[(k + 1)..<(k + 1 + n)])
                qs[cell + 1] = Int32(qi.count)
                cell += 1; k += 1 + n
            }
        }
        return (CellGrid(origin: qo, cell: q, dims: qd, start: qs, items: qi), qk)
    }

    /// The nearest triangle within `maxDistance` and the signed distance to it, or nil.
    public func query(_ p: SIMD3<Double>) -> Hit? {
        guard let cq = candidates.cell(containing: p) else { return nil }
        let cells = candidates.range(candidates.index(cq.x, cq.y, cq.z))
        guard !cells.isEmpty else { return nil }
        var best = maxDistance * maxDistance
        var bestD = maxDistance
        var bestT: Int32 = -1
        var bestPoint = SIMD3<Double>.zero
        var bestFeature = 0
        // No point of the cell is nearer to a triangle than its distance to the centre less h.
        let slack = Float(halfDiagonal) * 1.0001 + 1e-6
        for s in cells {
            if candidateDistance[s] - slack > Float(bestD) { break }
            let t = candidates.items[s]
            // Cheap cull: the triangle lies within triRadius of its centre.
            let dc = p - triCenter[Int(t)]
            let reach = bestD + triRadius[Int(t)]
            if Vec3.dot(dc, dc) > reach * reach { continue }
            let (qp, feature) = MeshDistance.closestPoint(p, corners[3 * Int(t)], corners[3 * Int(t) + 1], corners[3 * Int(t) + 2])
            let d = p - qp
            let d2 = Vec3.dot(d, d)
            if d2 < best || (d2 == best && t < bestT) { best = d2; bestD = d2.squareRoot(); bestT = t; bestPoint = qp; bestFeature = feature }
        }
        guard bestT >= 0 else { return nil }
        let n = normals.normal(mesh, Int(bestT), feature: bestFeature)
        let outside = Vec3.dot(p - bestPoint, n) >= 0
        return Hit(distance: outside ? -bestD : bestD, triangle: bestT)
    }

    /// Calls `body` for every triangle binned in cells within `radius` of `p` (with repeats).
    func forEachTriangle(near p: SIMD3<Double>, within radius: Double, _ body: (Int32) -> Void) {
        let lo = SIMD3<Int>((0..<3).map { max(0, bins.axisCell(p[$0] - radius, axis: $0)) })
        let hi = SIMD3<Int>((0..<3).map { min(bins.dims[$0] - 1, bins.axisCell(p[$0] + radius, axis: $0)) })
        guard lo.x <= hi.x, lo.y <= hi.y, lo.z <= hi.z else { return }
        for k in lo.z...hi.z { for j in lo.y...hi.y { for i in lo.x...hi.x {
            for s in bins.range(bins.index(i, j, k)) { body(bins.items[s]) }
        } } }
    }

    /// Ring search over the coarse bins: the nearest triangle within `limit`, unsigned.
    /// `hint`, a triangle likely near (or -1), starts the search with its distance as the bound.
    func nearestByRings(_ p: SIMD3<Double>, limit maxDistance: Double, hint: Int32 = -1) -> Hit? {
        guard let c0 = bins.cell(containing: p) else { return nil }
        let ci = c0.x, cj = c0.y, ck = c0.z, dims = bins.dims, cell = bins.cell
        let r0 = Int(emptyRadius[bins.index(ci, cj, ck)])
        if r0 == 255 { return nil }
        // A triangle in a cell r rings away is at least (r - 1) * cell from p.
        if Double(r0 - 1) * cell > maxDistance { return nil }
        var best = maxDistance * maxDistance
        var bestT: Int32 = -1
        if hint >= 0 {
            let d = p - MeshDistance.closestPoint(p, corners[3 * Int(hint)], corners[3 * Int(hint) + 1], corners[3 * Int(hint) + 2]).0
            let d2 = Vec3.dot(d, d)
            if d2 <= best { best = d2; bestT = hint }
        }
        let rMax = Int((maxDistance / cell).rounded(.up)) + 1
        var r = r0
        while r <= rMax {
            if Double(r - 1) * cell * Double(r - 1) * cell > best && r > 0 { break }
            for k in (ck - r)...(ck + r) {
                guard k >= 0, k < dims.z else { continue }
                for j in (cj - r)...(cj + r) {
                    guard j >= 0, j < dims.y else { continue }
                    let onShellKJ = abs(k - ck) == r || abs(j - cj) == r
                    var i = ci - r
                    while i <= ci + r {
                        if i >= 0 && i < dims.x {
                            for s in bins.range(bins.index(i, j, k)) {
                                let t = bins.items[s]
                                let d = p - MeshDistance.closestPoint(p, corners[3 * Int(t)], corners[3 * Int(t) + 1], corners[3 * Int(t) + 2]).0
                                let d2 = Vec3.dot(d, d)
                                if d2 < best || (d2 == best && t < bestT) { best = d2; bestT = t }
                            }
                        }
                        // Inner cells of this shell were visited in earlier rings: jump across.
                        i += (onShellKJ || i == ci + r) ? 1 : 2 * r
                    }
                }
            }
            r += 1
        }
        guard bestT >= 0 else { return nil }
        return Hit(distance: best.squareRoot(), triangle: bestT)
    }
}

/// Angle-weighted pseudo-normals of a mesh's faces, vertices and edges (Bærentzen & Aanæs): the
/// sign of a point's distance comes from the normal of the nearest feature.
struct PseudoNormals: Sendable {
    let face: [SIMD3<Double>]
    let vertex: [SIMD3<Double>]
    let edge: [SIMD2<Int32>: SIMD3<Double>]

    init(_ mesh: TriangleMesh) {
        var fn = [SIMD3<Double>](repeating: .zero, count: mesh.triangles.count)
        var vn = [SIMD3<Double>](repeating: .zero, count: mesh.vertices.count)
        var en: [SIMD2<Int32>: SIMD3<Double>] = [:]
        for t in mesh.triangles.indices {
            let n = mesh.areaNormal(t)
            let l = Vec3.length(n)
            let u = l > 0 ? n / l : .zero
            fn[t] = u
            let tri = mesh.triangles[t]
            let ids = [tri.x, tri.y, tri.z]
            for q in 0..<3 {
                let a = mesh.vertices[Int(ids[q])], b = mesh.vertices[Int(ids[(q + 1) % 3])], c = mesh.vertices[Int(ids[(q + 2) % 3])]
                let e1 = b - a, e2 = c - a
                let l1 = Vec3.length(e1), l2 = Vec3.length(e2)
                if l1 > 0 && l2 > 0 {
                    let angle = acos(max(-1, min(1, Vec3.dot(e1, e2) / (l1 * l2))))
                    vn[Int(ids[q])] += angle * u
                }
                let key = SIMD2(min(ids[q], ids[(q + 1) % 3]), max(ids[q], ids[(q + 1) % 3]))
                en[key, default: .zero] += u
            }
        }
        face = fn; vertex = vn; edge = en
    }

    /// The normal of feature `feature` of triangle t (1-3 vertices, 4-6 edges, else the face).
    func normal(_ mesh: TriangleMesh, _ t: Int, feature: Int) -> SIMD3<Double> {
        let tri = mesh.triangles[t]
        switch feature {
        case 1: return vertex[Int(tri.x)]
        case 2: return vertex[Int(tri.y)]
        case 3: return vertex[Int(tri.z)]
        case 4: return edge[SIMD2(min(tri.x, tri.y), max(tri.x, tri.y))] ?? face[t]
        case 5: return edge[SIMD2(min(tri.y, tri.z), max(tri.y, tri.z))] ?? face[t]
        case 6: return edge[SIMD2(min(tri.z, tri.x), max(tri.z, tri.x))] ?? face[t]
        default: return face[t]
        }
    }

}

extension MeshDistance {
    /// Closest point on triangle abc to p (Ericson, Real-Time Collision Detection, 5.1.5) and the
    /// feature it lies on: 0 face, 1-3 vertex a/b/c, 4 edge ab, 5 edge bc, 6 edge ca.
    public static func closestPoint(_ p: SIMD3<Double>, _ a: SIMD3<Double>, _ b: SIMD3<Double>, _ c: SIMD3<Double>) -> (SIMD3<Double>, Int) {
        let ab = b - a, ac = c - a, ap = p - a
        let d1 = Vec3.dot(ab, ap), d2 = Vec3.dot(ac, ap)
        if d1 <= 0 && d2 <= 0 { return (a, 1) }
        let bp = p - b
        let d3 = Vec3.dot(ab, bp), d4 = Vec3.dot(ac, bp)
        if d3 >= 0 && d4 <= d3 { return (b, 2) }
        let vc = d1 * d4 - d3 * d2
        if vc <= 0 && d1 >= 0 && d3 <= 0 {
            let v = d1 / (d1 - d3)
            return (a + v * ab, 4)
        }
        let cp = p - c
        let d5 = Vec3.dot(ab, cp), d6 = Vec3.dot(ac, cp)
        if d6 >= 0 && d5 <= d6 { return (c, 3) }
        let vb = d5 * d2 - d1 * d6
        if vb <= 0 && d2 >= 0 && d6 <= 0 {
            let w = d2 / (d2 - d6)
            return (a + w * ac, 6)
        }
        let va = d3 * d6 - d5 * d4
        if va <= 0 && (d4 - d3) >= 0 && (d5 - d6) >= 0 {
            let w = (d4 - d3) / ((d4 - d3) + (d5 - d6))
            return (b + w * (c - b), 5)
        }
        let denom = 1 / (va + vb + vc)
        let v = vb * denom, w = vc * denom
        return (a + ab * v + ac * w, 0)
    }
}
