import Foundation
import AtomProbe
import AtomProbeAnalysis
import KitFoundation
import Plotting

/// The files of `atomprobe clusters` (CONVENTIONS.md): `clusters.json` (a list: `cluster_id`,
/// `solute_atoms`, `atoms`, `ions`, `centroid_nm`, `radius_of_gyration_nm`, `elements` as in
/// compositions; `guinier_radius_nm`, `solute_at_pct_guinier` and its sigma, the local density:
/// the solute content that does not depend on envelope and erosion), `clusters.csv`, `matrix.json` (the ranged ions in no cluster, with the search
/// settings), `size-distribution.svg`, and `solute-spacing.csv`/`.svg` (choosing dmax).
public enum ClusterFiles {
    public static let names = "clusters.json, clusters.csv, matrix.json, size-distribution.svg, solute-spacing.csv, solute-spacing.svg, dmax-scan.csv, dmax-scan.svg"

    /// What a user reads: the search, the first 20 clusters and the matrix.
    public static func text(_ m: MaximumSeparation) -> [String] {
        let o = m.options
        let rows = m.clusters.prefix(20).map { c in
            [String(c.id), String(c.soluteAtoms), String(c.atoms), String(format: "(%.1f, %.1f, %.1f)", c.centroid.x, c.centroid.y, c.centroid.z),
             String(format: "%.2f", c.radiusOfGyration)] + o.solutes.map { s in c.composition[s].map { Reports.plusMinus($0.atPercent, $0.sigmaAtPercent) } ?? "-" }
                + [c.guinier.map { Reports.plusMinus($0.soluteAtPercent, $0.sigmaAtPercent) } ?? "-"]
        }
        var lines = ["\(m.clusters.count) cluster(s) of at least \(o.nmin) solute atoms (dmax \(o.dmax) nm, order \(o.order), envelope \(o.envelope ?? 0) nm, erosion \(o.erosion ?? 0) nm)"]
        if m.strayIons > 0 { lines.append("\(m.strayIons) ion(s) far outside the bulk of the data are left out") }
        if m.erodedBelowNmin > 0 {
            lines.append("\(m.erodedBelowNmin) group(s) left with fewer than \(o.nmin) solute atoms by the envelope and erosion are not counted (their ions are in the matrix)")
        }
        if !rows.isEmpty {
            let header = ["cluster", "solute atoms", "atoms", "centroid (nm)", "Rg (nm)"] + o.solutes.map { "\($0) (at.%)" } + ["solutes, Guinier (at.%)"]
            lines.append(String(Reports.alignedTable(header, rows).dropLast()))
            if m.clusters.count > 20 { lines.append("... \(m.clusters.count - 20) more in clusters.csv") }
        }
        let s = ClusterStatistics(m)
        if let a = s.soluteAtoms {
            var t = String(format: "interior clusters: %d (%d at the data's edge left out of the statistics); solute atoms %.1f ± %.1f", s.interiorClusters, s.edgeClusters, a.mean, a.standardError)
            if let r = s.guinierRadius, let c = s.guinierSoluteAtPercent {
                t += String(format: ", Guinier radius %.2f ± %.2f nm, solutes %.1f ± %.1f at.%% (mean ± standard error)", r.mean, r.standardError, c.mean, c.standardError)
            }
            lines.append(t)
        }
        lines.append("matrix without clusters: " + m.matrix.entries.map { String(format: "%@ %.3f", $0.name, $0.atPercent) }.joined(separator: ", ") + " at.%")
        return lines
    }

