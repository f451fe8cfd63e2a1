import Foundation
import KitFoundation
import ParallelLoops
import AtomProbe
import AtomProbeIO
import AtomProbeAnalysis
import NXapm

/// A reconstruction file to read: POS, EPOS, APT (streamed in chunks) or NeXus NXapm (read whole,
/// in a child process first: see `HDF5Isolation`), and what to do with non-finite rows.
public struct ReconstructionInput: Sendable {
    public var path: String
    public var nonFinite: NonFinitePolicy

    public init(_ path: String, nonFinite: NonFinitePolicy = .reject) {
        self.path = path
        self.nonFinite = nonFinite
    }

    /// Whether the file is NeXus NXapm (positions, m/n and ranging inside).
    public var isNeXus: Bool { Self.isNeXus(path) }
    public static func isNeXus(_ path: String) -> Bool { path.lowercased().hasSuffix(".nxs") }
}

/// A range file to read (RRNG, RNG, ENV, or the ranging inside an NXapm file), or `auto`: ranges
/// made from the reconstruction's spectrum for the listed elements (`AutomaticRanges`).
public struct RangeInput: Sendable {
    public var path: String
    public var allowOverlaps: Bool
    /// With `auto`: the settings of the automatic ranging (the elements at least).
    public var automatic: AutomaticRanges.Settings?

    public init(_ path: String, allowOverlaps: Bool = false, elements: [String]? = nil) throws {
        self.path = path
        self.allowOverlaps = allowOverlaps
        automatic = elements.map { AutomaticRanges.Settings(elements: $0) }
        try Validation.require([
            (!isAutomatic || elements != nil, "elements", "is needed with {ranges} auto: the elements of the specimen, e.g. Fe,Cr,Ni"),
            (isAutomatic || elements == nil, "elements", "is used only with {ranges} auto"),
        ])
        automatic = try automatic?.checked()
    }

    public init(_ path: String) { self.path = path; allowOverlaps = false }

    /// The word that asks for automatic ranges instead of a file.
    public static let automaticName = "auto"
    public var isAutomatic: Bool { path == Self.automaticName }
    /// The range file among a run's inputs (none when automatic).
    public var files: [String] { isAutomatic ? [] : [path] }
}

/// Opens reconstructions and range files the same way for every run: the format from the file,
/// HDF5 inputs read in a child process first, notes about dropped rows and unused sections, and
/// memory measured before a whole-file read.
public struct IonSourceOpener: Sendable {
    public var isolation: HDF5Isolation
    public var reporter: RunReporter

    public init(isolation: HDF5Isolation = .thisProgram, reporter: RunReporter = .silent) {
        self.isolation = isolation
        self.reporter = reporter
    }

    /// The range table, with the file's warnings noted. Automatic ranges (`auto`) are made from
    /// `reconstruction`'s spectrum (one streamed pass), their table noted, and with `recordInto`
    /// written there as ranges.rrng, ranges.json and spectrum.svg (a run records the ranges it used).
    public func ranges(_ input: RangeInput, of reconstruction: ReconstructionInput? = nil, recordInto dir: String? = nil) throws -> RangeTable {
        if input.isAutomatic {
            guard let settings = input.automatic else { throw AtomProbeError.invalid("elements", "is needed with {ranges} auto") }
            guard let reconstruction else { throw AtomProbeError.invalid("ranges", "auto is not available here: give a range file (make one with autorange)") }
            let (a, spectrum) = try AutorangeRun.ranges(reconstruction, settings: settings, opener: self)
            for line in AutorangeFiles.text(a) { reporter.note(line) }
            if let dir { try AutorangeFiles.write(a, spectrum: spectrum, title: URL(fileURLWithPath: reconstruction.path).lastPathComponent, dir: dir) }
            return try a.table(sharedPeaks: true)
        }
        if ReconstructionInput.isNeXus(input.path) {
            try isolation.isolateNXapm(input.path)
            return try NXapmFile.read(input.path).1
        }
        let t = try RangeFileIO.read(input.path, allowOverlaps: input.allowOverlaps)
        for w in t.warnings { reporter.note("\(input.path): \(w)") }
        return t
    }

