import Foundation
import AtomProbe

/// Iso-surface extraction by marching cubes over voxel centres, with the asymptotic decider on
/// ambiguous faces, so neighbouring cubes always agree on a shared face and the surface is
/// watertight (no cracks or holes between cells).
///
/// Instead of a fixed 256-case table, each cube's polygons are built by walking its six faces:
/// on each face the edge crossings are paired (an ambiguous face, with diagonal corners inside,
/// joins its inside corners when the bilinear saddle value reaches the threshold), the segments
/// are chained into closed cycles and each cycle is fanned into triangles. Because every face
/// decision depends only on the face's own four values, shared faces get identical segments.
///
/// The enclosed region is {value >= threshold}; triangle normals point out of it. Voxels outside
/// the specimen (masked) count as outside, which closes surfaces at the edge of the data;
/// with `closeAtEdges = false` the cubes touching masked voxels are left open instead.
public enum IsoSurface {
    /// Corners of a cube: bit 0 = +x, bit 1 = +y, bit 2 = +z.
    static let cornerOffset: [SIMD3<Int>] = (0..<8).map { SIMD3($0 & 1, ($0 >> 1) & 1, $0 >> 2) }
    /// Faces, corners counter-clockwise seen from outside the cube.
    static let faces: [[Int]] = [[0, 4, 6, 2], [1, 3, 7, 5], [0, 1, 5, 4], [2, 6, 7, 3], [0, 2, 3, 1], [4, 5, 7, 6]]

    public struct Result: Sendable {
        public var mesh: TriangleMesh
        /// Per voxel: the object (connected region >= threshold, 26-connected) it belongs to, 0 if none.
        public var labels: [Int32]
        public var objectCount: Int
        /// Objects with a voxel next to the grid boundary or to a masked voxel.
        public var touchesEdge: Set<Int32>
        /// Per triangle: true for a cap, made in a cube with a voxel outside the data. Caps close
        /// surfaces at the data edge (so volumes are computable) but are not interfaces.
        public var cap: [Bool]
    }

    /// Extracts the surface `values >= threshold`. `mask[k] == false` marks voxels outside the data.
    public static func extract(values: [Float], mask: [Bool], grid: VoxelGrid, threshold: Double,
                               closeAtEdges: Bool = true) -> Result {
        let n = grid.size
        let t = Float(threshold)
        let outsideValue = Float(threshold - 1000)
        @inline(__always) func value(_ idx: Int) -> Float { mask[idx] && values[idx].isFinite ? values[idx] : outsideValue }
        let inside = (0..<grid.count).map { mask[$0] && values[$0].isFinite && values[$0] >= t }
        let (labels, count, touches) = label(inside: inside, mask: mask, grid: grid)

        var surface = SurfaceBuilder()
        var corner = [Int](repeating: 0, count: 8)
        var v = [Float](repeating: 0, count: 8)
        var ins = [Bool](repeating: false, count: 8)
        var next = [Int](repeating: -1, count: 12)
        for k in 0..<(n.z - 1) {
            for j in 0..<(n.y - 1) {
                for i in 0..<(n.x - 1) {
                    var anyIn = false, anyOut = false, anyMasked = false
                    for c in 0..<8 {
                        let o = cornerOffset[c]
                        let idx = grid.index(i + o.x, j + o.y, k + o.z)
                        corner[c] = idx
                        v[c] = value(idx)
                        ins[c] = inside[idx]
                        if ins[c] { anyIn = true } else { anyOut = true }
                        if !mask[idx] { anyMasked = true }
                    }
                    guard anyIn && anyOut else { continue }
                    if anyMasked && !closeAtEdges { continue }
                    // Pair crossings on each face.
                    for e in 0..<12 { next[e] = -1 }
                    var cubeEdges: [Int] = []  // local edge codes 0..23 (corner*3+axis) used
                    pairFaceCrossings(inside: ins, values: v, threshold: threshold, next: &next, cubeEdges: &cubeEdges)
                    // The object of this cube: any inside corner's label (26-connectivity makes them equal).
                    var obj: Int32 = 0
                    for c in 0..<8 where ins[c] { obj = labels[corner[c]]; break }
                    // Chain segments into cycles and fan them (reversed so normals point outwards).
                    var visited = Set<Int>()
                    for start in cubeEdges where !visited.contains(start) {
                        var cycle: [Int] = []
                        var e = start
                        while !visited.contains(e) {
                            visited.insert(e); cycle.append(e)
                            e = next[slot(e)]
                            if e < 0 { break }
                        }
                        guard cycle.count >= 3 else { continue }
                        let ids = cycle.map { edge -> Int32 in
                            let lo = edge / 3, axis = edge % 3
                            let hi = lo | (1 << axis)
                            return surface.vertex(onGridEdge: corner[lo] * 3 + axis,
                                                  from: grid.center(i + cornerOffset[lo].x, j + cornerOffset[lo].y, k + cornerOffset[lo].z),
                                                  to: grid.center(i + cornerOffset[hi].x, j + cornerOffset[hi].y, k + cornerOffset[hi].z),
                                                  values: (Double(v[lo]), Double(v[hi])), threshold: threshold)
                        }
                        surface.addPolygon(cycle: cycle, vertices: ids, object: obj, cap: anyMasked)
                    }
                }
            }
        }
        return Result(mesh: TriangleMesh(vertices: surface.vertices, triangles: surface.triangles, objectID: surface.objectID),
                      labels: labels, objectCount: count, touchesEdge: touches, cap: surface.cap)
    }

