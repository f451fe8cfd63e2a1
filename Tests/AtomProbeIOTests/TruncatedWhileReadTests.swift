import XCTest
import Foundation
import KitFoundation
import APKTestSupport
import AtomProbe
@testable import AtomProbeIO

/// Issue 23, 2: a file truncated by another program while it is read is an error naming it, never
/// SIGBUS (the readers use pread, not a memory mapping: see `FileReader`).
final class TruncatedWhileReadTests: XCTestCase {
    /// Deterministic: the first chunk's body cuts the file to 256 records while the pass holds it
    /// open; every body passes through one lock, so each worker's next read comes after the cut.
    /// Synthetic truth: 65536 records in 64 chunks of 1024, so at least 62 chunks meet the cut file.
    func testStreamedPassOverAShrinkingFile() throws {
        let path = try temporaryFolder(self) + "/shrinking.pos"
        var d = Data(capacity: 65536 * 16)
        for i in 0..<65536 { for v in [Float(i % 100), 0, -1, 7] { withUnsafeBytes(of: v.bitPattern.bigEndian) { d.append(contentsOf: $0) } } }
        try d.write(to: URL(fileURLWithPath: path))
        let stream = try IonStream(path: path)
        XCTAssertEqual(stream.count, 65536)
        let lock = NSLock()
        var cut = false
        XCTAssertThrowsError(try stream.reduce(.positionsAndMass, chunkIons: 1024, initial: { 0 }, { n, chunk in
            lock.lock(); defer { lock.unlock() }
            if !cut { XCTAssertEqual(truncate(path, 256 * 16), 0); cut = true }
            n += chunk.count
        }, combine: { $0 += $1 })) { e in
            XCTAssertTrue("\(e)".contains("shrinking.pos"), "\(e)")
            XCTAssertTrue("\(e)".contains("truncated or replaced by another program"), "\(e)")
        }
        // The layout of the cut file, read again: what is there now, consistently.
        XCTAssertEqual(try IonStream(path: path).count, 256)
        XCTAssertEqual(try ReconstructionIO.load(path).count, 256)
    }

    /// A read past the end of a file that shrank since it was measured (the whole-file reader's
    /// case): a short read, an error naming the file.
    func testShortReadNamesTheFile() throws {
        let path = try temporaryFolder(self) + "/short.pos"
        try Data(count: 4096).write(to: URL(fileURLWithPath: path))
        let reader = try FileReader(path: path)
        XCTAssertEqual(truncate(path, 1000), 0)
        XCTAssertThrowsError(try reader.bytes(4096, at: 0)) { e in
            XCTAssertTrue("\(e)".contains("short.pos"), "\(e)")
            XCTAssertTrue("\(e)".contains("ends at byte 1000"), "\(e)")
        }
    }
}
