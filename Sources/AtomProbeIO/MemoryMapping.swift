#if canImport(Glibc)
import Glibc
#endif
import KitFoundation

/// The one place the readers call the C library's memory mapping (mmap, madvise, munmap): a
/// regular file mapped read-only, and the advice given to the kernel about it and about fresh
/// buffers.
struct MemoryMapping {
    let base: UnsafeRawPointer
    let size: Int

    /// Maps `size` bytes of the open file `fd` (nil when `size` is 0).
    static func map(_ fd: Int32, size: Int, path: String) throws -> MemoryMapping? {
        guard size > 0 else { return nil }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw AtomProbeError(.io, "cannot map file: \(String(cString: strerror(errno)))", file: path)
        }
        return MemoryMapping(base: UnsafeRawPointer(p), size: size)
    }

    func unmap() { munmap(UnsafeMutableRawPointer(mutating: base), size) }

    /// Read front to back: the kernel reads ahead (and, with `willNeed`, starts now).
    func adviseSequential(willNeed: Bool = false) {
        _ = madvise(UnsafeMutableRawPointer(mutating: base), size, MADV_SEQUENTIAL)
        if willNeed { _ = madvise(UnsafeMutableRawPointer(mutating: base), size, MADV_WILLNEED) }
    }

    /// Large page-cache folios map in one go where the kernel allows.
    func adviseHugePages() { _ = madvise(UnsafeMutableRawPointer(mutating: base), size, MADV_HUGEPAGE) }

    /// Gives back the whole pages inside `bytes` (read once, not needed again).
    func release(_ bytes: Range<Int>) {
        let a = (bytes.lowerBound + Self.page - 1) / Self.page * Self.page, b = bytes.upperBound / Self.page * Self.page
        if b > a { _ = madvise(UnsafeMutableRawPointer(mutating: base + a), b - a, MADV_DONTNEED) }
    }

    static let page = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// Asks the kernel for transparent huge pages on the 2 MiB-aligned interior of a fresh,
    /// untouched buffer: first-touch page faults dominate decoding time otherwise
    /// (see shared notes/performance.md). Harmless where unsupported.
    static func adviseHugePages(_ p: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        let huge = 2 << 20
        guard bytes >= 4 * huge else { return }
        let start = (Int(bitPattern: p) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: p) + bytes) & ~(huge - 1)
        if end > start { _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_HUGEPAGE) }
        #endif
    }
}
