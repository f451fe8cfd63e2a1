import Foundation
import SparseSolver
import ParallelLoops

/// The assembler: the one place that maps element vectors and matrices to global rows and
/// matrix slots. Kernels (Kernels.swift) only compute element contributions.
extension SegregationModel {
    /// The matrix pattern (every pair of unknowns of each element; mechanics alone keeps only the
    /// u-u blocks, c and mu being fixed) and, per element, the slot of each element-matrix entry
    /// (-1 where the pattern leaves it out).
    static func sparsity(mesh: QuadMesh, dofs: DofMap, elasticOnly: Bool) -> (SparseMatrix, [Int32]) {
        let coupled = { (f: Field, g: Field) in !elasticOnly || (Field.displacement.contains(f) && Field.displacement.contains(g)) }
        var pairs: [(row: Int, column: Int)] = []
        pairs.reserveCapacity(mesh.elementCount * DofMap.elementSize * DofMap.elementSize)
        for e in 0..<mesh.elementCount {
            let (n0, n1, n2, n3) = mesh.elementNodes(e)
            let nodes = [n0, n1, n2, n3]
            for a in nodes { for b in nodes { for f in Field.allCases { for g in Field.allCases where coupled(f, g) {
                pairs.append((dofs.dof(a, f), dofs.dof(b, g)))
            } } } }
        }
        if elasticOnly {
            for n in 0..<mesh.nodeCount { pairs.append((dofs.dof(n, .c), dofs.dof(n, .c))); pairs.append((dofs.dof(n, .mu), dofs.dof(n, .mu))) }
        }
        let pat = SparseMatrix(n: dofs.count, pattern: pairs)
        let block = DofMap.elementSize * DofMap.elementSize
        var slots = [Int32](repeating: -1, count: mesh.elementCount * block)
        for e in 0..<mesh.elementCount {
            let (n0, n1, n2, n3) = mesh.elementNodes(e)
            let nodes = [n0, n1, n2, n3]
            for (I, a) in nodes.enumerated() { for (J, b) in nodes.enumerated() { for f in Field.allCases { for g in Field.allCases where coupled(f, g) {
                slots[e * block + ElementMatrix.index(I, f, J, g)] = Int32(pat.slot(row: dofs.dof(a, f), column: dofs.dof(b, g))!)
            } } } }
        }
        return (pat, slots)
    }

    /// Residual and tangent at state `x` (previous time step `xOld`, step `dt` in scaled time).
    /// Dirichlet rows become identity rows with zero residual. With `tangent: false` only the
    /// residual is computed (K is left as it was). Elements are processed in four colours
    /// (i and j parity), so that elements of one colour share no node and fill disjoint rows in
    /// parallel.
    public func assemble(_ x: [Double], old xOld: [Double], dt: Double, matrix K: inout SparseMatrix, tangent: Bool = true) -> [Double] {
        var R = [Double](repeating: 0, count: dofCount)
        if tangent { K.zero() }
        let ex = mesh.elementCountX, ey = mesh.elementCountY
        let block = DofMap.elementSize * DofMap.elementSize
        R.withUnsafeMutableBufferPointer { rp in
            K.values.withUnsafeMutableBufferPointer { kp in
                let rp = rp, kp = kp
                for colour in 0..<4 {
                    let ci = colour & 1, cj = colour >> 1
                    let nx = (ex - ci + 1) / 2, ny = (ey - cj + 1) / 2
                    Parallel.chunks(nx * ny, minChunk: 256) { range in
                        var re = ElementVector()
                        var ke = ElementMatrix()
                        for k in range {
                            let e = (ci + 2 * (k % nx)) + ex * (cj + 2 * (k / nx))
                            let nodes = nodes(of: e)
                            let xe = elementState(e, x)
                            re.zero()
                            if tangent { ke.zero() }
                            elementContribution(e, xe: xe, logits: nodes.map { x[dofs.dof($0, .c)] },
                                                xOld: nodes.map { Self.concentration(logit: xOld[dofs.dof($0, .c)]) }, dt: dt,
                                                R: &re, K: &ke, tangent: tangent)
                            for (I, n) in nodes.enumerated() { for f in Field.allCases { rp[dofs.dof(n, f)] += re[I, f] } }
                            guard tangent else { continue }
                            // Chain rule: the unknown is w = logit(c), dc/dw = c (1 - c).
                            for J in 0..<4 { ke.scaleColumn(J, .c, by: Self.variance(logit: x[dofs.dof(nodes[J], .c)])) }
                            let base = e * block
                            for q in 0..<block where elementSlots[base + q] >= 0 { kp[Int(elementSlots[base + q])] += ke.values[q] }
                        }
                    }
                }
            }
        }
        for (dof, value) in dirichlet {
            R[dof] = x[dof] - value
            if tangent { K.setIdentityRow(dof, rowSlots: dirichletRowSlots[dof]!) }
        }
        return R
    }

    /// Residual only (for finite-difference checks and line searches).
    public func residual(_ x: [Double], old xOld: [Double], dt: Double) -> [Double] {
        var K = pattern
        return assemble(x, old: xOld, dt: dt, matrix: &K, tangent: false)
    }

    /// The weak form of one element: the kernels at its Gauss points and its nodes.
    func elementContribution(_ e: Int, xe: ElementVector, logits: [Double], xOld: [Double], dt: Double,
                             R: inout ElementVector, K: inout ElementMatrix, tangent: Bool) {
        let m = constants[Int(materialOfElement[e])]
        let q1 = element(e)
        for q in q1.quadrature {
            let sigma = stress(element: e, local: xe, at: q)
            StressDivergenceKernel.add(q, sigma: sigma, m: m, R: &R, K: &K, tangent: tangent)
            if elasticOnly { continue }
            var c = 0.0, gmx = 0.0, gmy = 0.0
            for I in 0..<4 { c += q.N[I] * xe[I, .c]; gmx += q.dN[I].0 * xe[I, .mu]; gmy += q.dN[I].1 * xe[I, .mu] }
            MassBalanceKernel.addFlux(q, c: c, gradMu: (gmx, gmy), m: m, R: &R, K: &K, tangent: tangent)
            ChemicalPotentialKernel.addStressCoupling(q, sigma: sigma, m: m, R: &R, K: &K, tangent: tangent)
        }
        if elasticOnly { return }
        let area = q1.quarterArea
        for I in 0..<4 {
            MassBalanceKernel.addTimeDerivative(area: area, node: I, c: xe[I, .c], cOld: xOld[I], dt: dt, R: &R, K: &K, tangent: tangent)
            ChemicalPotentialKernel.addLocal(area: area, node: I, c: xe[I, .c], w: logits[I], cc: Self.variance(logit: logits[I]),
                                             mu: xe[I, .mu], chi: m.chi, R: &R, K: &K, tangent: tangent)
        }
    }
}
