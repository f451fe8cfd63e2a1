import Foundation
import AtomProbe
import KitFoundation
import ParallelLoops

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
        /// The reconstruction's blur, Gaussian sigma per axis (nm): its variance is subtracted from
        /// the solutes' R_g^2 in the Guinier estimate (nil: none subtracted, the estimate then
        /// overstates the radius and understates the content of small clusters).
        public var blur: SIMD3<Double>?
        /// Leave clusters that touch the dataset's edge out of the clusters (their ions in
        /// neither the clusters nor the matrix).
        public var excludeEdge = false
        /// Label-randomized copies searched for the expected false clusters (0: none).
        public var randomizations = 0
        /// A grid of dmax and nmin to sweep (`ClusterSweep.Grid` text), or nil.
        public var sweep: String?
        public var seed: UInt64 = 1

        public init(solutes: [String]) { self.solutes = solutes }

        /// The sweep's grid (nil without one).
        public func sweepGrid() throws -> ClusterSweep.Grid? {
            try sweep.map { try ClusterSweep.Grid(parsing: $0, dmax: dmax, nmin: nmin) }
        }

        /// Checks every parameter, naming it, before any file is read.
        public func checked() throws -> Options {
            let env = envelope ?? dmax, ero = erosion ?? env / 2
            try Validation.require([
                (!solutes.isEmpty, "solutes", "needs at least one element"),
                (dmax > 0 && dmax.isFinite && dmax <= 10, "dmax", "must be in (0, 10] nm, got \(dmax)"),
                (nmin >= 1 && nmin <= 1_000_000, "nmin", "must be 1-1000000, got \(nmin)"),
                (order >= 1 && order <= 100, "order", "must be 1-100, got \(order)"),
                (env >= 0 && env.isFinite && env <= 10, "envelope", "must be in [0, 10] nm, got \(env)"),
                (ero >= 0 && ero.isFinite && ero <= env, "erosion", "must be in [0, envelope] nm, got \(ero)"),
                (blur.map { b in (0..<3).allSatisfy { b[$0] >= 0 && b[$0] <= 10 } } ?? true, "blur_nm", "needs three sigmas in [0, 10] nm"),
                (randomizations >= 0 && randomizations <= 999, "randomizations", "must be 0-999, got \(randomizations)"),
            ])
            _ = try sweepGrid()
            var o = self
            o.envelope = env; o.erosion = ero
            return o
        }

        func validated(_ table: RangeTable) throws -> Options {
            let o = try checked()
            let known = Set(table.symbols)
            if let missing = solutes.first(where: { !known.contains($0) }) {
                throw AtomProbeError.invalid("solute \(missing) is not in the range file (it has \(table.symbols.joined(separator: ", ")))")
            }
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
        /// The cluster's density shell reaches outside the data: its size and content are not
        /// measurable as an interior cluster's (false when there is no Guinier estimate).
        public var touchesEdge: Bool { guinier?.touchesEdge ?? false }
    }

    public let options: Options
    public let clusters: [Cluster]
    /// The ranged ions in no cluster.
    public let matrix: Composition
    /// Per ion: its cluster (1...), 0, or -1 for an ion of a cluster at the edge left out (`excludeEdge`).
    public let clusterOfIon: [Int32]
    /// Clusters touching the edge left out (`excludeEdge`).
    public let edgeClustersExcluded: Int
    /// Groups of at least nmin solute atoms that the envelope and erosion left with fewer: not
    /// counted as clusters, their ions in the matrix.
    public let erodedBelowNmin: Int
    /// Finite ions far outside the bulk of the data (`SpecimenBounds`): in no cluster and not in the matrix.
    public let strayIons: Int

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
        // Ions with a non-finite position, and stray ions far outside the bulk of the data (one at
        // 3e38 nm would make every neighbour grid absurd), take no part; the strays are reported.
        let (finite, strays) = SpecimenBounds.usable(recon)
        strayIons = strays
        if strays > 0 { progress?("\(strays) ion(s) lie far outside the bulk of the data and are left out of the cluster search") }
        let solutes = (0..<n).filter { finite[$0] && ranged.ionType[$0] >= 0 && isSoluteType[Int(ranged.ionType[$0])] }
        progress?("\(solutes.count) solute ions (\(options.solutes.joined(separator: ", "))); linking within \(options.dmax) nm")
        // 1. Links between solutes (cores only for order > 1), union-find.
        let group = try SoluteLinks.groups(solutes.map(position), dmax: options.dmax, order: options.order)
        // 2. Groups of at least nmin solute atoms, numbered by decreasing size.
        var soluteAtoms: [Int: Int] = [:]
        for a in solutes.indices { if let g = group[a] { soluteAtoms[g, default: 0] += soluteAtomsOfType[Int(ranged.ionType[solutes[a]])] } }
        let kept = soluteAtoms.filter { $0.value >= options.nmin }.sorted { ($0.value, -$0.key) > ($1.value, -$1.key) }
        var idOfRoot: [Int: Int32] = [:]
        for (k, g) in kept.enumerated() { idOfRoot[g.key] = Int32(k + 1) }
        var clusterOf = [Int32](repeating: 0, count: n)
        var members: [[Int]] = Array(repeating: [], count: kept.count + 1)
        for a in solutes.indices {
            if let g = group[a], let id = idOfRoot[g] { clusterOf[solutes[a]] = id; members[Int(id)].append(solutes[a]) }
        }
        progress?("\(kept.count) cluster(s) of at least \(options.nmin) solute atoms")
        // 3. Envelope: other ranged ions within the envelope distance of a cluster's solute.
        let env = options.envelope ?? 0
        if env > 0, !kept.isEmpty {
            let clustered = members.flatMap { $0 }
            let cgrid = try PointGrid(clustered.map(position), cell: env)
            let slotPoints = cgrid.items.map { position(clustered[Int($0)]) }
            let slotCluster = cgrid.items.map { clusterOf[clustered[Int($0)]] }
            // Each free ion independently (in parallel): the cluster of its nearest clustered solute.
            let current = clusterOf
            let joins: [[(Int, Int32)]] = Parallel.map(n, minChunk: 1 << 16) { range in
                var out: [(Int, Int32)] = []
                for i in range where finite[i] && ranged.ionType[i] >= 0 && current[i] == 0 {
                    let p = position(i)
                    var best = env * env, id: Int32 = 0
                    cgrid.forEachSlot(near: p, within: env) { k in
                        let q = Vec3.lengthSquared(p - slotPoints[k])
                        if q <= best { best = q; id = slotCluster[k] }
                    }
                    if id != 0 { out.append((i, id)) }
                }
                return out
            }
            for part in joins { for (i, id) in part { clusterOf[i] = id } }
        }
        progress?("envelope (\(env) nm) done")
        // 4. Erosion: cluster ions within the erosion distance of a ranged ion outside it.
        let ero = options.erosion ?? 0
        // Every ranged ion (only when there are clusters): for the erosion, and for the Guinier
        // density shells, where the positions and atom counts are kept in cell order (contiguous
        // reads instead of random ones over the whole reconstruction).
        let rangedAll = kept.isEmpty ? [] : (0..<n).filter { finite[$0] && ranged.ionType[$0] >= 0 }
        let rangedPositions = rangedAll.map(position)
        if ero > 0, !kept.isEmpty {
            let ranged0 = rangedAll
            let all = try PointGrid(rangedPositions, cell: ero)
            let slotPoints = all.items.map { rangedPositions[Int($0)] }
            let slotCluster = all.items.map { clusterOf[ranged0[Int($0)]] }
            let e2 = ero * ero
            let current = clusterOf
            // Each clustered ion independently (in parallel): does an ion of another cluster or of
            // none lie within the erosion distance?
            let leave: [[Int]] = Parallel.map(ranged0.count, minChunk: 1 << 16) { range in
                var out: [Int] = []
                for r in range {
                    let i = ranged0[r], c = current[i]
                    guard c > 0 else { continue }
                    let p = position(i)
                    if all.containsSlot(near: p, within: ero, where: { k in slotCluster[k] != c && Vec3.lengthSquared(p - slotPoints[k]) < e2 }) {
                        out.append(i)
                    }
                }
                return out
            }
            for part in leave { for i in part { clusterOf[i] = 0 } }
        }
        progress?("erosion (\(ero) nm) done")
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
        let atomsOfType = table.ions.map { $0.atoms.reduce(0) { $0 + $1.count } }
        let shellGrid = try PointGrid(rangedPositions, cell: 1)
        let cellPoints = shellGrid.items.map { SIMD3<Float>(rangedPositions[Int($0)]) }
        let cellAtoms = shellGrid.items.map { Int32(atomsOfType[Int(ranged.ionType[rangedAll[Int($0)]])]) }
        // A cluster the erosion left with fewer than nmin solute atoms (its solutes within the
        // erosion distance of a neighbouring cluster's envelope) is no cluster: its ions return to
        // the matrix, and the count is reported (issue 23, 5).
        let soluteOf = (0..<(kept.count + 1)).map { c in zip(ionCounts[c], soluteAtomsOfType).reduce(0) { $0 + $1.0 * $1.1 } }
        var finalID = [Int32](repeating: 0, count: kept.count + 1), dropped = 0, next: Int32 = 0
        for c in 1..<(kept.count + 1) where ions[c] > 0 {
            guard soluteOf[c] >= options.nmin else {
                dropped += 1
                for t in ionCounts[c].indices { ionCounts[0][t] += ionCounts[c][t] }
                continue
            }
            next += 1
            finalID[c] = next
        }
        var out: [Cluster] = []
        for c in 1..<(kept.count + 1) where ions[c] > 0 && finalID[c] > 0 {
            let blurVariance = options.blur.map { ($0 * $0).sum() } ?? 0
            let guinier = GuinierEstimate.estimate(solutes: members[c].map { (position($0), soluteAtomsOfType[Int(ranged.ionType[$0])]) },
                                                   blurVariance: blurVariance) { p, r, body in
                shellGrid.forEachSlot(near: p, within: r) { k in body(SIMD3<Double>(cellPoints[k]), Int(cellAtoms[k])) }
            }
            let centroid = sum[c] / Double(ions[c])
            let rg = max(0, sum2[c] / Double(ions[c]) - Vec3.lengthSquared(centroid)).squareRoot()
            let comp = try CompositionAnalysis.composition(ionCounts: ionCounts[c], unranged: 0, table: table)
            out.append(Cluster(id: out.count + 1, soluteAtoms: soluteOf[c], atoms: comp.total, ions: ions[c], centroid: centroid,
                               radiusOfGyration: rg, composition: comp, guinier: guinier))
        }
        self.options = options
        // Edge clusters left out: out of the list (the others renumbered) and, as before, out of
        // the matrix, whose counts never held cluster ions.
        var renumber = [Int32](repeating: 0, count: out.count + 1)
        if options.excludeEdge {
            var kept: [Cluster] = []
            for c in out {
                if c.touchesEdge { renumber[c.id] = -1; continue }
                var c2 = c
                c2.id = kept.count + 1
                renumber[c.id] = Int32(c2.id)
                kept.append(c2)
            }
            edgeClustersExcluded = out.count - kept.count
            out = kept
        } else {
            for c in out { renumber[c.id] = Int32(c.id) }
            edgeClustersExcluded = 0
        }
        clusters = out
        matrix = try CompositionAnalysis.composition(ionCounts: ionCounts[0], unranged: unrangedMatrix, table: table)
        for i in clusterOf.indices where clusterOf[i] > 0 { clusterOf[i] = renumber[Int(finalID[Int(clusterOf[i])])] }
        clusterOfIon = clusterOf
        erodedBelowNmin = dropped
    }
}
