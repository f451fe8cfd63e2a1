import Foundation
import AtomProbe
import KitFoundation
import ParallelLoops

/// The chain of the study's Fig. 5 and Table 1 for any reconstruction: concentration field ->
/// iso-surface at a threshold -> objects -> signed distance of every ion -> proxigrams and
/// bulk / inside / core compositions.
public struct IsoSurfaceAnalysis: Sendable {
    public struct Options: Sendable {
        public var field = ConcentrationField.Options()
        /// Keep objects with at least this many atoms inside and this volume (nm^3).
        public var minObjectAtoms = 50
        public var minObjectVolume = 0.0
        public var closeAtEdges = true
        /// Bulk: atoms farther than this outside every surface (nm).
        public var bulkDistance = 3.0
        /// Core: atoms deeper than this inside an object (nm).
        public var coreDistance = 1.5
        /// Proxigram range and bin width (nm).
        public var proxigramRange: ClosedRange<Double> = -5...5
        public var binWidth = 0.1
        public init() {}

        func validated() throws -> Options {
            func need(_ ok: Bool, _ m: String) throws { if !ok { throw AtomProbeError.invalid(m) } }
            try need(binWidth > 0 && binWidth.isFinite, "proxigram bin width must be > 0")
            try need(proxigramRange.lowerBound < proxigramRange.upperBound && proxigramRange.lowerBound.isFinite && proxigramRange.upperBound.isFinite, "proxigram range must be finite with min < max")
            try need((proxigramRange.upperBound - proxigramRange.lowerBound) / binWidth <= 1_000_000, "too many proxigram bins")
            try need(bulkDistance >= 0 && coreDistance >= 0, "bulk and core distances must be >= 0")
            try need(field.voxelSize > 0 && field.voxelSize.isFinite, "voxel size must be > 0")
            try need(minObjectAtoms >= 0 && minObjectVolume >= 0, "object filters must be >= 0")
            return self
        }
    }

    /// One object (a connected region at or above the threshold).
    public struct Object: Sendable {
        public var id: Int32
        public var ions: Int
        public var atoms: Int
        public var volume: Double
        public var area: Double
        public var centroid: SIMD3<Double>
        public var boundsMin: SIMD3<Double>
        public var boundsMax: SIMD3<Double>
        public var touchesEdge: Bool
    }

    public let species: String
    public let threshold: Double
    public let options: Options
    public let field: ConcentrationField
    public let mesh: TriangleMesh
    public let objects: [Object]
    /// Per ion: signed distance to the nearest kept surface (nm; < 0 outside, > 0 inside;
    /// -inf / +inf beyond the search distance), and the object of that surface (0 when none).
    public let distance: [Float]
    public let objectOfIon: [Int32]
    public let ranged: RangedIons
    /// Element symbols of the atomic composition.
    public let elements: [String]
    /// Largest concentration of the species in the unmasked field (at.%).
    public let maxConcentration: Double
    /// Triangles and area of the whole iso-surface before small objects were dropped.
    public let rawTriangleCount: Int
    public let rawArea: Double

