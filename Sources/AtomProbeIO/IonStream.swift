import Foundation
import AtomProbe
import KitFoundation
import ParallelLoops

/// The ions of a POS, EPOS or APT file read chunk by chunk in bounded memory, decoding only the
/// columns a pass needs (issue 12). Each worker reads one chunk at a time into buffers of its own
/// (pread, not a mapping: a file truncated meanwhile is an error, issue 23), in parallel over
/// the chunks, so the memory used does not grow with the file.
///
/// Every pass gives the same ions as `ReconstructionIO.read` with the same non-finite policy
/// (rows with a NaN or infinite value in any of x, y, z, m/n are checked even when only m/n is
/// decoded).
public struct IonStream: Sendable {
    /// Which columns a pass decodes, and one chunk's ions (rows dropped by the policy left out,
    /// `first` the file index of its first record).
    public typealias Columns = IonColumns
    public typealias Chunk = IonChunk

    /// A contiguous run of fixed-size records in the file.
    struct Segment: Sendable {
        var offset: Int
        var recordSize: Int
    }
    /// Where each column lies: the segment and the byte offset within a record.
    struct Column: Sendable {
        var segment: Int
        var offset: Int
    }

    public let path: String
    public let format: ReconstructionFormat
    public let count: Int
    /// The non-finite policy of `reduceChunks` (the `IonSource` passes).
    public var nonFinite: NonFinitePolicy = .reject
    /// In a distributed run, this process's part: `index` of `of` contiguous parts of the chunks.
    public var part: (index: Int, of: Int) = (0, 1)
    /// Records per chunk of the `IonSource` passes (`defaultChunk` unless set).
    public var chunkIons = IonStream.defaultChunk
    let segments: [Segment]
    let x: Column, y: Column, z: Column, mass: Column
    let bigEndian: Bool

    /// Opens and checks the file's layout (size, APT sections) without reading its ions.
    public init(path: String, format: ReconstructionFormat? = nil, nonFinite: NonFinitePolicy = .reject) throws {
        self.nonFinite = nonFinite
        let fmt = try format ?? ReconstructionFormat.from(path: path)
        self.path = path
        self.format = fmt
        let size = try TextFile.regularFileSize(path)
        switch fmt {
        case .pos, .epos:
            let record = fmt.recordSize!
            count = try POSFormat.checkSize(size, record: record, kind: fmt == .pos ? "POS" : "EPOS", path: path)
            segments = [Segment(offset: 0, recordSize: record)]
            (x, y, z, mass) = (Column(segment: 0, offset: 0), Column(segment: 0, offset: 4), Column(segment: 0, offset: 8), Column(segment: 0, offset: 12))
            bigEndian = true
        case .apt:
            let (n, m, p) = try APTFormat.massAndPosition(try APTFormat.sections(path: path), path: path)
            count = n
            segments = [Segment(offset: m.dataOffset, recordSize: 4), Segment(offset: p.dataOffset, recordSize: 12)]
            (x, y, z, mass) = (Column(segment: 1, offset: 0), Column(segment: 1, offset: 4), Column(segment: 1, offset: 8), Column(segment: 0, offset: 0))
            bigEndian = false
        }
    }

    /// Ions per chunk: 1 Mi records (16 MiB of POS), as for every `IonSource`.
    public static var defaultChunk: Int { IonStream.defaultChunkIons }

