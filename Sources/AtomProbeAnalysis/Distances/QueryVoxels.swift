import AtomProbe

/// The voxels whose ions will be queried: every occupied voxel (dense flags) or a few (sorted
/// indices, e.g. those near dropped objects). Query lists are built only for cells meeting them.
public struct QueryVoxels: Sendable {
    public let grid: VoxelGrid
    let dense: [Bool]
    let sparse: [Int]

    public init(grid: VoxelGrid, dense: [Bool]) { self.grid = grid; self.dense = dense; sparse = [] }
    /// - Parameter sparse: voxel indices in increasing order.
    public init(grid: VoxelGrid, sparse: [Int]) { self.grid = grid; dense = []; self.sparse = sparse }  // sorted

    /// Calls `body` with each voxel of the z-layers `layers`, in index order.
    func forEach(in layers: Range<Int>, _ body: (Int) -> Void) {
        let perLayer = grid.size.x * grid.size.y
        let range = (layers.lowerBound * perLayer)..<(layers.upperBound * perLayer)
        if !dense.isEmpty {
            for v in range where dense[v] { body(v) }
        } else {
            var lo = 0, hi = sparse.count
            while lo < hi { let m = (lo + hi) / 2; if sparse[m] < range.lowerBound { lo = m + 1 } else { hi = m } }
            var k = lo
            while k < sparse.count, sparse[k] < range.upperBound { body(sparse[k]); k += 1 }
        }
    }
}
