import Foundation
import AtomProbe
import KitFoundation
import ParallelLoops

/// Step 2 of the iso-surface chain: the iso-surface of one species at a threshold, cut into
/// objects (connected regions at or above the threshold), small objects dropped, the rest
/// numbered 1...K by decreasing atom count. Files: `isosurface.vtk`/`.ply` (object id per
/// triangle) and `objects.json`.
public struct SurfaceObjects: Sendable {
    /// One object (a connected region at or above the threshold).
    public struct Object: Sendable {
        public var id: Int32
        public var ions: Int
        public var atoms: Int
        /// Enclosed volume (nm^3); NaN when the object's surface is open (`--open-edges` at the data edge).
        public var volume: Double
        /// Interface area (nm^2), caps at the data edge left out, and the caps' area.
        public var area: Double
        public var capArea: Double = 0
        public var centroid: SIMD3<Double>
        public var boundsMin: SIMD3<Double>
        public var boundsMax: SIMD3<Double>
        public var touchesEdge: Bool
    }

    public let species: String
    public let threshold: Double
    /// The kept objects' triangles, each with its object id.
    public let mesh: TriangleMesh
    /// Per triangle of `mesh`: a cap closing the surface at the data edge (no interface: left
    /// out of distances, proxigrams and regions).
    public let cap: [Bool]
    public let objects: [Object]
    /// Largest concentration of the species in the unmasked field (at.%).
    public let maxConcentration: Double
    /// Triangles and area of the whole iso-surface before small objects were dropped.
    public let rawTriangleCount: Int
    public let rawArea: Double
    /// Objects dropped by the size filters, and the ranged ions and atoms inside them or within
    /// the bulk distance of them: neither bulk nor object, they are left out of every later step
    /// (their distance is NaN).
    public let droppedObjects: Int
    public let droppedIons: Int
    public let droppedAtoms: Int

    /// Extracts the surface from `field` and the signed distance of every ion to it (step 3,
    /// needed here already: an object is kept by the atoms inside it).
    public static func extract(_ field: ConcentrationField, species: String, threshold: Double,
                               recon: Reconstruction, ranged: RangedIons, options: IsoSurfaceAnalysis.Options,
                               progress: ((String) -> Void)? = nil) throws -> (SurfaceObjects, IonDistances) {
        let conc = try field.concentration(of: species)
        let maxC = Double(conc.lazy.filter { !$0.isNaN }.max() ?? 0)
        guard maxC >= threshold else {
            throw AtomProbeError.invalid(String(format: "no voxel reaches %@ %.2f at.%% (the highest %@ concentration is %.2f at.%%)", species, threshold, species, maxC))
        }
        progress?("extracting the \(species) \(threshold) at.% iso-surface")
        let iso = IsoSurface.extract(values: conc, mask: field.mask, grid: field.grid, threshold: threshold, closeAtEdges: options.closeAtEdges)

        // Distances to all surfaces, then per-object atom counts to filter small objects.
        let maxD = options.distanceReach
        progress?("signed distances of \(recon.count) ions to \(iso.mesh.triangles.count) triangles")
        var dist = IonDistances.compute(recon, mesh: iso.mesh, cap: iso.cap, labels: iso.labels, field: field, maxDistance: maxD)
        let atomsPerType = ranged.table.ions.map { $0.atomCount }
        let (ionsIn, atomsIn) = dist.countInside(objects: iso.objectCount, ranged: ranged, atomsPerType: atomsPerType)
        let keep = (0...iso.objectCount).map { o in
            o > 0 && atomsIn[o] >= options.minObjectAtoms && abs(iso.mesh.volume(object: Int32(o))) >= options.minObjectVolume
        }
        _ = ionsIn
        // Renumber kept objects 1...K by decreasing atom count; drop the others' triangles.
        let order = (1..<(iso.objectCount + 1)).filter { keep[$0] }.sorted { (atomsIn[$0], -$0) > (atomsIn[$1], -$1) }
        var newID = [Int32](repeating: 0, count: iso.objectCount + 1)
        for (k, o) in order.enumerated() { newID[o] = Int32(k + 1) }
        var mesh = TriangleMesh(vertices: iso.mesh.vertices)
        var cap: [Bool] = []
        for t in iso.mesh.triangles.indices where newID[Int(iso.mesh.objectID[t])] > 0 {
            mesh.triangles.append(iso.mesh.triangles[t])
            mesh.objectID.append(newID[Int(iso.mesh.objectID[t])])
            cap.append(iso.cap[t])
        }
        var droppedIons = 0, droppedAtoms = 0
        if order.count < iso.objectCount {
            progress?("kept \(order.count) of \(iso.objectCount) objects (min \(options.minObjectAtoms) atoms, \(options.minObjectVolume) nm^3)")
            // Ions inside a dropped object, or nearer its surface than the bulk distance (by the
            // distances to the whole surface): not bulk, since bulk lies beyond every surface.
            let near = Float(-options.bulkDistance)
            let inDropped = (0..<dist.count).map { i in
                dist.objectOfIon[i] > 0 && newID[Int(dist.objectOfIon[i])] == 0 && dist.distance[i] >= near
            }
            let labels = iso.labels.map { newID[Int($0)] }
            dist = IonDistances.compute(recon, mesh: mesh, cap: cap, labels: labels, field: field, maxDistance: maxD)
            for i in inDropped.indices where inDropped[i] {
                dist.distance[i] = .nan
                dist.objectOfIon[i] = 0
                if ranged.ionType[i] >= 0 { droppedIons += 1; droppedAtoms += atomsPerType[Int(ranged.ionType[i])] }
            }
        } else {
            dist.renumber(newID)
        }
        var objects = order.enumerated().map { k, o in
            geometry(of: Int32(k + 1), in: mesh, cap: cap, touchesEdge: iso.touchesEdge.contains(Int32(o)))
        }
        let (ions, atoms) = dist.countInside(objects: objects.count, ranged: ranged, atomsPerType: atomsPerType)
        for k in objects.indices { objects[k].ions = ions[k + 1]; objects[k].atoms = atoms[k + 1] }
        let surface = SurfaceObjects(species: species, threshold: threshold, mesh: mesh, cap: cap, objects: objects, maxConcentration: maxC,
                                     rawTriangleCount: iso.mesh.triangles.count, rawArea: iso.mesh.area(),
                                     droppedObjects: iso.objectCount - order.count, droppedIons: droppedIons, droppedAtoms: droppedAtoms)
        return (surface, dist)
    }