    /// Reads the whole file. With `memory`, a POS, EPOS or APT file is first measured (its layout
    /// only): the columns read (16 bytes an ion, 44 with detector columns) and `bytesPerIon` more
    /// for the work that follows must fit, or the run stops with one line before anything is
    /// allocated. (An NXapm file is read through HDF5Kit, which bounds every dataset it reads.)
    public func load(_ input: ReconstructionInput, memory: MemoryBudget? = nil, bytesPerIon work: Double = 0,
                     for what: String = "the analysis") throws -> Reconstruction {
        let path = input.path
        if let memory, !input.isNeXus { try Self.requireMemory(path, memory, bytesPerIon: work, for: what) }
        let (r, dropped) = try reporter.timed("reading \(path)") { () throws -> (Reconstruction, Int) in
            if input.isNeXus {
                try isolation.isolateNXapm(path)
                return try ReconstructionIO.applyPolicy(try NXapmFile.read(path).0, input.nonFinite, path: path, recordSize: nil)
            }
            return try ReconstructionIO.read(path, nonFinite: input.nonFinite)
        }
        noteDropped(dropped, input)
        if !input.isNeXus, ReconstructionFormat(path: path) == .apt { noteSkippedSections(path) }
        return r
    }

    /// Stops with one line when reading the POS, EPOS or APT file at `path` whole (16 bytes an
    /// ion, 44 with detector columns; an APT file's bytes are held in memory while decoded, so
    /// twice; POS and EPOS are read piece by piece into the columns) plus `work` bytes an ion
    /// would not fit in `memory`; only the file's layout is read.
    public static func requireMemory(_ path: String, _ memory: MemoryBudget, bytesPerIon work: Double, for what: String) throws {
        let layout = try IonStream(path: path)
        let columns: Double = layout.format == .pos ? 16 : 44, copies: Double = layout.format == .apt ? 2 : 1
        try memory.require(Double(layout.count) * (copies * columns + work), for: "reading \(layout.count) ions of \(path) for \(what)")
    }

    /// Opens the file for streamed passes (nothing read yet but its layout).
    public func stream(_ input: ReconstructionInput) throws -> IonStream {
        let s = try IonStream(path: input.path, nonFinite: input.nonFinite)
        if s.format == .apt { noteSkippedSections(input.path) }
        return s
    }

    /// The note `load` gives about dropped rows, for a streamed pass that counted them.
    public func noteDropped(_ dropped: Int, _ input: ReconstructionInput) {
        if dropped > 0 { reporter.note("\(input.path): dropped \(dropped) record(s) with NaN or infinite values") }
    }

    /// The ions of `input` for passes over a region or a field, with the corrections prepared:
    /// a POS, EPOS or APT file streamed (this process's part of it in a distributed run; with
    /// `--non-finite drop` a mass-only pass first counts the rows later passes drop), an NXapm
    /// file read whole.
    /// `region` (a test of x, y, z) is where a dead-time correction may use its own pairs.
    public func open(_ input: ReconstructionInput, table: RangeTable, corrections: CorrectionRequest = CorrectionRequest(),
                     memory: MemoryBudget, group: any ProcessGroup = LocalProcess(),
                     region: (@Sendable (Float, Float, Float) -> Bool)? = nil) throws -> (source: any IonSource, corrections: QuantificationCorrections) {
        if input.isNeXus {
            guard group.size == 1 else { throw AtomProbeError.invalid("a distributed run reads POS, EPOS or APT files; convert the NXapm file first") }
            let recon = try load(input)
            return (recon, try corrections.prepare(recon, table: table, memory: memory, reporter: reporter, region: region, path: input.path))
        }
        var stream = try self.stream(input)
        stream.part = (group.rank, group.size)
        if input.nonFinite == .drop {
            noteDropped(try stream.reduce(.mass, nonFinite: .drop, initial: { 0 }, { _, _ in }, combine: { _, _ in }).dropped, input)
        }
        return (stream, try corrections.prepare(stream, table: table, memory: memory, group: group, reporter: reporter, region: region))
    }

    /// Names the APT sections the reader does not use (e.g. "Detector Coordinates").
    func noteSkippedSections(_ path: String) {
        guard let secs = try? APTFormat.sections(path: path).sections else { return }
        let skipped = secs.map(\.name).filter { !APTFormat.knownSections.contains($0) }
        if !skipped.isEmpty { reporter.note("\(path): skipped sections not used here: \(skipped.joined(separator: ", "))") }
    }
}
