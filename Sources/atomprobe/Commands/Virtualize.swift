import ArgumentParser
import Foundation
import KitFoundation
import AtomProbeIO
import AtomProbeSynthesis
import Workflows

struct Virtualize: ParsableCommand {
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

    func validate() throws {
        _ = try blur.require(3, option: "--blur-nm")
        if let problem = Validation.firstProblem([
            (thickness > 0 && thickness <= 1000, "--thickness-nm must be between 0 and 1000 nm, got \(thickness)"),
            (efficiency > 0 && efficiency <= 1, "--efficiency must be in (0, 1], got \(efficiency)"),
            (blur.values.allSatisfy { $0 >= 0 }, "--blur-nm values must be >= 0"),
            (background >= 0 && background < 1, "--background must be in [0, 1), got \(background)"),
        ]) { throw ValidationError(problem) }
    }

    func run() throws {
        let fields = simulation + "/fields.h5"
        let field = try SimulatedFieldFile.read(fields)
        var p = VirtualAtomProbe.Parameters()
        p.thickness = thickness; p.efficiency = efficiency; p.blur = SIMD3(blur[0], blur[1], blur[2])
        p.seed = seed; p.backgroundFraction = background; p.memory = memory.budget
        let run = try RunFolder(output, kind: "virtualize", inputs: [fields])
        let ds = try Progress.timed("virtual atom probe") { try VirtualAtomProbe(p).generate(field) }
        var truth = ds.truth
        if case .object(var f) = truth { f.insert(("simulation", .string(simulation)), at: 1); truth = .object(f) }
        var out = ds; out.truth = truth
        try SyntheticFiles.write(out, to: run.staging + "/virtual", epos: false)
        try run.commit()
        print("\(ds.reconstruction.count) ions; wrote \(output)/virtual.pos, virtual.rrng, virtual.truth.json")
    }
}
