import ArgumentParser
import Foundation
import AtomProbe
import AtomProbeIO
import ProfileComparison
import ResultsBundle
import Workflows
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
    @Option(help: "Simulated profile CSV (profile.csv of `atomprobe simulate`); repeat for several scenarios, which are then ranked.") var simulated: [String]
    @Option(help: "Name of each simulated scenario, in the order of --simulated (default: the folder of its file).") var name: [String] = []
    @Option(name: .customLong("instrument-blur-nm"), help: "Blur each simulated profile by a Gaussian of this sigma along the axis before comparing (the instrument and the analysis, nm).") var instrumentBlur = 0.0
    @Option(name: .customLong("measured-origin-nm"), help: "Position on the measured axis that is the interface (nm); the measured axis is moved so it becomes 0.") var measuredOrigin = 0.0
    @Option(name: .customLong("simulated-columns"), help: "Simulated columns: distance,value (value c with --fit-mapping by default).") var simulatedColumns: String?
    @Option(name: .customLong("sim-origin-nm"), help: "Position on the simulated axis that is the interface (nm).") var simOrigin = 0.0
    @Flag(help: "Mirror the simulated axis (distance -> origin - distance).") var flip = false
    @Flag(name: .customLong("fit-offset"), help: "Fit an offset of the simulated axis (within --offset-range).") var fitOffset = false
    @Option(name: .customLong("offset-range"), parsing: .unconditional, help: "Offset search range min,max (nm).") var offsetRange = Numbers(argument: "-5,5")!
    @Flag(name: .customLong("fit-mapping"), help: "Fit value = a + b * c instead of using li_at_pct.") var fitMapping = false
    @Option(name: .shortAndLong, help: "Output folder.") var output: String
    @Option(help: "Also write an HDF5 results bundle (docs/bundle.md) to this file.") var bundle: String?

    var mc: [String] { measuredColumns.split(separator: ",").map(String.init) }
    var sc: [String] { (simulatedColumns ?? (fitMapping ? "distance_nm,c" : "distance_nm,li_at_pct")).split(separator: ",").map(String.init) }

    func validate() throws {
        guard mc.count == 3 else { throw ValidationError("--measured-columns needs distance,value,sigma") }
        guard sc.count == 2 else { throw ValidationError("--simulated-columns needs distance,value") }
        let r = try offsetRange.require(2, option: "--offset-range")
        guard r[0] < r[1] else { throw ValidationError("--offset-range needs min < max") }
        guard !simulated.isEmpty else { throw ValidationError("give at least one --simulated profile") }
        guard name.isEmpty || name.count == simulated.count else { throw ValidationError("give one --name per --simulated, or none") }
        guard instrumentBlur >= 0 && instrumentBlur.isFinite else { throw ValidationError("--instrument-blur-nm must be a finite number >= 0") }
        guard measuredOrigin.isFinite else { throw ValidationError("--measured-origin-nm must be finite") }
    }

    /// Scenario names: given, or the folders of the files (numbered when they repeat).
    var scenarioNames: [String] {
        if !name.isEmpty { return name }
        let folders = simulated.map { URL(fileURLWithPath: $0).deletingLastPathComponent().lastPathComponent }
        return folders.enumerated().map { k, f in folders.filter { $0 == f }.count > 1 ? "\(f)-\(k + 1)" : f }
    }

    func run() throws {
        let mc = mc, sc = sc
        if measured.contains(".h5:") { try CheckHDF5.isolate(measured, columns: mc, file: measured.components(separatedBy: ".h5:")[0] + ".h5") }
        let read = measured.contains(".h5:")
            ? try ResultsBundle.readProfile(measured, distance: mc[0], value: mc[1], sigma: mc[2])
            : try ProfileCSV.read(measured, distance: mc[0], value: mc[1], sigma: mc[2], label: "measured")
        let m = read.shifted(origin: measuredOrigin)
        let sims = try simulated.map { try ProfileCSV.read($0, distance: sc[0], value: sc[1], sigma: nil, label: "simulated").shifted(origin: simOrigin, flip: flip) }
        var o = Comparison.Options()
        o.fitOffset = fitOffset; o.fitMapping = fitMapping
        o.offsetRange = offsetRange.values[0]...offsetRange.values[1]
        let measuredFile = measured.components(separatedBy: ".h5:").count > 1 ? measured.components(separatedBy: ".h5:")[0] + ".h5" : measured
        let run = try RunFolder(output, kind: "compare", inputs: [measuredFile] + simulated)
        if sims.count > 1 || instrumentBlur > 0 {
            try rank(m, sims, options: o, run: run, measuredFile: measuredFile)
            return
        }
        let s = sims[0], simulated = self.simulated[0]
        let c = try Comparison(measured: m, simulated: s, options: o)
        let (j, _) = try ComparisonFiles.write(c, simulated: s, unit: mc[1], to: run.staging,
                                           about: [("measured_file", .string(measured)), ("simulated_file", .string(simulated)),
                                                   ("simulated_origin_nm", .number(simOrigin)), ("simulated_flipped", .bool(flip))])
        try run.commit()
        if let bundle {
            try Folders.refuseOverwrite(bundle, inputs: [measuredFile, simulated])
            let b = try ResultsBundle(path: bundle)
            try b.addComparison("comparison", c, json: j)
            try b.close()
        }
        print(c.text, terminator: "")
        print("wrote \(output)/comparison.json, comparison.txt, comparison.svg")
    }

    /// Several scenarios (or one through the instrument model): the ranking and its files.
    func rank(_ m: Profile, _ sims: [Profile], options o: Comparison.Options, run: RunFolder, measuredFile: String) throws {
        let r = try Ranking(measured: m, scenarios: Array(zip(scenarioNames, sims)), instrumentBlur: instrumentBlur, options: o)
        let about: [(String, JSONValue)] = [("measured_file", .string(measured)), ("measured_origin_nm", .number(measuredOrigin)),
                                            ("simulated_files", .array(simulated.map { .string($0) })), ("simulated_origin_nm", .number(simOrigin)),
                                            ("simulated_flipped", .bool(flip))]
        let json = try RankingFiles.write(r, unit: mc[1], to: run.staging, about: about)
        try run.commit()
        if let bundle {
            try Folders.refuseOverwrite(bundle, inputs: [measuredFile] + simulated)
            let b = try ResultsBundle(path: bundle)
            for e in r.entries { try b.addComparison(e.name, e.comparison, json: e.comparison.json) }
            try b.addRanking(json)
            try b.close()
        }
        print(r.text, terminator: "")
        print("wrote \(output)/\(RankingFiles.names)")
    }
}
