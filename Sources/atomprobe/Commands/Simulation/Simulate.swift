import ArgumentParser
import SegregationFEM
import Workflows
import KitFoundation

extension Scenario: ExpressibleByArgument {}
extension Simulation.SteadySolver: ExpressibleByArgument {}

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Chemo-mechanical FEM of Li segregation (the study's eq. 1-22): `simulate SCENARIO` solves one run, `simulate sweep SCENARIO` a grid of parameters.",
        subcommands: [SimulateRun.self, SimulateSweep.self], defaultSubcommand: SimulateRun.self)
}

/// The physics and mesh options that one run and a sweep share.
struct FEMModelOptions: ParsableArguments {
    @Option(name: .customLong("domain-nm"), help: "Edge of the square domain (nm).") var domainNM = 40.0
    @Option(help: "Elements per edge.") var elements = 80
    @Option(help: "Mesh grading (1/nm): element size grows as 1 + g * distance from cores / the interface; 0 = uniform.") var grading = 0.1
    @Option(name: .customLong("core-width-nm"), help: "Dislocation core width a (nm).") var coreWidthNM: Double?
    @Option(name: .customLong("temperature-k"), help: "Temperature (K).") var temperatureK: Double?
    @Option(name: .customLong("partial-molar-volume"), help: "Partial molar volume of Li (cm^3/mol).") var partialMolarVolume: Double?
    @Option(help: "Regular-solution interaction parameter chi.") var chi: Double?
    @Option(help: "Parameter file (JSON, SI units in the keys; see SampleData/llzo-fem-parameters.json).") var params: String?
    @Flag(name: .customLong("printed-sign"), help: "Use the stress coupling of eq. 14 as printed (+), which sends Li to compression.") var printedSign = false
    @Flag(name: .customLong("allow-spinodal"), help: "Accept chi beyond the spinodal (the mobility of eq. 15 then has a pole; such runs rarely converge).") var allowSpinodal = false
    @Option(name: .customLong("misfit-spacing-nm"), help: "interface: spacing of misfit edge dislocations on y = 0 (nm); 0 = none.") var misfitSpacing = 0.0
    @Option(name: .customLong("misfit-strain"), help: "interface: lattice misfit f of the Li layer (its lattice smaller by f); default b / spacing with misfit dislocations, else 0.") var misfitStrain: Double?

    func parameters() throws -> Parameters {
        try (params.map { try ParameterFile.read($0) } ?? Parameters()).overriding(coreWidthNM: coreWidthNM, temperatureK: temperatureK,
            partialMolarVolumeCm3: partialMolarVolume, chi: chi, printedSign: printedSign, allowSpinodal: allowSpinodal).validated()
    }

    func settings(memory: MemoryBudget) -> ScenarioSettings {
        var s = ScenarioSettings()
        s.domain = domainNM; s.elements = elements; s.grading = grading
        s.misfitSpacing = misfitSpacing; s.misfitStrain = misfitStrain
        s.memory = memory
        return s
    }
}

struct SimulateRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Chemo-mechanical FEM of Li segregation (the study's eq. 1-22): edge dislocations in LLZO, or the LLZO/Li interface.",
        discussion: """
        Scenarios: `dislocation` (Li around edge dislocations in a traction-free LLZO grain with zero-flux edges, Fig. 8) and \
        `interface` (LLZO below y = 0, Li above, starting from the concentration step; optional misfit dislocations on the \
        interface, Fig. 6). Runs to steady state. Writes summary.json, nodes.csv, fields.vtu, fields.h5 + fields.xdmf, \
        c.svg, sigma_h.svg, profile.csv and profile.svg into the output folder.
        """)

    @Argument(help: "dislocation or interface.") var scenario: Scenario
    @OptionGroup var model: FEMModelOptions
    @Flag(name: .customLong("elastic-only"), help: "Mechanics alone at c = c_ref (the dislocations' own field).") var elasticOnly = false
    @Option(name: .customLong("dislocation"), parsing: .unconditionalSingleValue, help: "A dislocation x,y,bx,by[,a] (nm; a = its core width, default --core-width-nm); repeat for several. Default: one at the origin, b = (b, 0).") var dislocations: [Numbers] = []
    @Option(help: "interface: prescribe this Li site fraction on the top edge (a reservoir) instead of zero flux.") var reservoir: Double?
    @Option(parsing: .unconditional, help: "Profile line x0,y0,x1,y1 (nm). Default: vertical through the first core, or normal to the interface.") var profile: Numbers?
    @Option(help: "How to reach the steady state: direct (the equilibrium at fixed Li content, one Newton solve), transient (time steps), automatic (direct for closed systems).") var solver: Simulation.SteadySolver = .automatic
    @Option(name: .customLong("end-time-s"), help: "Run the transient (kinetics) to this time (s) instead of to steady state, keeping --snapshots of the fields (series.pvd, series.h5/.xdmf, profile_series.csv/.svg).") var endTime: Double?
    @Option(help: "Snapshots of a transient, evenly spaced in sqrt(t) up to --end-time-s.") var snapshots = 5
    @Option(name: .customLong("time-tolerance"), help: "Local error tolerance of a transient's time steps (in c).") var timeTolerance = 1e-4
    @Flag(name: .customLong("check-mesh"), help: "Solve again on 1.5x the elements per edge and report whether the width, the extremes and the profile are mesh-converged (mesh_check.json).") var checkMesh = false
    @Option(name: .customLong("max-steps"), help: "Maximum number of time steps.") var maxSteps = 400
    @Option(name: .customLong("max-seconds"), help: "Wall-time limit of the solve (s): beyond it the run stops and says where it does not converge.") var maxSeconds = 600.0
    @Option(name: .shortAndLong, help: "Output folder.") var output: String
    @Option(help: "Also write an HDF5 results bundle (docs/bundle.md) to this file.") var bundle: String?
    @OptionGroup var memory: MemoryOptions

    func request(_ p: Parameters) throws -> SimulationRun {
        var s = model.settings(memory: memory.budget)
        s.elasticOnly = elasticOnly; s.reservoir = reservoir
        s.dislocations = try dislocations.map { try EdgeDislocation(values: $0.values, defaultCoreWidth: p.coreWidth / Units.nanometre) }
        var r = SimulationRun(scenario: scenario, parameters: p, settings: s, output: output)
        r.solver = solver; r.endTime = endTime; r.snapshots = snapshots; r.timeTolerance = timeTolerance
        r.maxSteps = maxSteps; r.maxWallSeconds = maxSeconds; r.profileLine = profile?.values
        r.checkMesh = checkMesh; r.bundle = bundle; r.inputs = model.params.map { [$0] } ?? []
        return try r.validated()
    }

    /// Checks the numbers at once (with a parameter file, its values are checked when the run reads it).
    func validate() throws { try validating { _ = try request(model.params == nil ? model.parameters() : Parameters()) } }

    func run() throws {
        for line in try request(model.parameters()).run(Progress.reporter).lines { print(line) }
    }
}