    public init(_ recon: Reconstruction, ranged: RangedIons, species: String, threshold: Double,
                options: Options = Options(), progress: ((String) -> Void)? = nil) throws {
        let options = try options.validated()
        let table = ranged.table
        let elements = table.symbols
        for ion in table.ions { for a in ion.atoms where !PeriodicTable.isElement(a.symbol) {
            throw AtomProbeError(.unknownElement, "ion \"\(ion.name)\" contains \"\(a.symbol)\", which is not a chemical element; concentrations need element symbols")
        } }
        guard elements.contains(species) else {
            throw AtomProbeError.invalid("species \(species) is not in the range file (it has \(elements.joined(separator: ", ")))")
        }
        guard threshold > 0 && threshold < 100 else { throw AtomProbeError.invalid("threshold must be between 0 and 100 at.%, got \(threshold)") }
        guard ranged.ranged > 0 else { throw AtomProbeError.invalid("no ranged ions: nothing to voxelize") }
        let field = try ConcentrationField(recon, ranged: ranged, species: elements, options: options.field, progress: progress)
        let conc = try field.concentration(of: species)
        let maxC = Double(conc.lazy.filter { !$0.isNaN }.max() ?? 0)
        guard maxC >= threshold else {
            throw AtomProbeError.invalid(String(format: "no voxel reaches %@ %.2f at.%% (the highest %@ concentration is %.2f at.%%)", species, threshold, species, maxC))
        }
        progress?("extracting the \(species) \(threshold) at.% iso-surface")
        let iso = IsoSurface.extract(values: conc, mask: field.mask, grid: field.grid, threshold: threshold, closeAtEdges: options.closeAtEdges)

        // Distances to all surfaces, then per-object atom counts to filter small objects.
        let maxD = max(abs(options.proxigramRange.lowerBound), abs(options.proxigramRange.upperBound),
                       options.bulkDistance, options.coreDistance) + 0.5
        progress?("signed distances of \(recon.count) ions to \(iso.mesh.triangles.count) triangles")
        var (dist, obj) = IsoSurfaceAnalysis.distances(recon, mesh: iso.mesh, labels: iso.labels, grid: field.grid, maxDistance: maxD)
        let perType = table.ions.map { $0.atomCount }
        var atomsIn = [Int](repeating: 0, count: iso.objectCount + 1)
        var ionsIn = [Int](repeating: 0, count: iso.objectCount + 1)
        for i in 0..<recon.count where dist[i] > 0 && ranged.ionType[i] >= 0 {
            atomsIn[Int(obj[i])] += perType[Int(ranged.ionType[i])]
            ionsIn[Int(obj[i])] += 1
        }
        var keep = [Bool](repeating: false, count: iso.objectCount + 1)
        for o in 1...max(1, iso.objectCount) where o <= iso.objectCount {
            keep[o] = atomsIn[o] >= options.minObjectAtoms && abs(iso.mesh.volume(object: Int32(o))) >= options.minObjectVolume
        }
        // Renumber kept objects 1...K by decreasing atom count; drop the others' triangles.
        let order = (1..<(iso.objectCount + 1)).filter { keep[$0] }.sorted { (atomsIn[$0], -$0) > (atomsIn[$1], -$1) }
        var newID = [Int32](repeating: 0, count: iso.objectCount + 1)
        for (k, o) in order.enumerated() { newID[o] = Int32(k + 1) }
        var mesh = TriangleMesh(vertices: iso.mesh.vertices)
        for t in iso.mesh.triangles.indices where newID[Int(iso.mesh.objectID[t])] > 0 {
            mesh.triangles.append(iso.mesh.triangles[t])
            mesh.objectID.append(newID[Int(iso.mesh.objectID[t])])
        }
        if order.count < iso.objectCount {
            progress?("kept \(order.count) of \(iso.objectCount) objects (min \(options.minObjectAtoms) atoms, \(options.minObjectVolume) nm^3)")
            let labels = iso.labels.map { newID[Int($0)] }
            (dist, obj) = IsoSurfaceAnalysis.distances(recon, mesh: mesh, labels: labels, grid: field.grid, maxDistance: maxD)
        } else {
            obj = obj.map { newID[Int($0)] }
        }
        var objects: [Object] = []
        for (k, o) in order.enumerated() {
            let id = Int32(k + 1)
            var lo = SIMD3<Double>(repeating: .infinity), hi = SIMD3<Double>(repeating: -.infinity)
            var cSum = SIMD3<Double>.zero, vSum = 0.0
            for t in mesh.triangles.indices where mesh.objectID[t] == id {
                let (a, b, c) = mesh.corners(t)
                lo = pointwiseMin(lo, pointwiseMin(a, pointwiseMin(b, c))); hi = pointwiseMax(hi, pointwiseMax(a, pointwiseMax(b, c)))
                let v = Vec3.dot(a, Vec3.cross(b, c)) / 6
                cSum += v * (a + b + c) / 4; vSum += v
            }
            objects.append(Object(id: id, ions: 0, atoms: 0, volume: vSum, area: mesh.area(object: id),
                                  centroid: vSum != 0 ? cSum / vSum : (lo + hi) / 2, boundsMin: lo, boundsMax: hi,
                                  touchesEdge: iso.touchesEdge.contains(Int32(o))))
        }
        for i in 0..<recon.count where dist[i] > 0 && obj[i] > 0 && ranged.ionType[i] >= 0 {
            objects[Int(obj[i]) - 1].ions += 1
            objects[Int(obj[i]) - 1].atoms += perType[Int(ranged.ionType[i])]
        }
        self.species = species
        self.threshold = threshold
        self.options = options
        self.field = field
        self.mesh = mesh
        self.objects = objects
        self.distance = dist
        self.objectOfIon = obj
        self.ranged = ranged
        self.elements = elements
        self.maxConcentration = maxC
        self.rawTriangleCount = iso.mesh.triangles.count
        self.rawArea = iso.mesh.area()
    }

    /// Signed distances (parallel); ions beyond `maxDistance` get -inf / +inf by the voxel label.
    static func distances(_ recon: Reconstruction, mesh: TriangleMesh, labels: [Int32], grid: VoxelGrid,
                          maxDistance: Double) -> ([Float], [Int32]) {
        let md = MeshDistance(mesh: mesh, maxDistance: maxDistance)
        let n = recon.count
        var dist = [Float](repeating: -.infinity, count: n)
        var obj = [Int32](repeating: 0, count: n)
        dist.withUnsafeMutableBufferPointer { dp in
            obj.withUnsafeMutableBufferPointer { op in
                let dp = dp, op = op
                Parallel.chunks(n, minChunk: 4096) { range in
                    for i in range {
                        let p = SIMD3(Double(recon.x[i]), Double(recon.y[i]), Double(recon.z[i]))
                        guard p.x.isFinite, p.y.isFinite, p.z.isFinite else { dp[i] = .nan; continue }
                        if let hit = md.query(p) {
                            dp[i] = Float(hit.distance)
                            op[i] = mesh.objectID[Int(hit.triangle)]
                        } else {
                            let g = grid.gridCoordinates(p)
                            let a = Int(g.x.rounded()), b = Int(g.y.rounded()), c = Int(g.z.rounded())
                            if a >= 0, b >= 0, c >= 0, a < grid.size.x, b < grid.size.y, c < grid.size.z, labels[grid.index(a, b, c)] > 0 {
                                dp[i] = .infinity
                                op[i] = labels[grid.index(a, b, c)]
                            }
                        }
                    }
                }
            }
        }
        return (dist, obj)
    }

