import ArgumentParser
import AtomProbe
import AtomProbeIO
import AtomProbeAnalysis

struct Ranges: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the ion types and mass ranges a range file (RRNG, RNG or ENV) defines.")

    @Argument(help: "Range file (.rrng, .rng or .env).") var file: String
    @Flag(name: .customLong("allow-overlaps"), help: "Accept overlapping ranges of different ions.") var allowOverlaps = false
    @Flag(help: "Print JSON (keys: ions [{name, atoms}], ranges [{low_da, high_da, ion, atoms}]).") var json = false

    func run() throws {
        let t = try RangeFileIO.read(file, allowOverlaps: allowOverlaps)
        print(json ? Reports.rangesJSON(t).serialized() : Reports.rangesText(t), terminator: "")
    }
}
