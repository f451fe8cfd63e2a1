import Foundation
import KitFoundation
import AtomProbe
import AtomProbeIO
import AtomProbeAnalysis
import SegregationFEM
import ProfileComparison
import ResultsBundle

/// The whole story on the bundled sample, as typed results: the iso-surface analysis, three
/// simulations (an edge dislocation; the LLZO/Li interface with misfit dislocations and
/// coherent) and the measured Li profile against each. Every step's files go into sub-folders of
/// the output folder; `results.h5` and `index.html` into the folder itself.
public struct DemoRun {
    public struct Settings: Sendable {
        public var reconstruction = "SampleData/llzo-sample.pos"
        public var ranges = "SampleData/llzo-sample.rrng"
        /// The Li/LLZO interface sample (`synth interface`) and its truth; skipped when absent.
        public var interfaceSample = "SampleData/llzo-li-interface"
        public var elements = 80
        public var memory = MemoryBudget.standard
        public init() {}
        /// The files the demo reads (never overwritten by its outputs).
        public var inputs: [String] { [reconstruction, ranges] + ["pos", "rrng", "truth.json"].map { interfaceSample + "." + $0 } }
    }

    /// Runs everything into `output`, published whole with the report `index.html`; returns the
    /// closing line.
    public static func publish(_ settings: Settings, output: String, progress: @escaping @Sendable (String) -> Void,
                               note: @escaping @Sendable (String) -> Void, say: (String) -> Void) throws -> String {
        let clock = Stopwatch()
        let folder = try RunFolder(output, kind: "demo", inputs: settings.inputs)
        let demo = try run(settings, output: output, staging: folder.staging, progress: progress, note: note, say: say)
        try AtomicFile.write(DemoReport.html(demo, seconds: clock.elapsed), to: folder.staging + "/index.html")
        try folder.commit()
        return "report: \(output)/index.html (\(String(format: "%.0f", clock.elapsed)) s); bundle: \(output)/results.h5"
    }

    public struct SimulationResult {
        public let name: String
        public let title: String
        public let simulation: Simulation
        public let profile: FieldResults.Profile
        public let figures: SimulationFigures
    }

    public struct ComparisonResult {
        public let name: String
        public let title: String
        public let comparison: Comparison
        public let json: JSONValue
        public let figure: String
    }

    public let settings: Settings
    public let analysis: IsoSurfaceAnalysis
    public let proxigrams: ProxigramSet
    public let table: CompositionTable
    public let spectrumFigure: String
    /// The interactive 3D atom map of the report.
    public let atomMap: AtomMap
    public let proxigramFigures: [String]
    public let simulations: [SimulationResult]
    public let comparisons: [ComparisonResult]
    /// The interface chain, like for like (nil without the interface sample).
    public let interface: InterfaceStory?
    /// The nanodendrite against the dislocation through the virtual atom probe.
    public let dislocationCheck: DislocationCheck?
    /// The study's Fig. 6 contrast put to the model (sweeps and a transient).
    public let fig6: Fig6Study?

