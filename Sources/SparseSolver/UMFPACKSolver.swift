import CUMFPACK
import KitFoundation

public struct SparseSolverError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// Sparse direct LU (UMFPACK, 64-bit indices). The symbolic analysis depends only on the
/// pattern and is done once; each `factor` redoes the numeric factorization for new values.
public final class UMFPACKSolver {
    public let n: Int
    private var ap: [Int]
    private var ai: [Int]
    private var symbolic: UnsafeMutableRawPointer?
    private var numeric: UnsafeMutableRawPointer?
    private let umfpack: apk_umfpack_api
    private var control = [Double](repeating: 0, count: Int(apk_umfpack_control_size()))
    private var info = [Double](repeating: 0, count: Int(apk_umfpack_info_size()))
    /// Seconds spent in the last symbolic and numeric factorizations and solve.
    public private(set) var symbolicSeconds = 0.0
    public private(set) var numericSeconds = 0.0
    public private(set) var solveSeconds = 0.0

    /// - Parameter symmetricStrategy: order A + A^T with AMD and prefer diagonal pivots, for
    ///   structurally symmetric matrices such as finite element systems (much less fill than the
    ///   default unsymmetric strategy there).
    /// Fill-reducing orderings (UMFPACK_ORDERING_*): 0 CHOLMOD (AMD then METIS), 1 AMD, 3 METIS, 4 best of several.
    public enum Ordering: Double, Sendable { case cholmod = 0, amd = 1, metis = 3, best = 4 }

    public init(pattern m: SparseMatrix, symmetricStrategy: Bool = true, ordering: Ordering = .amd) throws {
        n = m.n
        ap = m.columnStart
        ai = m.rowIndex
        umfpack = try UMFPACKLibrary.load()
        umfpack.defaults(&control)
        if symmetricStrategy { control[Int(apk_umfpack_strategy())] = apk_umfpack_strategy_symmetric() }
        control[Int(apk_umfpack_ordering())] = ordering.rawValue
        let clock = Stopwatch()
        var sym: UnsafeMutableRawPointer?
        let status = umfpack.symbolic(n, n, ap, ai, m.values, &sym, control, &info)
        symbolicSeconds = clock.elapsed
        guard status == apk_umfpack_ok(), let sym else { throw SparseSolverError(description: "UMFPACK symbolic analysis failed (status \(status))") }
        symbolic = sym
    }

    /// Nonzeros of L and U and the flop count of the last numeric factorization.
    public var factorStatistics: (lNonZeros: Double, uNonZeros: Double, flops: Double) {
        (info[Int(apk_umfpack_lnz())], info[Int(apk_umfpack_unz())], info[Int(apk_umfpack_flops())])
    }

    deinit {
        if numeric != nil { umfpack.free_numeric(&numeric) }
        if symbolic != nil { umfpack.free_symbolic(&symbolic) }
    }

    /// Numeric LU of a matrix with the pattern given at init.
    public func factor(_ m: SparseMatrix) throws {
        precondition(m.n == n && m.columnStart == ap, "matrix pattern differs from the analysed one")
        if numeric != nil { umfpack.free_numeric(&numeric) }
        let clock = Stopwatch()
        var num: UnsafeMutableRawPointer?
        let status = umfpack.numeric(ap, ai, m.values, symbolic, &num, control, &info)
        numericSeconds = clock.elapsed
        if status == apk_umfpack_warning_singular() {
            if num != nil { umfpack.free_numeric(&num) }
            throw SparseSolverError(description: "the matrix is singular (check the boundary conditions: is every rigid-body motion fixed?)")
        }
        guard status == apk_umfpack_ok(), let num else { throw SparseSolverError(description: "UMFPACK numeric factorization failed (status \(status))") }
        numeric = num
    }

    /// Solves A x = b with the last factorization, then up to `refinementSteps` steps of
    /// iterative refinement against `m` (which may differ from the factorized matrix: a stale
    /// LU then serves as a preconditioner). UMFPACK stops refining once it stops helping.
    public func solve(_ m: SparseMatrix, _ b: [Double], refinementSteps: Int = 2) throws -> [Double] {
        guard numeric != nil else { throw SparseSolverError(description: "solve before factor") }
        control[Int(apk_umfpack_irstep())] = Double(refinementSteps)
        var x = [Double](repeating: 0, count: n)
        let clock = Stopwatch()
        let status = umfpack.solve(Int(apk_umfpack_sys_A()), ap, ai, m.values, &x, b, numeric, control, &info)
        solveSeconds = clock.elapsed
        guard status == apk_umfpack_ok() else { throw SparseSolverError(description: "UMFPACK solve failed (status \(status))") }
        return x
    }
}
