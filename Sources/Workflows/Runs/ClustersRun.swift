import KitFoundation
import AtomProbe
import AtomProbeAnalysis

/// Solute clusters by the maximum separation method (`atomprobe clusters`): the clusters, the
/// matrix without them and the solute spacing that helps choose dmax, written as
/// `ClusterFiles` into a folder published whole.
public struct ClustersRun: Sendable {
    public var input: ReconstructionInput
    public var ranges: RangeInput
    public var options: MaximumSeparation.Options
    public var output: String

    public init(input: ReconstructionInput, ranges: RangeInput, options: MaximumSeparation.Options, output: String) {
        self.input = input
        self.ranges = ranges
        self.options = options
        self.output = output
    }

    /// Checks every parameter (naming it) before any file is read.
    public func validated() throws -> ClustersRun {
        var r = self
        r.options = try options.checked()
        return r
    }

    /// The clusters; the lines a user reads.
    public func run(_ opener: IonSourceOpener) throws -> (clusters: MaximumSeparation, lines: [String]) {
        let o = try options.checked()
        let run = try RunFolder(output, kind: "clusters", inputs: [input.path] + ranges.files)
        let table = try opener.ranges(ranges, of: input, recordInto: run.staging)
        let reporter = opener.reporter
        // The search keeps about 64 bytes an ion (MaximumSeparation checks it again).
        let recon = try opener.load(input, memory: o.memory, bytesPerIon: 64, for: "a cluster search")
        let ranged = reporter.timed("ranging") { RangedIons(recon, table: table) }
        let m = try reporter.timed("cluster search") { try MaximumSeparation(recon, ranged: ranged, options: o, progress: { reporter.step($0) }) }
        let spacing = try reporter.timed("solute spacing") {
            try SoluteSpacing(recon, ranged: ranged, solutes: o.solutes, order: o.order, maxDistance: max(2, 4 * o.dmax), binWidth: max(0.01, o.dmax / 25))
        }
        let scan = try reporter.timed("dmax scan") { try DmaxScan(recon, ranged: ranged, options: o) }
        // Label-randomized copies: the expected false clusters, and the sweep over dmax and nmin.
        var falseClusters: FalseClusters?, sweep: ClusterSweep?
        let grid = try o.sweepGrid()
        if o.randomizations > 0 || grid != nil {
            let sample = try RandomizedSolutes(recon, ranged: ranged, solutes: o.solutes)
            if o.randomizations > 0 {
                falseClusters = try reporter.timed("false clusters in \(o.randomizations) randomized copies") {
                    try FalseClusters(observedSizes: m.clusters.map(\.soluteAtoms), sample: sample, options: o, randomizations: o.randomizations, seed: o.seed)
                }
            }
            if let grid {
                sweep = try reporter.timed("sweep over \(grid.dmax.count) dmax x \(grid.nmin.count) nmin") {
                    try ClusterSweep(sample: sample, grid: grid, order: o.order, randomizations: o.randomizations > 0 ? o.randomizations : 3, seed: o.seed, memory: o.memory)
                }
            }
        }
        let names = try ClusterFiles.write(m, spacing: spacing, scan: scan, falseClusters: falseClusters, sweep: sweep, dir: run.staging)
        try run.commit()
        return (m, ClusterFiles.text(m) + ClusterFiles.text(falseClusters, sweep) + ClusterFiles.text(scan, chosen: o.dmax, found: m.clusters.count) + ["wrote \(output)/\(names)"])
    }
}
