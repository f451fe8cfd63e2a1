import ArgumentParser
import Foundation
import AtomProbe
import AtomProbeIO
import SegregationFEM
import HDF5Kit
import Plotting
import KitFoundation

extension Scenario: ExpressibleByArgument {}

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Chemo-mechanical FEM of Li segregation (the study's eq. 1-22): edge dislocations in LLZO, or the LLZO/Li interface.",
        discussion: """
        Scenarios: `dislocation` (Li around edge dislocations in a traction-free LLZO grain with zero-flux edges, Fig. 8) and \
        `interface` (LLZO below y = 0, Li above, starting from the concentration step; optional misfit dislocations on the \
        interface, Fig. 6). Runs to steady state. Writes summary.json, nodes.csv, fields.vtu, fields.h5 + fields.xdmf, \
        c.svg, sigma_h.svg, profile.csv and profile.svg into the output folder.
        """)

    @Argument(help: "dislocation or interface.") var scenario: Scenario
    @Option(name: .customLong("domain-nm"), help: "Edge of the square domain (nm).") var domainNM = 40.0
    @Option(help: "Elements per edge.") var elements = 80
    @Option(help: "Mesh grading (1/nm): element size grows as 1 + g * distance from cores / the interface; 0 = uniform.") var grading = 0.1
    @Option(name: .customLong("core-width-nm"), help: "Dislocation core width a (nm).") var coreWidthNM: Double?
    @Option(name: .customLong("temperature-k"), help: "Temperature (K).") var temperatureK: Double?
    @Option(name: .customLong("partial-molar-volume"), help: "Partial molar volume of Li (cm^3/mol).") var partialMolarVolume: Double?
    @Option(help: "Regular-solution interaction parameter chi.") var chi: Double?
    @Option(help: "Parameter file (JSON, SI units in the keys; see SampleData/llzo-fem-parameters.json).") var params: String?
    @Flag(name: .customLong("printed-sign"), help: "Use the stress coupling of eq. 14 as printed (+), which sends Li to compression.") var printedSign = false
    @Flag(name: .customLong("elastic-only"), help: "Mechanics alone at c = c_ref (the dislocations' own field).") var elasticOnly = false
    @Option(name: .customLong("dislocation"), help: "A dislocation x,y,bx,by[,a] (nm; a = its core width, default --core-width-nm); repeat for several. Default: one at the origin, b = (b, 0).") var dislocations: [String] = []
    @Option(name: .customLong("misfit-spacing-nm"), help: "interface: spacing of misfit edge dislocations on y = 0 (nm); 0 = none.") var misfitSpacing = 0.0
    @Option(name: .customLong("misfit-strain"), help: "interface: lattice misfit f of the Li layer (its lattice smaller by f); default b / spacing with misfit dislocations, else 0.") var misfitStrain: Double?
    @Option(help: "interface: prescribe this Li site fraction on the top edge (a reservoir) instead of zero flux.") var reservoir: Double?
    @Option(help: "Profile line x0,y0,x1,y1 (nm). Default: vertical through the first core, or normal to the interface.") var profile: String?
    @Option(name: .customLong("max-steps"), help: "Maximum number of time steps.") var maxSteps = 400
    @Option(name: .shortAndLong, help: "Output folder.") var output: String
    @Option(help: "Also write an HDF5 results bundle (docs/bundle.md) to this file.") var bundle: String?

    func parameters() throws -> Parameters {
        var p = try params.map { try FEMParameterFile.read($0) } ?? Parameters()
        if let a = coreWidthNM { p.coreWidth = a * 1e-9 }
        if let t = temperatureK { p.temperature = t }
        if let v = partialMolarVolume { p.partialMolarVolume = v * 1e-6 }
        if let c = chi { p.interaction = c }
        if printedSign { p.printedSign = true }
        do { return try p.validated() } catch { throw AtomProbeError.invalid("\(error)") }
    }

    func run() throws {
        let p = try parameters()
        var s = ScenarioSettings()
        s.domain = domainNM; s.elements = elements; s.grading = grading; s.elasticOnly = elasticOnly
        s.misfitSpacing = misfitSpacing; s.reservoir = reservoir; s.misfitStrain = misfitStrain
        s.dislocations = try dislocations.map { text in
            let v = try parseNumbers(text, count: text.split(separator: ",").count == 5 ? 5 : 4, option: "--dislocation")
            guard v.count == 4 || v[4] > 0 else { throw ValidationError("--dislocation core width must be > 0") }
            guard v[2] != 0 || v[3] != 0 else { throw ValidationError("--dislocation needs a non-zero Burgers vector") }
            return EdgeDislocation(x: v[0], y: v[1], bx: v[2], by: v[3], coreWidth: v.count == 5 ? v[4] : p.coreWidth / 1e-9)
        }
        guard scenario == .dislocation || dislocations.isEmpty else { throw ValidationError("--dislocation is for the dislocation scenario; use --misfit-spacing-nm") }
        guard maxSteps > 0 else { throw ValidationError("--max-steps must be > 0") }
        let (results, report) = try SimulationOutputs.solve(scenario, parameters: p, settings: s, maxSteps: maxSteps)
        try Output.makeFolder(output)
        try writeOutputs(results, report: report, parameters: p)
    }

    func writeOutputs(_ r: FieldResults, report: SolveReport, parameters p: Parameters) throws {
        let line = try profile.map { text -> (Double, Double, Double, Double) in
            let v = try parseNumbers(text, count: 4, option: "--profile"); return (v[0], v[1], v[2], v[3])
        }
        let run = SimulationOutputs(scenario: scenario, domainNM: domainNM, elements: elements, grading: grading,
                                    elasticOnly: elasticOnly, misfitSpacing: misfitSpacing)
        let (summary, prof) = try run.write(r, report: report, parameters: p, to: output, line: line)
        if let bundle {
            try Output.refuseOverwrite(bundle, inputs: params.map { [$0] } ?? [])
            let b = try ResultsBundle(path: bundle)
            try b.addSimulation(scenario.rawValue, results: r, summary: summary, profile: prof)
            try b.close()
        }
    }
}