    public static func write(_ m: MaximumSeparation, spacing: SoluteSpacing, scan: DmaxScan, dir: String) throws {
        func vec(_ v: SIMD3<Double>) -> JSONValue { .numbers([v.x, v.y, v.z]) }
        let list: JSONValue = .array(m.clusters.map { c in
            .object([("cluster_id", .int(c.id)), ("solute_atoms", .int(c.soluteAtoms)), ("atoms", .int(c.atoms)), ("ions", .int(c.ions)),
                     ("centroid_nm", vec(c.centroid)), ("radius_of_gyration_nm", .number(c.radiusOfGyration)), ("touches_edge", .bool(c.touchesEdge)),
                     ("elements", c.composition.entriesJSON),
                     ("guinier_radius_nm", c.guinier.map { .number($0.radius) } ?? .null),
                     ("solute_at_pct_guinier", c.guinier.map { .number($0.soluteAtPercent) } ?? .null),
                     ("solute_sigma_at_pct_guinier", c.guinier.map { .number($0.sigmaAtPercent) } ?? .null),
                     ("local_density_atoms_per_nm3", c.guinier.map { .number($0.density) } ?? .null)])
        })
        try AnalysisFiles.write(list.serialized(), dir, "clusters.json")
        let o = m.options
        let matrix: JSONValue = .object([
            ("solutes", .array(o.solutes.map { .string($0) })), ("dmax_nm", .number(o.dmax)), ("nmin", .int(o.nmin)), ("order", .int(o.order)),
            ("envelope_nm", .number(o.envelope ?? 0)), ("erosion_nm", .number(o.erosion ?? 0)), ("clusters", .int(m.clusters.count)), ("eroded_below_nmin", .int(m.erodedBelowNmin)),
            ("suggested_dmax_nm", scan.suggested.map { .number($0) } ?? .null),
            ("statistics", statisticsJSON(ClusterStatistics(m))),
            ("matrix", m.matrix.json),
        ])
        try AnalysisFiles.write(matrix.serialized(), dir, "matrix.json")
        let elements = m.matrix.entries.map(\.name)
        var csv = "cluster_id,solute_atoms,atoms,ions,x_nm,y_nm,z_nm,radius_of_gyration_nm,guinier_radius_nm,solute_at_pct_guinier,solute_sigma_at_pct_guinier,"
            + elements.flatMap { ["\($0)_at_pct", "\($0)_sigma_at_pct"] }.joined(separator: ",") + "\n"
        for c in m.clusters {
            csv += "\(c.id),\(c.soluteAtoms),\(c.atoms),\(c.ions),\(c.centroid.x),\(c.centroid.y),\(c.centroid.z),\(c.radiusOfGyration),"
            csv += c.guinier.map { "\($0.radius),\($0.soluteAtPercent),\($0.sigmaAtPercent)," } ?? ",,,"
            csv += elements.map { e in c.composition[e].map { "\($0.atPercent),\($0.sigmaAtPercent)" } ?? "0,0" }.joined(separator: ",") + "\n"
        }
        try AnalysisFiles.write(csv, dir, "clusters.csv")
        try AnalysisFiles.write(sizeDistribution(m), dir, "size-distribution.svg")
        var sp = "distance_nm,measured_fraction,randomized_fraction\n"
        for k in spacing.distance.indices { sp += "\(spacing.distance[k]),\(spacing.measured[k]),\(spacing.randomized[k])\n" }
        try AnalysisFiles.write(sp, dir, "solute-spacing.csv")
        var plot = LinePlot(title: "Distance to the \(ordinal(spacing.order)) nearest solute, measured and with randomized labels",
                            xLabel: "distance (nm)", yLabel: "fraction of solute ions")
        plot.series = [LinePlot.Series(name: "measured", x: spacing.distance, y: spacing.measured, color: "#d62728", style: .step),
                       LinePlot.Series(name: "randomized labels", x: spacing.distance, y: spacing.randomized, color: "#555555", style: .step)]
        try AnalysisFiles.write(plot.render(), dir, "solute-spacing.svg")
        try writeScan(scan, chosen: o.dmax, dir: dir)
    }

