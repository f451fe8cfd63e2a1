import Foundation
import AtomProbeAnalysis
import KitFoundation
import Plotting

/// The files of `atomprobe stats` (CONVENTIONS.md, third round): `stats.json`
/// (`frequency_distribution` with `block_atoms`, `chi2`, `dof`, `p_value`, `pearson_mu` for the
/// solutes together and `per_solute`; `nearest_neighbour` per k; `pair_correlation`; the
/// settings), `fda.csv`, `nn.csv`, `rdf.csv` (`r_nm`, `g`, then the envelope) and an SVG of each.
public enum StatsFiles {
    public static let names = "stats.json, fda.csv, fda.svg, nn.csv, nn.svg, rdf.csv, rdf.svg"

    /// What a user reads.
    public static func text(_ s: SpatialStatistics) -> [String] {
        let f = s.frequency.combined
        var lines = ["\(s.soluteIons) solute ions (\(s.options.solutes.joined(separator: ", "))) among \(s.ions) ranged ions; \(s.options.randomizations) randomized copies (seed \(s.options.seed))"]
        for fit in [f] + s.frequency.perSolute {
            lines.append(String(format: "frequency distribution of %@ (%d blocks of %d atoms, %.3g at.%%): chi2 %.4g with %d dof, p %.3g, Pearson mu %.3g",
                                fit.name, fit.blocks, fit.blockAtoms, 100 * fit.soluteFraction, fit.chi2, fit.dof, fit.pValue, fit.pearsonMu))
        }
        if let nn = s.nearestNeighbours {
            for o in nn.orders where o.k == 1 || o.k == nn.orders.count {
                lines.append(String(format: "k = %d nearest solute: mean %.3f nm (randomized %.3f nm), KS D %.3g, p %.3g (Monte Carlo p %.3g over %d randomizations)",
                                    o.k, o.observedMean, o.randomizedMean, o.ksDistance, o.ksPValue, o.monteCarloPValue, nn.randomizations))
            }
        }
        let g = s.pairCorrelation
        if let top = g.g.indices.max(by: { g.g[$0] < g.g[$1] }) {
            let outside = g.r.indices.filter { g.g[$0] > g.high[$0] || g.g[$0] < g.low[$0] }.count
            lines.append(String(format: "pair correlation: g(r) peaks at %.3g at r = %.3g nm; %d of %d bins outside the randomizations' range", g.g[top], g.r[top], outside, g.r.count))
        }
        lines.append(f.pValue < 0.001 ? "the solute distribution is not random (frequency distribution p < 0.001)" : "the frequency distribution is consistent with a random solid solution (p >= 0.001)")
        return lines
    }

    public static func write(_ s: SpatialStatistics, dir: String) throws {
        let o = s.options
        func fit(_ f: FrequencyDistribution.Fit) -> [(String, JSONValue)] {
            [("block_atoms", .int(f.blockAtoms)), ("blocks", .int(f.blocks)), ("solute_fraction", .number(f.soluteFraction)),
             ("chi2", .number(f.chi2)), ("dof", .int(f.dof)), ("p_value", .number(f.pValue)), ("pearson_mu", .number(f.pearsonMu)),
             ("classes", .int(f.classes.count))]
        }
        let fda: JSONValue = .object([("solutes", .string(s.frequency.combined.name))] + fit(s.frequency.combined) + [
            ("blocks_are", .string("voxels of equal atom count: atoms sorted by z into slabs, by y into rows, by x into blocks (independent of the file's order)")),
            ("pearson_mu_is", .string("sqrt(chi2 / (N + chi2)), N the number of atoms in the blocks (per atom; Moody et al. 2008, Microsc. Res. Tech. 71, 542)")),
            ("per_solute", .object(s.frequency.perSolute.map { ($0.name, .object(fit($0))) })),
        ])
        var nn: JSONValue = .null
        if let d = s.nearestNeighbours {
            nn = .object([
                ("reach_nm", .number(d.reach)), ("bin_nm", .number(d.binWidth)), ("randomizations", .int(d.randomizations)),
                ("r_nm", .numbers(d.distance)),
                ("orders", .array(d.orders.map { k in .object([
                    ("k", .int(k.k)), ("observed_mean_nm", .number(k.observedMean)), ("randomized_mean_nm", .number(k.randomizedMean)),
                    ("beyond_reach_fraction", .number(k.beyondReach)), ("ks_statistic", .number(k.ksDistance)), ("ks_p_value", .number(k.ksPValue)),
                    ("monte_carlo_p_value", .number(k.monteCarloPValue)),
                    ("observed", .numbers(k.observed)), ("randomized_mean", .numbers(k.randomMean)),
                    ("randomized_low", .numbers(k.randomLow)), ("randomized_high", .numbers(k.randomHigh)),
                ]) })),
            ])
        }
        let g = s.pairCorrelation
        let json: JSONValue = .object([
            ("frequency_distribution", fda),
            ("nearest_neighbour", nn),
            ("pair_correlation", .object([("max_nm", .number(g.maxDistance)), ("bin_nm", .number(g.binWidth)), ("randomizations", .int(g.randomizations)),
                                          ("normalised_by", .string("the mean solute pair count of the randomly relabelled copies (edge effects cancel)"))])),
            ("solute_ions", .int(s.soluteIons)), ("ions", .int(s.ions)),
            ("settings", .object([("solutes", .array(o.solutes.map { .string($0) })), ("block_atoms", .int(o.blockAtoms)), ("k", .int(o.maxOrder)),
                                  ("randomizations", .int(o.randomizations)), ("seed", .int(Int(truncatingIfNeeded: o.seed))),
                                  ("rdf_max_nm", .number(o.rdfMax)), ("rdf_bin_nm", .number(o.rdfBin))])),
        ])
        try AnalysisFiles.write(json.serialized(), dir, "stats.json")
        try AnalysisFiles.write(fdaCSV(s.frequency), dir, "fda.csv")
        try AnalysisFiles.write(fdaFigure(s.frequency), dir, "fda.svg")
        if let d = s.nearestNeighbours {
            var csv = "r_nm," + d.orders.map { "k\($0.k)_observed,k\($0.k)_random_mean,k\($0.k)_random_low,k\($0.k)_random_high" }.joined(separator: ",") + "\n"
            for b in d.distance.indices {
                csv += "\(d.distance[b])," + d.orders.map { "\($0.observed[b]),\($0.randomMean[b]),\($0.randomLow[b]),\($0.randomHigh[b])" }.joined(separator: ",") + "\n"
            }
            try AnalysisFiles.write(csv, dir, "nn.csv")
            try AnalysisFiles.write(nnFigure(d), dir, "nn.svg")
        }
        var rdf = "r_nm,g,g_random_low,g_random_high,observed_pairs,random_pairs\n"
        for k in g.r.indices { rdf += "\(g.r[k]),\(g.g[k]),\(g.low[k]),\(g.high[k]),\(g.observedPairs[k]),\(g.randomPairs[k])\n" }
        try AnalysisFiles.write(rdf, dir, "rdf.csv")
        try AnalysisFiles.write(rdfFigure(g, solutes: o.solutes.joined(separator: "+")), dir, "rdf.svg")
    }

