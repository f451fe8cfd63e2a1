import Foundation
import ParallelLoops
import KitFoundation
/// Where a pass over ions gets them: a reconstruction in memory, or a file read chunk by chunk
/// (`IonStream`). Analyses written against this run unchanged on both (issue 12), and give the
/// same numbers.
public protocol IonSource: Sendable {
    /// The number of ions a pass visits (for progress and sizes; a file read with `drop` may
    /// visit fewer).
    var count: Int { get }

    /// Folds every ion, chunk by chunk, on one worker per core taking chunks as it is free: each
    /// worker folds its chunks into its own `initial()`, then the results are combined. Which
    /// worker gets which chunk varies: folds must not depend on it (counts; float sums in Double).
    /// - Parameter including: when given, only the chunks whose ion indices it accepts are read
    ///   (the others are neither decoded nor touched); a pass that knows where its ions lie skips
    ///   the rest.
    func reduceChunks<T>(_ columns: IonColumns, including: ((Range<Int>) -> Bool)?, initial: () -> T,
                         _ body: (inout T, IonChunk) throws -> Void, combine: (inout T, T) -> Void) throws -> T
}

/// Which columns a pass needs.
public enum IonColumns: Sendable {
    case mass
    case positionsAndMass
}

/// A run of ions: `first` is the index of its first ion (in the source's own numbering); x, y, z
/// are empty when only m/n was asked for.
public struct IonChunk {
    public var first: Int
    public var count: Int
    public var x: UnsafeBufferPointer<Float>
    public var y: UnsafeBufferPointer<Float>
    public var z: UnsafeBufferPointer<Float>
    public var mass: UnsafeBufferPointer<Float>

    public init(first: Int, count: Int, x: UnsafeBufferPointer<Float>, y: UnsafeBufferPointer<Float>,
                z: UnsafeBufferPointer<Float>, mass: UnsafeBufferPointer<Float>) {
        self.first = first; self.count = count; self.x = x; self.y = y; self.z = z; self.mass = mass
    }
}

extension IonSource {
    /// Folds every ion (no chunk skipped).
    public func reduceChunks<T>(_ columns: IonColumns, initial: () -> T, _ body: (inout T, IonChunk) throws -> Void,
                                combine: (inout T, T) -> Void) throws -> T {
        try reduceChunks(columns, including: nil, initial: initial, body, combine: combine)
    }

    /// The chunk size every source uses: 1 Mi ions, or `ATOMPROBE_CHUNK_IONS` from the
    /// environment (tests use small chunks to split small files over several processes).
    public static var defaultChunkIons: Int {
        if let v = ProcessInfo.processInfo.environment["ATOMPROBE_CHUNK_IONS"], let n = Int(v), n >= 1024 { return n }
        return 1 << 20
    }
}

extension Reconstruction: IonSource {
    /// Chunks of `defaultChunkIons` ions straight from the columns (no copy).
    public func reduceChunks<T>(_ columns: IonColumns, including: ((Range<Int>) -> Bool)?, initial: () -> T,
                                _ body: (inout T, IonChunk) throws -> Void, combine: (inout T, T) -> Void) throws -> T {
        let per = Self.defaultChunkIons
        let chunks = count == 0 ? 0 : (count + per - 1) / per
        var parts: [(T, Error?)] = x.withUnsafeBufferPointer { px in y.withUnsafeBufferPointer { py in
            z.withUnsafeBufferPointer { pz in mass.withUnsafeBufferPointer { pm in
                Parallel.foldPerCore(chunks, initial: { (initial(), nil as Error?) }) { acc, c in
                    guard acc.1 == nil else { return }
                    let a = c * per, b = Swift.min(count, a + per)
                    if let including, !including(a..<b) { return }
                    let none = UnsafeBufferPointer<Float>(start: nil, count: 0)
                    let pos = columns == .positionsAndMass
                    do {
                        try body(&acc.0, IonChunk(first: a, count: b - a,
                                                  x: pos ? UnsafeBufferPointer(rebasing: px[a..<b]) : none,
                                                  y: pos ? UnsafeBufferPointer(rebasing: py[a..<b]) : none,
                                                  z: pos ? UnsafeBufferPointer(rebasing: pz[a..<b]) : none,
                                                  mass: UnsafeBufferPointer(rebasing: pm[a..<b])))
                    } catch { acc.1 = error }
                }
            } }
        } }
        if let e = parts.lazy.compactMap(\.1).first { throw e }
        guard !parts.isEmpty else { return initial() }
        // Moved out, not copied: the first result is the accumulator (it may be a large grid).
        var result = parts.removeFirst().0
        for p in parts { combine(&result, p.0) }
        return result
    }
}

