import Foundation
import AtomProbe
import KitFoundation

/// The multiple-hit events of a run, measured in one streamed pass over the detector columns
/// (issue 28): the ions-per-pulse histogram, the ion counts and spectra of single and multiple
/// events, the correlation histogram of same-pulse pairs, and, per pair of ion types, the
/// distances on the detector between same-pulse hits (what `DeadZoneEstimate` fits).
///
/// EPOS convention (and the APT `Multiplicity` section): a record with ions-per-pulse k > 1
/// starts a k-ion event whose next k - 1 records hold 0; k = 1 is a single event. A file whose
/// column contradicts this (a 0 outside an event, an event cut short by a new one or by the end
/// of the file, a negative or absurd k) is refused in one line naming the record.
public struct MultiHitEvents: Sendable {
    public struct Options: Sendable {
        /// Upper m/n of the spectra and the correlation histogram (Da).
        public var maxMass = 200.0
        public var spectrumBin = 0.05
        public var correlationBin = 0.2
        /// Detector distances: bin width and the largest distance kept (mm).
        public var distanceBin = 0.1
        public var maxDistance = 100.0
        public var memory = MemoryBudget.standard
        /// The most ions per pulse accepted (and the records read past a chunk's end).
        public static let maxMultiplicity = 1000

        public init() {}

        public func checked() throws -> Options {
            func finite(_ v: Double, _ lo: Double, _ hi: Double) -> Bool { v.isFinite && v > lo && v <= hi }
            try Validation.require([
                (finite(maxMass, 0, 10_000), "max_mass_da", "must be in (0, 10000] Da, got \(maxMass)"),
                (finite(spectrumBin, 0, 100) && (!maxMass.isFinite || maxMass / spectrumBin <= 1e7), "spectrum_bin_da", "must be positive with at most 1e7 bins up to {max_mass_da}, got \(spectrumBin)"),
                (finite(correlationBin, 0, 100) && (!maxMass.isFinite || maxMass / correlationBin <= 4000), "correlation_bin_da", "must be positive with at most 4000 bins per axis up to {max_mass_da}, got \(correlationBin)"),
                (finite(maxDistance, 0, 1000), "max_distance_mm", "must be in (0, 1000] mm, got \(maxDistance)"),
                (finite(distanceBin, 0, 100) && (!maxDistance.isFinite || maxDistance / distanceBin <= 100_000), "distance_bin_mm", "must be positive with at most 1e5 bins up to {max_distance_mm}, got \(distanceBin)"),
            ])
            return self
        }
    }

    public let options: Options
    /// The ion types of the range table; index `ionNames.count` counts unranged ions.
    public let ionNames: [String]
    /// Records per value of the ions-per-pulse column (index = value).
    public private(set) var ippCounts: [Int]
    /// Ions per ion type (unranged last) in single and in multiple events.
    public private(set) var singles: [Int]
    public private(set) var multiples: [Int]
    /// m/n histograms (bins of `spectrumBin` from 0) of ions in single and in multiple events.
    public private(set) var singlesSpectrum: [Int]
    public private(set) var multiplesSpectrum: [Int]
    public private(set) var correlation: CorrelationHistogram
    /// Same-pulse pairs, and those where both ions are ranged.
    public private(set) var pairs = 0
    public private(set) var rangedPairs = 0
    /// distances[pairIndex(a, b) * distanceBins + bin]: same-pulse pairs of ion types a, b by
    /// detector distance.
    public private(set) var distances: [Int]
    public var distanceBins: Int { Int((options.maxDistance / options.distanceBin).rounded(.up)) }
    /// Per chunk: its first record, the continuation records at its start and those its last
    /// event has past its end (checked against each other after the pass).
    var boundaries: [(first: Int, leading: Int, overflow: Int)] = []

