import ArgumentParser
import Workflows
import AtomProbe
import AtomProbeAnalysis
import KitFoundation

/// Options shared by `isosurface`, `proxigram`, `table` and `analyze`.
struct SurfaceOptions: ParsableArguments {
    @Option(help: "Element whose concentration defines the iso-surface, e.g. Li.") var species: String
    @Option(help: "Iso-concentration threshold (at.%); the surface encloses concentrations >= it.") var threshold: Double
    @Option(name: .customLong("voxel"), help: "Voxel size (nm).") var voxel = 1.0
    @Option(parsing: .unconditional, help: "Delocalization widths dx,dy,dz (nm): Gaussian sigma = width / 2 on each axis (default 3,3,1.5).") var delocalization: Numbers?
    @Option(name: .customLong("delocalization-sigma"), parsing: .unconditional, help: "Total Gaussian sigmas sx,sy,sz (nm), the trilinear pass's h^2/6 included (paraprobe's sigma; apav's width / 3); instead of --delocalization.") var delocalizationSigma: Numbers?
    @Option(name: .customLong("min-density"), help: "Voxels below this atom density (atoms/nm^3) lie outside the specimen (default: 25% of the 90th percentile).") var minDensity: Double?
    @Option(name: .customLong("min-object-atoms"), help: "Drop objects with fewer atoms inside.") var minObjectAtoms = 50
    @Option(name: .customLong("min-object-volume"), help: "Drop objects smaller than this (nm^3).") var minObjectVolume = 0.0
    @Flag(name: .customLong("open-edges"), help: "Leave surfaces open where they reach the edge of the data (default: closed by caps, which count for volumes but not as interfaces; open objects have no volume).") var openEdges = false
    @Flag(name: .customLong("exclude-edge-objects"), help: "Leave objects that reach the edge of the data out of the composition table.") var excludeEdgeObjects = false
    @Option(name: .customLong("bulk-distance"), help: "Bulk: atoms farther than this outside every surface (nm; at most the specimen's extent, clamped to it).") var bulkDistance = 3.0
    @Option(name: .customLong("core-distance"), help: "Core: atoms deeper than this inside an object (nm; at most the specimen's extent, clamped to it).") var coreDistance = 1.5
    @Option(name: .customLong("range-nm"), parsing: .unconditional, help: "Proxigram range min,max (nm; negative = outside).") var rangeNM = Numbers(argument: "-5,5")!
    @Option(name: .customLong("bin-width"), help: "Proxigram bin width (nm).") var binWidth = 0.1
    @Option(name: .customLong("distance-slabs"), help: "Build the distance query lists in this many slabs along z, one at a time (less memory, the same results; default: as many as keep them within a quarter of --memory-limit-gb).") var distanceSlabs: Int?

    func analysisOptions() throws -> IsoSurfaceAnalysis.Options {
        var o = IsoSurfaceAnalysis.Options()
        o.field.voxelSize = voxel; o.field.minDensity = minDensity
        o.field.delocalization = try Validation.vector3(delocalization?.values, "delocalization") ?? o.field.delocalization
        o.field.sigma = try Validation.vector3(delocalizationSigma?.values, "delocalization_sigma")
        try Validation.require([(delocalization == nil || delocalizationSigma == nil, "delocalization", "or {delocalization_sigma}: give one, not both")])
        o.minObjectAtoms = minObjectAtoms; o.minObjectVolume = minObjectVolume; o.closeAtEdges = !openEdges
        o.excludeEdgeObjects = excludeEdgeObjects; o.bulkDistance = bulkDistance; o.coreDistance = coreDistance
        o.proxigramRange = try Validation.range(rangeNM.values, "range_nm"); o.binWidth = binWidth; o.distanceSlabs = distanceSlabs
        return o
    }

    /// Every number checked by the library (naming its option) before any file is read.
    func validate() throws {
        try validating {
            _ = try SurfaceRun(input: ReconstructionInput(""), ranges: RangeInput(""), species: species, threshold: threshold, options: analysisOptions()).validated()
        }
    }
}

/// What `isosurface`, `proxigram`, `table` and `analyze` read and how: the files, the surface's
/// options and the memory budget.
struct SurfaceChainOptions: ParsableArguments {
    @OptionGroup var input: ReconstructionOptions
    @OptionGroup var rangeOptions: RangeOptions
    @OptionGroup var surface: SurfaceOptions
    @OptionGroup var memory: MemoryOptions
    @Option(name: .customLong("stored-field"), help: "Reuse the field stored by an earlier isosurface or analyze run of the same files and field options in this folder, instead of depositing the ions again.") var storedField: String?

    var inputs: [String] { [input.reconstruction, rangeOptions.ranges] }

    /// The request for steps 1-3 of the chain; `errors` and `corrections` apply to the proxigrams
    /// and tables made from it.
    func request(errors: ErrorOptions? = nil, corrections: CorrectionOptions? = nil) throws -> SurfaceRun {
        var r = SurfaceRun(input: input.request, ranges: try rangeOptions.request, species: surface.species, threshold: surface.threshold,
                           options: try surface.analysisOptions(), corrections: try corrections?.request() ?? CorrectionRequest(),
                           errors: errors?.errors ?? .binomial, memory: memory.budget)
        r.storedField = storedField
        return r
    }
}
