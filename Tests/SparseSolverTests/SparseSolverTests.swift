import XCTest
import APKTestSupport
@testable import SparseSolver

final class SparseSolverTests: XCTestCase {
    /// Closed form: the 1D Laplacian with Dirichlet ends solves to a straight line.
    func testLaplacianSolve() throws {
        let n = 2000
        var pairs: [(row: Int, column: Int)] = []
        for i in 0..<n { for j in max(0, i - 1)...min(n - 1, i + 1) { pairs.append((i, j)) } }
        var A = SparseMatrix(n: n, pattern: pairs)
        for i in 0..<n {
            A.values[A.slot(row: i, column: i)!] = 2
            if i > 0 { A.values[A.slot(row: i, column: i - 1)!] = -1 }
            if i < n - 1 { A.values[A.slot(row: i, column: i + 1)!] = -1 }
        }
        var b = [Double](repeating: 0, count: n)
        b[0] = 1  // u_{-1} = 1, u_n = 0 -> u_i = (n - i) / (n + 1)
        let lu = try UMFPACKSolver(pattern: A)
        try lu.factor(A)
        let x = try lu.solve(A, b)
        for i in stride(from: 0, to: n, by: 97) { assertClose(x[i], Double(n - i) / Double(n + 1), within: .closedForm(1e-10, "tridiagonal system with solution (n - i) / (n + 1)")) }
        let r = A.multiply(x)
        for i in 0..<n { assertClose(r[i], b[i], within: .roundoff(1e-12, "A x reproduces b")) }
    }

    func testSingularMatrixIsReported() throws {
        var A = SparseMatrix(n: 2, pattern: [(0, 0), (0, 1), (1, 0), (1, 1)])
        A.values = [1, 1, 1, 1]
        let lu = try UMFPACKSolver(pattern: A)
        XCTAssertThrowsError(try lu.factor(A)) { XCTAssertTrue("\($0)".contains("singular")) }
    }
}
