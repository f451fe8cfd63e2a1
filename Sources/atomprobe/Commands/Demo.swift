import ArgumentParser
import Foundation
import AtomProbe
import AtomProbeIO
import AtomProbeAnalysis
import SegregationFEM
import ProfileComparison
import KitFoundation

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The whole story on the bundled sample: analyze (Li 42 at.% iso-surfaces, proxigrams, Table 1), simulate (edge dislocation; LLZO/Li interface with misfit dislocations), compare; an HTML report and an HDF5 bundle.",
        discussion: "Writes DIR/index.html (every table and figure inline), DIR/results.h5 (docs/bundle.md) and the outputs of each step in sub-folders.")

    @Option(name: .shortAndLong, help: "Output folder.") var output = "out/demo"
    @Option(help: "Sample reconstruction.") var reconstruction = "SampleData/llzo-sample.pos"
    @Option(help: "Its range file.") var ranges = "SampleData/llzo-sample.rrng"
    @Option(help: "Elements per edge of the simulations.") var elements = 80

    func run() throws {
        let start = Date()
        try Output.makeFolder(output)
        // 1. Analysis.
        Progress.step("1/4 analysis of \(reconstruction)")
        let table = try RangeFileIO.read(ranges)
        let recon = try ReconstructionIO.load(reconstruction)
        let a = try IsoSurfaceAnalysis(recon, ranged: RangedIons(recon, table: table), species: "Li", threshold: 42,
                                       progress: { Progress.step($0) })
        let adir = output + "/analysis"
        try Output.makeFolder(adir)
        try SurfaceOutputs.meshes(a, dir: adir)
        try SurfaceOutputs.proxigrams(a, dir: adir, plotSpecies: nil)
        _ = try SurfaceOutputs.table(a, dir: adir)
        let spec = try MassSpectrum(recon.mass, binWidth: 0.05)
        try AtomicFile.write(SpectrumFigure.svg(spec, table: table, title: URL(fileURLWithPath: reconstruction).lastPathComponent), to: adir + "/spectrum.svg")
        // 2. Simulations.
        let p = Parameters()
        var sims: [(name: String, title: String, results: FieldResults, summary: JSONValue, profile: FieldResults.Profile)] = []
        let runs: [(String, String, Scenario, ScenarioSettings)] = {
            var d = ScenarioSettings(); d.elements = elements
            var m = ScenarioSettings(); m.elements = elements; m.misfitSpacing = 4
            var c = ScenarioSettings(); c.elements = elements; c.misfitStrain = p.lithium.latticeParameter / 1e-9 / 4
            return [("dislocation", "Edge dislocation in LLZO (Fig. 8)", .dislocation, d),
                    ("interface_misfit", "LLZO/Li interface with misfit dislocations every 4 nm (Fig. 6b)", .interface, m),
                    ("interface_coherent", "LLZO/Li interface, the same misfit taken up coherently (Fig. 6a)", .interface, c)]
        }()
        for (k, (name, title, scenario, settings)) in runs.enumerated() {
            Progress.step("\(k + 2)/4 simulation: \(title)")
            let (r, report) = try SimulationOutputs.solve(scenario, parameters: p, settings: settings, maxSteps: 400)
            let dir = output + "/" + name
            try Output.makeFolder(dir)
            let out = SimulationOutputs(scenario: scenario, domainNM: settings.domain, elements: settings.elements, grading: settings.grading,
                                        elasticOnly: false, misfitSpacing: settings.misfitSpacing)
            let (summary, profile) = try out.write(r, report: report, parameters: p, to: dir)
            sims.append((name, title, r, summary, profile))
        }
        // 3. Comparisons: the proxigram of object 1 against the simulated Li at.% profiles (the
        //    documented c -> at.% mapping), with a fitted offset of the simulated axis.
        Progress.step("4/4 comparisons")
        let proxigram = try ProfileCSV.read(adir + "/proxigram_object1.csv", distance: "distance_nm", value: "Li_at_pct", sigma: "Li_sigma_at_pct")
        var comparisons: [(name: String, title: String, c: ProfileComparison, json: JSONValue)] = []
        for sim in sims {
            let half = sim.results.model.mesh.ys.last!
            // Dislocation: the profile runs up through the core; the tensile, Li-rich side (below) goes right.
            // Interface: the profile runs from LLZO (bottom) into Li; LLZO left, Li right.
            let flip = sim.name == "dislocation"
            let s = Profile(distance: sim.profile.distance, value: sim.profile.liAtPercent, label: "li_at_pct").shifted(origin: half, flip: flip)
            var o = ProfileComparison.Options(); o.fitOffset = true; o.offsetRange = -3...3
            let c = try ProfileComparison(measured: proxigram, simulated: s, options: o)
            let dir = output + "/compare_" + sim.name
            try Output.makeFolder(dir)
            let j = try ComparisonFigure.write(c, simulated: s, unit: "Li (at.%)", to: dir,
                                               about: [("measured_file", .string(adir + "/proxigram_object1.csv")),
                                                       ("simulated_file", .string(output + "/" + sim.name + "/profile.csv")),
                                                       ("simulated_origin_nm", .number(half)), ("simulated_flipped", .bool(flip))])
            comparisons.append((sim.name, sim.title, c, j))
        }
        // 4. Bundle and report.
        let bundle = try ResultsBundle(path: output + "/results.h5")
        try bundle.addAnalysis(a, reconstruction: reconstruction, ranges: ranges)
        for sim in sims { try bundle.addSimulation(sim.name, results: sim.results, summary: sim.summary, profile: sim.profile) }
        for c in comparisons { try bundle.addComparison(c.name, c.c, json: c.json) }
        try bundle.close()
        let html = try DemoReport.html(output: output, analysis: a, sims: sims.map { ($0.name, $0.title, $0.summary) },
                                       comparisons: comparisons.map { ($0.name, $0.title, $0.c) }, seconds: Date().timeIntervalSince(start))
        try AtomicFile.write(html, to: output + "/index.html")
        print("report: \(output)/index.html (\(String(format: "%.0f", Date().timeIntervalSince(start))) s); bundle: \(output)/results.h5")
    }
}
