import Foundation

/// How much memory a run may take. Steps that allocate in proportion to an option or to the
/// data (voxel grids, histograms, FEM matrices) estimate their need first and refuse, with the
/// estimate, instead of failing half-way or driving the machine into swap.
public struct MemoryBudget: Sendable, Equatable {
    public var bytes: Double

    public init(bytes: Double) { self.bytes = bytes }
    public init(gigabytes: Double) { bytes = gigabytes * 1e9 }

    /// A limit a user gives (`memory_limit_gb`): at least 0.01 GB, which every run's buffers
    /// need (a smaller one could not be honoured, so it is refused rather than ignored).
    public static func checked(gigabytes: Double) throws -> MemoryBudget {
        try Validation.require([(gigabytes.isFinite && gigabytes >= 0.01 && gigabytes <= 1e6, "memory_limit_gb",
                                 "must be between 0.01 and 1000000 GB, got \(gigabytes)")])
        return MemoryBudget(gigabytes: gigabytes)
    }

    /// The default: 40 % of the machine's physical memory.
    public static var standard: MemoryBudget { MemoryBudget(bytes: 0.4 * Double(ProcessInfo.processInfo.physicalMemory)) }

    /// Throws when `estimate` bytes (for `what`) exceed the budget; a non-finite estimate always does.
    public func require(_ estimate: Double, for what: String) throws {
        guard estimate.isFinite, estimate <= bytes else {
            let need = estimate.isFinite ? String(format: "%.3g GB", estimate / 1e9) : "more memory than any machine has"
            throw AtomProbeError(.invalidInput, "\(what) would need \(need), over the memory limit of \(String(format: "%.3g", bytes / 1e9)) GB",
                                 remedy: .raiseMemoryLimit)
        }
    }
}
