#if canImport(Glibc)
import Glibc
#endif
import KitFoundation

/// Reads of a regular file by offset (`pread`): the readers' one way into a reconstruction's
/// bytes. Not a memory mapping, by choice (issue 23, 2): a mapped file that another program
/// truncates while it is read raises SIGBUS on the next page touched (4 of 4 runs of `analyze`
/// on a file cut to half 0.2 s after the start). A read is a copy checked for its length, so a
/// file that shrinks becomes a short read and an error naming it, at whatever moment it shrinks.
/// (The alternative, a SIGBUS handler with sigsetjmp around the mapped reads, would have to jump
/// out of Swift code, which Swift does not allow.)
final class FileReader: @unchecked Sendable {
    let path: String
    let fd: Int32
    /// The size when opened.
    let size: Int

    init(path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw AtomProbeError(.io, "cannot open: \(String(cString: strerror(errno)))", file: path) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = errno; close(fd)
            throw AtomProbeError(.io, "cannot stat: \(String(cString: strerror(e)))", file: path)
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { close(fd); throw AtomProbeError(.io, "not a regular file", file: path) }
        size = Int(st.st_size)
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
    }

    deinit { close(fd) }

    /// Reads exactly `count` bytes at `offset` into `buffer` (from any thread); a file that ends
    /// before (it shrank since it was measured) is an error naming it.
    func read(into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int) throws {
        var done = 0
        while done < count {
            let n = pread(fd, buffer + done, count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw AtomProbeError(.io, "cannot read at byte \(offset + done): \(String(cString: strerror(errno)))", file: path)
            }
            guard n > 0 else { throw Self.shrank(path, at: offset + done, expected: offset + count) }
            done += n
        }
    }

    /// `count` bytes at `offset`.
    func bytes(_ count: Int, at offset: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        try out.withUnsafeMutableBytes { b in if count > 0 { try read(into: b.baseAddress!, count: count, at: offset) } }
        return out
    }

    static func shrank(_ path: String, at byte: Int, expected: Int) -> AtomProbeError {
        AtomProbeError(.io, "the file ends at byte \(byte) while it is read (\(expected) bytes were there): it was truncated or replaced by another program during the run", file: path)
    }
}

/// A whole file read into memory (for the readers that decode a file at once). Empty files give
/// an empty buffer.
final class FileBytes {
    let path: String
    let bytes: UnsafeRawBufferPointer
    private let storage: UnsafeMutableRawBufferPointer?

    init(path: String) throws {
        self.path = path
        let reader = try FileReader(path: path)
        guard reader.size > 0 else { storage = nil; bytes = UnsafeRawBufferPointer(start: nil, count: 0); return }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: reader.size, alignment: 16)
        MemoryMapping.adviseHugePages(buffer.baseAddress!, bytes: reader.size)
        do { try reader.read(into: buffer.baseAddress!, count: reader.size, at: 0) } catch { buffer.deallocate(); throw error }
        storage = buffer
        bytes = UnsafeRawBufferPointer(buffer)
    }

    var count: Int { bytes.count }

    deinit { storage?.deallocate() }
}
