import ArgumentParser
import Foundation
import AtomProbe
import AtomProbeIO
import ProfileComparison
import Plotting
import KitFoundation

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare a measured Li profile (a proxigram) with a simulated one: RMSE, chi^2, enrichment, width; text, JSON and an SVG overlay.",
        discussion: """
        The measured profile is a CSV with distance, value and one-sigma columns (default: a proxigram CSV, \
        distance_nm, Li_at_pct, Li_sigma_at_pct). The simulated one is a profile CSV of `atomprobe simulate` \
        (distance_nm along its line, li_at_pct or c). Its axis is moved so that --sim-origin-nm becomes 0 \
        (0 = the interface; --flip mirrors it, bulk left and the Li-rich side right), optionally with a fitted \
        offset; with --fit-mapping the site fraction c is mapped to the measured unit as a + b c by weighted \
        least squares (reported with one-sigma uncertainties) instead of the documented LLZO mapping.
        """)

    @Option(help: "Measured profile: a CSV (a proxigram, or any CSV with distance, value, sigma columns) or a bundle group, e.g. results.h5:/analysis/proxigram/object1.") var measured: String
    @Option(name: .customLong("measured-columns"), help: "Measured columns: distance,value,sigma.") var measuredColumns = "distance_nm,Li_at_pct,Li_sigma_at_pct"
    @Option(help: "Simulated profile CSV (profile.csv of `atomprobe simulate`).") var simulated: String
    @Option(name: .customLong("simulated-columns"), help: "Simulated columns: distance,value (value c with --fit-mapping by default).") var simulatedColumns: String?
    @Option(name: .customLong("sim-origin-nm"), help: "Position on the simulated axis that is the interface (nm).") var simOrigin = 0.0
    @Flag(help: "Mirror the simulated axis (distance -> origin - distance).") var flip = false
    @Flag(name: .customLong("fit-offset"), help: "Fit an offset of the simulated axis (within --offset-range).") var fitOffset = false
    @Option(name: .customLong("offset-range"), help: "Offset search range min,max (nm).") var offsetRange = "-5,5"
    @Flag(name: .customLong("fit-mapping"), help: "Fit value = a + b * c instead of using li_at_pct.") var fitMapping = false
    @Option(name: .shortAndLong, help: "Output folder.") var output: String
    @Option(help: "Also write an HDF5 results bundle (docs/bundle.md) to this file.") var bundle: String?

    func run() throws {
        let mc = measuredColumns.split(separator: ",").map(String.init)
        guard mc.count == 3 else { throw ValidationError("--measured-columns needs distance,value,sigma") }
        let sc = (simulatedColumns ?? (fitMapping ? "distance_nm,c" : "distance_nm,li_at_pct")).split(separator: ",").map(String.init)
        guard sc.count == 2 else { throw ValidationError("--simulated-columns needs distance,value") }
        let m = measured.contains(".h5:")
            ? try ResultsBundle.readProfile(measured, distance: mc[0], value: mc[1], sigma: mc[2])
            : try ProfileCSV.read(measured, distance: mc[0], value: mc[1], sigma: mc[2], label: "measured")
        let s = try ProfileCSV.read(simulated, distance: sc[0], value: sc[1], sigma: nil, label: "simulated").shifted(origin: simOrigin, flip: flip)
        var o = ProfileComparison.Options()
        o.fitOffset = fitOffset; o.fitMapping = fitMapping
        let r = try parseNumbers(offsetRange, count: 2, option: "--offset-range")
        guard r[0] < r[1] else { throw ValidationError("--offset-range needs min < max") }
        o.offsetRange = r[0]...r[1]
        let c = try ProfileComparison(measured: m, simulated: s, options: o)
        try Output.makeFolder(output)
        try Output.refuseOverwrite(output + "/comparison.json", inputs: [measured, simulated])
        let j = try ComparisonFigure.write(c, simulated: s, unit: mc[1], to: output,
                                           about: [("measured_file", .string(measured)), ("simulated_file", .string(simulated)),
                                                   ("simulated_origin_nm", .number(simOrigin)), ("simulated_flipped", .bool(flip))])
        if let bundle {
            try Output.refuseOverwrite(bundle, inputs: [measured.components(separatedBy: ".h5:").first.map { $0 + ".h5" } ?? measured, simulated])
            let b = try ResultsBundle(path: bundle)
            try b.addComparison("comparison", c, json: j)
            try b.close()
        }
        print(c.text, terminator: "")
        print("wrote \(output)/comparison.json, comparison.txt, comparison.svg")
    }
}

/// Measured points with error bars, the simulated curve, and a residual panel below.
enum ComparisonFigure {
    /// Writes comparison.json (with `about` first), comparison.txt and comparison.svg; returns the JSON.
    static func write(_ c: ProfileComparison, simulated s: Profile, unit: String, to dir: String, about: [(String, JSONValue)]) throws -> JSONValue {
        var j = c.json
        if case .object(let f) = j { j = .object(about + f) }
        try AtomicFile.write(j.serialized(), to: dir + "/comparison.json")
        try AtomicFile.write(c.text, to: dir + "/comparison.txt")
        try AtomicFile.write(svg(c, simulated: s, unit: unit), to: dir + "/comparison.svg")
        return j
    }

    static func svg(_ c: ProfileComparison, simulated: Profile, unit: String) -> String {
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
