import ArgumentParser
import Workflows
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

    @OptionGroup var memory: MemoryOptions

    func run() throws {
        try Folders.refuseOverwrite(output, inputs: [input])
        if let inFmt = ReconstructionFormat(path: input) {
            guard let outFmt = ReconstructionFormat(path: output), outFmt != .apt else {
                throw ValidationError("a reconstruction converts to .pos or .epos")
            }
            let written: Int, dropped: Int
            if StreamedConversion.streams(from: inFmt, to: outFmt) {
                // To POS, and POS to EPOS: chunk by chunk, in bounded memory, whatever the file's size.
                let stream = try IonStream(path: input, nonFinite: nonFinite)
                if outFmt == .epos { Progress.note("\(input) has no detector columns; they are written as zeros") }
                (written, dropped) = try Progress.timed("converting \(stream.count) ions (streamed)") {
                    try StreamedConversion.convert(stream, to: output, format: outFmt)
                }
            } else {
                // EPOS or APT to EPOS carries the detector columns: the file is read whole, and the
                // output (44 bytes an ion) is made in memory before it is written.
                try IonSourceOpener.requireMemory(input, memory.budget, bytesPerIon: 44, for: "an EPOS conversion")
                let r: Reconstruction
                (r, dropped) = try ReconstructionIO.read(input, nonFinite: nonFinite)
                if r.detail == nil { Progress.note("\(input) has no detector columns; they are written as zeros") }
                try ReconstructionIO.write(r, to: output, format: outFmt)
                written = r.count
            }
            if dropped > 0 { Progress.note("dropped \(dropped) record(s) with NaN or infinite values") }
            print("wrote \(written) ions to \(output)")
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
