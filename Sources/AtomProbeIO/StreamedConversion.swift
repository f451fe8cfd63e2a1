import Foundation
import AtomProbe
import KitFoundation

/// Converts a POS, EPOS or APT file to POS, or a POS to EPOS, chunk by chunk (issue 12): each
/// worker encodes its chunk and writes it at its place in the output, so memory stays at about a
/// chunk per core whatever the file's size. The output equals `ReconstructionIO.write` of the file
/// read whole with the same non-finite policy (x, y, z, m/n; an EPOS made from a POS has zero
/// detector columns). Conversions that carry detector columns (EPOS or APT to EPOS) need the
/// whole file: `ReconstructionIO`.
public enum StreamedConversion {
    /// Whether `from` converts to `to` without the detector columns.
    public static func streams(from: ReconstructionFormat, to: ReconstructionFormat) -> Bool {
        to == .pos || (to == .epos && from == .pos)
    }

    /// Writes `stream`'s ions (its non-finite policy applied) to `path` atomically as `format`;
    /// returns the ions written and the rows dropped. Under `reject` a NaN row fails the pass and
    /// nothing is left behind.
    public static func convert(_ stream: IonStream, to path: String, format: ReconstructionFormat) throws -> (written: Int, dropped: Int) {
        guard streams(from: stream.format, to: format) else {
            throw AtomProbeError(.invalidInput, "\(stream.format.rawValue.uppercased()) to \(format.rawValue.uppercased()) carries the detector columns: it reads the whole file (ReconstructionIO)", file: stream.path)
        }
        let record = format == .pos ? 16 : 44
        let chunkIons = stream.chunkIons
        // Where each chunk's first kept ion goes: its record index, unless rows are dropped (then
        // a first pass counts the kept rows of every chunk).
        var start: [Int: Int] = [:]
        var total = stream.count
        if stream.nonFinite == .drop {
            let kept = try stream.reduce(.mass, nonFinite: .drop, chunkIons: chunkIons, initial: { [(Int, Int)]() }, { acc, c in
                acc.append((c.first, c.count))
            }, combine: { $0 += $1 }).result.sorted { $0.0 < $1.0 }
            total = 0
            for (first, n) in kept { start[first] = total; total += n }
        }
        let (bytes, overflow) = total.multipliedReportingOverflow(by: record)
        guard !overflow, off_t(exactly: bytes) != nil else { throw AtomProbeError(.invalidInput, "too many ions to write", file: path) }
        var dropped = 0
        try AtomicFile.produce(path) { tmp in
            let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            guard fd >= 0 else { throw AtomProbeError(.io, "cannot write: \(String(cString: strerror(errno)))", file: path) }
            defer { close(fd) }
            guard ftruncate(fd, off_t(bytes)) == 0 else {
                throw AtomProbeError(.io, "cannot write: \(String(cString: strerror(errno)))", file: path)
            }
            let (result, d) = try stream.reduce(.positionsAndMass, nonFinite: stream.nonFinite, chunkIons: chunkIons, initial: {
                (buffer: [UInt8](repeating: 0, count: chunkIons * record), error: String?.none)
            }, { acc, c in
                guard acc.error == nil, c.count > 0 else { return }
                let at = (start[c.first] ?? c.first) * record
                let failed = acc.buffer.withUnsafeMutableBytes { buf -> String? in
                    let p = buf.baseAddress!
                    if record == 44 { memset(p, 0, c.count * record) }  // EPOS detector columns
                    for i in 0..<c.count {
                        let o = i &* record
                        storeBE(c.x[i], p, o); storeBE(c.y[i], p, o + 4); storeBE(c.z[i], p, o + 8); storeBE(c.mass[i], p, o + 12)
                    }
                    return writeAll(fd, UnsafeRawBufferPointer(start: p, count: c.count * record), at: at)
                }
                acc.error = failed
            }, combine: { a, b in if a.error == nil { a.error = b.error } })
            if let failure = result.error { throw AtomProbeError(.io, "cannot write: \(failure)", file: path) }
            dropped = d
        }
        return (total, dropped)
    }

    /// Writes all of `bytes` at `offset`; nil, or the system's reason it could not.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int) -> String? {
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                return String(cString: strerror(errno))
            }
            if n == 0 { return "no space left" }
            done += n
        }
        return nil
    }
}