    /// Blocks per solute count: observed and binomial, the solutes together and each alone.
    static func fdaCSV(_ f: FrequencyDistribution) -> String {
        let fits = [f.combined] + f.perSolute
        let top = fits.map { fit in max(fit.observed.lastIndex { $0 > 0 } ?? 0, fit.expected.lastIndex { $0 >= 0.01 } ?? 0) }.max() ?? 0
        var csv = "solute_atoms,observed_blocks,binomial_blocks" + f.perSolute.map { ",\($0.name)_observed_blocks,\($0.name)_binomial_blocks" }.joined() + "\n"
        for k in 0...top { csv += "\(k)" + fits.map { ",\($0.observed[k]),\($0.expected[k])" }.joined() + "\n" }
        return csv
    }

    public static func fdaFigure(_ f: FrequencyDistribution) -> String {
        let c = f.combined
        var plot = LinePlot(title: String(format: "Frequency distribution, %@ in blocks of %d atoms: chi2 %.4g (%d dof), p %.3g, mu %.3g",
                                          c.name, c.blockAtoms, c.chi2, c.dof, c.pValue, c.pearsonMu),
                            xLabel: "solute atoms per block", yLabel: "blocks")
        for (i, fit) in ([c] + f.perSolute).enumerated() {
            let top = max(fit.observed.lastIndex { $0 > 0 } ?? 0, fit.expected.lastIndex { $0 >= 0.01 } ?? 0)
            let x = (0...top).map(Double.init), color = LinePlot.palette[i % LinePlot.palette.count]
            plot.series.append(LinePlot.Series(name: "\(fit.name) observed", x: x, y: fit.observed[0...top].map(Double.init), color: color, style: .points))
            plot.series.append(LinePlot.Series(name: "\(fit.name) binomial", x: x, y: Array(fit.expected[0...top]), color: color, style: .line))
        }
        return plot.render()
    }

    static func nnFigure(_ d: NearestNeighbourDistributions) -> String {
        var plot = LinePlot(title: "k-th nearest solute distance: observed (solid), randomized labels (dashed: mean; dotted: range of \(d.randomizations))",
                            xLabel: "distance (nm)", yLabel: "fraction of solute ions per bin")
        let shown = Array(Set([1, (d.orders.count + 1) / 2, d.orders.count])).sorted()
        for (i, k) in shown.enumerated() {
            let o = d.orders[k - 1], color = LinePlot.palette[i % LinePlot.palette.count]
            plot.series += [LinePlot.Series(name: "k = \(k)", x: d.distance, y: o.observed, color: color),
                            LinePlot.Series(name: "k = \(k) random", x: d.distance, y: o.randomMean, color: color, dash: "6,4"),
                            LinePlot.Series(name: "", x: d.distance, y: o.randomLow, color: color, dash: "2,3"),
                            LinePlot.Series(name: "", x: d.distance, y: o.randomHigh, color: color, dash: "2,3")]
        }
        return plot.render()
    }

    public static func rdfFigure(_ g: PairCorrelation, solutes: String) -> String {
        var plot = LinePlot(title: "Pair correlation \(solutes)-\(solutes), normalised by randomized labels (1: random)", xLabel: "r (nm)", yLabel: "g(r)")
        plot.series = [LinePlot.Series(name: "g(r)", x: g.r, y: g.g, color: "#d62728", style: .linePoints),
                       LinePlot.Series(name: "randomizations' range", x: g.r, y: g.low, color: "#555555", dash: "3,3"),
                       LinePlot.Series(name: "", x: g.r, y: g.high, color: "#555555", dash: "3,3"),
                       LinePlot.Series(name: "random", x: [0, g.maxDistance], y: [1, 1], color: "#999999")]
        return plot.render()
    }
}
