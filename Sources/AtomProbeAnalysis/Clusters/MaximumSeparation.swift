import Foundation
import AtomProbe
import KitFoundation

/// Solute clusters by the maximum separation method (Hyde & English 2000; Vaumousse, Cerezo &
/// Warren 2003), as the commercial suite, 3Depict and paraprobe (DBSCAN) offer it:
/// 1. solute ions (those holding a solute element) closer than `dmax` are linked; with order k,
///    only solutes with at least k other solutes within `dmax` (cores) link (k = 1: classic);
/// 2. groups with fewer than `nmin` solute atoms are not clusters;
/// 3. envelope: every other ranged ion within `envelope` of a cluster's solute joins it;
/// 4. erosion: cluster ions within `erosion` of an ion outside the cluster leave it.
/// Neighbours come from a cell grid of the search distance, so the cost is near linear.
public struct MaximumSeparation: Sendable {
    public struct Options: Sendable {
        public var solutes: [String]
        public var dmax = 0.5
        public var nmin = 10
        public var order = 1
        /// Default: dmax.
        public var envelope: Double?
        /// Default: half the envelope distance, as is usual (0 for none). Solutes are never eroded
        /// (every ion outside lies farther than the envelope from them), so a larger erosion
        /// enriches the cluster in solute and a smaller one dilutes it: cluster compositions depend
        /// on the envelope and the erosion (the tests bracket the truth between E = L/2 and E = L).
        public var erosion: Double?
        public var memory = MemoryBudget.standard

        public init(solutes: [String]) { self.solutes = solutes }

        func validated(_ table: RangeTable) throws -> Options {
            let env = envelope ?? dmax, ero = erosion ?? env / 2
            if let problem = Validation.firstProblem([
                (!solutes.isEmpty, "give at least one solute element"),
                (dmax > 0 && dmax.isFinite && dmax <= 10, "dmax must be in (0, 10] nm, got \(dmax)"),
                (nmin >= 1 && nmin <= 1_000_000, "nmin must be 1-1000000, got \(nmin)"),
                (order >= 1 && order <= 100, "order must be 1-100, got \(order)"),
                (env >= 0 && env.isFinite && env <= 10, "envelope must be in [0, 10] nm, got \(env)"),
                (ero >= 0 && ero.isFinite && ero <= env, "erosion must be in [0, envelope] nm, got \(ero)"),
            ]) { throw AtomProbeError.invalid(problem) }
            let known = Set(table.symbols)
            if let missing = solutes.first(where: { !known.contains($0) }) {
                throw AtomProbeError.invalid("solute \(missing) is not in the range file (it has \(table.symbols.joined(separator: ", ")))")
            }
            var o = self
            o.envelope = env; o.erosion = ero
            return o
        }
    }

    public struct Cluster: Sendable {
        public var id: Int
        public var soluteAtoms: Int
        public var atoms: Int
        public var ions: Int
        public var centroid: SIMD3<Double>
        /// sqrt(mean squared distance of its ions from the centroid) (nm).
        public var radiusOfGyration: Double
        public var composition: Composition
        /// Solute content from the Guinier radius and the local atomic density (independent of
        /// the envelope and erosion distances); nil for clusters too small to estimate.
        public var guinier: GuinierEstimate?
    }

    public let options: Options
    public let clusters: [Cluster]
    /// The ranged ions in no cluster.
    public let matrix: Composition
    /// Per ion: its cluster (1...) or 0.
    public let clusterOfIon: [Int32]

