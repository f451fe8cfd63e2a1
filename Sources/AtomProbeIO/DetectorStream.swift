import Foundation
import AtomProbe
import KitFoundation
import ParallelLoops

/// The detector columns of an EPOS or APT file (m/n, hit position on the detector in mm, ions
/// per pulse, and the time of flight when the file has one) read chunk by chunk with pread in
/// bounded memory, for passes over multiple-hit events (issue 28).
///
/// A multiple event is a record with ions-per-pulse k > 1 followed by k - 1 records with 0, so an
/// event can straddle two chunks. Each chunk is therefore read with up to `tail` records past its
/// end: the chunk where an event starts sees it whole, and the next chunk skips the event's
/// continuation records at its start (`DetectorChunk.owned` says which records a chunk owns).
public struct DetectorStream: DetectorSource {
    /// Where one column lies: the file offset of record 0's value and the stride between records.
    struct Field: Sendable {
        var offset: Int
        var stride: Int
    }

    public let path: String
    public let format: ReconstructionFormat
    public let count: Int
    let mass: Field, x: Field, y: Field, ipp: Field, position: Field
    let tof: Field?
    let bigEndian: Bool
    /// Whether the time-of-flight column holds real data (EPOS files exported without it hold zeros).
    public var hasTimeOfFlight: Bool { tof != nil }

    /// Opens the file and checks its layout; a POS file, or an APT file without the detector
    /// sections, is refused in one line saying what is missing.
    public init(path: String) throws {
        let fmt = try ReconstructionFormat.from(path: path)
        self.path = path
        format = fmt
        switch fmt {
        case .pos:
            throw AtomProbeError(.invalidInput, "a POS file has no detector columns (hit position on the detector, ions per pulse): multiple hits need an EPOS or APT file", file: path)
        case .epos:
            count = try POSFormat.checkSize(try TextFile.regularFileSize(path), record: 44, kind: "EPOS", path: path)
            (mass, tof, x, y, ipp) = (Field(offset: 12, stride: 44), Field(offset: 16, stride: 44), Field(offset: 28, stride: 44),
                                      Field(offset: 32, stride: 44), Field(offset: 40, stride: 44))
            position = Field(offset: 0, stride: 44)
            bigEndian = true
        case .apt:
            let layout = try APTFormat.sections(path: path)
            let (n, m, pos) = try APTFormat.massAndPosition(layout, path: path)
            position = Field(offset: pos.dataOffset, stride: 12)
            let detector = Dictionary(try APTFormat.detectorSections(layout.sections, ions: n, path: path), uniquingKeysWith: { a, _ in a })
            let needed: [(PulseDetail.Column, String)] = [(.detectorX, "XDet_mm"), (.detectorY, "YDet_mm"), (.ionsPerPulse, "Multiplicity")]
            let missing = needed.filter { detector[$0.0] == nil }.map(\.1)
            guard missing.isEmpty else {
                throw AtomProbeError(.invalidInput, "the APT file has no \(missing.joined(separator: ", ")) section(s): multiple hits need the hit positions on the detector and the ions per pulse", file: path)
            }
            count = n
            func field(_ c: PulseDetail.Column) -> Field? { detector[c].map { Field(offset: $0.dataOffset, stride: 4) } }
            (mass, x, y, ipp, tof) = (Field(offset: m.dataOffset, stride: 4), field(.detectorX)!, field(.detectorY)!, field(.ionsPerPulse)!, field(.tof))
            bigEndian = false
        }
    }

    /// Folds every chunk of `chunkIons` records (each read with up to `tail` more records) on one
    /// worker per core; the workers' results are combined. Which worker folds which chunk varies.
    public func reduceEvents<T>(chunkIons: Int, tail: Int, initial: () -> T,
                          _ body: (inout T, DetectorChunk) throws -> Void, combine: (inout T, T) -> Void) throws -> T {
        let per = max(1, chunkIons), extra = max(0, tail)
        let chunks = count == 0 ? 0 : (count + per - 1) / per
        let reader = try FileReader(path: path)
        let hasTOF = tof != nil
        var folds = Parallel.foldPerCore(chunks, initial: { (value: initial(), error: nil as Error?, columns: DetectorColumns(room: per + extra, tof: hasTOF)) }) { acc, c in
            guard acc.error == nil else { return }
            let a = c * per, owned = min(count, a + per) - a, n = min(count - a, owned + extra)
            do {
                try read(reader, first: a, count: n, into: &acc.columns)
                try acc.columns.withChunk(first: a, owned: owned, count: n) { try body(&acc.value, $0) }
            } catch { acc.error = error }
        }
        for f in folds { f.columns.buffer.deallocate() }
        if let e = folds.lazy.compactMap(\.error).first { throw e }
        guard !folds.isEmpty else { return initial() }
        var result = folds.removeFirst().value
        for f in folds { combine(&result, f.value) }
        return result
    }