    /// Runs everything for the folder `output`, writing into `staging` (a `RunFolder`'s, moved
    /// to `output` afterwards; default `output` itself); `progress` and `note` receive stage lines
    /// and warnings (stderr), `say` the results a user reads (stdout).
    public static func run(_ settings: Settings, output: String, staging: String? = nil, progress: @escaping @Sendable (String) -> Void,
                           note: @escaping @Sendable (String) -> Void, say: (String) -> Void) throws -> DemoRun {
        let write = staging ?? output
        // 1. Analysis.
        progress("1/4 analysis of \(settings.reconstruction)")
        // The same request as `atomprobe analyze` (streamed), into the analysis sub-folder.
        let adir = output + "/analysis", awrite = write + "/analysis"
        let surface = SurfaceRun(input: ReconstructionInput(settings.reconstruction), ranges: RangeInput(settings.ranges), species: "Li", threshold: 42,
                                 memory: settings.memory)
        let opener = IonSourceOpener(isolation: .thisProgram, reporter: RunReporter(note: note, step: progress))
        guard let analyzed = try AnalyzeRun(surface: surface, output: awrite).run(opener) else { throw AtomProbeError.invalid("the analysis wrote nothing") }
        let a = analyzed.analysis, proxigrams = analyzed.proxigrams, compositions = analyzed.table, proxFigures = analyzed.proxigramFigures
        // The spectrum and the atom map of the report, from the ions in memory (a sample's size).
        let table = a.table
        let recon = try ReconstructionIO.load(settings.reconstruction)
        let spectrum = SpectrumFigure.svg(try MassSpectrum(recon.mass, binWidth: 0.05, memory: settings.memory), table: table,
                                          title: URL(fileURLWithPath: settings.reconstruction).lastPathComponent)
        try AtomicFile.write(spectrum, to: awrite + "/spectrum.svg")
        try autorange(recon, shipped: table, elements: ["Li", "O", "Zr", "La", "Ta"], title: settings.reconstruction, dir: write + "/autorange", say: say)
        say("wrote \(output)/autorange/\(AutorangeFiles.names)")
        // 2. Simulations.
        let p = Parameters()
        var base = ScenarioSettings(); base.elements = settings.elements; base.memory = settings.memory
        let d = base
        var m = base; m.misfitSpacing = 4
        var c = base; c.misfitStrain = p.lithium.latticeParameter / 1e-9 / 4
        let runs: [(String, String, Scenario, ScenarioSettings)] = [
            ("dislocation", "Edge dislocation in LLZO (Fig. 8)", .dislocation, d),
            ("interface_misfit", "LLZO/Li interface with misfit dislocations every 4 nm (Fig. 6b)", .interface, m),
            ("interface_coherent", "LLZO/Li interface, the same misfit taken up coherently (Fig. 6a)", .interface, c)]
        var sims: [SimulationResult] = []
        for (k, (name, title, scenario, s)) in runs.enumerated() {
            progress("\(k + 2)/4 simulation: \(title)")
            let sim = try Simulation.run(scenario, parameters: p, settings: s, maxSteps: 400, progress: progress, note: note)
            try Folders.make(write + "/" + name)
            let (profile, figures) = try SimulationFiles.write(sim, to: write + "/" + name)
            for line in sim.summaryLines { say(line) }
            say("wrote \(output)/\(name)/\(SimulationFiles.names)")
            sims.append(SimulationResult(name: name, title: title, simulation: sim, profile: profile, figures: figures))
        }
        // 3. Comparisons: the proxigram of object 1 against the simulated Li at.% profiles (the
        //    documented c -> at.% mapping), with a fitted offset of the simulated axis.
        progress("4/4 comparisons")
        guard let object1 = proxigrams.perObject.first else { throw AtomProbeError.invalid("the analysis found no object to compare") }
        let measured = Profile(proxigram: object1, element: "Li")
        var comparisons: [ComparisonResult] = []
        for sim in sims {
            let half = sim.simulation.model.mesh.ys.last!
            // Dislocation: the profile runs up through the core; the tensile, Li-rich side (below) goes right.
            // Interface: the profile runs from LLZO (bottom) into Li; LLZO left, Li right.
            let flip = sim.name == "dislocation"
            let s = Profile(distance: sim.profile.distance, value: sim.profile.liAtPercent, label: "li_at_pct").shifted(origin: half, flip: flip)
            var o = Comparison.Options(); o.fitOffset = true; o.offsetRange = -3...3
            let cmp = try Comparison(measured: measured, simulated: s, options: o)
            let dir = write + "/compare_" + sim.name
            try Folders.make(dir)
            let (json, figure) = try ComparisonFiles.write(cmp, simulated: s, unit: "Li (at.%)", to: dir,
                                                        about: [("measured_file", .string(adir + "/proxigram_object1.csv")),
                                                                ("simulated_file", .string(output + "/" + sim.name + "/profile.csv")),
                                                                ("simulated_origin_nm", .number(half)), ("simulated_flipped", .bool(flip))])
            comparisons.append(ComparisonResult(name: sim.name, title: sim.title, comparison: cmp, json: json, figure: figure))
        }
        // 5. The interface sample's profile against the interface scenarios, like for like.
        var story: InterfaceStory?
        let sample = settings.interfaceSample
        if FileManager.default.fileExists(atPath: sample + ".pos") {
            progress("5/5 the Li/LLZO interface, like for like")
            story = try InterfaceStory.run(sample: sample + ".pos", ranges: sample + ".rrng", truth: sample + ".truth.json",
                                           sims: sims.filter { $0.simulation.scenario == .interface }.map { ($0.name, $0.simulation, $0.profile) },
                                           dir: write + "/interface", memory: settings.memory, progress: progress)
            say(story!.verdict)
        } else {
            note("\(sample).pos not found: the interface chain is skipped")
        }
        var check: DislocationCheck?
        if let d = sims.first(where: { $0.simulation.scenario == .dislocation }) {
            progress("virtual atom probe of the dislocation")
            check = try DislocationCheck.run(proxigram: object1, simulation: d.simulation, dir: write + "/compare_dislocation_virtual", memory: settings.memory)
            say(check!.verdict)
        }
        progress("Fig. 6: interface widths over Omega without misfit, coherent and with misfit dislocations")
        let fig6 = try Fig6Study.run(parameters: p, elements: settings.elements, memory: settings.memory, dir: write + "/fig6",
                                     progress: progress)
        say(fig6.verdict)
        let atomMap = try AtomMap(source: recon, table: table, mesh: a.mesh, species: a.species)
        let demo = DemoRun(settings: settings, analysis: a, proxigrams: proxigrams, table: compositions, spectrumFigure: spectrum,
                           atomMap: atomMap, proxigramFigures: proxFigures, simulations: sims, comparisons: comparisons, interface: story,
                           dislocationCheck: check, fig6: fig6)
        // 4. Bundle.
        let bundle = try ResultsBundle(path: write + "/results.h5")
        try bundle.addAnalysis(a, proxigrams: proxigrams, table: compositions, reconstruction: settings.reconstruction, ranges: settings.ranges)
        for sim in sims { try bundle.addSimulation(sim.name, sim.simulation, profile: sim.profile) }
        for c in comparisons { try bundle.addComparison(c.name, c.comparison, json: c.json) }
        if let story {
            for e in story.virtualRanking.entries { try bundle.addComparison("interface_" + e.name, e.comparison, json: e.comparison.json) }
            var j = story.virtualRanking.json
            if case .object(let f) = j {
                j = .object(f.map { k, v in k == "best" ? (k, .string("interface_" + (v.string ?? ""))) : (k, v) } + [("route", .string("virtual atom probe"))])
            }
            try bundle.addRanking(j)
        }
        try bundle.close()
        return demo
    }
}

extension Profile {
    /// One element's at.% with its one-sigma errors against distance (moved so `origin` is 0),
    /// from a 1D concentration profile.
    public init(profile p: ConcentrationProfile, element: String, origin: Double = 0) {
        let e = p.elements.firstIndex(of: element)
        let v = p.bins.indices.map { b in e.map { p.atPercent($0, bin: b) } ?? (.nan, .nan) }
        self = Profile(distance: p.bins.map { $0.distance - origin }, value: v.map(\.value), sigma: v.map(\.sigma), label: "\(element)_at_pct").cleaned()
    }

    /// One element's at.% with its one-sigma errors against distance, from a proxigram.
    public init(proxigram p: Proxigram, element: String) {
        let e = p.elements.firstIndex(of: element)
        let v = p.counts.indices.map { b in e.map { p.atPercent($0, bin: b) } ?? (.nan, .nan) }
        self = Profile(distance: p.binCenters, value: v.map(\.value), sigma: v.map(\.sigma), label: "\(element)_at_pct").cleaned()
    }
}
