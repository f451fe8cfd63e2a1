import ArgumentParser
import Workflows
import KitFoundation

struct Compare: ParsableCommand, RequestCommand {
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
    @Option(help: "Simulated profile: a CSV (profile.csv of `atomprobe simulate`), a simulation folder (its profile.csv) or a sweep folder (every member's profile.csv); repeat for several scenarios, which are then ranked.") var simulated: [String]
    @Option(help: "Name of each simulated scenario, in the order of --simulated (default: the folder of its file).") var name: [String] = []
    @Option(name: .customLong("instrument-blur-nm"), help: "Blur each simulated profile by a Gaussian of this sigma along the axis before comparing (the instrument and the analysis, nm).") var instrumentBlur = 0.0
    @Option(name: .customLong("measured-origin-nm"), help: "Position on the measured axis that is the interface (nm); the measured axis is moved so it becomes 0. Without this and --sim-origin-nm, each scenario's step (after the instrument blur) is aligned onto the measured step, both found by equal areas (reported as alignment in ranking.json); a profile without a step is refused.") var measuredOrigin: Double?
    @Option(name: .customLong("simulated-columns"), help: "Simulated columns: distance,value (value c with --fit-mapping by default).") var simulatedColumns: String?
    @Option(name: .customLong("sim-origin-nm"), help: "Position on the simulated axis that is the interface (nm; default 0 when --measured-origin-nm is given).") var simOrigin: Double?
    @Flag(help: "Mirror the simulated axis (distance -> origin - distance).") var flip = false
    @Flag(name: .customLong("fit-offset"), help: "Fit an offset of the simulated axis (within --offset-range).") var fitOffset = false
    @Option(name: .customLong("offset-range"), parsing: .unconditional, help: "Offset search range min,max (nm).") var offsetRange = Numbers(argument: "-5,5")!
    @Flag(name: .customLong("fit-mapping"), help: "Fit value = a + b * c instead of using li_at_pct.") var fitMapping = false
    @Option(name: .shortAndLong, help: "Output folder.") var output: String
    @Option(help: "Also write an HDF5 results bundle (docs/bundle.md) to this file.") var bundle: String?

    func request() throws -> CompareRun {
        let sc = simulatedColumns ?? (fitMapping ? "distance_nm,c" : "distance_nm,li_at_pct")
        var r = CompareRun(measured: measured, measuredColumns: measuredColumns.commaSeparated, simulated: simulated,
                           simulatedColumns: sc.commaSeparated, output: output)
        r.measuredOrigin = measuredOrigin; r.names = name; r.simulatedOrigin = simOrigin; r.flip = flip
        r.instrumentBlur = instrumentBlur; r.options.fitOffset = fitOffset; r.options.fitMapping = fitMapping; r.bundle = bundle
        r.options.offsetRange = try Validation.range(offsetRange.values, "offset_range")
        return try r.validated()
    }

    func run() throws {
        for text in try request().run(Progress.opener) { print(text, terminator: "") }
    }
}