    /// Cube edge code (lower corner * 3 + axis) of the edge between corners a and b.
    @inline(__always) static func edgeKey(_ a: Int, _ b: Int) -> Int {
        let lo = min(a, b), hi = max(a, b)
        let axis = (hi ^ lo) == 1 ? 0 : ((hi ^ lo) == 2 ? 1 : 2)
        return lo * 3 + axis
    }

    /// Pairs the edge crossings on each face of a cube into segments (`next` maps an exit edge to
    /// the entry edge that follows it); an ambiguous face, with diagonal corners inside, joins its
    /// inside corners when the bilinear saddle value reaches the threshold (asymptotic decider).
    static func pairFaceCrossings(inside ins: [Bool], values v: [Float], threshold: Double, next: inout [Int], cubeEdges: inout [Int]) {
        for f in faces {
            var crossings: [(edge: Int, exit: Bool)] = []
            for q in 0..<4 {
                let a = f[q], b = f[(q + 1) % 4]
                if ins[a] != ins[b] { crossings.append((edgeKey(a, b), ins[a])) }
            }
            if crossings.count == 2 {
                let (x, nE) = crossings[0].exit ? (crossings[0].edge, crossings[1].edge) : (crossings[1].edge, crossings[0].edge)
                link(&next, &cubeEdges, x, nE)
            } else if crossings.count == 4 {
                let f0 = Double(v[f[0]]), f1 = Double(v[f[1]]), f2 = Double(v[f[2]]), f3 = Double(v[f[3]])
                let denom = f0 + f2 - f1 - f3
                let saddle = denom != 0 ? (f0 * f2 - f1 * f3) / denom : (f0 + f1 + f2 + f3) / 4
                let joined = saddle >= threshold
                for q in 0..<4 where crossings[q].exit {
                    let partner = joined ? crossings[(q + 1) % 4] : crossings[(q + 3) % 4]
                    link(&next, &cubeEdges, crossings[q].edge, partner.edge)
                }
            }
        }
    }

    /// The surface as it grows cube by cube; a vertex on a grid edge is shared by the cubes around it.
    struct SurfaceBuilder {
        var vertices: [SIMD3<Double>] = []
        var vertexOf: [Int: Int32] = [:]
        var triangles: [SIMD3<Int32>] = []
        var objectID: [Int32] = []
        var cap: [Bool] = []

        /// The vertex where the grid edge `key` (from pa to pb, with these values) crosses the threshold.
        mutating func vertex(onGridEdge key: Int, from pa: SIMD3<Double>, to pb: SIMD3<Double>, values: (Double, Double), threshold: Double) -> Int32 {
            if let id = vertexOf[key] { return id }
            let (va, vb) = values
            let s = va == vb ? 0.5 : min(1, max(0, (threshold - va) / (vb - va)))
            vertices.append(pa + s * (pb - pa))
            let id = Int32(vertices.count - 1)
            vertexOf[key] = id
            return id
        }

