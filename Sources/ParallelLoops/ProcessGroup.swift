/// The processes a distributed run splits its ions over (issue 12): each folds its own part of
/// every pass, and the parts are combined here. Integer sums are exact, so the results equal
/// those of one process. `LocalProcess` is the one-process group; MPIKit provides Open MPI's.
public protocol ProcessGroup: Sendable {
    var rank: Int { get }
    var size: Int { get }
    /// Element-wise sums over all processes, in place on every process.
    func sum(_ values: inout [Int64])
    func sum(_ values: inout [Int])
    /// Element-wise logical or.
    func any(_ values: inout [Bool])
    /// Element-wise minimum and maximum.
    func min(_ values: inout [Double])
    func max(_ values: inout [Double])
    /// Every process's values, concatenated in rank order, on every process.
    func gather(_ values: [Float]) -> [Float]
}

extension ProcessGroup {
    public func sum(_ value: inout Int) {
        var v = [value]
        sum(&v)
        value = v[0]
    }

    /// The part of `0..<n` items this process takes: contiguous, in rank order.
    public func share(of n: Int) -> Range<Int> { (n * rank / size)..<(n * (rank + 1) / size) }

    public var isMain: Bool { rank == 0 }
}

/// One process: every combination is the identity.
public struct LocalProcess: ProcessGroup {
    public init() {}
    public var rank: Int { 0 }
    public var size: Int { 1 }
    public func sum(_ values: inout [Int64]) {}
    public func sum(_ values: inout [Int]) {}
    public func any(_ values: inout [Bool]) {}
    public func min(_ values: inout [Double]) {}
    public func max(_ values: inout [Double]) {}
    public func gather(_ values: [Float]) -> [Float] { values }
}