    public init(_ recon: Reconstruction, ranged: RangedIons, options given: Options, progress: ((String) -> Void)? = nil) throws {
        let table = ranged.table
        try table.requireElements(for: "cluster search needs element symbols")
        let options = try given.validated(table)
        let soluteSet = Set(options.solutes)
        let isSoluteType = table.ions.map { ion in ion.atoms.contains { soluteSet.contains($0.symbol) } }
        let soluteAtomsOfType = table.ions.map { ion in ion.atoms.filter { soluteSet.contains($0.symbol) }.reduce(0) { $0 + $1.count } }
        let n = recon.count
        try options.memory.require(Double(n) * 64, for: "a cluster search over \(n) ions")
        func position(_ i: Int) -> SIMD3<Double> { SIMD3(Double(recon.x[i]), Double(recon.y[i]), Double(recon.z[i])) }
        let finite = (0..<n).map { recon.x[$0].isFinite && recon.y[$0].isFinite && recon.z[$0].isFinite }
        let solutes = (0..<n).filter { finite[$0] && ranged.ionType[$0] >= 0 && isSoluteType[Int(ranged.ionType[$0])] }
        progress?("\(solutes.count) solute ions (\(options.solutes.joined(separator: ", "))); linking within \(options.dmax) nm")
        // 1. Links between solutes (cores only for order > 1), union-find.
        let grid = try PointGrid(solutes.map(position), cell: options.dmax)
        let d2 = options.dmax * options.dmax
        var neighbours = [Int](repeating: 0, count: solutes.count)
        if options.order > 1 {
            for a in solutes.indices {
                grid.forEach(near: position(solutes[a]), within: options.dmax) { b in
                    if b != a, Vec3.lengthSquared(position(solutes[a]) - position(solutes[b])) <= d2 { neighbours[a] += 1 }
                }
            }
        }
        let core = solutes.indices.map { options.order == 1 || neighbours[$0] >= options.order }
        var parent = Array(solutes.indices)
        func find(_ x: Int) -> Int { var x = x; while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }; return x }
        for a in solutes.indices where core[a] {
            grid.forEach(near: position(solutes[a]), within: options.dmax) { b in
                guard b > a, core[b], Vec3.lengthSquared(position(solutes[a]) - position(solutes[b])) <= d2 else { return }
                let ra = find(a), rb = find(b)
                if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
            }
        }
        // 2. Groups of at least nmin solute atoms, numbered by decreasing size.
        var soluteAtoms: [Int: Int] = [:]
        for a in solutes.indices where core[a] { soluteAtoms[find(a), default: 0] += soluteAtomsOfType[Int(ranged.ionType[solutes[a]])] }
        let kept = soluteAtoms.filter { $0.value >= options.nmin }.sorted { ($0.value, -$0.key) > ($1.value, -$1.key) }
        var idOfRoot: [Int: Int32] = [:]
        for (k, g) in kept.enumerated() { idOfRoot[g.key] = Int32(k + 1) }
        var clusterOf = [Int32](repeating: 0, count: n)
        var members: [[Int]] = Array(repeating: [], count: kept.count + 1)
        for a in solutes.indices where core[a] {
            if let id = idOfRoot[find(a)] { clusterOf[solutes[a]] = id; members[Int(id)].append(solutes[a]) }
        }
        progress?("\(kept.count) cluster(s) of at least \(options.nmin) solute atoms")
        // 3. Envelope: other ranged ions within the envelope distance of a cluster's solute.
        let env = options.envelope ?? 0
        if env > 0, !kept.isEmpty {
            let clustered = members.flatMap { $0 }
            let cgrid = try PointGrid(clustered.map(position), cell: env)
            for i in 0..<n where finite[i] && ranged.ionType[i] >= 0 && clusterOf[i] == 0 {
                let p = position(i)
                var best = env * env, id: Int32 = 0
                cgrid.forEach(near: p, within: env) { b in
                    let q = Vec3.lengthSquared(p - position(clustered[b]))
                    if q <= best { best = q; id = clusterOf[clustered[b]] }
                }
                clusterOf[i] = id
            }
        }
        // 4. Erosion: cluster ions within the erosion distance of a ranged ion outside it.
        let ero = options.erosion ?? 0
        if ero > 0, !kept.isEmpty {
            let ranged0 = (0..<n).filter { finite[$0] && ranged.ionType[$0] >= 0 }
            let all = try PointGrid(ranged0.map(position), cell: ero)
            var leave: [Int] = []
            let e2 = ero * ero
            for i in ranged0 where clusterOf[i] > 0 {
                let p = position(i), c = clusterOf[i]
                var near = false
                all.forEach(near: p, within: ero) { b in
                    if !near, clusterOf[ranged0[b]] != c, Vec3.lengthSquared(p - position(ranged0[b])) < e2 { near = true }
                }
                if near { leave.append(i) }
            }
            for i in leave { clusterOf[i] = 0 }
        }
        // Per cluster: counts, centroid, radius of gyration, composition; and the matrix.
        var ionCounts = Array(repeating: [Int](repeating: 0, count: table.ions.count), count: kept.count + 1)
        var sum = [SIMD3<Double>](repeating: .zero, count: kept.count + 1), sum2 = [Double](repeating: 0, count: kept.count + 1)
        var ions = [Int](repeating: 0, count: kept.count + 1)
        var unrangedMatrix = 0
        for i in 0..<n where finite[i] {
            let t = Int(ranged.ionType[i])
            guard t >= 0 else { unrangedMatrix += 1; continue }
            let c = Int(clusterOf[i])
            ionCounts[c][t] += 1
            if c > 0 { let p = position(i); sum[c] += p; sum2[c] += Vec3.lengthSquared(p); ions[c] += 1 }
        }
        // The Guinier estimate needs the atoms around each cluster: a grid of every ranged ion.
        let rangedAll = (0..<n).filter { finite[$0] && ranged.ionType[$0] >= 0 }
        let atomsOfType = table.ions.map { $0.atoms.reduce(0) { $0 + $1.count } }
        let allGrid = try PointGrid(rangedAll.map(position), cell: 1)
        var out: [Cluster] = []
        for c in 1..<(kept.count + 1) where ions[c] > 0 {
            let guinier = GuinierEstimate.estimate(solutes: members[c].map { (position($0), soluteAtomsOfType[Int(ranged.ionType[$0])]) }) { p, r, body in
                allGrid.forEach(near: p, within: r) { b in body(position(rangedAll[b]), atomsOfType[Int(ranged.ionType[rangedAll[b]])]) }
            }
            let centroid = sum[c] / Double(ions[c])
            let rg = max(0, sum2[c] / Double(ions[c]) - Vec3.lengthSquared(centroid)).squareRoot()
            let comp = try CompositionAnalysis.composition(ionCounts: ionCounts[c], unranged: 0, table: table)
            let solute = zip(ionCounts[c], soluteAtomsOfType).reduce(0) { $0 + $1.0 * $1.1 }
            out.append(Cluster(id: out.count + 1, soluteAtoms: solute, atoms: comp.total, ions: ions[c], centroid: centroid,
                               radiusOfGyration: rg, composition: comp, guinier: guinier))
        }
        self.options = options
        clusters = out
        matrix = try CompositionAnalysis.composition(ionCounts: ionCounts[0], unranged: unrangedMatrix, table: table)
        clusterOfIon = clusterOf
    }
}