    /// Passes over every ion: each worker folds its chunks into its own `initial()` accumulator,
    /// then the accumulators are combined in file order. Returns the result and the rows dropped
    /// (`drop`); `reject` throws, after the pass, the same error as `ReconstructionIO.read`.
    /// `including` skips the chunks (record ranges) it refuses: neither read nor decoded.
    public func reduce<T>(_ columns: Columns, nonFinite: NonFinitePolicy = .reject, chunkIons: Int = IonStream.defaultChunk,
                          including: ((Range<Int>) -> Bool)? = nil, initial: () -> T, _ body: (inout T, Chunk) throws -> Void, combine: (inout T, T) -> Void) throws -> (result: T, dropped: Int) {
        let perChunk = max(1, chunkIons)
        let chunks = count == 0 ? 0 : (count + perChunk - 1) / perChunk
        // Read with pread, chunk by chunk (see `FileReader`): a file truncated during the pass is
        // an error naming it, never a signal.
        let reader = try FileReader(path: path)
        guard count > 0 else { return (initial(), 0) }
        // This process's part of the chunks (all of them in one process).
        let mine = (chunks * part.index / max(1, part.of))..<(chunks * (part.index + 1) / max(1, part.of))
        // One worker per core takes the next chunk when free; each keeps its buffers and accumulator.
        var folds = Parallel.foldPerCore(mine.count, initial: {
            (part: StreamPart(value: initial()), worker: Worker(stream: self, reader: reader, columns: columns, chunkIons: perChunk))
        }) { acc, item in
            guard acc.part.error == nil else { return }
            let c = mine.lowerBound + item
            do {
                let a = c * perChunk, b = min(count, a + perChunk)
                if let including, !including(a..<b) { return }
                try acc.worker.select(first: a, count: b - a)
                let (bad, firstBad) = acc.worker.decode(first: a, count: b - a, policy: nonFinite)
                acc.part.bad += bad
                if bad > 0 { acc.part.firstBad = min(acc.part.firstBad, firstBad) }
                try acc.worker.withChunk(first: a) { try body(&acc.part.value, $0) }
            } catch { acc.part.error = error }
        }
        for k in folds.indices { folds[k].worker.release() }
        var parts = folds.map(\.part)
        folds = []
        if let e = parts.lazy.compactMap(\.error).first { throw e }
        let bad = parts.reduce(0) { $0 + $1.bad }
        if bad > 0, nonFinite == .reject {
            let first = parts.map(\.firstBad).min()!
            let loc: FileLocation = format.recordSize.map { .byteOffset(first * $0) } ?? .record(first)
            throw AtomProbeError(.format, "\(bad) record(s) hold NaN or infinite values, the first is record \(first)",
                                 file: path, at: loc, remedy: .dropNonFinite)
        }
        guard !parts.isEmpty else { return (initial(), 0) }
        // Moved out, not copied: the first result is the accumulator (it may be a large grid).
        var result = parts.removeFirst().value
        for p in parts { combine(&result, p.value) }
        return (result, nonFinite == .drop ? bad : 0)
    }
}

extension TextFile {
    /// The size of a regular file, or an error naming it.
    static func regularFileSize(_ path: String) throws -> Int {
        var st = stat()
        guard stat(path, &st) == 0 else { throw AtomProbeError(.io, "cannot open: \(String(cString: strerror(errno)))", file: path) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw AtomProbeError(.io, "not a regular file", file: path) }
        return Int(st.st_size)
    }
}

/// One worker's accumulator, its non-finite rows and its error.
struct StreamPart<T> {
    var value: T
    var bad = 0
    var firstBad = Int.max
    var error: Error?
}

/// One worker's view of a chunk: a worker reads a chunk's records of every segment into buffers
/// of its own (pread: no mapping, so a file that shrinks meanwhile is an error, not SIGBUS), so
/// memory stays at about one chunk per worker whatever the file's size.
struct Worker {
    let stream: IonStream
    let positions: Bool
    let reader: FileReader
    /// Per segment: the chunk's records as read (`chunkIons` records of room).
    var buffers: [UnsafeMutableRawBufferPointer]
    /// Per segment: the byte range of the chunk's records in the file.
    var spans: [(start: Int, length: Int)] = []
    var x: [Float] = [], y: [Float] = [], z: [Float] = [], mass: [Float] = []
    var kept = 0

    init(stream: IonStream, reader: FileReader, columns: IonStream.Columns, chunkIons: Int) {
        self.stream = stream
        self.reader = reader
        buffers = stream.segments.map { .allocate(byteCount: chunkIons * $0.recordSize, alignment: 16) }
        positions = columns == .positionsAndMass
        mass = [Float](repeating: 0, count: chunkIons)
        if positions {
            x = [Float](repeating: 0, count: chunkIons); y = x; z = x
        }
    }

    /// Frees the buffers (once, after the pass).
    mutating func release() {
        for b in buffers { b.deallocate() }
        buffers = []; spans = []
    }

    /// Reads records [first, first + count) of every segment (all of them: positions are checked
    /// for finite values even when only m/n is decoded).
    mutating func select(first: Int, count: Int) throws {
        spans = stream.segments.map { (start: $0.offset + first * $0.recordSize, length: count * $0.recordSize) }
        for (k, s) in spans.enumerated() { try reader.read(into: buffers[k].baseAddress!, count: s.length, at: s.start) }
    }

