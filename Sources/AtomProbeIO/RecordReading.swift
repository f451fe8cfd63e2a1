import Foundation
import KitFoundation
import AtomProbe
import ParallelLoops

/// POS and EPOS read straight from the file into the columns: each worker reads its records in
/// pieces of 1 MiB (`FileReader`, pread) into a buffer of its own and decodes them at once. One
/// pass over the bytes and no copy of the whole file (a whole-file copy took 2.65 times as long
/// as the memory mapping it replaced, and twice the memory: BENCHMARKS.md, decode); a file that
/// shrinks meanwhile is an error naming it.
enum RecordReading {
    static let pieceBytes = 1 << 20

    /// Calls `decode(buffer, firstRecord, count)` for every piece of the file's `n` records of
    /// `record` bytes, in parallel; the first read error is thrown after all workers stop.
    static func pieces(_ reader: FileReader, records n: Int, record: Int,
                       _ decode: (UnsafeRawPointer, Int, Int) -> Void) throws {
        let perPiece = max(1, pieceBytes / record)
        let failure = Locked<Error?>(nil)
        // Each worker writes only its own records' slots of the columns.
        withoutActuallyEscaping(decode) { decode in
            Parallel.chunks(n, minChunk: perPiece) { range in
                let buffer = UnsafeMutableRawPointer.allocate(byteCount: perPiece * record, alignment: 16)
                defer { buffer.deallocate() }
                var start = range.lowerBound
                while start < range.upperBound, failure.value == nil {
                    let m = min(perPiece, range.upperBound - start)
                    do { try reader.read(into: buffer, count: m * record, at: start * record) } catch { failure.update { $0 = $0 ?? error }; return }
                    decode(UnsafeRawPointer(buffer), start, m)
                    start += m
                }
            }
        }
        if let e = failure.value { throw e }
    }

    /// Hands `decode(bytes, firstRecord, count)` pieces of `n` records in parallel: from a
    /// file read piece by piece (`pieces(_:records:record:_:)`) or from bytes in memory.
    typealias Pieces = ((UnsafeRawPointer, Int, Int) -> Void) throws -> Void

    static func fromFile(_ reader: FileReader, records n: Int, record: Int) -> Pieces {
        { decode in try pieces(reader, records: n, record: record, decode) }
    }

    static func inMemory(_ bytes: UnsafeRawBufferPointer, records n: Int, record: Int) -> Pieces {
        { decode in
            let src = bytes.baseAddress!
            Parallel.chunks(n) { r in decode(src + r.lowerBound * record, r.lowerBound, r.count) }
        }
    }

    /// The POS decoder (16-byte big-endian records: x, y, z, m/n), whatever the pieces' source.
    static func pos(records n: Int, _ pieces: Pieces) throws -> Reconstruction {
        let cols: [[Float]] = try makeColumns(4, count: n) { out in
            let (px, py, pz, pm) = (out[0], out[1], out[2], out[3])
            try pieces { src, first, m in
                for k in 0..<m {
                    let o = k &* 16, i = first &+ k
                    px[i] = beFloat(src, o); py[i] = beFloat(src, o + 4); pz[i] = beFloat(src, o + 8); pm[i] = beFloat(src, o + 12)
                }
            }
        }
        return Reconstruction(x: cols[0], y: cols[1], z: cols[2], mass: cols[3])
    }

    /// POS records read straight into a caller's buffer of 4 floats a record (x, y, z, m/n: the
    /// file's own layout) and swapped to this machine's byte order in place, each piece while it
    /// is in cache: one copy by the kernel and one pass. Returns how many rows hold a NaN or
    /// infinite value (a float whose exponent bits are all ones).
    static func pos(_ reader: FileReader, records n: Int, into out: UnsafeMutablePointer<Float>) throws -> Int {
        let perPiece = max(1, pieceBytes / 16)
        let failure = Locked<Error?>(nil), nonFinite = Locked(0)
        let base = UInt(bitPattern: out)
        Parallel.chunks(n, minChunk: perPiece) { range in
            let words = UnsafeMutablePointer<UInt32>(bitPattern: base)!
            var start = range.lowerBound, bad = 0
            while start < range.upperBound, failure.value == nil {
                let m = min(perPiece, range.upperBound - start)
                let piece = words + 4 &* start
                do { try reader.read(into: UnsafeMutableRawPointer(piece), count: m &* 16, at: start &* 16) } catch { failure.update { $0 = $0 ?? error }; return }
                for r in 0..<m {
                    var row: UInt32 = 0
                    for c in 0..<4 {
                        let w = UInt32(bigEndian: piece[4 &* r &+ c])
                        piece[4 &* r &+ c] = w
                        row |= (w & 0x7f80_0000) == 0x7f80_0000 ? 1 : 0
                    }
                    bad &+= Int(row)
                }
                start += m
            }
            if bad > 0 { nonFinite.update { $0 += bad } }
        }
        if let e = failure.value { throw e }
        return nonFinite.value
    }

    /// The EPOS decoder (44-byte big-endian records: 9 float32, 2 int32).
    static func epos(records n: Int, _ pieces: Pieces) throws -> Reconstruction {
        var ints: [[Int32]] = []
        let f: [[Float]] = try makeColumns(9, count: n) { out in
            ints = try makeColumns(2, count: n) { iout in
                try pieces { src, first, m in
                    for k in 0..<m {
                        let o = k &* 44, i = first &+ k
                        for c in 0..<9 { out[c][i] = beFloat(src, o + 4 * c) }
                        iout[0][i] = beInt32(src, o + 36); iout[1][i] = beInt32(src, o + 40)
                    }
                }
            }
        }
        let detail = PulseDetail(tof: f[4], voltageDC: f[5], voltagePulse: f[6], detectorX: f[7], detectorY: f[8],
                                 deltaPulse: ints[0], ionsPerPulse: ints[1])
        return Reconstruction(x: f[0], y: f[1], z: f[2], mass: f[3], detail: detail)
    }
}