/// Points binned in cubic cells (CSR), for neighbour searches within about one cell.
struct PointGrid {
    let origin: SIMD3<Double>
    let cell: Double
    let dims: SIMD3<Int>
    let start: [Int32]
    let items: [Int32]

    init(_ points: [SIMD3<Double>], cell: Double) throws {
        var lo = SIMD3<Double>(repeating: .infinity), hi = SIMD3<Double>(repeating: -.infinity)
        for p in points { lo = pointwiseMin(lo, p); hi = pointwiseMax(hi, p) }
        if points.isEmpty { lo = .zero; hi = .zero }
        let ext = (hi - lo) / cell
        guard (0..<3).allSatisfy({ ext[$0].isFinite && ext[$0] < 1e6 }), (ext.x + 1) * (ext.y + 1) * (ext.z + 1) < 2e8 else {
            throw AtomProbeError.invalid(String(format: "a neighbour grid of %.3g nm cells over this data would be too large; use a larger distance", cell))
        }
        let dims = SIMD3(Int(ext.x) + 1, Int(ext.y) + 1, Int(ext.z) + 1)
        self.dims = dims
        origin = lo
        self.cell = cell
        let count = dims.x * dims.y * dims.z
        var counts = [Int32](repeating: 0, count: count + 1)
        var cellOf = [Int](repeating: 0, count: points.count)
        for (k, p) in points.enumerated() {
            let c = SIMD3<Int>((0..<3).map { min(dims[$0] - 1, Int((p[$0] - lo[$0]) / cell)) })
            cellOf[k] = c.x + dims.x * (c.y + dims.y * c.z)
            counts[cellOf[k] + 1] += 1
        }
        for k in 0..<count { counts[k + 1] += counts[k] }
        var fill = counts
        var items = [Int32](repeating: 0, count: points.count)
        for k in points.indices { items[Int(fill[cellOf[k]])] = Int32(k); fill[cellOf[k]] += 1 }
        start = counts
        self.items = items
    }

