import ArgumentParser
import Foundation
import KitFoundation
import NXapm
import AtomProbe
import AtomProbeIO
import Workflows

struct ExportNexus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-nexus",
        abstract: "Write a reconstruction and its ranging as NeXus NXapm (positions, m/n, ion types with nuclide hashes, the ion type of every ion); info, composition and analyze read .nxs back.",
        discussion: "Layout: docs/nxapm.md. pynxtools' validate_nexus checks it (Scripts/check-nxapm.sh).")

    @OptionGroup var input: ReconstructionOptions
    @OptionGroup var rangeOptions: RangeOptions
    @Flag(help: "Mark the specimen as a simulation (synthetic data).") var simulation = false
    @OptionGroup var memory: MemoryOptions
    @Option(name: .shortAndLong, help: "Output file (.nxs).") var output: String

    func validate() throws {
        guard ReconstructionInput.isNeXus(output) else { throw ValidationError("--output must end in .nxs, got \(output)") }
    }

    func run() throws {
        try Folders.refuseOverwrite(output, inputs: [input.reconstruction, rangeOptions.ranges])
        let table = try rangeOptions.load()
        // Per ion, the file holds its ion type and HDF5 stages each dataset it compresses.
        let recon = try Progress.opener.load(input.request, memory: memory.budget, bytesPerIon: 24, for: "a NeXus export")
        try Progress.timed("writing NXapm") {
            try NXapmFile.write(recon, table: table, to: output, isSimulation: simulation)
        }
        print("wrote \(output): \(recon.count) ions, \(table.ions.count) ion types (NXapm)")
    }
}
