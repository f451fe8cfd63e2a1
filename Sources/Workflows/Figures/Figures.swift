import Foundation
import AtomProbe
import AtomProbeAnalysis
import SegregationFEM
import ProfileComparison
import Plotting

/// The mass spectrum figure: counts per bin on a log axis, ranges as labelled bands.
public enum SpectrumFigure {
    /// The spectrum on a log scale, ranges shaded, and a fitted background (expected counts per
    /// bin) drawn over its windows' span when given; `labels` (one per range) replace the ion names.
    public static func svg(_ spec: MassSpectrum, table: RangeTable?, title: String, background: MassSpectrumBackground? = nil, labels: [String]? = nil) -> String {
        // Keep at most ~4000 points: the largest count of each group of bins (peaks stay visible).
        let group = Swift.max(1, spec.counts.count / 4000)
        // Empty bins sit below everything drawn (under the background when there is one).
        let lowestBackground = background.map { b in b.windows.map { b.density(at: $0.upperBound) * spec.binWidth }.min() ?? 1 } ?? 1
        let floor = Swift.max(1e-3, Swift.min(0.5, 0.3 * lowestBackground))
        var xs: [Double] = [], ys: [Double] = []
        var k = 0
        while k < spec.counts.count {
            let hi = Swift.min(k + group, spec.counts.count)
            let peak = spec.counts[k..<hi].max() ?? 0
            xs.append(spec.start + (Double(k + hi) / 2) * spec.binWidth)
            ys.append(peak > 0 ? Double(peak) : floor)
            k = hi
        }
        var plot = LinePlot(title: "Mass spectrum: \(title)", xLabel: "mass-to-charge (Da)",
                            yLabel: "counts per \(spec.binWidth) Da bin" + (group > 1 ? " (max of \(group))" : ""))
        plot.yScale = .log
        plot.width = 1100
        plot.xRange = spec.start...(spec.start + Double(spec.counts.count) * spec.binWidth)
        plot.series = [LinePlot.Series(name: "", x: xs, y: ys, color: "#1f3b73", style: .step)]
        if background != nil { plot.yRange = floor...(3 * Swift.max(ys.max() ?? 1, 1)) }
        if let background, let lo = background.windows.first?.lowerBound, let hi = background.windows.last?.upperBound {
            let bx = xs.filter { $0 >= lo && $0 <= hi }
            let by = bx.map { Swift.max(background.density(at: $0) * spec.binWidth, 1e-3) }
            plot.series.append(LinePlot.Series(name: "fitted background", x: bx, y: by, color: "#d62728", style: .line))
        }
        if let table {
            plot.bands = table.ranges.enumerated().map { k, r in
                LinePlot.Band(from: r.low, to: r.high, label: labels?[k] ?? table.ions[r.ionIndex].name, color: r.color.map { "#" + $0 } ?? "#f4a261")
            }
        }
        return plot.render()
    }
}

/// The study's element colours (Fig. 4 and 5), the palette for others.
enum ElementColors {
    static let study = ["Li": "#e377c2", "La": "#ff7f0e", "Zr": "#9467bd", "O": "#17becf", "Ta": "#222222"]
    static func color(_ element: String, index k: Int) -> String { study[element] ?? LinePlot.palette[k % LinePlot.palette.count] }
}

/// Fig. 5-style proxigram: at.% with one-sigma bars against signed distance, 0 = interface,
/// bulk left, object right.
public enum ProxigramFigure {
    public static func svg(_ p: Proxigram, title: String, species: [String]?) -> String {
        var plot = LinePlot(title: title, xLabel: "distance to the interface (nm): bulk < 0 < object", yLabel: "concentration (at.%)")
        let chosen = species ?? p.elements
        let x = p.binCenters
        for (k, el) in chosen.enumerated() {
            guard let e = p.elements.firstIndex(of: el) else { continue }
            let vals = x.indices.map { p.atPercent(e, bin: $0) }
            plot.series.append(LinePlot.Series(name: el, x: x, y: vals.map(\.value), yError: vals.map(\.sigma),
                                               color: ElementColors.color(el, index: k), style: .linePoints))
        }
        plot.yRange = 0...100
        plot.markers = [(0, "interface")]
        return plot.render()
    }
}

