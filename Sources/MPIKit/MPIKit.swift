import CMPI
import Foundation
import ParallelLoops

/// Open MPI's world communicator as a `ProcessGroup` (issue 12): `mpirun -n K atomprobe ...
/// --distributed` runs K processes, each folding its part of the ions; their grids and counts are
/// summed here. Large arrays go in pieces of at most 2^27 elements (MPI counts are 32-bit).
/// Call MPI from one thread only (the main thread).
public final class MPIWorld: ProcessGroup, @unchecked Sendable {
    public let rank: Int
    public let size: Int

    /// Initializes MPI (once per process).
    public init() {
        _ = apk_mpi_init()
        rank = Int(apk_mpi_rank())
        size = Int(apk_mpi_size())
    }

    /// Ends MPI; call before the process exits.
    public func finish() { _ = apk_mpi_finalize() }

    /// Stops every process of the run (after an error on one of them).
    public func abort(_ code: Int32) -> Never {
        apk_mpi_abort(code)
        fatalError("MPI_Abort returned")
    }

    /// Runs `body` as this process of an MPI run, then ends MPI. When it throws, says why on
    /// stderr in one line ("Error: <describe(error)> (rank r of n)") and stops every process of
    /// the run: the others would wait for this one forever.
    public static func run(describe: (Error) -> String, _ body: (MPIWorld) throws -> Void) {
        let world = MPIWorld()
        do {
            try body(world)
            world.finish()
        } catch {
            FileHandle.standardError.write(Data("Error: \(describe(error)) (rank \(world.rank) of \(world.size))\n".utf8))
            world.abort(1)
        }
    }

    static let piece = 1 << 27

    func inPieces<T>(_ values: inout [T], _ call: (UnsafeMutablePointer<T>, Int32) -> Int32) {
        values.withUnsafeMutableBufferPointer { buf in
            var start = 0
            while start < buf.count {
                let n = Swift.min(Self.piece, buf.count - start)
                _ = call(buf.baseAddress! + start, Int32(n))
                start += n
            }
        }
    }

    public func sum(_ values: inout [Int64]) { inPieces(&values) { apk_mpi_sum_int64($0, $1) } }

    public func sum(_ values: inout [Int]) {
        var wide = values.map { Int64($0) }
        sum(&wide)
        values = wide.map { Int($0) }
    }

    public func any(_ values: inout [Bool]) {
        var bytes = values.map { UInt8($0 ? 1 : 0) }
        inPieces(&bytes) { apk_mpi_max_uint8($0, $1) }
        values = bytes.map { $0 != 0 }
    }

    public func min(_ values: inout [Double]) { inPieces(&values) { apk_mpi_min_double($0, $1) } }
    public func max(_ values: inout [Double]) { inPieces(&values) { apk_mpi_max_double($0, $1) } }

    public func gather(_ values: [Float]) -> [Float] {
        var counts = [Int32](repeating: 0, count: size)
        _ = counts.withUnsafeMutableBufferPointer { apk_mpi_allgather_int(Int32(values.count), $0.baseAddress!) }
        var offsets = [Int32](repeating: 0, count: size)
        for k in 1..<Swift.max(1, size) { offsets[k] = offsets[k - 1] + counts[k - 1] }
        let total = Int(counts.reduce(0, +))
        var all = [Float](repeating: 0, count: total)
        values.withUnsafeBufferPointer { mine in
            all.withUnsafeMutableBufferPointer { out in
                counts.withUnsafeBufferPointer { c in offsets.withUnsafeBufferPointer { o in
                    _ = apk_mpi_allgatherv_float(mine.baseAddress, Int32(values.count), out.baseAddress, c.baseAddress, o.baseAddress)
                } }
            }
        }
        return all
    }
}
