import ArgumentParser
import Foundation
import AtomProbe
import AtomProbeIO

extension NonFinitePolicy: ExpressibleByArgument {}
extension Composition.Mode: ExpressibleByArgument {}

/// Options for reading a reconstruction.
struct ReconstructionOptions: ParsableArguments {
    @Argument(help: "Reconstruction file (.pos, .epos or .apt).")
    var reconstruction: String

    @Option(name: .customLong("non-finite"), help: "What to do with NaN or infinite values: reject, drop or keep.")
    var nonFinite: NonFinitePolicy = .reject

    /// Reads the file, with progress and a note when rows are dropped.
    func load() throws -> Reconstruction {
        let (r, dropped) = try Progress.timed("reading \(reconstruction)") {
            try ReconstructionIO.read(reconstruction, nonFinite: nonFinite)
        }
        if dropped > 0 { Progress.note("\(reconstruction): dropped \(dropped) record(s) with NaN or infinite values") }
        if ReconstructionFormat(path: reconstruction) == .apt { noteSkippedSections(reconstruction) }
        return r
    }
}

/// Options for reading a range file.
struct RangeOptions: ParsableArguments {
    @Option(name: .long, help: "Range file (.rrng, .rng or .env).")
    var ranges: String

    @Flag(name: .customLong("allow-overlaps"), help: "Accept overlapping ranges of different ions (the range starting higher takes the overlap).")
    var allowOverlaps = false

    func load() throws -> RangeTable {
        let t = try RangeFileIO.read(ranges, allowOverlaps: allowOverlaps)
        for w in t.warnings { Progress.note("\(ranges): \(w)") }
        return t
    }
}

/// Where results go.
struct OutputOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Write results to this file instead of standard output.")
    var output: String?
}

/// Parses "a,b,c" into Doubles, naming the option in errors.
func parseNumbers(_ text: String, count: Int, option: String) throws -> [Double] {
    let parts = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
    guard parts.count == count, parts.allSatisfy({ $0 != nil && $0!.isFinite }) else {
        throw ValidationError("\(option) needs \(count) comma-separated numbers, got \"\(text)\"")
    }
    return parts.map { $0! }
}

/// Names the APT sections the reader does not use (e.g. "Detector Coordinates").
func noteSkippedSections(_ path: String) {
    guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped),
          let secs = try? data.withUnsafeBytes({ try APTFormat.sections($0, path: path).sections }) else { return }
    let skipped = secs.map(\.name).filter { !APTFormat.knownSections.contains($0) }
    if !skipped.isEmpty { Progress.note("\(path): skipped sections not used here: \(skipped.joined(separator: ", "))") }
}
