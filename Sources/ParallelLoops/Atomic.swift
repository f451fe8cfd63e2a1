import CAtomics

/// Relaxed atomic updates of plain memory, for grids that every worker deposits into at once
/// (one shared grid instead of one per core). The C builtins stay in the CAtomics shim.
public enum Atomic {
    @inlinable @inline(__always)
    public static func add(_ p: UnsafeMutablePointer<Int64>, _ v: Int64) { apk_atomic_add_i64(p, v) }

    /// Sets the flag at `p` to 1 unless it already is (a load first: most flags are set already).
    @inlinable @inline(__always)
    public static func setFlag(_ p: UnsafeMutablePointer<UInt8>) { if apk_atomic_load_u8(p) == 0 { apk_atomic_store_u8(p, 1) } }
}