/// Measured points with error bars, the simulated curve, and a residual panel below.
public enum ComparisonFigure {
    public static func svg(_ c: Comparison, simulated: Profile, unit: String) -> String {
        var top = LinePlot(title: "Measured vs simulated profile", xLabel: "distance to the interface (nm): bulk < 0 < object", yLabel: unit)
        let d = c.points.map(\.distance)
        let lo = d.min() ?? -1, hi = d.max() ?? 1
        let simX = simulated.distance.map { $0 + c.offset }.filter { $0 >= lo && $0 <= hi }
        let simY = simX.map { x in c.mappingA + c.mappingB * (simulated.interpolate(x - c.offset) ?? .nan) }
        top.series = [LinePlot.Series(name: "measured", x: d, y: c.points.map(\.measured), yError: c.points.map(\.sigma), color: "#d62728", style: .points),
                      LinePlot.Series(name: "simulated", x: simX, y: simY, color: "#1f77b4")]
        top.markers = [(0, "interface")]
        top.height = 420
        var bottom = LinePlot(title: String(format: "Residuals (measured - simulated): RMSE %.2f, chi^2/dof %.2f", c.rmse, c.chiSquarePerDOF),
                              xLabel: "distance (nm)", yLabel: "residual")
        bottom.series = [LinePlot.Series(name: "", x: d, y: c.points.map { $0.measured - $0.simulated }, yError: c.points.map(\.sigma), color: "#555", style: .points)]
        bottom.markers = [(0, "")]
        bottom.height = 260
        bottom.xRange = lo...hi
        return SVGDocument.stack([(top.render(), top.width, top.height), (bottom.render(), bottom.width, bottom.height)])
    }
}

/// The maps and the profile plot of one simulation.
public struct SimulationFigures: Sendable {
    public let concentration: String
    public let hydrostaticStress: String
    public let profile: String

    public init(_ sim: Simulation, profile prof: FieldResults.Profile, line: (Double, Double, Double, Double)) {
        let model = sim.model, r = sim.results, name = sim.scenario.rawValue
        let markers = model.dislocations.map { (x: $0.x, y: $0.y, label: "") }
        var cMap = HeatMap(title: "Li site fraction c (\(name), steady state)", colorLabel: "c",
                           xs: model.mesh.xs, ys: model.mesh.ys, values: r.c, scale: .sequential)
        cMap.markers = markers
        concentration = cMap.render()
        var sMap = HeatMap(title: "Hydrostatic stress sigma_h (GPa): tension red, compression blue", colorLabel: "GPa",
                           xs: model.mesh.xs, ys: model.mesh.ys, values: r.sigmaH.map { $0 / 1e9 }, scale: .diverging)
        sMap.markers = markers
        // Clip the colour range to the 99th percentile so the cores do not wash out the map.
        let sorted = r.sigmaH.map { abs($0) / 1e9 }.sorted()
        let clip = sorted[Int(Double(sorted.count - 1) * 0.99)]
        if clip > 0 { sMap.range = -clip...clip }
        hydrostaticStress = sMap.render()
        var plot = LinePlot(title: String(format: "Profile (%.3g, %.3g) -> (%.3g, %.3g) nm", line.0, line.1, line.2, line.3),
                            xLabel: "distance along the line (nm)", yLabel: "Li (at.%) / sigma_h (GPa)")
        plot.series = [LinePlot.Series(name: "Li at.%", x: prof.distance, y: prof.liAtPercent, color: "#e377c2"),
                       LinePlot.Series(name: "sigma_h (GPa)", x: prof.distance, y: prof.sigmaHPa.map { $0 / 1e9 }, color: "#1f77b4")]
        profile = plot.render()
    }
}

/// Every scenario of a ranking (blurred, at its best offset) over the measured points with their
/// errors, and each scenario's residuals below.
public enum RankingFigure {
    public static func svg(_ r: Ranking, unit: String) -> String {
        let m = r.best.comparison.points
        let d = m.map(\.distance)
        let lo = d.min() ?? -1, hi = d.max() ?? 1
        var top = LinePlot(title: String(format: "Scenarios against the measured profile (instrument blur %.2g nm): best %@", r.instrumentBlur, r.best.name),
                           xLabel: "distance (nm)", yLabel: unit)
        top.series = [LinePlot.Series(name: "measured", x: d, y: m.map(\.measured), yError: m.map(\.sigma), color: "#222222", style: .points)]
        var bottom = LinePlot(title: "Residuals (measured - simulated)", xLabel: "distance (nm)", yLabel: "residual")
        for (k, e) in r.entries.enumerated() {
            let c = e.comparison
            let color = LinePlot.palette[k % LinePlot.palette.count]
            let xs = e.simulated.distance.map { $0 + c.offset }.filter { $0 >= lo && $0 <= hi }
            top.series.append(LinePlot.Series(name: e.name, x: xs,
                                              y: xs.map { c.mappingA + c.mappingB * (e.simulated.interpolate($0 - c.offset) ?? .nan) }, color: color))
            bottom.series.append(LinePlot.Series(name: e.name, x: c.points.map(\.distance), y: c.points.map { $0.measured - $0.simulated }, color: color, style: .linePoints))
        }
        top.height = 440; bottom.height = 280; bottom.xRange = lo...hi; bottom.markers = [(0, "")]
        return SVGDocument.stack([(top.render(), top.width, top.height), (bottom.render(), bottom.width, bottom.height)])
    }
}