    // MARK: Compositions of regions

    /// Atomic composition of the ions passing `include`.
    public func composition(where include: (Int) -> Bool) throws -> Composition {
        let table = ranged.table
        var perType = [Int](repeating: 0, count: table.ions.count)
        var unranged = 0
        for i in 0..<distance.count where include(i) {
            let t = Int(ranged.ionType[i])
            if t >= 0 { perType[t] += 1 } else { unranged += 1 }
        }
        return try CompositionAnalysis.composition(ionCounts: perType, unranged: unranged, table: table)
    }

    public enum RegionKind: String, Sendable { case bulk, inside, core }

    public struct TableRow: Sendable {
        public var name: String
        public var region: RegionKind
        public var objectID: Int32?
        public var composition: Composition
    }

    /// The study's Table 1: bulk (farther than `bulkDistance` outside every surface), and per
    /// object its inside and its core (deeper than `coreDistance`).
    public func compositionTable() throws -> [TableRow] {
        let bulkD = Float(options.bulkDistance), coreD = Float(options.coreDistance)
        var rows = [TableRow(name: "bulk", region: .bulk, objectID: nil,
                             composition: try composition { distance[$0] < -bulkD })]
        for o in objects {
            rows.append(TableRow(name: "object \(o.id)", region: .inside, objectID: o.id,
                                 composition: try composition { distance[$0] > 0 && objectOfIon[$0] == o.id }))
            rows.append(TableRow(name: "object \(o.id) core", region: .core, objectID: o.id,
                                 composition: try composition { distance[$0] > coreD && objectOfIon[$0] == o.id }))
        }
        return rows
    }

    // MARK: Proximity histograms

    /// A proximity histogram: atoms per element in bins of signed distance.
    public struct Proxigram: Sendable {
        public var objectID: Int32?  // nil = all objects
        public var binWidth: Double
        public var start: Double
        public var elements: [String]
        /// counts[bin][element]
        public var counts: [[Int]]
        public var unranged: [Int]

        public var binCenters: [Double] { counts.indices.map { start + (Double($0) + 0.5) * binWidth } }
        public func total(_ bin: Int) -> Int { counts[bin].reduce(0, +) }

        /// Concentration (at.%) and one-sigma error of an element in a bin (NaN for empty bins).
        public func atPercent(_ element: Int, bin: Int) -> (value: Double, sigma: Double) {
            let n = total(bin)
            guard n > 0 else { return (.nan, .nan) }
            let c = Double(counts[bin][element]) / Double(n)
            return (100 * c, 100 * (c * (1 - c) / Double(n)).squareRoot())
        }
    }

    /// Proxigrams of every object and of all objects together.
    public func proxigrams() -> (all: Proxigram, perObject: [Proxigram]) {
        let lo = options.proxigramRange.lowerBound, w = options.binWidth
        let nBins = Int(((options.proxigramRange.upperBound - lo) / w).rounded(.up))
        let atomsOf = ranged.table.ions.map { ion in elements.map { ion.count(of: $0) } }
        let nObj = objects.count
        var counts = Array(repeating: Array(repeating: [Int](repeating: 0, count: elements.count), count: nBins), count: nObj + 1)
        var unranged = Array(repeating: [Int](repeating: 0, count: nBins), count: nObj + 1)
        for i in 0..<distance.count {
            let d = Double(distance[i])
            guard d.isFinite, d >= lo else { continue }
            let b = Int((d - lo) / w)
            guard b < nBins else { continue }
            let o = Int(objectOfIon[i])
            let t = Int(ranged.ionType[i])
            if t < 0 { unranged[o][b] += 1; unranged[0][b] += o > 0 ? 1 : 0; continue }
            for (e, n) in atomsOf[t].enumerated() where n > 0 {
                counts[o][b][e] += n
                if o > 0 { counts[0][b][e] += n }
            }
        }
        // Index 0 collects all objects (ions whose nearest surface belongs to any object).
        let all = Proxigram(objectID: nil, binWidth: w, start: lo, elements: elements, counts: counts[0], unranged: unranged[0])
        let per = objects.map { o in
            Proxigram(objectID: o.id, binWidth: w, start: lo, elements: elements, counts: counts[Int(o.id)], unranged: unranged[Int(o.id)])
        }
        return (all, per)
    }
}
