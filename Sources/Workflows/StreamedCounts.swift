import ParallelLoops
import Foundation
import AtomProbe
import AtomProbeIO
import AtomProbeAnalysis
import KitFoundation

/// Passes over a reconstruction file that keep no per-ion array (issue 12): ions per range, the
/// mass spectrum, compositions. Memory is one chunk buffer per core plus the counts, whatever the
/// number of ions; the results equal those of the in-memory functions on the same file.
public enum StreamedCounts {
    /// What one pass counted.
    public struct Counts: Sendable {
        /// Ions per range (order of `table.ranges`) and unranged ions, inside the region if any.
        public var perRange: [Int]
        public var unranged: Int
        /// All ions read (after the non-finite policy), in or out of the region.
        public var ions: Int
        /// The mass spectrum of all ions read, when asked for.
        public var spectrum: MassSpectrum?
        /// Largest finite m/n read.
        public var maxMass: Float
    }

    /// A spectrum's binning: 0.01 Da bins from 0 to `end` unless given.
    public struct Binning: Sendable {
        public var start = 0.0
        public var binWidth = 0.01
        public var end: Double
        public init(start: Double = 0, binWidth: Double = 0.01, end: Double) {
            self.start = start; self.binWidth = binWidth; self.end = end
        }
    }

    /// Ranges every ion of `stream` (decoding positions only for a region) and, with `spectrum`,
    /// bins its m/n; one pass, in parallel over chunks. In a distributed run each process counts
    /// its part of the stream and the counts are summed over `group` (every process gets all).
    public static func count(_ stream: IonStream, table: RangeTable, region: Region? = nil, nonFinite: NonFinitePolicy = .reject,
                             spectrum: Binning? = nil, memory: MemoryBudget = .standard,
                             chunkIons: Int = IonStream.defaultChunk, group: any ProcessGroup = LocalProcess()) throws -> (counts: Counts, dropped: Int) {
        let nRanges = table.ranges.count
        let bins = try spectrum.map { try MassSpectrum.binCount(binWidth: $0.binWidth, start: $0.start, end: $0.end, memory: memory) } ?? 0
        let histogram = spectrum == nil ? 0 : bins + 2
        let columns: IonStream.Columns = region == nil ? .mass : .positionsAndMass
        let lookup = RangeLookup(table)
        var (acc, dropped) = try stream.reduce(columns, nonFinite: nonFinite, chunkIons: chunkIons, initial: {
            Accumulator(perRange: [Int](repeating: 0, count: nRanges + 1), histogram: [Int](repeating: 0, count: histogram))
        }, { acc, chunk in
            acc.ions += chunk.count
            var top = acc.maxMass
            acc.perRange.withUnsafeMutableBufferPointer { perRange in
                if spectrum == nil, region == nil {
                    // The common pass (a whole file's composition): m/n only, no branch per ion.
                    top = lookup.count(chunk.mass, into: perRange, top: top)
                    return
                }
                for i in 0..<chunk.count {
                    let m = chunk.mass[i]
                    if m.isFinite, m > top { top = m }
                    if let s = spectrum, let b = MassSpectrum.bin(m, start: s.start, binWidth: s.binWidth, end: s.end, bins: bins) { acc.histogram[b] += 1 }
                    if let region, !region.contains(chunk.x[i], chunk.y[i], chunk.z[i]) { continue }
                    perRange[lookup.rangeIndex(of: Double(m)) ?? nRanges] += 1
                }
            }
            acc.maxMass = top
        }, combine: { a, b in a.add(b) })
        if group.size > 1 {
            group.sum(&acc.perRange); group.sum(&acc.histogram); group.sum(&acc.ions); group.sum(&dropped)
            var top = [Double(acc.maxMass)]
            group.max(&top)
            acc.maxMass = Float(top[0])
        }
        let spec = spectrum.map { s in
            MassSpectrum(start: s.start, binWidth: s.binWidth, counts: Array(acc.histogram[0..<bins]), below: acc.histogram[bins], above: acc.histogram[bins + 1])
        }
        return (Counts(perRange: Array(acc.perRange[0..<nRanges]), unranged: acc.perRange[nRanges], ions: acc.ions, spectrum: spec,
                       maxMass: acc.maxMass), dropped)
    }

