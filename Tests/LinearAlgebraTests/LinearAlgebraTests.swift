import XCTest
@testable import LinearAlgebra

final class LinearAlgebraTests: XCTestCase {
    /// Closed form: the 3x3 system with known solution (1, -2, 3).
    func testSolve() throws {
        let a = Matrix(rows: 3, columns: 3, values: [4, -2, 1, -2, 4, -2, 1, -2, 4])
        let x = [1.0, -2, 3]
        let b = a * x
        let solved = try LinearAlgebra.solve(a, b)
        for (s, e) in zip(solved, x) { XCTAssertEqual(s, e, accuracy: 1e-12) }
        XCTAssertThrowsError(try LinearAlgebra.solve(Matrix(rows: 2, columns: 2, values: [1, 2, 2, 4]), [1, 2]))
    }

    /// Closed form: eigenvalues of [[2,1],[1,2]] are 1 and 3.
    func testSymmetricEigen() throws {
        let (w, v) = try LinearAlgebra.symmetricEigen(Matrix(rows: 2, columns: 2, values: [2, 1, 1, 2]))
        XCTAssertEqual(w[0], 1, accuracy: 1e-12); XCTAssertEqual(w[1], 3, accuracy: 1e-12)
        XCTAssertEqual(abs(v[0, 1]), 1 / 2.0.squareRoot(), accuracy: 1e-12)
    }

    /// Closed form: a straight line fitted to exact points y = 2x + 1.
    func testLeastSquaresAndProduct() throws {
        let xs = [0.0, 1, 2, 3, 4]
        let a = Matrix(rows: 5, columns: 2, values: xs.flatMap { [$0, 1] })
        let p = try LinearAlgebra.leastSquares(a, xs.map { 2 * $0 + 1 })
        XCTAssertEqual(p[0], 2, accuracy: 1e-12); XCTAssertEqual(p[1], 1, accuracy: 1e-12)
        let i = Matrix.identity(2)
        let m = Matrix(rows: 2, columns: 2, values: [1, 2, 3, 4])
        XCTAssertEqual(i * m, m)
    }
}