    /// Decodes the chunk read last; returns the rows with a non-finite value and the first of them.
    mutating func decode(first: Int, count: Int, policy: NonFinitePolicy) -> (bad: Int, firstBad: Int) {
        let big = stream.bigEndian
        let cols = [stream.x, stream.y, stream.z, stream.mass]
        let recordSizes = stream.segments.map(\.recordSize)
        var bad = 0, firstBad = Int.max, k = 0
        let keepPositions = positions
        // x, y, z, m/n side by side in one segment (POS, EPOS), in that order.
        let packed = stream.x.segment == stream.mass.segment && stream.y.segment == stream.x.segment && stream.z.segment == stream.x.segment
            && stream.y.offset == stream.x.offset + 4 && stream.z.offset == stream.x.offset + 8 && stream.mass.offset == stream.x.offset + 12
        // The chunk's first record in each segment. (Not through a method of self taking a closure:
        // the closure's writes to the buffers would then copy them, 4 MiB a chunk.)
        let bases = buffers.map { UnsafeRawPointer($0.baseAddress!) }
        do {
            // Per column: the byte address of record 0 and the record size.
            let at = cols.map { (bases[$0.segment] + $0.offset, recordSizes[$0.segment]) }
            let (xb, xs) = at[0], (yb, ys) = at[1], (zb, zs) = at[2], (mb, ms) = at[3]
            /// A stored float's value from its bits in the file's byte order.
            @inline(__always) func value(_ bits: UInt32) -> Float { Float(bitPattern: big ? UInt32(bigEndian: bits) : UInt32(littleEndian: bits)) }
            @inline(__always) func load(_ b: UnsafeRawPointer, _ o: Int) -> Float { value(b.loadUnaligned(fromByteOffset: o, as: UInt32.self)) }
            // Non-finite: all exponent bits set, tested on the stored bits (no byte swap needed).
            let exponent: UInt32 = big ? UInt32(0x7F80_0000).byteSwapped : 0x7F80_0000
            @inline(__always) func raw(_ b: UnsafeRawPointer, _ o: Int) -> UInt32 { b.loadUnaligned(fromByteOffset: o, as: UInt32.self) }
            mass.withUnsafeMutableBufferPointer { pm in x.withUnsafeMutableBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in z.withUnsafeMutableBufferPointer { pz in
                if policy != .drop && packed {
                    // POS and EPOS: x, y, z, m/n are 16 contiguous bytes of a record, read as one
                    // vector; the non-finite test is one compare of the four exponents. Rows with a
                    // non-finite value are rare: only then do the loops below count them.
                    var anyBad = SIMDMask<SIMD4<Int32>>(repeating: false)
                    let e4 = SIMD4<UInt32>(repeating: exponent)
                    for i in 0..<count {
                        let r = xb.loadUnaligned(fromByteOffset: i &* xs, as: SIMD4<UInt32>.self)
                        if keepPositions { px[i] = value(r[0]); py[i] = value(r[1]); pz[i] = value(r[2]) }
                        pm[i] = value(r[3])
                        anyBad .|= (r & e4) .== e4
                    }
                    if !any(anyBad) { k = count; return }
                }
                if !keepPositions && policy != .drop {
                    // The common mass-only pass: every row kept; count the non-finite ones.
                    for i in 0..<count {
                        let rx = raw(xb, i &* xs), ry = raw(yb, i &* ys), rz = raw(zb, i &* zs), rm = raw(mb, i &* ms)
                        pm[i] = value(rm)
                        if (rx & exponent) == exponent || (ry & exponent) == exponent || (rz & exponent) == exponent || (rm & exponent) == exponent {
                            bad += 1
                            if firstBad == Int.max { firstBad = first + i }
                        }
                    }
                    k = count
                    return
                }
                for i in 0..<count {
                    let vx = load(xb, i &* xs), vy = load(yb, i &* ys), vz = load(zb, i &* zs), m = load(mb, i &* ms)
                    if !(vx.isFinite && vy.isFinite && vz.isFinite && m.isFinite) {
                        bad += 1
                        if firstBad == Int.max { firstBad = first + i }
                        if policy == .drop { continue }
                    }
                    pm[k] = m
                    if keepPositions { px[k] = vx; py[k] = vy; pz[k] = vz }
                    k += 1
                }
            } } } }
        }
        kept = k
        return (bad, firstBad)
    }

    func withChunk(first: Int, _ body: (IonStream.Chunk) throws -> Void) rethrows {
        try mass.withUnsafeBufferPointer { m in
            try x.withUnsafeBufferPointer { px in try y.withUnsafeBufferPointer { py in try z.withUnsafeBufferPointer { pz in
                let n = kept
                func cut(_ p: UnsafeBufferPointer<Float>) -> UnsafeBufferPointer<Float> {
                    p.isEmpty ? p : UnsafeBufferPointer(rebasing: p[0..<n])
                }
                try body(IonChunk(first: first, count: n, x: cut(px), y: cut(py), z: cut(pz), mass: cut(m)))
            } } }
        }
    }
}

extension IonStream: IonSource {
    public func reduceChunks<T>(_ columns: IonColumns, including: ((Range<Int>) -> Bool)?, initial: () -> T,
                                _ body: (inout T, IonChunk) throws -> Void, combine: (inout T, T) -> Void) throws -> T {
        try reduce(columns, nonFinite: nonFinite, chunkIons: chunkIons, including: including, initial: initial, body, combine: combine).result
    }
}