/// The files of one simulation (shared by `simulate` and `demo`).
struct SimulationOutputs {
    /// Builds and solves a scenario with progress on stderr.
    static func solve(_ scenario: Scenario, parameters p: Parameters, settings s: ScenarioSettings, maxSteps: Int) throws -> (FieldResults, SolveReport) {
        let model: SegregationModel
        do { model = try SegregationModel.scenario(scenario, parameters: p, settings: s) }
        catch let e as FEMError { throw AtomProbeError.invalid(e.description) }
        let a = model.dislocations.map(\.coreWidth).min() ?? p.coreWidth / 1e-9
        let minSize = model.mesh.minElementSize
        if !model.dislocations.isEmpty && minSize > a / 2 {
            Progress.note(String(format: "warning: the smallest element (%.3g nm) is larger than half the core width (%.3g nm); use more --elements or more --grading", minSize, a / 2))
        }
        Progress.step("\(scenario.rawValue): \(model.mesh.elementCount) elements, \(model.dofCount) unknowns, \(model.dislocations.count) dislocation(s), smallest element \(String(format: "%.3g", minSize)) nm")
        var opts = SolverOptions(); opts.maxSteps = maxSteps
        let solver: TransientSolver
        do { solver = try TransientSolver(model: model, options: opts) } catch { throw AtomProbeError.invalid("\(error)") }
        let x0 = solver.initialState { model.referenceConcentration(node: $0) }
        let (x, report) = try solver.run(x0, progress: { Progress.step($0) })
        if !report.steady { Progress.note("warning: no steady state after \(report.steps) steps (--max-steps)") }
        return (FieldResults(model: model, state: x), report)
    }

    let scenario: Scenario
    let domainNM: Double
    let elements: Int
    let grading: Double
    let elasticOnly: Bool
    let misfitSpacing: Double

