import Foundation
import AtomProbe
import KitFoundation

/// The chain of the study's Fig. 5 and Table 1 for any reconstruction, as stored steps:
///   1. `ConcentrationField`: atoms delocalized on a grid, concentration per species;
///   2. `SurfaceObjects`: the iso-surface at a threshold and its objects;
///   3. `IonDistances`: the signed distance of every ion to the nearest object's surface.
/// `run` computes these three once; the later steps are values built from them on request,
/// each once: `ProxigramSet(analysis)` (4) and `CompositionTable(analysis)` (5).
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
        /// The error model of compositions and proxigrams (binomial: CONVENTIONS.md).
        public var errors = Composition.CountingErrors.binomial
        /// Leave objects that reach the edge of the data out of the composition table.
        public var excludeEdgeObjects = false
        /// Background and overlap corrections of the table's compositions (none by default).
        public var corrections = QuantificationCorrections()
        /// Slabs (along z) in which the distance query lists are built, one pass over the ions
        /// each; nil: as many as keep the lists within a quarter of the memory budget (1 for all but
        /// the largest surfaces).
        public var distanceSlabs: Int?
        /// The specimen's extent (the field grid's diagonal, nm) once known: no ion lies farther
        /// from a surface, so distances beyond it are clamped to it (`clamped(toExtent:)`).
        var specimenExtent: Double?
        public init() {}

        /// How far from the surface distances are computed exactly (nm): every later step's reach
        /// (at most the specimen's extent).
        var distanceReach: Double {
            min(max(abs(proxigramRange.lowerBound), abs(proxigramRange.upperBound), bulkDistance, coreDistance), specimenExtent ?? .infinity) + 0.5
        }

        /// Bulk and core distances beyond the specimen's extent `extent` (nm) mean "no ion": no ion
        /// lies farther than that from a surface inside the grid. They are clamped to it, so that
        /// the same regions come out with search grids of the specimen's size (issue 23, 3: 1e300
        /// trapped, 1e5 asked for 367 GB). Returns the note saying so, or nil.
        mutating func clamp(toExtent extent: Double) -> String? {
            specimenExtent = extent
            guard bulkDistance > extent || coreDistance > extent else { return nil }
            let given = [("bulk", bulkDistance), ("core", coreDistance)].filter { $0.1 > extent }
            bulkDistance = min(bulkDistance, extent); coreDistance = min(coreDistance, extent)
            return given.map { String(format: "%@ distance %g nm", $0.0, $0.1) }.joined(separator: " and ")
                + String(format: " %@ the specimen's extent (%.1f nm, the field's diagonal): clamped to it (the same regions)", given.count > 1 ? "exceed" : "exceeds", extent)
        }

        /// Every value checked, by its documented name (`--voxel`, `voxel`: see
        /// `AtomProbeError.parameter`), before any file is read.
        public func validated() throws -> Options {
            let d = field.delocalization, r = proxigramRange
            try Validation.require([
                (field.voxelSize > 0 && field.voxelSize.isFinite, "voxel", "must be a positive number of nm, got \(field.voxelSize)"),
                (d.x >= 0 && d.y >= 0 && d.z >= 0 && d.x.isFinite && d.y.isFinite && d.z.isFinite, "delocalization",
                 "widths must be finite and >= 0 nm, got \(d.x),\(d.y),\(d.z)"),
                (field.sigma.map { $0.x > 0 && $0.y > 0 && $0.z > 0 && $0.x.isFinite && $0.y.isFinite && $0.z.isFinite } ?? true, "delocalization_sigma",
                 "must be finite and > 0 nm on every axis"),
                (field.minDensity.map { $0 >= 0 && $0.isFinite } ?? true, "min_density", "must be a finite number >= 0"),
                (minObjectAtoms >= 0, "min_object_atoms", "must be >= 0"),
                (minObjectVolume >= 0 && minObjectVolume.isFinite, "min_object_volume", "must be a finite number >= 0"),
                (bulkDistance >= 0 && bulkDistance.isFinite, "bulk_distance", "must be a finite number >= 0 nm, got \(bulkDistance)"),
                (coreDistance >= 0 && coreDistance.isFinite, "core_distance", "must be a finite number >= 0 nm, got \(coreDistance)"),
                (binWidth > 0 && binWidth.isFinite, "bin_width", "must be a positive number of nm, got \(binWidth)"),
                (r.lowerBound < r.upperBound && r.lowerBound.isFinite && r.upperBound.isFinite, "range_nm", "needs finite min < max"),
                ((r.upperBound - r.lowerBound) / binWidth <= 1_000_000, "bin_width", "makes more than 1000000 proxigram bins"),
                (distanceSlabs.map { $0 >= 1 && $0 <= 100_000 } ?? true, "distance_slabs", "must be between 1 and 100000, got \(distanceSlabs ?? 0)"),
            ])
            return self
        }
    }

    public let species: String
    public let threshold: Double
    public let options: Options
    public let table: RangeTable
    /// Element symbols of the atomic composition.
    public let elements: [String]
    /// Step 1 as kept: the species' concentration (the atom grids are freed after the surface).
    public let field: SpeciesField
    public let surface: SurfaceObjects
    /// Step 3 folded: the counts of every later step.
    public let tally: IonTally
    /// Each ion's distance on request (`distances(_:)`).
    public let resolver: DistanceResolver

    public var mesh: TriangleMesh { surface.mesh }
    public var objects: [SurfaceObjects.Object] { surface.objects }

    /// Steps 1-3 with progress messages.
    public static func run(_ recon: Reconstruction, ranged: RangedIons, species: String, threshold: Double,
                           options: Options = Options(), progress: ((String) -> Void)? = nil) throws -> IsoSurfaceAnalysis {
        guard ranged.ranged > 0 else { throw AtomProbeError.invalid("no ranged ions: nothing to voxelize") }
        return try run(source: recon, table: ranged.table, species: species, threshold: threshold, options: options, progress: progress)
    }

    /// Steps 1-3 over any ion source (a reconstruction in memory or a file streamed in chunks):
    /// passes for the bounds, the field and the distances; memory is the grid, the surface and
    /// the counts, not the ions.
    public static func run(source: some IonSource, table: RangeTable, species: String, threshold: Double,
                           options: Options = Options(), progress: ((String) -> Void)? = nil) throws -> IsoSurfaceAnalysis {
        let options = try options.validated()
        let elements = table.symbols
        try table.requireElements(for: "concentrations need element symbols")
        guard elements.contains(species) else {
            throw AtomProbeError.invalid("species \(species) is not in the range file (it has \(elements.joined(separator: ", ")))")
        }
        guard threshold > 0 && threshold < 100 else { throw AtomProbeError.invalid("threshold must be between 0 and 100 at.%, got \(threshold)") }
        // Two channels (the species and all atoms), not one per element: the surface needs no more.
        // The atom grids live only in this closure: the steps after it need the concentration.
        let field = try { () throws -> SpeciesField in
            let full = try ConcentrationField(source: source, table: table, species: [species], totalOver: elements, options: options.field, progress: progress)
            guard full.total.contains(where: { $0 > 0 }) else { throw AtomProbeError.invalid("no ranged ions: nothing to voxelize") }
            return try full.speciesField(species)
        }()
        return try run(source: source, table: table, field: field, threshold: threshold, options: options, progress: progress)
    }

    /// Steps 2-3 on a field made before (step 1 read back from a run folder): the surface, its
    /// objects and the distances, as `run` makes them after depositing the field itself.
    public static func run(source: some IonSource, table: RangeTable, field: SpeciesField, threshold: Double,
                           options: Options = Options(), progress: ((String) -> Void)? = nil) throws -> IsoSurfaceAnalysis {
        var options = try options.validated()
        try table.requireElements(for: "concentrations need element symbols")
        guard table.symbols.contains(field.species) else { throw AtomProbeError.invalid("species \(field.species) is not in the range file") }
        let g = field.grid
        if let note = options.clamp(toExtent: g.spacing * Vec3.length(SIMD3<Double>(g.size))) { progress?(note) }
        let (surface, tally, resolver) = try SurfaceObjects.extract(field, species: field.species, threshold: threshold, source: source,
                                                                    table: table, options: options, progress: progress)
        return IsoSurfaceAnalysis(species: field.species, threshold: threshold, options: options, table: table, elements: table.symbols,
                                  field: field, surface: surface, tally: tally, resolver: resolver)
    }

    /// Every ion's signed distance and object (8 bytes per ion; for `--write-distances`).
    public func distances(_ source: some IonSource) throws -> IonDistances {
        try IonDistances.compute(source, resolver: resolver)
    }

    /// The atomic composition of a region's counts (with the options' corrections and errors).
    public func composition(_ counts: IonTally.Counts) throws -> Composition {
        var perRange = counts.perKey
        if !tally.byRange {
            // Keys are ion types: each type's ions go to its first range (the composition only
            // sums them per type).
            perRange = [Int](repeating: 0, count: table.ranges.count)
            var firstRange = [Int](repeating: -1, count: table.ions.count)
            for (r, range) in table.ranges.enumerated() where firstRange[range.ionIndex] < 0 { firstRange[range.ionIndex] = r }
            for (k, n) in counts.perKey.enumerated() where n > 0 { perRange[firstRange[k]] += n }
        }
        let model = options.corrections.counts(rangeCounts: perRange, regionIons: perRange.reduce(counts.unranged, +), table: table)
        return try CompositionAnalysis.composition(counts: model, unranged: counts.unranged, table: table, errors: options.errors)
    }
}
