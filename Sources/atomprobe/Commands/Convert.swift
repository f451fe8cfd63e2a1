import ArgumentParser
import Foundation
import AtomProbe
import AtomProbeIO
import KitFoundation

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert between reconstruction formats (POS, EPOS, APT -> POS/EPOS) or range formats (RRNG <-> RNG).",
        discussion: "EPOS written from a POS has zero detector columns. The kind of each file follows its extension.")

    @Argument(help: "Input file.") var input: String
    @Argument(help: "Output file (never the input).") var output: String

    @Option(name: .customLong("non-finite"), help: "What to do with NaN or infinite values: reject, drop or keep.")
    var nonFinite: NonFinitePolicy = .reject

    func run() throws {
        try Folders.refuseOverwrite(output, inputs: [input])
        if ReconstructionFormat(path: input) != nil {
            guard let outFmt = ReconstructionFormat(path: output), outFmt != .apt else {
                throw ValidationError("a reconstruction converts to .pos or .epos")
            }
            let (r, dropped) = try ReconstructionIO.read(input, nonFinite: nonFinite)
            if dropped > 0 { Progress.note("dropped \(dropped) record(s) with NaN or infinite values") }
            if outFmt == .epos && r.detail == nil { Progress.note("\(input) has no detector columns; they are written as zeros") }
            try ReconstructionIO.write(r, to: output, format: outFmt)
            print("wrote \(r.count) ions to \(output)")
        } else {
            let outExt = URL(fileURLWithPath: output).pathExtension.lowercased()
            guard outExt == "rrng" || outExt == "rng" else { throw ValidationError("a range file converts to .rrng or .rng") }
            let t = try RangeFileIO.read(input)
            for w in t.warnings { Progress.note("\(input): \(w)") }
            try RangeFileIO.write(t, to: output)
            print("wrote \(t.ions.count) ions and \(t.ranges.count) ranges to \(output)")
        }
    }
}
