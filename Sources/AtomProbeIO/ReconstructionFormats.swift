import Foundation
import AtomProbe
import KitFoundation
import ParallelLoops

/// The reconstruction file kinds the toolkit reads (and, except APT, writes).
public enum ReconstructionFormat: String, Sendable, CaseIterable {
    /// Big-endian float32 x, y, z (nm), m/n (Da): 16 bytes a record.
    case pos
    /// Big-endian 44-byte records: 9 float32 (x, y, z, m/n, TOF, V_dc, V_pulse, det x, det y)
    /// then 2 int32 (pulses since the last event, ions in this pulse).
    case epos
    /// The commercial suite's self-describing little-endian export (read only).
    case apt

    public var recordSize: Int? {
        switch self { case .pos: return 16; case .epos: return 44; case .apt: return nil }
    }

    /// The format named by a file's extension (case-insensitive), or nil.
    public init?(path: String) {
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        self.init(rawValue: ext)
    }

    public static func from(path: String) throws -> ReconstructionFormat {
        guard let f = ReconstructionFormat(path: path) else {
            throw AtomProbeError(.invalidInput, "unknown reconstruction file kind (expected .pos, .epos or .apt)", file: path)
        }
        return f
    }
}

/// Reading and writing reconstructions.
public enum ReconstructionIO {
    /// Reads a POS, EPOS or APT file (kind from the extension unless given).
    /// Non-finite values are handled per `nonFinite`: `reject` throws naming the count and the
    /// first record, `drop` removes those rows (the count is returned in `dropped`).
    public static func read(_ path: String, format: ReconstructionFormat? = nil,
                            nonFinite: NonFinitePolicy = .reject) throws -> (recon: Reconstruction, dropped: Int) {
        let fmt = try format ?? ReconstructionFormat.from(path: path)
        let recon: Reconstruction
        switch fmt {
        case .pos, .epos:
            let reader = try FileReader(path: path), size = fmt.recordSize!
            let n = try POSFormat.checkSize(reader.size, record: size, kind: fmt == .pos ? "POS" : "EPOS", path: path)
            let pieces = RecordReading.fromFile(reader, records: n, record: size)
            recon = try fmt == .pos ? RecordReading.pos(records: n, pieces) : RecordReading.epos(records: n, pieces)
        case .apt:
            let file = try FileBytes(path: path)
            recon = try withExtendedLifetime(file) { try decode(file.bytes, format: fmt, path: path) }
        }
        return try applyPolicy(recon, nonFinite, path: path, recordSize: fmt.recordSize)
    }

    /// Reads a POS file straight into a caller's buffer of `count` x 4 floats (x, y, z, m/n of
    /// each ion in turn: the Python package's NumPy array, whose first three columns are the
    /// positions): the file's records, in this machine's byte order. A file that changed since
    /// `count` was taken is refused. Returns how many rows hold a NaN or infinite value; the
    /// caller applies its policy.
    public static func readPOS(_ path: String, count: Int, into records: UnsafeMutablePointer<Float>) throws -> Int {
        let reader = try FileReader(path: path)
        let n = try POSFormat.checkSize(reader.size, record: 16, kind: "POS", path: path)
        guard n == count else { throw AtomProbeError.format("changed while it was read: \(n) records where \(count) were counted", file: path) }
        MemoryMapping.adviseHugePages(UnsafeMutableRawPointer(records), bytes: 16 * n)
        return try RecordReading.pos(reader, records: n, into: records)
    }

    /// Decodes file content held in memory; `path` names it in errors.
    public static func decode(_ bytes: UnsafeRawBufferPointer, format: ReconstructionFormat, path: String) throws -> Reconstruction {
        switch format {
        case .pos: return try POSFormat.decode(bytes, path: path)
        case .epos: return try EPOSFormat.decode(bytes, path: path)
        case .apt: return try APTFormat.decode(bytes, path: path)
        }
    }

    /// Convenience: read with a policy and return only the reconstruction.
    public static func load(_ path: String, nonFinite: NonFinitePolicy = .reject) throws -> Reconstruction {
        try read(path, nonFinite: nonFinite).recon
    }

