import Foundation
import KitFoundation
import AtomProbe
import AtomProbeIO

/// A reconstruction to POS or EPOS (from POS, EPOS or APT), or a range file between RRNG and
/// RNG (`atomprobe convert`). The kind of each file follows its extension; the output is never
/// the input and appears whole or not at all.
public struct ConvertRun: Sendable {
    public var input: String
    public var output: String
    public var nonFinite = NonFinitePolicy.reject
    public var memory = MemoryBudget.standard

    public init(input: String, output: String) {
        self.input = input
        self.output = output
    }

    /// What was written, in a line.
    public func run(_ reporter: RunReporter) throws -> String {
        try Folders.refuseOverwrite(output, inputs: [input])
        guard let inFmt = ReconstructionFormat(path: input) else { return try convertRanges(reporter) }
        guard let outFmt = ReconstructionFormat(path: output), outFmt != .apt else {
            throw AtomProbeError.invalid("output", "must end in .pos or .epos for a reconstruction, got \(output)")
        }
        let written: Int, dropped: Int
        if StreamedConversion.streams(from: inFmt, to: outFmt) {
            // To POS, and POS to EPOS: chunk by chunk, in bounded memory, whatever the file's size.
            let stream = try IonStream(path: input, nonFinite: nonFinite)
            if outFmt == .epos { reporter.note("\(input) has no detector columns; they are written as zeros") }
            (written, dropped) = try reporter.timed("converting \(stream.count) ions (streamed)") {
                try StreamedConversion.convert(stream, to: output, format: outFmt)
            }
        } else {
            // EPOS or APT to EPOS carries the detector columns: the file is read whole, and the
            // output (44 bytes an ion) is made in memory before it is written.
            try IonSourceOpener.requireMemory(input, memory, bytesPerIon: 44, for: "an EPOS conversion")
            let r: Reconstruction
            (r, dropped) = try ReconstructionIO.read(input, nonFinite: nonFinite)
            if r.detail == nil { reporter.note("\(input) has no detector columns; they are written as zeros") }
            try ReconstructionIO.write(r, to: output, format: outFmt)
            written = r.count
        }
        if dropped > 0 { reporter.note("dropped \(dropped) record(s) with NaN or infinite values") }
        return "wrote \(written) ions to \(output)"
    }

    func convertRanges(_ reporter: RunReporter) throws -> String {
        let ext = URL(fileURLWithPath: output).pathExtension.lowercased()
        guard ext == "rrng" || ext == "rng" else { throw AtomProbeError.invalid("output", "must end in .rrng or .rng for a range file, got \(output)") }
        let t = try RangeFileIO.read(input)
        for w in t.warnings { reporter.note("\(input): \(w)") }
        try RangeFileIO.write(t, to: output)
        return "wrote \(t.ions.count) ions and \(t.ranges.count) ranges to \(output)"
    }
}
