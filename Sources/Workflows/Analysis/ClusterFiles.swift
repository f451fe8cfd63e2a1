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

    /// Writes the files; returns their names.
    @discardableResult
    public static func write(_ m: MaximumSeparation, spacing: SoluteSpacing, scan: DmaxScan, falseClusters: FalseClusters? = nil,
                             sweep: ClusterSweep? = nil, dir: String) throws -> String {
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
            ("exclude_edge", .bool(o.excludeEdge)), ("edge_clusters_excluded", .int(m.edgeClustersExcluded)),
            ("false_clusters", falseClusters.map(falseClustersJSON) ?? .null),
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
        try AnalysisFiles.write(sizeDistribution(m, falseClusters: falseClusters), dir, "size-distribution.svg")
        var sp = "distance_nm,measured_fraction,randomized_fraction\n"
        for k in spacing.distance.indices { sp += "\(spacing.distance[k]),\(spacing.measured[k]),\(spacing.randomized[k])\n" }
        try AnalysisFiles.write(sp, dir, "solute-spacing.csv")
        var plot = LinePlot(title: "Distance to the \(ordinal(spacing.order)) nearest solute, measured and with randomized labels",
                            xLabel: "distance (nm)", yLabel: "fraction of solute ions")
        plot.series = [LinePlot.Series(name: "measured", x: spacing.distance, y: spacing.measured, color: "#d62728", style: .step),
                       LinePlot.Series(name: "randomized labels", x: spacing.distance, y: spacing.randomized, color: "#555555", style: .step)]
        try AnalysisFiles.write(plot.render(), dir, "solute-spacing.svg")
        try writeScan(scan, chosen: o.dmax, dir: dir)
        var names = Self.names
        if let f = falseClusters {
            var csv = "solute_atoms_low,solute_atoms_high,clusters,false_clusters_mean,false_clusters_sd\n"
            for c in f.classes { csv += "\(c.low),\(c.high),\(c.observed),\(c.randomMean),\(c.randomSD)\n" }
            try AnalysisFiles.write(csv, dir, "false-clusters.csv")
            names += ", false-clusters.csv"
        }
        if let s = sweep {
            try writeSweep(s, order: o.order, dir: dir)
            names += ", sweep.csv, sweep.svg"
        }
        return names
    }

    static func falseClustersJSON(_ f: FalseClusters) -> JSONValue {
        .object([("randomizations", .int(f.randomizations)), ("clusters", .int(f.observed)),
                 ("expected_false_clusters", .number(f.randomMean)), ("expected_false_clusters_sd", .number(f.randomSD)),
                 ("size_classes", .array(f.classes.map { c in .object([
                     ("solute_atoms_low", .int(c.low)), ("solute_atoms_high", .int(c.high)), ("clusters", .int(c.observed)),
                     ("false_clusters_mean", .number(c.randomMean)), ("false_clusters_sd", .number(c.randomSD))]) }))])
    }

    /// `sweep.csv` and `sweep.svg`: clusters and false clusters over the grid.
    static func writeSweep(_ s: ClusterSweep, order: Int, dir: String) throws {
        var csv = "dmax_nm,nmin,clusters,false_clusters\n"
        for (i, n) in s.grid.nmin.enumerated() {
            for (k, d) in s.grid.dmax.enumerated() { csv += "\(d),\(n),\(s.clusters[i][k]),\(s.falseClusters[i][k])\n" }
        }
        try AnalysisFiles.write(csv, dir, "sweep.csv")
        var plot = LinePlot(title: "Clusters (solid) and false clusters in \(s.randomizations) randomized copies (dashed), order \(order)",
                            xLabel: "dmax (nm)", yLabel: "clusters")
        for (i, n) in s.grid.nmin.enumerated() {
            let color = LinePlot.palette[i % LinePlot.palette.count]
            plot.series += [LinePlot.Series(name: "nmin \(n)", x: s.grid.dmax, y: s.clusters[i].map(Double.init), color: color, style: .linePoints),
                            LinePlot.Series(name: "nmin \(n), random", x: s.grid.dmax, y: s.falseClusters[i], color: color, style: .linePoints, dash: "6,4")]
        }
        try AnalysisFiles.write(plot.render(), dir, "sweep.svg")
    }

    /// The false clusters and the sweep, in lines.
    public static func text(_ f: FalseClusters?, _ s: ClusterSweep?) -> [String] {
        var lines: [String] = []
        if let f {
            lines.append(String(format: "false clusters: %.1f ± %.1f per randomized copy (mean ± sd of %d) against %d found (false-clusters.csv)", f.randomMean, f.randomSD, f.randomizations, f.observed))
        }
        if let s {
            lines.append("sweep: clusters and false clusters for \(s.grid.dmax.count) dmax x \(s.grid.nmin.count) nmin values in sweep.csv / sweep.svg")
        }
        return lines
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
    static func sizeDistribution(_ m: MaximumSeparation, falseClusters f: FalseClusters? = nil) -> String {
        if let f {
            // Per size class: the clusters found and the mean of the randomized copies.
            var plot = LinePlot(title: "Cluster size distribution: found and in \(f.randomizations) label-randomized copies (mean)",
                                xLabel: "solute atoms per cluster (class from)", yLabel: "clusters")
            plot.xScale = .log
            let x = f.classes.map { Double($0.low) }
            plot.series = [LinePlot.Series(name: "found", x: x, y: f.classes.map { Double($0.observed) }, color: "#1f3b73", style: .linePoints),
                           LinePlot.Series(name: "randomized labels", x: x, y: f.classes.map(\.randomMean),
                                           yError: f.classes.map(\.randomSD), color: "#d62728", style: .linePoints, dash: "6,4")]
            return plot.render()
        }
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