    /// Calls `body` with every point in cells within `radius` of `p` (a superset of the points
    /// within `radius`).
    func forEach(near p: SIMD3<Double>, within radius: Double, _ body: (Int) -> Void) {
        let lo = SIMD3<Int>((0..<3).map { max(0, Int(((p[$0] - radius - origin[$0]) / cell).rounded(.down))) })
        let hi = SIMD3<Int>((0..<3).map { min(dims[$0] - 1, Int(((p[$0] + radius - origin[$0]) / cell).rounded(.down))) })
        guard lo.x <= hi.x, lo.y <= hi.y, lo.z <= hi.z else { return }
        for k in lo.z...hi.z { for j in lo.y...hi.y { for i in lo.x...hi.x {
            let c = i + dims.x * (j + dims.y * k)
            for s in Int(start[c])..<Int(start[c + 1]) { body(Int(items[s])) }
        } } }
    }
}

/// Helps choose dmax: the distribution of each solute's distance to its k-th nearest solute,
/// against the same with the solute labels given to random ranged ions (same count). Clusters
/// show as an excess at short distances; dmax goes where the two curves part.
public struct SoluteSpacing: Sendable {
    public let order: Int
    /// Bin centres (nm) and the fraction of solutes per bin, measured and randomized.
    public let distance: [Double]
    public let measured: [Double]
    public let randomized: [Double]

    public init(_ recon: Reconstruction, ranged: RangedIons, solutes: [String], order: Int = 1, maxDistance: Double = 2,
                binWidth: Double = 0.02, seed: UInt64 = 1) throws {
        let table = ranged.table
        let set = Set(solutes)
        let isSolute = table.ions.map { ion in ion.atoms.contains { set.contains($0.symbol) } }
        let n = recon.count
        func position(_ i: Int) -> SIMD3<Double> { SIMD3(Double(recon.x[i]), Double(recon.y[i]), Double(recon.z[i])) }
        let rangedFinite = (0..<n).filter { ranged.ionType[$0] >= 0 && recon.x[$0].isFinite && recon.y[$0].isFinite && recon.z[$0].isFinite }
        let real = rangedFinite.filter { isSolute[Int(ranged.ionType[$0])] }
        var rng = SeededRandom(seed: seed)
        var shuffled = rangedFinite
        for k in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(k, Int(rng.uniform() * Double(k + 1)) % (k + 1)) }
        let fake = Array(shuffled.prefix(real.count))
        let bins = max(1, Int((maxDistance / binWidth).rounded(.up)))
        func histogram(_ ions: [Int]) throws -> [Double] {
            var h = [Double](repeating: 0, count: bins)
            guard !ions.isEmpty else { return h }
            let points = ions.map(position)
            let grid = try PointGrid(points, cell: max(binWidth, maxDistance / 2))
            for (a, p) in points.enumerated() {
                var near: [Double] = []
                grid.forEach(near: p, within: maxDistance) { b in
                    if b != a { let d = Vec3.length(p - points[b]); if d < maxDistance { near.append(d) } }
                }
                guard near.count >= order else { continue }
                near.sort()
                h[min(bins - 1, Int(near[order - 1] / binWidth))] += 1
            }
            return h.map { $0 / Double(ions.count) }
        }
        self.order = order
        distance = (0..<bins).map { (Double($0) + 0.5) * binWidth }
        measured = try histogram(real)
        randomized = try histogram(fake)
    }
}
