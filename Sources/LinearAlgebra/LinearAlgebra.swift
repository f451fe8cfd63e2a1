import CLinAlg

/// A dense row-major matrix of Doubles.
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public var values: [Double]

    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns, "matrix needs rows*columns values")
        self.rows = rows; self.columns = columns; self.values = values
    }

    public init(rows: Int, columns: Int, repeating v: Double = 0) {
        self.init(rows: rows, columns: columns, values: Array(repeating: v, count: rows * columns))
    }

    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    public subscript(i: Int, j: Int) -> Double {
        get { values[i * columns + j] }
        set { values[i * columns + j] = newValue }
    }

    /// Matrix product with OpenBLAS `dgemm`.
    public static func * (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.columns == b.rows, "inner dimensions differ")
        var c = Matrix(rows: a.rows, columns: b.columns)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(a.rows), Int32(b.columns), Int32(a.columns),
                    1, a.values, Int32(a.columns), b.values, Int32(b.columns), 0, &c.values, Int32(c.columns))
        return c
    }

    /// Matrix-vector product with `dgemv`.
    public static func * (a: Matrix, x: [Double]) -> [Double] {
        precondition(a.columns == x.count, "dimensions differ")
        var y = [Double](repeating: 0, count: a.rows)
        cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(a.rows), Int32(a.columns), 1, a.values, Int32(a.columns), x, 1, 0, &y, 1)
        return y
    }
}

public struct LinearAlgebraError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

public enum LinearAlgebra {
    /// Solves A x = b (A square) by LU with partial pivoting (LAPACKE `dgesv`).
    public static func solve(_ a: Matrix, _ b: [Double]) throws -> [Double] {
        precondition(a.rows == a.columns && b.count == a.rows, "solve needs a square matrix and a matching right-hand side")
        var lu = a.values, x = b
        var pivots = [Int32](repeating: 0, count: a.rows)
        let info = LAPACKE_dgesv(apk_lapack_row_major(), Int32(a.rows), 1, &lu, Int32(a.rows), &pivots, &x, 1)
        if info > 0 { throw LinearAlgebraError(description: "matrix is singular (U[\(info),\(info)] = 0)") }
        if info < 0 { throw LinearAlgebraError(description: "dgesv: argument \(-info) is invalid") }
        return x
    }

    /// Eigenvalues (ascending) and eigenvectors (columns) of a symmetric matrix (LAPACKE `dsyev`).
    public static func symmetricEigen(_ a: Matrix) throws -> (values: [Double], vectors: Matrix) {
        precondition(a.rows == a.columns)
        var v = a.values
        var w = [Double](repeating: 0, count: a.rows)
        let info = LAPACKE_dsyev(apk_lapack_row_major(), Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "U")), Int32(a.rows), &v, Int32(a.rows), &w)
        if info != 0 { throw LinearAlgebraError(description: "dsyev failed to converge (info \(info))") }
        return (w, Matrix(rows: a.rows, columns: a.rows, values: v))
    }

    /// Least-squares solution of an over-determined system A x ~ b (LAPACKE `dgels`).
    public static func leastSquares(_ a: Matrix, _ b: [Double]) throws -> [Double] {
        precondition(a.rows >= a.columns && b.count == a.rows)
        var m = a.values, x = b
        let info = LAPACKE_dgels(apk_lapack_row_major(), Int8(UInt8(ascii: "N")), Int32(a.rows), Int32(a.columns), 1, &m, Int32(a.columns), &x, 1)
        if info > 0 { throw LinearAlgebraError(description: "matrix does not have full rank") }
        if info < 0 { throw LinearAlgebraError(description: "dgels: argument \(-info) is invalid") }
        return Array(x[0..<a.columns])
    }
}