/// Where a pass over multiple-hit events gets the detector columns (m/n, hit position on the
/// detector, ions per pulse): an EPOS or APT file read chunk by chunk (`DetectorStream`), or a
/// reconstruction in memory with its `PulseDetail`.
public protocol DetectorSource: Sendable {
    var count: Int { get }
    /// Folds chunks of `chunkIons` records, each read with up to `tail` more records so that an
    /// event starting in a chunk is seen whole (`DetectorChunk.owned`); results are combined.
    func reduceEvents<T>(chunkIons: Int, tail: Int, initial: () -> T,
                         _ body: (inout T, DetectorChunk) throws -> Void, combine: (inout T, T) -> Void) throws -> T
}

/// Records [first, first + count) of a file's detector columns, of which the first `owned`
/// belong to this chunk (the rest are read so that an event starting in it is seen whole).
/// `tof` is empty when the file has no time of flight; `position` holds the reconstructed
/// x, y, z of each record (nm; 3 values a record).
public struct DetectorChunk {
    public var first: Int
    public var owned: Int
    public var mass: UnsafeBufferPointer<Float>
    public var x: UnsafeBufferPointer<Float>
    public var y: UnsafeBufferPointer<Float>
    public var tof: UnsafeBufferPointer<Float>
    public var ionsPerPulse: UnsafeBufferPointer<Int32>
    public var position: UnsafeBufferPointer<Float>
    public var count: Int { mass.count }

    public init(first: Int, owned: Int, mass: UnsafeBufferPointer<Float>, x: UnsafeBufferPointer<Float>, y: UnsafeBufferPointer<Float>,
                tof: UnsafeBufferPointer<Float>, ionsPerPulse: UnsafeBufferPointer<Int32>, position: UnsafeBufferPointer<Float>) {
        self.first = first; self.owned = owned; self.mass = mass; self.x = x; self.y = y; self.tof = tof; self.ionsPerPulse = ionsPerPulse
        self.position = position
    }
}

extension Reconstruction: DetectorSource {
    /// The detector columns of the reconstruction's `PulseDetail` (refused without hit positions
    /// and ions per pulse), in chunks as a file would give them.
    public func reduceEvents<T>(chunkIons: Int, tail: Int, initial: () -> T,
                                _ body: (inout T, DetectorChunk) throws -> Void, combine: (inout T, T) -> Void) throws -> T {
        guard let d = detail, d.available.isSuperset(of: [.detectorX, .detectorY, .ionsPerPulse]) else {
            throw AtomProbeError.invalid("the reconstruction has no detector columns (hit position on the detector, ions per pulse)")
        }
        let per = Swift.max(1, chunkIons)
        var result = initial()
        var first = 0
        var xyz = [Float]()
        while first < count {
            let owned = Swift.min(per, count - first), n = Swift.min(count - first, owned + Swift.max(0, tail))
            var part = initial()
            xyz.removeAll(keepingCapacity: true)
            for i in first..<(first + n) { xyz += [x[i], y[i], z[i]] }
            try xyz.withUnsafeBufferPointer { p in try mass.withUnsafeBufferPointer { m in try d.detectorX.withUnsafeBufferPointer { x in try d.detectorY.withUnsafeBufferPointer { y in
                try d.tof.withUnsafeBufferPointer { t in try d.ionsPerPulse.withUnsafeBufferPointer { k in
                    let r = first..<(first + n)
                    try body(&part, DetectorChunk(first: first, owned: owned, mass: UnsafeBufferPointer(rebasing: m[r]), x: UnsafeBufferPointer(rebasing: x[r]),
                                                  y: UnsafeBufferPointer(rebasing: y[r]), tof: d.available.contains(.tof) ? UnsafeBufferPointer(rebasing: t[r]) : UnsafeBufferPointer(start: nil, count: 0),
                                                  ionsPerPulse: UnsafeBufferPointer(rebasing: k[r]), position: p))
                } }
            } } } }
            combine(&result, part)
            first += owned
        }
        return result
    }
}
