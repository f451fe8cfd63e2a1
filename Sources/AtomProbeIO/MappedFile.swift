import KitFoundation
import Foundation
import AtomProbe

/// A file mapped read-only into memory. Empty files map to an empty buffer.
final class MappedFile {
    let path: String
    let bytes: UnsafeRawBufferPointer
    private let mapping: MemoryMapping?

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
            mapping = nil
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let m = try MemoryMapping.map(fd, size: size, path: path)!
        m.adviseSequential(willNeed: true)
        mapping = m
        bytes = UnsafeRawBufferPointer(start: m.base, count: size)
    }

    var count: Int { bytes.count }

    deinit {
        mapping?.unmap()
    }
}
