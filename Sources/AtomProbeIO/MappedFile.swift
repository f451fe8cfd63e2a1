#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import AtomProbe

/// A file mapped read-only into memory. Empty files map to an empty buffer.
final class MappedFile {
    let path: String
    let bytes: UnsafeRawBufferPointer
    private let base: UnsafeMutableRawPointer?

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw AtomProbeError(.io, "cannot open: \(String(cString: strerror(errno)))", file: path)
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw AtomProbeError(.io, "cannot stat: \(String(cString: strerror(errno)))", file: path)
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw AtomProbeError(.io, "not a regular file", file: path)
        }
        let size = Int(st.st_size)
        if size == 0 {
            base = nil
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw AtomProbeError(.io, "cannot map file: \(String(cString: strerror(errno)))", file: path)
        }
        _ = madvise(p, size, MADV_SEQUENTIAL)
        _ = madvise(p, size, MADV_WILLNEED)
        base = p
        bytes = UnsafeRawBufferPointer(start: p, count: size)
    }

    var count: Int { bytes.count }

    deinit {
        if let base { munmap(base, bytes.count) }
    }
}

/// Writes files atomically: the data go to a temporary file beside the target, which is then
/// renamed over it, so a reader never sees half a file and a failed write leaves nothing behind.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir.isEmpty ? "." : dir, isDirectory: &isDir), isDir.boolValue else {
            throw AtomProbeError(.io, "folder does not exist", file: path)
        }
        let tmp = (dir.isEmpty ? "." : dir) + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard FileManager.default.createFile(atPath: tmp, contents: data) else {
            throw AtomProbeError(.io, "cannot write (permissions or disk space?)", file: path)
        }
        guard rename(tmp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw AtomProbeError(.io, "cannot move the written file into place: \(reason)", file: path)
        }
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// Writes `count` bytes produced by `fill` into a fresh buffer, then atomically to `path`.
    public static func write(count: Int, to path: String, fill: (UnsafeMutableRawBufferPointer) throws -> Void) throws {
        var data = Data(count: count)
        try data.withUnsafeMutableBytes { try fill($0) }
        try write(data, to: path)
    }
}

/// Reads a text file, accepting UTF-8 or, failing that, Latin-1 (old range files).
func readText(_ path: String) throws -> String {
    let data: Data
    do { data = try Data(contentsOf: URL(fileURLWithPath: path)) }
    catch { throw AtomProbeError(.io, "cannot read: \(error.localizedDescription)", file: path) }
    if let s = String(data: data, encoding: .utf8) { return s }
    return String(data.map { Character(Unicode.Scalar($0)) })  // Latin-1
}
