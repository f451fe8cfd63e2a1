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

    /// Extracts the surface from `field` and folds every ion's signed distance to it into the
    /// counts of the later steps (step 3, needed here already: an object is kept by the atoms
    /// inside it). One pass over the ions; a second visits only the ions near objects the size
    /// filters drop, taking back what they counted and counting them again against the kept
    /// surfaces (the counts equal those of distances computed twice).
    public static func extract(_ field: SpeciesField, species: String, threshold: Double,
                               source: some IonSource, table: RangeTable, options: IsoSurfaceAnalysis.Options,
                               progress: ((String) -> Void)? = nil) throws -> (SurfaceObjects, IonTally, DistanceResolver) {
        let conc = try field.concentration(of: species)
        let maxC = Double(conc.lazy.filter { !$0.isNaN }.max() ?? 0)
        guard maxC >= threshold else {
            throw AtomProbeError.invalid(String(format: "no voxel reaches %@ %.2f at.%% (the highest %@ concentration is %.2f at.%%)", species, threshold, species, maxC))
        }
        progress?("extracting the \(species) \(threshold) at.% iso-surface")
        let iso = IsoSurface.extract(values: conc, mask: conc.map { !$0.isNaN }, grid: field.grid, threshold: threshold, closeAtEdges: options.closeAtEdges)
        let byRange = !options.corrections.isEmpty
        let keys = byRange ? table.ranges.count : table.ions.count
        let cores = Double(max(1, ProcessInfo.processInfo.activeProcessorCount))
        try options.field.memory.require((cores + 2) * IonTally.bytes(objects: iso.objectCount, options: options, keys: keys),
                                         for: "proxigram and region counts of \(iso.objectCount) objects")
        let atomsPerType = table.ions.map { $0.atomCount }
        let keyOfRange = table.ranges.map { byRange ? 0 : $0.ionIndex }
        let lookup = RangeLookup(table)
        @inline(__always) func key(_ m: Float) -> Int {
            guard let r = lookup.rangeIndex(of: Double(m)) else { return -1 }
            return byRange ? r : keyOfRange[r]
        }
        let atomsOfKey = byRange ? table.ranges.map { atomsPerType[$0.ionIndex] } : atomsPerType

        // Pass 1: distances to every surface, counts per raw object.
        let maxD = options.distanceReach
        progress?("signed distances of \(source.count) ions to \(iso.mesh.triangles.count) triangles")
        var resolver = try DistanceResolver(grid: field.grid, occupied: field.occupied, mesh: iso.mesh, cap: iso.cap, labels: iso.labels,
                                            maxDistance: maxD, bulkDistance: options.bulkDistance, slabs: options.distanceSlabs,
                                            budget: options.field.memory)
        if resolver.slabs.count > 1 { progress?("distance query lists built in \(resolver.slabs.count) slabs along z, one at a time") }
        func newTally() -> IonTally { IonTally(objects: iso.objectCount, options: options, keys: keys, byRange: byRange) }
        /// The slab passes folding into one tally.
        func foldSlabs(_ resolver: DistanceResolver, nearDroppedOnly: Bool = false,
                       _ body: (DistanceResolver, inout IonTally, IonChunk, Int, SIMD3<Double>) -> Void) throws -> IonTally {
            try resolver.foldSlabs(source, nearDroppedOnly: nearDroppedOnly, initial: newTally, combine: { $0.add($1) }, progress: progress, body)
        }
        var tally = try foldSlabs(resolver) { raw, t, c, i, p in
            let (d, o) = raw.raw(p)
            t.add(d, object: Int(o), key: key(c.mass[i]))
        }
        tally.combine(over: options.field.group)
        func atomsInside(_ o: Int) -> Int { zip(tally.insideCounts(o).perKey, atomsOfKey).reduce(0) { $0 + $1.0 * $1.1 } }
        let keep = (0...iso.objectCount).map { o in
            o > 0 && atomsInside(o) >= options.minObjectAtoms && abs(iso.mesh.volume(object: Int32(o))) >= options.minObjectVolume
        }
        // Renumber kept objects 1...K by decreasing atom count; drop the others' triangles.
        let atomsIn = (0...iso.objectCount).map { $0 == 0 ? 0 : atomsInside($0) }
        let order = (1..<(iso.objectCount + 1)).filter { keep[$0] }.sorted { (atomsIn[$0], -$0) > (atomsIn[$1], -$1) }
        var newID = [Int32](repeating: 0, count: iso.objectCount + 1)
        for (k, o) in order.enumerated() { newID[o] = Int32(k + 1) }
        var mesh = TriangleMesh(vertices: iso.mesh.vertices)
        var cap: [Bool] = []
        for t in iso.mesh.triangles.indices where newID[Int(iso.mesh.objectID[t])] > 0 {
            mesh.triangles.append(iso.mesh.triangles[t])
            mesh.objectID.append(iso.mesh.objectID[t])  // raw ids until the end
            cap.append(iso.cap[t])
        }
        if order.count < iso.objectCount {
            progress?("kept \(order.count) of \(iso.objectCount) objects (min \(options.minObjectAtoms) atoms, \(options.minObjectVolume) nm^3)")
            // Pass 2, only near the dropped objects: their ions are in no region when inside or
            // within the bulk distance of them (bulk lies beyond every surface); the others are
            // measured again against the kept surfaces.
            try resolver.dropObjects(keep: keep, keptMesh: mesh, keptCap: cap)
            let boxes = resolver.droppedBoxes
            var all = try foldSlabs(resolver, nearDroppedOnly: true) { fix, t, c, i, p in
                guard boxes.contains(where: { p.x >= $0.min.x && p.y >= $0.min.y && p.z >= $0.min.z && p.x <= $0.max.x && p.y <= $0.max.y && p.z <= $0.max.z }) else { return }
                let (d0, o0) = fix.raw(p)
                guard o0 > 0, !keep[Int(o0)] else { return }
                let k = key(c.mass[i])
                t.add(d0, object: Int(o0), key: k, sign: -1)
                let (d, o) = fix.resolve(p)
                if d.isNaN, !d0.isNaN {
                    if k >= 0 { t.droppedIons += 1; t.droppedAtoms += atomsOfKey[k] }
                } else {
                    t.add(d, object: Int(o), key: k)
                }
            }
            all.combine(over: options.field.group)
            tally.add(all)
        }
        tally = tally.renumbered(newID, count: order.count)
        resolver.renumber(newID)
        for t in mesh.triangles.indices { mesh.objectID[t] = newID[Int(mesh.objectID[t])] }
        var objects = order.enumerated().map { k, o in
            geometry(of: Int32(k + 1), in: mesh, cap: cap, touchesEdge: iso.touchesEdge.contains(Int32(o)))
        }
        for k in objects.indices {
            let inside = tally.insideCounts(k + 1)
            objects[k].ions = inside.perKey.reduce(0, +)
            objects[k].atoms = zip(inside.perKey, atomsOfKey).reduce(0) { $0 + $1.0 * $1.1 }
        }
        let surface = SurfaceObjects(species: species, threshold: threshold, mesh: mesh, cap: cap, objects: objects, maxConcentration: maxC,
                                     rawTriangleCount: iso.mesh.triangles.count, rawArea: iso.mesh.area(),
                                     droppedObjects: iso.objectCount - order.count, droppedIons: tally.droppedIons, droppedAtoms: tally.droppedAtoms)
        return (surface, tally, resolver)
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
