import ArgumentParser
import AtomProbeAnalysis
import Workflows
import KitFoundation

struct ClustersCommand: OpenerCommand, RequestCommand {
    static let configuration = CommandConfiguration(
        commandName: "clusters",
        abstract: "Solute clusters by the maximum separation method: clusters.json/.csv, the matrix without them, the size distribution, and the solute spacing to choose dmax.",
        discussion: """
        Solute ions closer than --dmax link (with --order k only solutes with k solute neighbours within dmax); groups \
        of at least --nmin solute atoms are clusters; other ions within --envelope of a cluster's solute join it, and \
        cluster ions within --erosion of an outside ion leave it. Cluster compositions depend on envelope and erosion.
        """)

    @OptionGroup var input: ReconstructionOptions
    @OptionGroup var rangeOptions: RangeOptions
    @Option(help: "Comma-separated solute elements, e.g. Cu,Ni.") var solutes: String
    @Option(help: "Maximum separation of linked solutes (nm).") var dmax = 0.5
    @Option(help: "Least solute atoms in a cluster.") var nmin = 10
    @Option(help: "Order k: link only solutes with at least k solute neighbours within dmax (1: classic).") var order = 1
    @Option(help: "Envelope distance (nm; default dmax).") var envelope: Double?
    @Option(name: .customLong("blur-nm"), parsing: .unconditional, help: "The reconstruction's blur, Gaussian sigma per axis sx,sy,sz (nm), subtracted from the Guinier radius (default: none subtracted).") var blur: Numbers?
    @Option(help: "Erosion distance (nm; default half the envelope).") var erosion: Double?
    @Option(help: "Label-randomized copies searched for false clusters (0: none).") var randomizations = 0
    @Option(help: "Sweep, e.g. dmax=0.3:1.0:8,nmin=5,10,20: clusters and false clusters per grid point.") var sweep: String?
    @Flag(help: "Leave clusters touching the data's edge out of the clusters and the matrix.") var excludeEdge = false
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @OptionGroup var memory: MemoryOptions
    @Option(name: .shortAndLong, help: "Output folder.") var output: String

    func request() throws -> ClustersRun {
        var o = MaximumSeparation.Options(solutes: solutes.commaSeparated)
        o.dmax = dmax; o.nmin = nmin; o.order = order; o.envelope = envelope; o.erosion = erosion
        o.randomizations = randomizations; o.sweep = sweep; o.excludeEdge = excludeEdge; o.seed = seed
        o.blur = try Validation.vector3(blur?.values, "blur_nm")
        o.memory = memory.budget
        return try ClustersRun(input: input.request, ranges: try rangeOptions.request, options: o, output: output).validated()
    }

    func execute(_ opener: IonSourceOpener) throws -> String { try request().run(opener).lines.printed }
}
