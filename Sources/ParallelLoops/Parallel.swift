import Foundation

/// Data-parallel loops over index ranges on all cores. Each chunk is a contiguous index range,
/// so struct-of-arrays columns split cleanly; results of `parallelMap` come back in chunk order,
/// which keeps reductions deterministic.
public enum Parallel {
    /// A value handed to worker threads. The caller guarantees the workers touch disjoint data.
    struct Unchecked<T>: @unchecked Sendable { let value: T }

    /// The cores work runs on.
    public static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Folds the items `0..<n` on one worker per core, each worker taking the next item when it
    /// is free (balanced however uneven the items), with one accumulator per worker, returned in
    /// worker order. Which worker folds which item varies from run to run: `body` must be
    /// insensitive to it (integer counts, or sums in Double rounded at the end).
    public static func foldPerCore<T>(_ n: Int, initial: () -> T, _ body: (inout T, Int) -> Void) -> [T] {
        let workers = min(cores, max(1, n))
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: workers)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        let next = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        next.initialize(to: 0)
        defer { next.deallocate() }
        let lock = NSLock()
        chunks(workers, minChunk: 1) { range in
            for w in range {
                var acc = initial()
                while true {
                    lock.lock(); let item = next.pointee; next.pointee += 1; lock.unlock()
                    guard item < n else { break }
                    body(&acc, item)
                }
                results[w] = acc
            }
        }
        return results.map { $0! }
    }

    static func chunkCount(_ n: Int, minChunk: Int) -> Int {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        return min(max(1, n / max(minChunk, 1)), cores * 4)
    }

    /// Runs `body` on disjoint chunks of `0..<n`. `body` may write through pointers to
    /// disjoint indices only.
    public static func chunks(_ n: Int, minChunk: Int = 1 << 16, _ body: (Range<Int>) -> Void) {
        let k = chunkCount(n, minChunk: minChunk)
        if k <= 1 { body(0..<n); return }
        withoutActuallyEscaping(body) { body in
            let box = Unchecked(value: body)
            DispatchQueue.concurrentPerform(iterations: k) { c in
                box.value(n * c / k ..< n * (c + 1) / k)
            }
        }
    }

    /// Maps disjoint chunks of `0..<n` to partial results, returned in chunk order.
    public static func map<T>(_ n: Int, minChunk: Int = 1 << 15, _ body: (Range<Int>) -> T) -> [T] {
        let k = chunkCount(n, minChunk: minChunk)
        if k <= 1 { return [body(0..<n)] }
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: k)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        chunks(k, minChunk: 1) { r in
            for c in r { results[c] = body(n * c / k ..< n * (c + 1) / k) }
        }
        return results.map { $0! }
    }

    /// Element-wise sum of per-chunk accumulators: `body` adds the contributions of its chunk of
    /// `0..<n` into a zeroed array of `length` values, and the arrays are added in chunk order
    /// (deterministic for floating point). Histograms and grids use it.
    public static func sum<T: AdditiveArithmetic>(_ n: Int, length: Int, minChunk: Int = 1 << 15,
                                                  _ body: (Range<Int>, inout [T]) -> Void) -> [T] {
        var parts = map(n, minChunk: minChunk) { r -> [T] in
            var acc = [T](repeating: .zero, count: length)
            body(r, &acc)
            return acc
        }
        var total = parts.removeFirst()  // uniquely owned: no copy of a large grid
        for p in parts { for k in 0..<length { total[k] += p[k] } }
        return total
    }
}
