#if canImport(Glibc)
import Glibc
#endif
import KitFoundation

/// Advice given to the kernel about fresh buffers (the readers no longer map files: see
/// `FileReader`).
enum MemoryMapping {
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
