import ArgumentParser
import AtomProbeSynthesis
import KitFoundation
import Workflows

struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Synthetic reconstructions with their ground truth: a Ta-doped LLZO tip with Li-rich nanodendrites (`synth tip`, the default) or a Li/LLZO interface (`synth interface`).",
        subcommands: [SynthTip.self, SynthInterface.self], defaultSubcommand: SynthTip.self)
}

/// Options every synthetic dataset has: size, seed, where it goes, the tip and the instrument.
struct SynthCommon: ParsableArguments {
    @Option(help: "Number of detected ions.") var ions = 1_000_000
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(name: .shortAndLong, help: "Output folder.") var output: String
    @Option(name: .customLong("apex-radius"), help: "Tip apex radius (nm).") var apexRadius = 12.0
    @Option(name: .customLong("half-angle"), help: "Tip shank half angle (degrees).") var halfAngle = 8.0
    @Option(name: .customLong("efficiency"), help: "Detection efficiency (0-1).") var efficiency = 0.52
    @Option(name: .customLong("resolving-power"), help: "Mass resolving power m/dm (FWHM).") var resolvingPower = 1000.0
    @Option(name: .customLong("background"), help: "Fraction of ions that are flat background noise.") var background = 0.01
    @Flag(name: .customLong("background-in-tof"), help: "Make the background flat in time of flight (~ m^-1/2) instead of flat in m/n.") var backgroundInTOF = false
    @Option(name: .customLong("blur-lateral"), help: "Lateral position blur, sigma (nm).") var blurLateral = 0.3
    @Option(name: .customLong("blur-depth"), help: "Depth position blur, sigma (nm).") var blurDepth = 0.15
    @OptionGroup var memory: MemoryOptions
    @Flag(help: "EPOS with correlated multiple events and a dead zone that loses hits (truth: every lost ion).") var detector = false
    @Option(help: "With --detector: dead-zone radius (mm).") var deadZoneMm = 1.0
    @Option(help: "With --detector: dead time (ns).") var deadTimeNs = 3.0

    /// The tip and instrument parameters.
    func apply(to p: inout SyntheticLLZO.Parameters) {
        p.ions = ions; p.seed = seed; p.apexRadius = apexRadius; p.halfAngleDegrees = halfAngle
        p.detectionEfficiency = efficiency; p.massResolvingPower = resolvingPower; p.backgroundFraction = background
        p.backgroundFlatInTOF = backgroundInTOF
        p.blurLateral = blurLateral; p.blurDepth = blurDepth; p.memory = memory.budget
        if detector { var d = SyntheticDetector(); d.deadZone = deadZoneMm; d.deadTime = deadTimeNs; p.detector = d }
    }
}

struct SynthTip: RequestCommand {
    static let configuration = CommandConfiguration(
        commandName: "tip",
        abstract: "Generate a synthetic Ta-doped LLZO reconstruction with Li-rich nanodendrites and its ground truth.",
        discussion: "Writes DIR/NAME.pos, DIR/NAME.epos, DIR/NAME.rrng and DIR/NAME.truth.json. Deterministic for a seed.")

    @OptionGroup var common: SynthCommon
    @Option(help: "Base name of the files.") var name = "llzo"
    @Option(help: "Number of nanodendrites.") var objects = 2
    @Option(name: .customLong("object-length"), help: "Nanodendrite length along its arc (nm).") var objectLength = 20.0
    @Option(name: .customLong("object-width"), help: "Nanodendrite width (nm).") var objectWidth = 10.0
    @Option(name: .customLong("object-thickness"), help: "Nanodendrite thickness (nm).") var objectThickness = 4.0
    @Option(name: .customLong("object-curvature"), help: "Nanodendrite curvature (1/nm; 0 = flat).") var objectCurvature = 0.04
    @Flag(name: .customLong("no-epos"), help: "Skip the EPOS file.") var noEPOS = false

    func request() throws -> SynthRun {
        var p = SyntheticLLZO.Parameters()
        common.apply(to: &p)
        p.objectCount = objects; p.objectLength = objectLength; p.objectWidth = objectWidth; p.objectThickness = objectThickness
        p.objectCurvature = objectCurvature
        return try SynthRun(.tip(p), name: name, output: common.output, epos: !noEPOS).validated()
    }
}

struct SynthInterface: RequestCommand {
    static let configuration = CommandConfiguration(
        commandName: "interface",
        abstract: "Generate a synthetic Li/LLZO interface (the study's Fig. 4): Li with dissolved O and Zr above, Ta-doped LLZO below, a tilted erf step of known width.",
        discussion: "Writes DIR/NAME.pos (and with --detector NAME.epos), DIR/NAME.rrng and DIR/NAME.truth.json (the plane, both phases, and the expected Li profile along the normal). Deterministic for a seed.")

    @OptionGroup var common: SynthCommon
    @Option(help: "Base name of the files.") var name = "interface"
    @Option(name: .customLong("depth-nm"), help: "Depth of the interface below the apex (nm).") var depth = 20.0
    @Option(name: .customLong("tilt-deg"), help: "Tilt of the interface normal from the tip axis (degrees).") var tilt = 20.0
    @Option(name: .customLong("width-nm"), help: "10-90 % width of the Li/LLZO step (nm).") var width = 1.0
    @Option(name: .customLong("lithium-side"), parsing: .unconditional, help: "Li-side composition Li,O,Zr (at.%).") var lithiumSide = Numbers(argument: "92,6,2")!

    func request() throws -> SynthRun {
        var p = SyntheticInterface.Parameters()
        common.apply(to: &p.tip)
        p.depth = depth; p.tiltDegrees = tilt; p.width = width
        let li = try Validation.vector3(lithiumSide.values, "lithium_side", names: "Li,O,Zr", unit: "at.%")!
        p.lithiumComposition = ["Li": li.x, "O": li.y, "Zr": li.z]
        return try SynthRun(.interface(p), name: name, output: common.output, epos: common.detector).validated()
    }
}

extension RequestCommand where Request == SynthRun {
    func run() throws {
        let r = try request()
        for line in r.lines(try r.run(Progress.reporter)) { print(line) }
    }
}
