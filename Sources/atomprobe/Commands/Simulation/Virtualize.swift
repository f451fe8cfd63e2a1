import ArgumentParser
import Workflows
import KitFoundation

struct Virtualize: ParsableCommand, RequestCommand {
    static let configuration = CommandConfiguration(
        abstract: "A virtual atom probe of a simulation: its field extruded, sampled at each phase's atomic density, detected, emitted as ions and blurred like a reconstruction.",
        discussion: """
        Reads SIMDIR/fields.h5 of `atomprobe simulate` and writes DIR/virtual.pos, virtual.rrng and virtual.truth.json. Axes: x = the \
        simulation's x, y = out of plane, z = the simulation's y (an interface scenario's plane is z = 0, Li above). Analyse it \
        with `profile`, `analyze` or `proxigram` exactly like a measured specimen.
        """)

    @Argument(help: "Folder of `atomprobe simulate` (with fields.h5).") var simulation: String
    @Option(name: .customLong("thickness-nm"), help: "Extrusion out of the plane (nm).") var thickness = 10.0
    @Option(help: "Detection efficiency (0-1).") var efficiency = 0.52
    @Option(name: .customLong("blur-nm"), parsing: .unconditional, help: "Reconstruction blur sigma_x,sigma_y,sigma_z (nm).") var blur = Numbers(argument: "0.3,0.3,0.15")!
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Fraction of ions that are flat background noise.") var background = 0.01
    @OptionGroup var memory: MemoryOptions
    @Option(name: .shortAndLong, help: "Output folder.") var output: String

    func request() throws -> VirtualizeRun {
        var r = VirtualizeRun(simulation: simulation, output: output)
        r.parameters.thickness = thickness; r.parameters.efficiency = efficiency; r.parameters.blur = try Validation.vector3(blur.values, "blur_nm")!
        r.parameters.seed = seed; r.parameters.backgroundFraction = background; r.parameters.memory = memory.budget
        return try r.validated()
    }

    func run() throws {
        let ds = try request().run(Progress.reporter)
        print("\(ds.reconstruction.count) ions; wrote \(output)/virtual.pos, virtual.rrng, virtual.truth.json")
    }
}