        /// Triangulates a closed cycle of cube-edge crossings (reversed so normals point outwards):
        /// a fan from a vertex whose diagonals do not join two crossings of one face (a neighbouring
        /// cube could join the same pair), else a fan around the centroid.
        mutating func addPolygon(cycle: [Int], vertices ids: [Int32], object obj: Int32, cap isCap: Bool) {
            let m = cycle.count
            defer { cap += [Bool](repeating: isCap, count: triangles.count - cap.count) }
            if let s0 = (0..<m).first(where: { s0 in
                (2..<(m - 1)).allSatisfy { q in !IsoSurface.sharesFace(cycle[s0], cycle[(s0 + q) % m]) }
            }) {
                for q in 1..<(m - 1) {
                    triangles.append(SIMD3(ids[s0], ids[(s0 + q + 1) % m], ids[(s0 + q) % m]))
                    objectID.append(obj)
                }
            } else {
                let centroid = ids.reduce(SIMD3<Double>.zero) { $0 + vertices[Int($1)] } / Double(m)
                vertices.append(centroid)
                let c = Int32(vertices.count - 1)
                for q in 0..<m {
                    triangles.append(SIMD3(c, ids[(q + 1) % m], ids[q]))
                    objectID.append(obj)
                }
            }
        }
    }

    /// Cube edge codes (corner * 3 + axis, 0..23) map onto 12 slots.
    @inline(__always) static func slot(_ edge: Int) -> Int { slotOf[edge] }
    static let slotOf: [Int] = {
        var s = [Int](repeating: -1, count: 24)
        var k = 0
        for corner in 0..<8 {
            for axis in 0..<3 where corner & (1 << axis) == 0 { s[corner * 3 + axis] = k; k += 1 }
        }
        return s
    }()

    /// Faces (indices into `faces`) holding each cube edge code.
    static let facesOfEdge: [[Int]] = {
        var out = [[Int]](repeating: [], count: 24)
        for (fi, f) in faces.enumerated() {
            for q in 0..<4 {
                let a = f[q], b = f[(q + 1) % 4]
                let lo = min(a, b), hi = max(a, b)
                let axis = (hi ^ lo) == 1 ? 0 : ((hi ^ lo) == 2 ? 1 : 2)
                out[lo * 3 + axis].append(fi)
            }
        }
        return out
    }()

    @inline(__always) static func sharesFace(_ a: Int, _ b: Int) -> Bool {
        let fa = facesOfEdge[a]
        return facesOfEdge[b].contains { fa.contains($0) }
    }

    @inline(__always) static func link(_ next: inout [Int], _ used: inout [Int], _ from: Int, _ to: Int) {
        next[slot(from)] = to
        used.append(from)
    }

    /// 26-connected components of the inside voxels, and which touch the data edge.
    static func label(inside: [Bool], mask: [Bool], grid: VoxelGrid) -> ([Int32], Int, Set<Int32>) {
        let n = grid.size
        var labels = [Int32](repeating: 0, count: grid.count)
        var count: Int32 = 0
        var touches = Set<Int32>()
        var stack: [Int] = []
        for start in 0..<grid.count where inside[start] && labels[start] == 0 {
            count += 1
            labels[start] = count
            stack.append(start)
            while let idx = stack.popLast() {
                let v = grid.coordinates(ofVoxel: idx)
                let i = v.x, j = v.y, k = v.z
                for dk in -1...1 {
                    for dj in -1...1 {
                        for di in -1...1 where di != 0 || dj != 0 || dk != 0 {
                            let a = i + di, b = j + dj, c = k + dk
                            guard a >= 0, b >= 0, c >= 0, a < n.x, b < n.y, c < n.z else { touches.insert(count); continue }
                            let nb = grid.index(a, b, c)
                            if !mask[nb] { touches.insert(count) }
                            if inside[nb] && labels[nb] == 0 { labels[nb] = count; stack.append(nb) }
                        }
                    }
                }
            }
        }
        return (labels, Int(count), touches)
    }
}