    /// Volume, areas, centroid and bounds of one object's triangles (no ion counts yet). The
    /// volume needs a closed surface: NaN when any edge of the object's triangles is used once.
    static func geometry(of id: Int32, in mesh: TriangleMesh, cap: [Bool], touchesEdge: Bool) -> Object {
        var lo = SIMD3<Double>(repeating: .infinity), hi = SIMD3<Double>(repeating: -.infinity)
        var cSum = SIMD3<Double>.zero, vSum = 0.0, area = 0.0, capArea = 0.0
        var edgeUses: [SIMD2<Int32>: Int] = [:]
        for t in mesh.triangles.indices where mesh.objectID[t] == id {
            let (a, b, c) = mesh.corners(t)
            lo = pointwiseMin(lo, pointwiseMin(a, pointwiseMin(b, c))); hi = pointwiseMax(hi, pointwiseMax(a, pointwiseMax(b, c)))
            let v = Vec3.dot(a, Vec3.cross(b, c)) / 6
            cSum += v * (a + b + c) / 4; vSum += v
            if cap[t] { capArea += mesh.area(t) } else { area += mesh.area(t) }
            let tri = mesh.triangles[t]
            for (p, q) in [(tri.x, tri.y), (tri.y, tri.z), (tri.z, tri.x)] { edgeUses[SIMD2(min(p, q), max(p, q)), default: 0] += 1 }
        }
        let closed = !edgeUses.values.contains(1)
        var o = Object(id: id, ions: 0, atoms: 0, volume: closed ? vSum : .nan, area: area,
                       centroid: vSum != 0 ? cSum / vSum : (lo + hi) / 2, boundsMin: lo, boundsMax: hi, touchesEdge: touchesEdge)
        o.capArea = capArea
        return o
    }
}

/// Step 3: per ion, the signed distance to the nearest kept surface (nm; < 0 outside, > 0
/// inside; -inf / +inf beyond the search reach; NaN for a non-finite position or a stray ion
/// outside the field, which every later step leaves out) and the object of that surface (0 when none).
public struct IonDistances: Sendable {
    public internal(set) var distance: [Float]
    public internal(set) var objectOfIon: [Int32]

    public var count: Int { distance.count }

    /// Signed distances (parallel) to the triangles that are not caps; ions beyond `maxDistance`
    /// get -inf / +inf by the voxel label.
    static func compute(_ recon: Reconstruction, mesh full: TriangleMesh, cap: [Bool], labels: [Int32], field: ConcentrationField,
                        maxDistance: Double) -> IonDistances {
        let grid = field.grid
        var mesh = TriangleMesh(vertices: full.vertices)
        for t in full.triangles.indices where !cap[t] {
            mesh.triangles.append(full.triangles[t])
            mesh.objectID.append(full.objectID[t])
        }
        let md = MeshDistance(mesh: mesh, maxDistance: maxDistance, occupied: recon)
        let n = recon.count
        var dist = [Float](repeating: -.infinity, count: n)
        var obj = [Int32](repeating: 0, count: n)
        dist.withUnsafeMutableBufferPointer { dp in
            obj.withUnsafeMutableBufferPointer { op in
                let dp = dp, op = op
                Parallel.chunks(n, minChunk: 4096) { range in
                    for i in range {
                        let p = SIMD3(Double(recon.x[i]), Double(recon.y[i]), Double(recon.z[i]))
                        guard p.x.isFinite, p.y.isFinite, p.z.isFinite, field.covers(p) else { dp[i] = .nan; continue }
                        if let hit = md.query(p) {
                            dp[i] = Float(hit.distance)
                            op[i] = mesh.objectID[Int(hit.triangle)]
                        } else if let v = grid.nearestVoxel(p), labels[v] > 0 {
                            dp[i] = .infinity
                            op[i] = labels[v]
                        }
                    }
                }
            }
        }
        return IonDistances(distance: dist, objectOfIon: obj)
    }

    mutating func renumber(_ newID: [Int32]) { objectOfIon = objectOfIon.map { newID[Int($0)] } }

    /// Ranged ions and atoms inside each object (index 0: none), by object of the nearest surface.
    func countInside(objects: Int, ranged: RangedIons, atomsPerType: [Int]) -> (ions: [Int], atoms: [Int]) {
        var ions = [Int](repeating: 0, count: objects + 1), atoms = ions
        for i in 0..<distance.count where distance[i] > 0 && ranged.ionType[i] >= 0 {
            ions[Int(objectOfIon[i])] += 1
            atoms[Int(objectOfIon[i])] += atomsPerType[Int(ranged.ionType[i])]
        }
        return (ions, atoms)
    }
}