    public static func applyPolicy(_ r: Reconstruction, _ policy: NonFinitePolicy, path: String, recordSize: Int?) throws -> (recon: Reconstruction, dropped: Int) {
        if policy == .keep { return (r, 0) }
        let bad = r.nonFiniteCount
        if bad == 0 { return (r, 0) }
        if policy == .drop { return (r.droppingNonFinite(), bad) }
        let first = (0..<r.count).first { !(r.x[$0].isFinite && r.y[$0].isFinite && r.z[$0].isFinite && r.mass[$0].isFinite) }!
        let loc: FileLocation = recordSize.map { .byteOffset(first * $0) } ?? .record(first)
        throw AtomProbeError(.format, "\(bad) record(s) hold NaN or infinite values, the first is record \(first)",
                             file: path, at: loc, remedy: .dropNonFinite)
    }

    /// Writes a POS or EPOS file atomically (an EPOS from a reconstruction without detector
    /// columns gets zero columns).
    public static func write(_ r: Reconstruction, to path: String, format: ReconstructionFormat? = nil) throws {
        let fmt = try format ?? ReconstructionFormat.from(path: path)
        switch fmt {
        case .pos: try POSFormat.write(r, to: path)
        case .epos: try EPOSFormat.write(r, to: path)
        case .apt: throw AtomProbeError(.invalidInput, "APT files are read only; write POS or EPOS", file: path)
        }
    }
}

/// POS: big-endian float32 (x, y, z, m/n), 16 bytes a record.
public enum POSFormat {
    static func checkSize(_ count: Int, record: Int, kind: String, path: String) throws -> Int {
        guard count > 0 else { throw AtomProbeError.format("empty file: no \(kind) records", file: path) }
        guard count % record == 0 else {
            let whole = count / record
            throw AtomProbeError.format(
                "size \(count) bytes is not a whole number of \(record)-byte \(kind) records (\(whole) records and \(count % record) bytes left over: truncated or not a \(kind) file)",
                file: path, at: .byteOffset(whole * record))
        }
        return count / record
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, path: String) throws -> Reconstruction {
        let n = try checkSize(bytes.count, record: 16, kind: "POS", path: path)
        return try RecordReading.pos(records: n, RecordReading.inMemory(bytes, records: n, record: 16))
    }

    public static func encode(_ r: Reconstruction, into p: UnsafeMutableRawPointer) {
        Parallel.chunks(r.count) { range in
            r.x.withUnsafeBufferPointer { x in r.y.withUnsafeBufferPointer { y in
            r.z.withUnsafeBufferPointer { z in r.mass.withUnsafeBufferPointer { m in
                for i in range {
                    let o = i &* 16
                    storeBE(x[i], p, o); storeBE(y[i], p, o + 4); storeBE(z[i], p, o + 8); storeBE(m[i], p, o + 12)
                }
            } } } }
        }
    }

    public static func write(_ r: Reconstruction, to path: String) throws {
        try AtomicFile.write(count: r.count * 16, to: path) { buf in
            if r.count > 0 { encode(r, into: buf.baseAddress!) }
        }
    }
}

/// EPOS: big-endian 44-byte records.
public enum EPOSFormat {
    static func decode(_ bytes: UnsafeRawBufferPointer, path: String) throws -> Reconstruction {
        let n = try POSFormat.checkSize(bytes.count, record: 44, kind: "EPOS", path: path)
        return try RecordReading.epos(records: n, RecordReading.inMemory(bytes, records: n, record: 44))
    }

    /// Writes EPOS; rows without detector data are written with zero detector columns.
    public static func write(_ r: Reconstruction, to path: String) throws {
        let d = r.detail ?? PulseDetail(count: r.count, available: [])
        try AtomicFile.write(count: r.count * 44, to: path) { buf in
            guard r.count > 0, let p = buf.baseAddress else { return }
            let floats = [r.x, r.y, r.z, r.mass, d.tof, d.voltageDC, d.voltagePulse, d.detectorX, d.detectorY]
            Parallel.chunks(r.count) { range in
                for i in range {
                    let o = i &* 44
                    for c in 0..<9 { storeBE(floats[c][i], p, o + 4 * c) }
                    storeBE(d.deltaPulse[i], p, o + 36); storeBE(d.ionsPerPulse[i], p, o + 40)
                }
            }
        }
    }
}
