import KitFoundation
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
