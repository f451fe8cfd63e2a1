import Foundation

import KitFoundation

/// Creates `k` uninitialized arrays of `n` elements and lets `body` fill them through raw
/// pointers (no zero-fill, no copy). `body` must initialize every element of every column.
func makeColumns<T>(_ k: Int, count n: Int, _ body: ([UnsafeMutablePointer<T>]) throws -> Void) rethrows -> [[T]] {
    var done: [[T]] = []
    func level(_ ptrs: [UnsafeMutablePointer<T>]) throws {
        if ptrs.count == k { try body(ptrs); return }
        let column = try [T](unsafeUninitializedCapacity: Swift.max(n, 1)) { buf, initialized in
            MemoryMapping.adviseHugePages(UnsafeMutableRawPointer(buf.baseAddress!), bytes: n * MemoryLayout<T>.stride)
            try level(ptrs + [buf.baseAddress!])
            initialized = n
        }
        done.append(column)
    }
    try level([])
    return done.reversed()
}

/// Big-endian 32-bit values at `offset` from `base`.
@inline(__always) func beFloat(_ base: UnsafeRawPointer, _ offset: Int) -> Float {
    Float(bitPattern: UInt32(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
}
@inline(__always) func beInt32(_ base: UnsafeRawPointer, _ offset: Int) -> Int32 {
    Int32(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: Int32.self))
}
@inline(__always) func storeBE(_ v: Float, _ base: UnsafeMutableRawPointer, _ offset: Int) {
    base.storeBytes(of: v.bitPattern.bigEndian, toByteOffset: offset, as: UInt32.self)
}
@inline(__always) func storeBE(_ v: Int32, _ base: UnsafeMutableRawPointer, _ offset: Int) {
    base.storeBytes(of: v.bigEndian, toByteOffset: offset, as: Int32.self)
}