    init(options: Options, ionNames: [String]) {
        self.options = options
        self.ionNames = ionNames
        let t = ionNames.count
        ippCounts = [Int](repeating: 0, count: Options.maxMultiplicity + 1)
        singles = [Int](repeating: 0, count: t + 1); multiples = singles
        singlesSpectrum = [Int](repeating: 0, count: Int((options.maxMass / options.spectrumBin).rounded(.up))); multiplesSpectrum = singlesSpectrum
        correlation = CorrelationHistogram(binWidth: options.correlationBin, maxMass: options.maxMass)
        distances = []
        distances = [Int](repeating: 0, count: t * (t + 1) / 2 * distanceBins)
    }

    /// The index of the unordered pair of ion types (a, b).
    public func pairIndex(_ a: Int, _ b: Int) -> Int {
        let (i, j) = a <= b ? (a, b) : (b, a), t = ionNames.count
        return i * t - i * (i - 1) / 2 + (j - i)
    }

    /// The detector-distance histogram of same-pulse pairs of ion types a and b.
    public func distanceHistogram(_ a: Int, _ b: Int) -> ArraySlice<Int> {
        let p = pairIndex(a, b), n = distanceBins
        return distances[(p * n)..<((p + 1) * n)]
    }

    /// Events per number of ions (index k: events of k ions), from the ions-per-pulse counts.
    public var events: [Int] { ippCounts.enumerated().map { $0.offset == 0 ? 0 : $0.element } }
    /// The ions-per-pulse histogram without trailing empty values.
    public var ippHistogram: [(value: Int, records: Int)] { ippCounts.enumerated().filter { $0.element > 0 }.map { ($0.offset, $0.element) } }

    /// Measures every event of `source` (`path` names the file in errors). With `region` (a test
    /// of an ion's reconstructed x, y, z), only the ions inside count, and the pairs whose earlier
    /// record is inside (the hit that would block a lost partner; the partner, landing near it on
    /// the detector, is reconstructed near it). The events' structure is checked over every record.
    public static func measure(_ source: any DetectorSource, table: RangeTable, options: Options = Options(), path: String? = nil,
                               region: (@Sendable (Float, Float, Float) -> Bool)? = nil,
                               chunkIons: Int = DetectorChunkSize.records) throws -> MultiHitEvents {
        let o = try options.checked()
        let t = table.ions.count
        let perWorker = Double(8 * ((o.maxMass / o.correlationBin) * (o.maxMass / o.correlationBin) + 2 * o.maxMass / o.spectrumBin
                                    + Double(t * (t + 1) / 2) * o.maxDistance / o.distanceBin)) + Double(chunkIons + Options.maxMultiplicity) * 80
        try o.memory.require(perWorker * Double(ProcessInfo.processInfo.activeProcessorCount), for: "the multiple-hit histograms")
        let lookup = RangeLookup(table)
        let typeOfRange = table.ranges.map(\.ionIndex) + [t]
        var m = try source.reduceEvents(chunkIons: chunkIons, tail: Options.maxMultiplicity, initial: { MultiHitEvents(options: o, ionNames: table.ions.map(\.name)) },
                                        { acc, chunk in try acc.add(chunk, lookup: lookup, typeOfRange: typeOfRange, path: path, region: region) },
                                        combine: { $0.merge($1) })
        try m.checkBoundaries(path: path)
        return m
    }

    mutating func merge(_ o: MultiHitEvents) {
        func add(_ a: inout [Int], _ b: [Int]) { for i in a.indices { a[i] &+= b[i] } }
        add(&ippCounts, o.ippCounts); add(&singles, o.singles); add(&multiples, o.multiples)
        add(&singlesSpectrum, o.singlesSpectrum); add(&multiplesSpectrum, o.multiplesSpectrum); add(&distances, o.distances)
        correlation.merge(o.correlation)
        pairs += o.pairs; rangedPairs += o.rangedPairs
        boundaries += o.boundaries
    }

    static func contradiction(_ message: String, record: Int, path: String?) -> AtomProbeError {
        AtomProbeError(.format, "the ions-per-pulse column contradicts the records: " + message, file: path, at: .record(record))
    }

