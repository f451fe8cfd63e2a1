import ArgumentParser
import Foundation
import KitFoundation
import AtomProbe
import AtomProbeIO
import AtomProbeAnalysis
import Workflows

struct ClustersCommand: ParsableCommand {
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
    @OptionGroup var memory: MemoryOptions
    @Option(name: .shortAndLong, help: "Output folder.") var output: String

    var options: MaximumSeparation.Options {
        var o = MaximumSeparation.Options(solutes: solutes.commaSeparated)
        o.dmax = dmax; o.nmin = nmin; o.order = order; o.envelope = envelope; o.erosion = erosion
        o.blur = blur.map { SIMD3($0.values[0], $0.values[1], $0.values[2]) }
        o.memory = memory.budget
        return o
    }

    func validate() throws {
        if let b = try blur?.require(3, option: "--blur-nm"), !b.allSatisfy({ $0 >= 0 && $0 <= 10 }) {
            throw ValidationError("--blur-nm needs three sigmas in [0, 10] nm, got \(blur!.text)")
        }
        if let problem = Validation.firstProblem([
            (!solutes.commaSeparated.isEmpty, "--solutes needs at least one element"),
            (dmax > 0 && dmax.isFinite && dmax <= 10, "--dmax must be in (0, 10] nm, got \(dmax)"),
            (nmin >= 1 && nmin <= 1_000_000, "--nmin must be 1-1000000, got \(nmin)"),
            (order >= 1 && order <= 100, "--order must be 1-100, got \(order)"),
            (envelope.map { $0 >= 0 && $0.isFinite && $0 <= 10 } ?? true, "--envelope must be in [0, 10] nm"),
            (erosion.map { $0 >= 0 && $0.isFinite && $0 <= (envelope ?? dmax) } ?? true, "--erosion must be in [0, envelope] nm"),
        ]) { throw ValidationError(problem) }
    }

    func run() throws {
        let run = try RunFolder(output, kind: "clusters", inputs: [input.reconstruction, rangeOptions.ranges])
        let table = try rangeOptions.load()
        // The search keeps about 64 bytes an ion (MaximumSeparation checks it again).
        let recon = try Progress.opener.load(input.request, memory: memory.budget, bytesPerIon: 64, for: "a cluster search")
        let ranged = Progress.timed("ranging") { RangedIons(recon, table: table) }
        let m = try Progress.timed("cluster search") { try MaximumSeparation(recon, ranged: ranged, options: options, progress: { Progress.step($0) }) }
        let spacing = try Progress.timed("solute spacing") {
            try SoluteSpacing(recon, ranged: ranged, solutes: options.solutes, order: order, maxDistance: max(2, 4 * dmax), binWidth: max(0.01, dmax / 25))
        }
        try ClusterFiles.write(m, spacing: spacing, dir: run.staging)
        try run.commit()
        let rows = m.clusters.prefix(20).map { c in
            [String(c.id), String(c.soluteAtoms), String(c.atoms), String(format: "(%.1f, %.1f, %.1f)", c.centroid.x, c.centroid.y, c.centroid.z),
             String(format: "%.2f", c.radiusOfGyration)] + m.options.solutes.map { s in c.composition[s].map { Reports.plusMinus($0.atPercent, $0.sigmaAtPercent) } ?? "-" }
                + [c.guinier.map { Reports.plusMinus($0.soluteAtPercent, $0.sigmaAtPercent) } ?? "-"]
        }
        print("\(m.clusters.count) cluster(s) of at least \(nmin) solute atoms (dmax \(dmax) nm, order \(order), envelope \(m.options.envelope ?? 0) nm, erosion \(m.options.erosion ?? 0) nm)")
        if !rows.isEmpty {
            print(Reports.alignedTable(["cluster", "solute atoms", "atoms", "centroid (nm)", "Rg (nm)"] + m.options.solutes.map { "\($0) (at.%)" } + ["solutes, Guinier (at.%)"], rows), terminator: "")
            if m.clusters.count > 20 { print("... \(m.clusters.count - 20) more in clusters.csv") }
        }
        print("matrix without clusters: " + m.matrix.entries.map { String(format: "%@ %.3f", $0.name, $0.atPercent) }.joined(separator: ", ") + " at.%")
        print("wrote \(output)/\(ClusterFiles.names)")
    }
}
