import AtomProbe

/// The links of the maximum separation method: solutes closer than dmax link (with order k > 1
/// only cores, the solutes with at least k solute neighbours within dmax), and the groups are the
/// connected components (union-find). One implementation serves the search (`MaximumSeparation`)
/// and its label-randomized copies (`FalseClusters`).
enum SoluteLinks {
    /// Each point's group, named by the smallest index in it; nil for a point that is not a core.
    static func groups(_ points: [SIMD3<Double>], dmax: Double, order: Int) throws -> [Int?] {
        guard !points.isEmpty else { return [] }
        let grid = try PointGrid(points, cell: dmax)
        let d2 = dmax * dmax
        var core = [Bool](repeating: true, count: points.count)
        if order > 1 {
            for a in points.indices {
                var near = 0
                grid.forEach(near: points[a], within: dmax) { b in
                    if b != a, Vec3.lengthSquared(points[a] - points[b]) <= d2 { near += 1 }
                }
                core[a] = near >= order
            }
        }
        var parent = Array(points.indices)
        func find(_ x: Int) -> Int { var x = x; while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }; return x }
        for a in points.indices where core[a] {
            grid.forEach(near: points[a], within: dmax) { b in
                guard b > a, core[b], Vec3.lengthSquared(points[a] - points[b]) <= d2 else { return }
                let ra = find(a), rb = find(b)
                if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
            }
        }
        return points.indices.map { core[$0] ? find($0) : nil }
    }
}
