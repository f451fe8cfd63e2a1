import ArgumentParser
import Workflows
import Foundation
import AtomProbe
import AtomProbeIO
import KitFoundation
import NXapm

extension NonFinitePolicy: ExpressibleByArgument {}
extension Composition.Mode: ExpressibleByArgument {}

/// Options for reading a reconstruction.
struct ReconstructionOptions: ParsableArguments {
    @Argument(help: "Reconstruction file (.pos, .epos or .apt).")
    var reconstruction: String

    @Option(name: .customLong("non-finite"), help: "What to do with NaN or infinite values: reject, drop or keep.")
    var nonFinite: NonFinitePolicy = .reject

    /// Whether the file is NeXus NXapm (read whole; positions, m/n and ranging inside).
    var isNeXus: Bool { reconstruction.lowercased().hasSuffix(".nxs") }

    /// Reads the file, with progress and a note when rows are dropped. With `memory`, a POS,
    /// EPOS or APT file is first measured (its layout only): the columns read (16 bytes an ion,
    /// 44 with detector columns) and `bytesPerIon` more for the work that follows must fit, or
    /// the command stops with one line before anything is allocated. (An NXapm file is read
    /// through HDF5Kit, which bounds every dataset it reads.)
    func load(memory: MemoryBudget? = nil, bytesPerIon work: Double = 0, for what: String = "the analysis") throws -> Reconstruction {
        if let memory, !isNeXus { try Self.requireMemory(reconstruction, memory, bytesPerIon: work, for: what) }
        if isNeXus {
            let (r, dropped) = try Progress.timed("reading \(reconstruction)") { () throws -> (Reconstruction, Int) in
                try CheckHDF5.isolateNXapm(reconstruction)
                return try ReconstructionIO.applyPolicy(try NXapmFile.read(reconstruction).0, nonFinite, path: reconstruction, recordSize: nil)
            }
            if dropped > 0 { Progress.note("\(reconstruction): dropped \(dropped) record(s) with NaN or infinite values") }
            return r
        }
        let (r, dropped) = try Progress.timed("reading \(reconstruction)") {
            try ReconstructionIO.read(reconstruction, nonFinite: nonFinite)
        }
        if dropped > 0 { Progress.note("\(reconstruction): dropped \(dropped) record(s) with NaN or infinite values") }
        if ReconstructionFormat(path: reconstruction) == .apt { noteSkippedSections(reconstruction) }
        return r
    }

    /// Stops with one line when reading the POS, EPOS or APT file at `path` whole (16 bytes an
    /// ion, 44 with detector columns) plus `work` bytes an ion would not fit in `memory`; only
    /// the file's layout is read.
    static func requireMemory(_ path: String, _ memory: MemoryBudget, bytesPerIon work: Double, for what: String) throws {
        let layout = try IonStream(path: path)
        let columns: Double = layout.format == .pos ? 16 : 44
        try memory.require(Double(layout.count) * (columns + work), for: "reading \(layout.count) ions of \(path) for \(what)")
    }

    /// The ions for streamed passes: the file in chunks, or an NXapm file read whole.
    func source() throws -> any IonSource {
        isNeXus ? try load() : try stream()
    }

    /// Opens the file for streamed passes (nothing read yet but its layout).
    func stream() throws -> IonStream {
        let s = try IonStream(path: reconstruction, nonFinite: nonFinite)
        if s.format == .apt { noteSkippedSections(reconstruction) }
        return s
    }

    /// The note `load()` gives about dropped rows, for a streamed pass.
    func noteDropped(_ dropped: Int) {
        if dropped > 0 { Progress.note("\(reconstruction): dropped \(dropped) record(s) with NaN or infinite values") }
    }

    /// With `--non-finite drop`, the same note for a file about to be streamed (a mass-only
    /// pass counts the rows the later passes will drop).
    func noteDroppedRows(_ stream: IonStream) throws {
        guard nonFinite == .drop else { return }
        noteDropped(try stream.reduce(.mass, nonFinite: .drop, initial: { 0 }, { _, _ in }, combine: { _, _ in }).dropped)
    }
}

/// Options for reading a range file.
struct RangeOptions: ParsableArguments {
    @Option(name: .long, help: "Range file (.rrng, .rng or .env).")
    var ranges: String

    @Flag(name: .customLong("allow-overlaps"), help: "Accept overlapping ranges of different ions (the range starting higher takes the overlap).")
    var allowOverlaps = false

    func load() throws -> RangeTable {
        // An NXapm file carries its ranging: --ranges may name it.
        if ranges.lowercased().hasSuffix(".nxs") {
            try CheckHDF5.isolateNXapm(ranges)
            return try NXapmFile.read(ranges).1
        }
        let t = try RangeFileIO.read(ranges, allowOverlaps: allowOverlaps)
        for w in t.warnings { Progress.note("\(ranges): \(w)") }
        return t
    }
}

/// How much memory a command may take.
struct MemoryOptions: ParsableArguments {
    @Option(name: .customLong("memory-limit-gb"), help: "Refuse work estimated to need more memory than this (GB; default: 40 % of this machine's memory).")
    var memoryLimitGB: Double?

    func validate() throws {
        if let m = memoryLimitGB { guard m > 0, m.isFinite else { throw ValidationError("--memory-limit-gb must be a positive number") } }
    }

    var budget: MemoryBudget { memoryLimitGB.map { MemoryBudget(gigabytes: $0) } ?? .standard }
}

/// Where results go.
struct OutputOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Write results to this file instead of standard output.")
    var output: String?
}

/// A comma-separated list of finite numbers, e.g. `--sphere -5,0,30,3`. Options of this type
/// are declared with `parsing: .unconditional`, so a value starting with "-" is read as the
/// value, not as an option; the command's `validate()` checks the count with `require(_:)`.
struct Numbers: ExpressibleByArgument, Sendable {
    let values: [Double]
    let text: String

    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0?.isFinite == true }) else { return nil }
        values = parts.map { $0! }
        text = argument
    }

    var defaultValueDescription: String { text }

    subscript(i: Int) -> Double { values[i] }

    /// The values when there are `count` of them (or one of `counts`), else a usage error naming the option.
    func require(_ counts: Int..., option: String) throws -> [Double] {
        guard counts.contains(values.count) else {
            let want = counts.map(String.init).joined(separator: " or ")
            throw ValidationError("\(option) needs \(want) comma-separated numbers, got \"\(text)\"")
        }
        return values
    }
}

/// Text output formats.
enum TextFormat: String, ExpressibleByArgument, CaseIterable {
    case text, csv, json
}

/// Table output formats.
enum TableFormat: String, ExpressibleByArgument, CaseIterable {
    case text, markdown, csv, json
}

/// Names the APT sections the reader does not use (e.g. "Detector Coordinates").
func noteSkippedSections(_ path: String) {
    guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped),
          let secs = try? data.withUnsafeBytes({ try APTFormat.sections($0, path: path).sections }) else { return }
    let skipped = secs.map(\.name).filter { !APTFormat.knownSections.contains($0) }
    if !skipped.isEmpty { Progress.note("\(path): skipped sections not used here: \(skipped.joined(separator: ", "))") }
}
