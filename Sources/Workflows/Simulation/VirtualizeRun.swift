import Foundation
import KitFoundation
import AtomProbeSynthesis

/// A virtual atom probe of a simulation (`atomprobe virtualize`): SIMDIR/fields.h5 extruded,
/// sampled, detected and blurred into virtual.pos, virtual.rrng and virtual.truth.json.
public struct VirtualizeRun: Sendable {
    /// The folder of `atomprobe simulate` (with fields.h5).
    public var simulation: String
    public var parameters = VirtualAtomProbe.Parameters()
    public var output: String
    /// fields.h5 is read in a child process first (`HDF5Isolation`): a crash of the HDF5
    /// library on a damaged file becomes an error.
    public var isolation: HDF5Isolation = .thisProgram

    public init(simulation: String, output: String) {
        self.simulation = simulation
        self.output = output
    }

    /// Checks every parameter (naming it) before any file is read.
    public func validated() throws -> VirtualizeRun {
        _ = try VirtualAtomProbe(parameters)
        return self
    }

    /// The virtual dataset, written; returns it.
    public func run(_ reporter: RunReporter) throws -> SyntheticLLZO.Dataset {
        let fields = simulation + "/fields.h5"
        try isolation.isolateFields(fields)
        let field = try SimulatedFieldFile.read(fields)
        let run = try RunFolder(output, kind: "virtualize", inputs: [fields])
        let ds = try reporter.timed("virtual atom probe") { try VirtualAtomProbe(parameters).generate(field) }
        var out = ds
        if case .object(var f) = ds.truth { f.insert(("simulation", .string(simulation)), at: 1); out.truth = .object(f) }
        try SyntheticFiles.write(out, to: run.staging + "/virtual", epos: false)
        try run.commit()
        return out
    }
}