    /// Writes every output file into `dir` and prints the summary; returns summary.json's value and the profile.
    func write(_ r: FieldResults, report: SolveReport, parameters p: Parameters, to dir: String,
               line given: (Double, Double, Double, Double)? = nil) throws -> (summary: JSONValue, profile: FieldResults.Profile) {
        let model = r.model
        try AtomicFile.write(r.nodesCSV(), to: dir + "/nodes.csv")
        try AtomicFile.write(r.vtu(), to: dir + "/fields.vtu")
        let h5 = dir + "/fields.h5"
        let tmp = dir + "/.fields.h5.tmp"
        do {
            let file = try HDF5File.create(tmp)
            let xdmf = try r.writeHDF5(file, group: "simulation", fileName: "fields.h5")
            try file.setAttribute("scenario", scenario.rawValue)
            try file.setAttribute("parameters_json", FEMParameterFile.json(p).serialized(pretty: false))
            try file.flush()
            try AtomicFile.write(xdmf, to: dir + "/fields.xdmf")
        }
        guard rename(tmp, h5) == 0 else { throw AtomProbeError(.io, "cannot move the HDF5 file into place", file: h5) }
        // Profile.
        let line: (Double, Double, Double, Double)
        if let given { line = given } else {
            let half = domainNM / 2
            let cx = scenario == .dislocation ? (model.dislocations.first?.x ?? 0) : 0
            line = scenario == .dislocation ? (cx, -half, cx, half) : (0, -half, 0, half)
        }
        let prof: FieldResults.Profile
        do { prof = try r.profile(from: (line.0, line.1), to: (line.2, line.3)) } catch { throw AtomProbeError.invalid("\(error)") }
        try AtomicFile.write(prof.csv(), to: dir + "/profile.csv")
        // Figures.
        let markers = model.dislocations.map { (x: $0.x, y: $0.y, label: "") }
        var cMap = HeatMap(title: "Li site fraction c (\(scenario.rawValue), steady state)", colorLabel: "c",
                           xs: model.mesh.xs, ys: model.mesh.ys, values: r.c, scale: .sequential)
        cMap.markers = markers
        try AtomicFile.write(cMap.render(), to: dir + "/c.svg")
        var sMap = HeatMap(title: "Hydrostatic stress sigma_h (GPa): tension red, compression blue", colorLabel: "GPa",
                           xs: model.mesh.xs, ys: model.mesh.ys, values: r.sigmaH.map { $0 / 1e9 }, scale: .diverging)
        sMap.markers = markers
        // Clip the colour range to the 99th percentile so the cores do not wash out the map.
        let sorted = r.sigmaH.map { abs($0) / 1e9 }.sorted()
        let clip = sorted[Int(Double(sorted.count - 1) * 0.99)]
        if clip > 0 { sMap.range = -clip...clip }
        try AtomicFile.write(sMap.render(), to: dir + "/sigma_h.svg")
        var plot = LinePlot(title: String(format: "Profile (%.3g, %.3g) -> (%.3g, %.3g) nm", line.0, line.1, line.2, line.3),
                            xLabel: "distance along the line (nm)", yLabel: "Li (at.%) / sigma_h (GPa)")
        plot.series = [LinePlot.Series(name: "Li at.%", x: prof.distance, y: prof.liAtPercent, color: "#e377c2"),
                       LinePlot.Series(name: "sigma_h (GPa)", x: prof.distance, y: prof.sigmaHPa.map { $0 / 1e9 }, color: "#1f77b4")]
        try AtomicFile.write(plot.render(), to: dir + "/profile.svg")
        // Summary.
        let summary = summaryJSON(r, report: report, parameters: p, profile: prof)
        try AtomicFile.write(summary.serialized(), to: dir + "/summary.json")
        print(String(format: "%@: %@ after %d time steps, %d Newton iterations (%d factorizations), %.1f s",
                     scenario.rawValue, report.steady ? "steady state" : "NOT steady", report.steps, report.newtonIterations, report.factorizations, report.wallSeconds))
        print(String(format: "c %.4f ... %.4f, Li %.2f ... %.2f at.%%, sigma_h %.3g ... %.3g GPa, mass change %.2e",
                     r.c.min()!, r.c.max()!, r.liAtPercent.min()!, r.liAtPercent.max()!, r.sigmaH.min()! / 1e9, r.sigmaH.max()! / 1e9, report.massChangeRelative))
        if let w = summary["interdiffusion_width_nm"]?.double { print(String(format: "interdiffusion width (10-90%% of the laterally averaged c across the interface): %.2f nm", w)) }
        print("wrote \(dir)/summary.json, nodes.csv, fields.vtu, fields.h5, fields.xdmf, c.svg, sigma_h.svg, profile.csv, profile.svg")
        return (summary, prof)
    }