    /// Reads and decodes records [first, first + n) into `cols`.
    func read(_ reader: FileReader, first: Int, count n: Int, into cols: inout DetectorColumns) throws {
        let big = bigEndian
        @inline(__always) func word(_ p: UnsafeRawPointer, _ o: Int) -> UInt32 {
            let w = p.loadUnaligned(fromByteOffset: o, as: UInt32.self)
            return big ? UInt32(bigEndian: w) : UInt32(littleEndian: w)
        }
        let buffer = cols.buffer
        if format == .epos {
            // One block of whole records; every column is decoded from it.
            try reader.read(into: buffer.baseAddress!, count: n * 44, at: first * 44)
            let p = UnsafeRawPointer(buffer.baseAddress!)
            for i in 0..<n {
                let o = i &* 44
                cols.mass[i] = Float(bitPattern: word(p, o + 12)); cols.tof[i] = Float(bitPattern: word(p, o + 16))
                cols.x[i] = Float(bitPattern: word(p, o + 28)); cols.y[i] = Float(bitPattern: word(p, o + 32))
                cols.ipp[i] = Int32(bitPattern: word(p, o + 40))
                for a in 0..<3 { cols.position[3 &* i &+ a] = Float(bitPattern: word(p, o &+ 4 &* a)) }
            }
            return
        }
        // APT: one section after another, 4 bytes a record.
        func column(_ f: Field, _ store: (Int, UInt32) -> Void) throws {
            try reader.read(into: buffer.baseAddress!, count: n * 4, at: f.offset + first * 4)
            let p = UnsafeRawPointer(buffer.baseAddress!)
            for i in 0..<n { store(i, word(p, i &* 4)) }
        }
        try column(mass) { cols.mass[$0] = Float(bitPattern: $1) }
        try column(x) { cols.x[$0] = Float(bitPattern: $1) }
        try column(y) { cols.y[$0] = Float(bitPattern: $1) }
        try column(ipp) { cols.ipp[$0] = Int32(bitPattern: $1) }
        if let tof { try column(tof) { cols.tof[$0] = Float(bitPattern: $1) } }
        try reader.read(into: buffer.baseAddress!, count: n * 12, at: position.offset + first * 12)
        let p = UnsafeRawPointer(buffer.baseAddress!)
        for i in 0..<(3 * n) { cols.position[i] = Float(bitPattern: word(p, i &* 4)) }
    }
}

/// One worker's buffers: the raw bytes read and the decoded columns.
struct DetectorColumns {
    let buffer: UnsafeMutableRawBufferPointer
    var mass: [Float], x: [Float], y: [Float], tof: [Float], ipp: [Int32], position: [Float]

    init(room: Int, tof hasTOF: Bool) {
        buffer = .allocate(byteCount: room * 44, alignment: 16)
        mass = [Float](repeating: 0, count: room); x = mass; y = mass; tof = hasTOF ? mass : []
        ipp = [Int32](repeating: 0, count: room)
        position = [Float](repeating: 0, count: 3 * room)
    }

    func withChunk(first: Int, owned: Int, count n: Int, _ body: (DetectorChunk) throws -> Void) rethrows {
        try mass.withUnsafeBufferPointer { m in try x.withUnsafeBufferPointer { px in try y.withUnsafeBufferPointer { py in
            try tof.withUnsafeBufferPointer { t in try ipp.withUnsafeBufferPointer { k in try position.withUnsafeBufferPointer { pos in
                func cut<T>(_ p: UnsafeBufferPointer<T>) -> UnsafeBufferPointer<T> { p.isEmpty ? p : UnsafeBufferPointer(rebasing: p[0..<n]) }
                try body(DetectorChunk(first: first, owned: owned, mass: cut(m), x: cut(px), y: cut(py), tof: cut(t), ionsPerPulse: cut(k),
                                       position: UnsafeBufferPointer(rebasing: pos[0..<(3 * n)])))
            } } }
        } } }
    }
}
