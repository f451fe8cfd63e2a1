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
        public init() {}

        /// How far from the surface distances are computed exactly (nm): every later step's reach.
        var distanceReach: Double {
            max(abs(proxigramRange.lowerBound), abs(proxigramRange.upperBound), bulkDistance, coreDistance) + 0.5
        }

        func validated() throws -> Options {
            let problem = Validation.firstProblem([
                (binWidth > 0 && binWidth.isFinite, "proxigram bin width must be > 0"),
                (proxigramRange.lowerBound < proxigramRange.upperBound && proxigramRange.lowerBound.isFinite && proxigramRange.upperBound.isFinite,
                 "proxigram range must be finite with min < max"),
                ((proxigramRange.upperBound - proxigramRange.lowerBound) / binWidth <= 1_000_000, "too many proxigram bins"),
                (bulkDistance >= 0 && coreDistance >= 0 && bulkDistance.isFinite && coreDistance.isFinite, "bulk and core distances must be finite and >= 0"),
                (field.voxelSize > 0 && field.voxelSize.isFinite, "voxel size must be > 0"),
                (minObjectAtoms >= 0 && minObjectVolume >= 0, "object filters must be >= 0"),
            ])
            if let problem { throw AtomProbeError.invalid(problem) }
            return self
        }
    }

    public let species: String
    public let threshold: Double
    public let options: Options
    public let ranged: RangedIons
    /// Element symbols of the atomic composition.
    public let elements: [String]
    public let field: ConcentrationField
    public let surface: SurfaceObjects
    public let distances: IonDistances

    public var mesh: TriangleMesh { surface.mesh }
    public var objects: [SurfaceObjects.Object] { surface.objects }

    /// Steps 1-3 with progress messages.
    public static func run(_ recon: Reconstruction, ranged: RangedIons, species: String, threshold: Double,
                           options: Options = Options(), progress: ((String) -> Void)? = nil) throws -> IsoSurfaceAnalysis {
        let options = try options.validated()
        let table = ranged.table
        let elements = table.symbols
        try table.requireElements(for: "concentrations need element symbols")
        guard elements.contains(species) else {
            throw AtomProbeError.invalid("species \(species) is not in the range file (it has \(elements.joined(separator: ", ")))")
        }
        guard threshold > 0 && threshold < 100 else { throw AtomProbeError.invalid("threshold must be between 0 and 100 at.%, got \(threshold)") }
        guard ranged.ranged > 0 else { throw AtomProbeError.invalid("no ranged ions: nothing to voxelize") }
        let field = try ConcentrationField(recon, ranged: ranged, species: elements, options: options.field, progress: progress)
        let (surface, distances) = try SurfaceObjects.extract(field, species: species, threshold: threshold, recon: recon,
                                                              ranged: ranged, options: options, progress: progress)
        return IsoSurfaceAnalysis(species: species, threshold: threshold, options: options, ranged: ranged, elements: elements,
                                  field: field, surface: surface, distances: distances)
    }

    /// Atomic composition of the ions passing `include` (with the options' corrections and errors).
    public func composition(where include: (Int) -> Bool) throws -> Composition {
        let table = ranged.table
        var perRange = [Int](repeating: 0, count: table.ranges.count)
        var unranged = 0
        for i in 0..<distances.count where include(i) {
            let r = Int(ranged.range[i])
            if r >= 0 { perRange[r] += 1 } else { unranged += 1 }
        }
        let counts = options.corrections.counts(rangeCounts: perRange, regionIons: perRange.reduce(unranged, +), table: table)
        return try CompositionAnalysis.composition(counts: counts, unranged: unranged, table: table, errors: options.errors)
    }
}