    func summaryJSON(_ r: FieldResults, report: SolveReport, parameters p: Parameters, profile: FieldResults.Profile) -> JSONValue {
        let model = r.model
        var fields: [(String, JSONValue)] = [
            ("scenario", .string(scenario.rawValue)),
            ("parameters", FEMParameterFile.json(p)),
            ("dislocations", .array(model.dislocations.map { d in
                .object([("x_nm", .number(d.x)), ("y_nm", .number(d.y)), ("burgers_nm", .numbers([d.bx, d.by])), ("core_width_nm", .number(d.coreWidth))])
            })),
            ("steady_state", .bool(report.steady)),
            ("time_steps", .int(report.steps)),
            ("newton_iterations", .int(report.newtonIterations)),
            ("factorizations", .int(report.factorizations)),
            ("mass_change_relative", .number(report.massChangeRelative)),
            ("time_s", .number(report.time * model.timeUnit)),
            ("mesh", .object([("domain_nm", .number(domainNM)), ("elements_per_edge", .int(elements)), ("grading_per_nm", .number(grading)),
                              ("nodes", .int(model.mesh.nodeCount)), ("unknowns", .int(model.dofCount)),
                              ("min_element_nm", .number(model.mesh.minElementSize))])),
            ("elastic_only", .bool(elasticOnly)),
            ("sign_convention", .string(p.printedSign ? "eq. 14 as printed: mu = RT[...] + sigma:Omega/3" : "mu = RT[chi(1-2c) + ln(c/(1-c))] - sigma:Omega/3 (Li to tension)")),
            ("li_at_pct_mapping", .string("LLZO: 100*9c/(9c+17); Li metal: 100")),
            ("results", .object([
                ("c_min", .number(r.c.min()!)), ("c_max", .number(r.c.max()!)),
                ("li_at_pct_min", .number(r.liAtPercent.min()!)), ("li_at_pct_max", .number(r.liAtPercent.max()!)),
                ("sigma_h_min_pa", .number(r.sigmaH.min()!)), ("sigma_h_max_pa", .number(r.sigmaH.max()!)),
                ("mu_j_per_mol_mean", .number(r.mu.reduce(0, +) / Double(r.mu.count))),
            ])),
            ("timing_s", .object([("wall", .number(report.wallSeconds)), ("assembly", .number(report.assemblySeconds)),
                                  ("symbolic_factorization", .number(report.symbolicSeconds)), ("numeric_factorization", .number(report.factorSeconds)),
                                  ("solve", .number(report.solveSeconds))])),
            ("residual_history", .array(report.residualHistory.map { .numbers($0) })),
        ]
        if scenario == .interface {
            fields.append(("misfit_spacing_nm", .number(misfitSpacing)))
            if let w = interdiffusionWidth(r) { fields.append(("interdiffusion_width_nm", .number(w))) }
        }
        return .object(fields)
    }

    /// 10-90 % width of the laterally averaged c(y) (central half of x, away from the free
    /// edges) between the mean LLZO value (y in [-0.45 L, -0.25 L]) and the mean Li value
    /// (y in [0.25 L, 0.45 L]).
    func interdiffusionWidth(_ r: FieldResults) -> Double? {
        let mesh = r.model.mesh
        let L = mesh.ys.last! - mesh.ys.first!
        let columns = (0..<mesh.nodeCountX).filter { abs(mesh.xs[$0]) <= L / 4 }
        guard !columns.isEmpty else { return nil }
        let avg = (0..<mesh.nodeCountY).map { j in columns.reduce(0.0) { $0 + r.c[mesh.node($1, j)] } / Double(columns.count) }
        func mean(_ y0: Double, _ y1: Double) -> Double? {
            let rows = (0..<mesh.nodeCountY).filter { mesh.ys[$0] >= y0 && mesh.ys[$0] <= y1 }
            return rows.isEmpty ? nil : rows.reduce(0.0) { $0 + avg[$1] } / Double(rows.count)
        }
        guard let lo = mean(-0.45 * L, -0.25 * L), let hi = mean(0.25 * L, 0.45 * L) else { return nil }
        guard abs(hi - lo) > 1e-6 else { return nil }
        func crossing(_ f: Double) -> Double? {
            let target = lo + f * (hi - lo)
            for j in 1..<avg.count where abs(mesh.ys[j]) < 0.25 * L && (avg[j - 1] - target) * (avg[j] - target) <= 0 && avg[j] != avg[j - 1] {
                return mesh.ys[j - 1] + (target - avg[j - 1]) / (avg[j] - avg[j - 1]) * (mesh.ys[j] - mesh.ys[j - 1])
            }
            return nil
        }
        guard let a = crossing(0.1), let b = crossing(0.9) else { return nil }
        return abs(b - a)
    }
}