    struct Accumulator {
        var perRange: [Int]
        var histogram: [Int]
        var ions = 0
        var maxMass = -Float.infinity

        mutating func add(_ o: Accumulator) {
            for k in perRange.indices { perRange[k] += o.perRange[k] }
            for k in histogram.indices { histogram[k] += o.histogram[k] }
            ions += o.ions
            maxMass = max(maxMass, o.maxMass)
        }
    }

    /// The composition of a file (or a region of it) in one streamed pass; with a background
    /// shape the same pass bins the spectrum the background is fitted to. Equal to
    /// `CompositionAnalysis.composition` on the loaded file.
    public static func composition(_ stream: IonStream, table: RangeTable, region: Region? = nil, mode: Composition.Mode = .atomic,
                                   excluding: Set<String> = [], background: MassSpectrumBackground.Shape? = nil,
                                   windows: [ClosedRange<Double>]? = nil, deconvolve: Bool = false, deadTime: DeadTimeLosses? = nil,
                                   errors: Composition.CountingErrors = .binomial, nonFinite: NonFinitePolicy = .reject,
                                   memory: MemoryBudget = .standard, chunkIons: Int = IonStream.defaultChunk) throws -> (composition: Composition, dropped: Int) {
        var binning: Binning?
        if background != nil {
            binning = Binning(end: try QuantificationCorrections.spectrumEnd(table: table, windows: windows))
        }
        let (c, dropped) = try count(stream, table: table, region: region, nonFinite: nonFinite, spectrum: binning, memory: memory, chunkIons: chunkIons)
        var corrections = QuantificationCorrections(overlaps: deconvolve ? IsotopicOverlaps(table) : nil)
        corrections.deadTime = deadTime
        if let shape = background, let spectrum = c.spectrum {
            corrections.background = try MassSpectrumBackground.fit(spectrum, table: table, shape: shape, windows: windows, ionsInSpectrum: c.ions)
        }
        let model = corrections.counts(rangeCounts: c.perRange, regionIons: c.perRange.reduce(c.unranged, +), table: table)
        return (try CompositionAnalysis.composition(counts: model, unranged: c.unranged, table: table, mode: mode, excluding: excluding, errors: errors), dropped)
    }

    /// What `info` reports of a file, in one streamed pass (rows with a NaN or infinite value
    /// kept and counted): bounds of the finite positions, range of the finite m/n.
    public struct Summary: Sendable {
        public var ions = 0
        public var nonFinite = 0
        public var bounds: (min: SIMD3<Float>, max: SIMD3<Float>)?
        public var massRange: (min: Float, max: Float)?
        public init(ions: Int = 0, nonFinite: Int = 0, bounds: (min: SIMD3<Float>, max: SIMD3<Float>)? = nil, massRange: (min: Float, max: Float)? = nil) {
            self.ions = ions; self.nonFinite = nonFinite; self.bounds = bounds; self.massRange = massRange
        }
    }

    public static func summary(_ stream: IonStream) throws -> Summary {
        /// One worker's part: rows read, rows with a non-finite value, the finite bounds.
        struct Part { var ions = 0, nonFinite = 0, bounds = FiniteBounds() }
        var keep = stream
        keep.nonFinite = .keep
        let all = try keep.reduceChunks(.positionsAndMass, initial: { Part() }, { part, c in
            var b = part.bounds, bad = 0
            for i in 0..<c.count {
                let finitePosition = b.add(c.x[i], c.y[i], c.z[i]), finiteMass = b.add(mass: c.mass[i])
                if !(finitePosition && finiteMass) { bad += 1 }
            }
            part.bounds = b
            part.nonFinite += bad
            part.ions += c.count
        }, combine: { a, b in
            a.ions += b.ions; a.nonFinite += b.nonFinite
            a.bounds.merge(b.bounds)
        })
        return Summary(ions: all.ions, nonFinite: all.nonFinite, bounds: all.bounds.box, massRange: all.bounds.massRange)
    }
}
