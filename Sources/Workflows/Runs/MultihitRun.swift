import KitFoundation
import AtomProbe
import AtomProbeIO
import AtomProbeAnalysis

/// Multiple hits (`atomprobe multihit`): the ions-per-pulse histogram, single against multiple
/// events (spectra and compositions), the correlation histogram with named dissociation tracks,
/// and the dead-zone losses per pair of ion types, with the composition corrected for them on
/// request; written as `MultihitFiles` into a folder published whole. An EPOS or APT file is
/// streamed (one pass, bounded memory).
public struct MultihitRun: Sendable {
    public var input: ReconstructionInput
    public var ranges: RangeInput
    public var output: String
    public var events = MultiHitEvents.Options()
    public var deadZone = DeadZoneEstimate.Options()
    /// Reactions to draw and check, e.g. "Cr2O++ -> Cr+ + CrO+".
    public var tracks: [String] = []
    /// Write the composition with the estimated losses added (refused when none can be estimated).
    public var deadTimeCorrection = false

    public init(input: ReconstructionInput, ranges: RangeInput, output: String) {
        self.input = input
        self.ranges = ranges
        self.output = output
    }

    /// Checks every parameter (naming it) before any file is read.
    public func validated() throws -> MultihitRun {
        var r = self
        r.events = try events.checked()
        r.deadZone = try deadZone.checked(distanceBin: r.events.distanceBin, maxDistance: r.events.maxDistance)
        _ = try tracks.map { try DissociationTrack($0) }
        return r
    }

    /// What the run found.
    public struct Result: Sendable {
        public var events: MultiHitEvents
        public var deadZone: DeadZoneEstimate
        public var singles: Composition
        public var multiples: Composition
        public var all: Composition
        public var corrected: Composition?
        public var tracks: [(track: DissociationTrack, onTrack: Int, offTrack: Double)]
    }

    public func run(_ opener: IonSourceOpener) throws -> (result: Result, lines: [String]) {
        let r = try validated()
        guard !input.isNeXus else { throw AtomProbeError(.invalidInput, "multiple hits need an EPOS or APT file (the detector columns); this NeXus file is read without them", file: input.path) }
        let folder = try RunFolder(output, kind: "multihit", inputs: [input.path, ranges.path])
        let table = try opener.ranges(ranges)
        let source = try DetectorStream(path: input.path)
        let events = try opener.reporter.timed("reading \(source.count) events' records (streamed)") {
            try MultiHitEvents.measure(source, table: table, options: r.events, path: input.path)
        }
        let result = try Self.result(events, table: table, deadZone: r.deadZone, tracks: r.tracks, correct: r.deadTimeCorrection)
        try MultihitFiles.write(result, input: input.path, dir: folder.staging)
        try folder.commit()
        return (result, MultihitFiles.text(result) + ["wrote \(output)/\(MultihitFiles.names(result))"])
    }

    /// The compositions, dead-zone estimates and track checks from measured events.
    public static func result(_ events: MultiHitEvents, table: RangeTable, deadZone: DeadZoneEstimate.Options, tracks: [String], correct: Bool) throws -> Result {
        let t = table.ions.count
        func composition(_ c: [Int]) throws -> Composition {
            try CompositionAnalysis.composition(ionCounts: Array(c[0..<t]), unranged: c[t], table: table)
        }
        let estimate = try DeadZoneEstimate(events, options: deadZone)
        let total = zip(events.singles, events.multiples).map { $0 + $1 }
        var corrected: Composition?
        if correct {
            let losses = try DeadTimeLosses.choose(dataset: events, region: nil, options: deadZone)
            corrected = try CompositionAnalysis.composition(counts: losses.apply(to: IonCountModel(counts: Array(total[0..<t]))), unranged: total[t], table: table)
        }
        let checked = try tracks.map { text -> (track: DissociationTrack, onTrack: Int, offTrack: Double) in
            let track = try DissociationTrack(text)
            let c = track.check(events.correlation)
            return (track, c.onTrack, c.offTrack)
        }
        return Result(events: events, deadZone: estimate, singles: try composition(events.singles), multiples: try composition(events.multiples),
                      all: try composition(total), corrected: corrected, tracks: checked)
    }
}