    /// Folds one chunk: the events that start in its owned records.
    mutating func add(_ c: DetectorChunk, lookup: RangeLookup, typeOfRange: [Int], path: String?, region: (@Sendable (Float, Float, Float) -> Bool)? = nil) throws {
        let k = c.ionsPerPulse, owned = c.owned, n = c.count, maxK = Options.maxMultiplicity
        for i in 0..<owned { let v = Int(k[i]); if v >= 0 && v <= maxK { ippCounts[v] &+= 1 } }
        var i = 0
        while i < owned && k[i] == 0 { i += 1 }
        if c.first == 0 && i > 0 { throw Self.contradiction("record 0 has 0 ions per pulse, so it continues no event", record: 0, path: path) }
        let nTypes = ionNames.count
        let sBin = 1 / options.spectrumBin, sBins = singlesSpectrum.count
        let dScale = 1 / options.distanceBin, dBins = distanceBins
        var types = [Int](repeating: 0, count: maxK), inside = [Bool](repeating: true, count: maxK)
        while i < owned {
            let m = Int(k[i]), r = c.first + i
            guard m >= 1, m <= maxK else {
                throw Self.contradiction(m == 0 ? "record \(r) has 0 ions per pulse but the event before it has ended"
                                                : "record \(r) has \(m) ions per pulse (expected 1 to \(maxK))", record: r, path: path)
            }
            guard i + m <= n else {
                throw Self.contradiction("record \(r) starts an event of \(m) ions but the file ends after \(n - i) of them", record: r, path: path)
            }
            for j in 1..<m where k[i + j] != 0 {
                throw Self.contradiction("record \(r) starts an event of \(m) ions but record \(r + j) has \(k[i + j]) ions per pulse (expected 0)", record: r + j, path: path)
            }
            for j in 0..<m {
                let mass = c.mass[i + j]
                let t = typeOfRange[lookup.rangeIndex(of: Double(mass)) ?? typeOfRange.count - 1]
                types[j] = t
                inside[j] = region.map { $0(c.position[3 * (i + j)], c.position[3 * (i + j) + 1], c.position[3 * (i + j) + 2]) } ?? true
                guard inside[j] else { continue }
                let b = Double(mass) * sBin
                if m == 1 {
                    singles[t] &+= 1
                    if b >= 0, b < Double(sBins) { singlesSpectrum[Int(b)] &+= 1 }
                } else {
                    multiples[t] &+= 1
                    if b >= 0, b < Double(sBins) { multiplesSpectrum[Int(b)] &+= 1 }
                }
            }
            if m >= 2 {
                for a in 0..<(m - 1) {
                    for b in (a + 1)..<m where inside[a] {
                        pairs &+= 1
                        correlation.add(c.mass[i + a], c.mass[i + b])
                        let ta = types[a], tb = types[b]
                        guard ta < nTypes, tb < nTypes else { continue }
                        rangedPairs &+= 1
                        let dx = c.x[i + a] - c.x[i + b], dy = c.y[i + a] - c.y[i + b]
                        let d = Double((dx * dx + dy * dy).squareRoot()) * dScale
                        if d < Double(dBins) { distances[pairIndex(ta, tb) * dBins + Int(d)] &+= 1 }
                    }
                }
            }
            i += m
        }
        boundaries.append((c.first, 0, i - owned))
        var lead = 0
        while lead < owned && k[lead] == 0 { lead += 1 }
        boundaries[boundaries.count - 1].leading = lead
    }

    /// Each chunk's leading continuation records must be exactly those of the event that the
    /// chunk before it left open.
    mutating func checkBoundaries(path: String?) throws {
        boundaries.sort { $0.first < $1.first }
        for (prev, next) in zip(boundaries, boundaries.dropFirst()) where next.leading != prev.overflow {
            let r = next.first + prev.overflow
            throw Self.contradiction("record \(r) has 0 ions per pulse but the event before it has ended", record: r, path: path)
        }
    }
}

/// The records of a chunk of a multiple-hit pass (1 Mi, or `ATOMPROBE_CHUNK_IONS`).
public enum DetectorChunkSize {
    public static var records: Int { Reconstruction.defaultChunkIons }
}
