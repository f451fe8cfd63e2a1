import KitFoundation
import AtomProbe
import NXapm

/// A reconstruction and its ranging written as NeXus NXapm (`atomprobe export-nexus`; layout
/// docs/nxapm.md): positions, m/n, the ion types with nuclide hashes and each ion's type.
public struct NexusExportRun: Sendable {
    public var input: ReconstructionInput
    public var ranges: RangeInput
    /// Mark the specimen as a simulation (synthetic data).
    public var isSimulation = false
    public var memory = MemoryBudget.standard
    /// The .nxs file.
    public var output: String

    public init(input: ReconstructionInput, ranges: RangeInput, output: String) {
        self.input = input
        self.ranges = ranges
        self.output = output
    }

    public func validated() throws -> NexusExportRun {
        guard ReconstructionInput.isNeXus(output) else { throw AtomProbeError.invalid("output", "must end in .nxs, got \(output)") }
        return self
    }

    /// Writes the file; what was written, in a line.
    public func run(_ opener: IonSourceOpener) throws -> String {
        _ = try validated()
        try Folders.refuseOverwrite(output, inputs: [input.path, ranges.path])
        let table = try opener.ranges(ranges)
        // Per ion, the file holds its ion type and HDF5 stages each dataset it compresses.
        let recon = try opener.load(input, memory: memory, bytesPerIon: 24, for: "a NeXus export")
        try opener.reporter.timed("writing NXapm") { try NXapmFile.write(recon, table: table, to: output, isSimulation: isSimulation) }
        return "wrote \(output): \(recon.count) ions, \(table.ions.count) ion types (NXapm)"
    }
}