    /// `dmax-scan.csv` and `dmax-scan.svg`: clusters per candidate dmax, measured and randomized.
    static func writeScan(_ scan: DmaxScan, chosen: Double, dir: String) throws {
        var csv = "dmax_nm,clusters,randomized_clusters\n"
        for k in scan.dmax.indices { csv += "\(scan.dmax[k]),\(scan.measured[k]),\(scan.randomized[k])\n" }
        try AnalysisFiles.write(csv, dir, "dmax-scan.csv")
        let suggestion = scan.suggested.map { String(format: "suggested dmax %.3g nm", $0) } ?? "no dmax without random clusters"
        var plot = LinePlot(title: "Clusters of at least \(scan.nmin) solute atoms against dmax (\(suggestion); chosen \(chosen) nm)",
                            xLabel: "dmax (nm)", yLabel: "clusters")
        plot.series = [LinePlot.Series(name: "measured", x: scan.dmax, y: scan.measured.map(Double.init), color: "#d62728", style: .line),
                       LinePlot.Series(name: "randomized labels", x: scan.dmax, y: scan.randomized, color: "#555555", style: .line)]
        try AnalysisFiles.write(plot.render(), dir, "dmax-scan.svg")
    }

    /// The scan's lines for a user: the suggestion and what to know about the chosen dmax.
    public static func text(_ scan: DmaxScan, chosen: Double, found: Int) -> [String] {
        let head = scan.suggested.map { s in
            String(format: "dmax scan: %d ± %d cluster(s) for every dmax from %.3g to %.3g nm, where randomized solute labels give almost none; suggested dmax %.3g nm (dmax-scan.csv)",
                   scan.plateau?.count ?? 0, scan.plateau?.slack ?? 0, scan.stable?.lowerBound ?? s, scan.stable?.upperBound ?? s, s)
        } ?? (scan.noClusters
            ? "dmax scan: no dmax up to \(scan.dmax.last ?? 0) nm finds clusters of \(scan.nmin) solute atoms clearly beyond what randomized solute labels give (dmax-scan.csv): the solute looks randomly distributed"
            : "dmax scan: randomized solute labels give clusters of \(scan.nmin) solute atoms at every dmax that links neighbouring ions: random fluctuations cannot be told from clusters; raise nmin")
        return [head] + scan.warnings(for: chosen, found: found).map { "warning: " + $0 }
    }

    /// Means over the interior clusters (`touches_edge` false), each with its standard error.
    static func statisticsJSON(_ s: ClusterStatistics) -> JSONValue {
        func mean(_ m: ClusterStatistics.Mean?) -> JSONValue {
            m.map { .object([("mean", .number($0.mean)), ("standard_error", .number($0.standardError)), ("clusters", .int($0.count))]) } ?? .null
        }
        return .object([("interior_clusters", .int(s.interiorClusters)), ("edge_clusters", .int(s.edgeClusters)),
                        ("solute_atoms", mean(s.soluteAtoms)), ("guinier_radius_nm", mean(s.guinierRadius)),
                        ("solute_at_pct_guinier", mean(s.guinierSoluteAtPercent))])
    }

    static func ordinal(_ k: Int) -> String { k == 1 ? "1st" : k == 2 ? "2nd" : k == 3 ? "3rd" : "\(k)th" }

    /// Clusters per size (solute atoms), in bins of equal width.
    static func sizeDistribution(_ m: MaximumSeparation) -> String {
        let interior = m.clusters.filter { !$0.touchesEdge }, edge = m.clusters.count - interior.count
        var plot = LinePlot(title: "Cluster size distribution (\(interior.count) interior clusters\(edge > 0 ? "; \(edge) at the edge left out" : ""))",
                            xLabel: "solute atoms per cluster", yLabel: "clusters")
        let sizes = interior.map(\.soluteAtoms)
        guard let hi = sizes.max() else { return plot.render() }
        let bins = 20, lo = m.options.nmin
        let width = max(1, Int((Double(hi - lo + 1) / Double(bins)).rounded(.up)))
        var counts = [Double](repeating: 0, count: bins)
        for s in sizes { counts[min(bins - 1, max(0, s - lo) / width)] += 1 }
        plot.series = [LinePlot.Series(name: "", x: (0..<bins).map { Double(lo + $0 * width) + Double(width) / 2 }, y: counts, color: "#1f3b73", style: .step)]
        return plot.render()
    }
}
