import ArgumentParser
import Foundation
import AtomProbe
import AtomProbeIO
import AtomProbeAnalysis
import Plotting
import KitFoundation

struct Spectrum: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Mass spectrum: histogram CSV and an SVG plot (log counts, ranges shaded and labelled).")

    @OptionGroup var input: ReconstructionOptions

    @Option(help: "Range file to shade and label on the plot (optional).")
    var ranges: String?

    @Option(name: .customLong("bin-width"), help: "Bin width in Da.")
    var binWidth: Double = 0.01

    @Option(help: "Lower m/n limit (Da).")
    var min: Double = 0
    @Option(help: "Upper m/n limit (Da); default: just above the largest value.")
    var max: Double?

    @Option(name: .shortAndLong, help: "Output prefix: writes PREFIX.csv and PREFIX.svg.")
    var output: String

    func run() throws {
        let table = try ranges.map { try RangeFileIO.read($0) }
        let recon = try input.load()
        let spec = try MassSpectrum(recon.mass, binWidth: binWidth, start: min, end: max)
        var csv = "mass_to_charge_da,counts\n"
        csv.reserveCapacity(spec.counts.count * 16)
        for (c, n) in zip(spec.binCenters, spec.counts) { csv += "\(c),\(n)\n" }
        let inputs = [input.reconstruction] + (ranges.map { [$0] } ?? [])
        try Output.refuseOverwrite(output + ".csv", inputs: inputs)
        try Output.refuseOverwrite(output + ".svg", inputs: inputs)
        try AtomicFile.write(csv, to: output + ".csv")
        try AtomicFile.write(SpectrumFigure.svg(spec, table: table, title: URL(fileURLWithPath: input.reconstruction).lastPathComponent), to: output + ".svg")
        print("wrote \(output).csv (\(spec.counts.count) bins of \(binWidth) Da) and \(output).svg")
    }
}

/// The mass spectrum figure: counts per bin on a log axis, ranges as labelled bands.
enum SpectrumFigure {
    static func svg(_ spec: MassSpectrum, table: RangeTable?, title: String) -> String {
        // Keep at most ~4000 points: the largest count of each group of bins (peaks stay visible).
        let group = Swift.max(1, spec.counts.count / 4000)
        var xs: [Double] = [], ys: [Double] = []
        var k = 0
        while k < spec.counts.count {
            let hi = Swift.min(k + group, spec.counts.count)
            let peak = spec.counts[k..<hi].max() ?? 0
            xs.append(spec.start + (Double(k + hi) / 2) * spec.binWidth)
            ys.append(peak > 0 ? Double(peak) : 0.5)
            k = hi
        }
        var plot = LinePlot(title: "Mass spectrum: \(title)", xLabel: "mass-to-charge (Da)",
                            yLabel: "counts per \(spec.binWidth) Da bin" + (group > 1 ? " (max of \(group))" : ""))
        plot.yScale = .log
        plot.width = 1100
        plot.xRange = spec.start...(spec.start + Double(spec.counts.count) * spec.binWidth)
        plot.series = [LinePlot.Series(name: "", x: xs, y: ys, color: "#1f3b73", style: .step)]
        if let table {
            plot.bands = table.ranges.map { r in
                LinePlot.Band(from: r.low, to: r.high, label: table.ions[r.ionIndex].name, color: r.color.map { "#" + $0 } ?? "#f4a261")
            }
        }
        return plot.render()
    }
}
