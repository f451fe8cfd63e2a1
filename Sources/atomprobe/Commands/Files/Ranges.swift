import ArgumentParser
import AtomProbeIO
import AtomProbeAnalysis
import Workflows

struct Ranges: OpenerCommand {
    static let configuration = CommandConfiguration(abstract: "List the ion types and mass ranges a range file (RRNG, RNG or ENV) defines.")

    @Argument(help: "Range file (.rrng, .rng or .env).") var file: String
    @Flag(name: .customLong("allow-overlaps"), help: "Accept overlapping ranges of different ions.") var allowOverlaps = false
    @Flag(help: "Print JSON (keys: ions [{name, atoms}], ranges [{low_da, high_da, ion, atoms}]).") var json = false

    func execute(_ opener: IonSourceOpener) throws -> String {
        let t = try RangeFileIO.read(file, allowOverlaps: allowOverlaps)
        return json ? Reports.rangesJSON(t).serialized() : Reports.rangesText(t)
    }
}
