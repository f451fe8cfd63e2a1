import Foundation
import SparseSolver
import ParallelLoops

/// Boundary conditions of one edge.
public struct EdgeConditions: Sendable, Equatable {
    public enum Mechanical: String, Sendable { case free, fixed, rollerX, rollerY }
    /// free: traction-free (eq. 11 with t = 0); fixed: u = 0; rollerX: u_x = 0; rollerY: u_y = 0.
    public var mechanical: Mechanical = .free
    /// nil: zero flux (natural); a value: prescribed site fraction (a Li reservoir).
    public var concentration: Double? = nil
    public init(mechanical: Mechanical = .free, concentration: Double? = nil) {
        self.mechanical = mechanical; self.concentration = concentration
    }
}

/// The discretized chemo-mechanical problem: mesh, materials per element, dislocation
/// eigenstrains (element-wise constant, sampled at centroids, as the study does), boundary
/// conditions, and the assembly of the residual and the consistent tangent.
///
/// Unknowns per node, in this order: u_x, u_y (nm), w = ln(c / (1 - c)) and mu (units of RT).
/// The concentration enters through its logit w, so every Newton iterate has 0 < c < 1 without
/// damping (near dislocation cores c comes within 1e-9 of 1); the kernels are written in c and
/// the chain rule dc/dw = c (1 - c) scales their c-columns.
public struct SegregationModel: Sendable {
    public let mesh: QuadMesh
    public let parameters: Parameters
    public let dislocations: [EdgeDislocation]
    /// Material index per element (0 = LLZO, 1 = Li).
    public let materialOfElement: [UInt8]
    let materials: [PointMaterial]
    /// Dislocation eigenstrain per element (Voigt), summed over dislocations.
    let eigenstrainD: [[Double]]
    /// Prescribed degrees of freedom and their values.
    public let dirichlet: [Int: Double]
    public let elasticOnly: Bool
    /// Matrix pattern and, per element, the 256 slots of its 16 x 16 block.
    public let pattern: SparseMatrix
    let elementSlots: [Int32]
    let dirichletRowSlots: [Int: [Int]]
    /// Time scale: seconds per scaled time unit.
    public let timeUnit: Double

    public var dofCount: Int { mesh.nodeCount * 4 }

    /// c from its logit w, and back.
    @inline(__always) public static func concentration(logit w: Double) -> Double {
        w >= 0 ? 1 / (1 + exp(-w)) : exp(w) / (1 + exp(w))
    }
    @inline(__always) public static func logit(_ c: Double) -> Double { log(c / (1 - c)) }

    /// c (1 - c) from the logit, accurate even where c rounds to 1.
    @inline(__always) public static func variance(logit w: Double) -> Double {
        let e = exp(-abs(w))
        return e / ((1 + e) * (1 + e))
    }

    /// The largest |logit| kept (c within 1e-260 of 0 or 1; c (1 - c) stays a normal double).
    public static let maxLogit = 600.0

    /// The site fraction at a node of a state vector.
    @inline(__always) public func concentration(_ x: [Double], node n: Int) -> Double { Self.concentration(logit: x[n * 4 + 2]) }

    /// An element's nodal unknowns with c in place of its logit.
    @inline(__always) func elementState(_ e: Int, _ x: [Double]) -> [Double] {
        let (n0, n1, n2, n3) = mesh.elementNodes(e)
        var xe = [Double](repeating: 0, count: 16)
        for (I, n) in [n0, n1, n2, n3].enumerated() {
            xe[I * 4] = x[n * 4]; xe[I * 4 + 1] = x[n * 4 + 1]
            xe[I * 4 + 2] = Self.concentration(logit: x[n * 4 + 2]); xe[I * 4 + 3] = x[n * 4 + 3]
        }
        return xe
    }

    /// - Parameters:
    ///   - material: material index (0 LLZO, 1 Li) of a point (nm).
    ///   - edges: conditions of the four edges; corners take both.
    ///   - pin: add point constraints removing rigid-body motion when no edge fixes it.
    ///   - lithiumMisfit: biaxial (xx, zz) eigenstrain of the Li layer relative to LLZO (the lattice
    ///     misfit a coherent interface must take up elastically).
    public init(mesh: QuadMesh, parameters: Parameters, dislocations: [EdgeDislocation],
                material: (Double, Double) -> UInt8, edges: [QuadMesh.Edge: EdgeConditions],
                elasticOnly: Bool = false, pin: Bool = true, lithiumMisfit: Double = 0) throws {
        let p = try parameters.validated()
        self.mesh = mesh
        self.parameters = p
        self.dislocations = dislocations
        self.elasticOnly = elasticOnly
        let rt = Units.gasConstant * p.temperature
        let omega = p.partialMolarVolumeShape.enumerated().map { $0.offset >= 3 ? 2 * $0.element : $0.element }
        let d0 = p.llzo.diffusivity
        timeUnit = Units.nanometre * Units.nanometre / d0
        materials = [p.llzo, p.lithium].map { m in
            PointMaterial(C: m.elasticTensor(), omega: omega, cRef: m.referenceSiteFraction,
                          beta: p.maxConcentration * p.partialMolarVolume,
                          alpha: Units.gigapascal * p.partialMolarVolume / rt, chi: p.interaction,
                          mobilityScale: m.diffusivity / d0, sign: p.printedSign ? -1 : 1,
                          cMaxOmega2Over9RT: p.maxConcentration * p.partialMolarVolume * p.partialMolarVolume * Units.gigapascal / (9 * rt))
        }
        var mat = [UInt8](repeating: 0, count: mesh.elementCount)
        var eps = [[Double]](repeating: [0, 0, 0, 0, 0, 0], count: mesh.elementCount)
        for e in 0..<mesh.elementCount {
            let (cx, cy) = mesh.elementCentroid(e)
            mat[e] = material(cx, cy)
            for d in dislocations {
                let v = d.eigenstrain(cx, cy)
                for k in 0..<6 { eps[e][k] += v[k] }
            }
            if mat[e] == 1 { eps[e][0] += lithiumMisfit; eps[e][2] += lithiumMisfit }
        }
        materialOfElement = mat
        eigenstrainD = eps
        // Dirichlet conditions.
        var fixed: [Int: Double] = [:]
        var mechanicalFixes = Set<Int>()
        for (edge, bc) in edges {
            for n in mesh.nodes(on: edge) {
                switch bc.mechanical {
                case .free: break
                case .fixed: fixed[n * 4] = 0; fixed[n * 4 + 1] = 0; mechanicalFixes.insert(0); mechanicalFixes.insert(1)
                case .rollerX: fixed[n * 4] = 0; mechanicalFixes.insert(0)
                case .rollerY: fixed[n * 4 + 1] = 0; mechanicalFixes.insert(1)
                }
                if let c = bc.concentration, !elasticOnly {
                    guard c > 0 && c < 1 else { throw FEMError.invalid("prescribed site fraction must be in (0, 1), got \(c)") }
                    fixed[n * 4 + 2] = Self.logit(c)
                }
            }
        }
        if pin {
            // Remove rigid-body modes left free: pin the bottom-left node, and u_y of the bottom-right.
            let a = mesh.node(0, 0), b = mesh.node(mesh.nodeCountX - 1, 0)
            if !mechanicalFixes.contains(0) { fixed[a * 4] = 0 }
            if !mechanicalFixes.contains(1) { fixed[a * 4 + 1] = 0; fixed[b * 4 + 1] = 0 }
            else if !mechanicalFixes.contains(0) { fixed[b * 4] = fixed[b * 4] ?? 0 }
        }
        if elasticOnly {
            for n in 0..<mesh.nodeCount {
                let m = Int(mat[Self.anyElement(of: n, mesh: mesh)])
                fixed[n * 4 + 2] = Self.logit([p.llzo, p.lithium][m].referenceSiteFraction)
                fixed[n * 4 + 3] = 0
            }
        }
        dirichlet = fixed
        // Pattern: every pair of dofs of each element; mechanics alone keeps only the u-u blocks
        // (c and mu are fixed, so their rows are identities and their columns never act).
        var pairs: [(row: Int, column: Int)] = []
        pairs.reserveCapacity(mesh.elementCount * 256)
        let coupled = { (i: Int, j: Int) in !elasticOnly || (i < 2 && j < 2) }
        for e in 0..<mesh.elementCount {
            let (n0, n1, n2, n3) = mesh.elementNodes(e)
            let nodes = [n0, n1, n2, n3]
            for a in nodes { for b in nodes { for i in 0..<4 { for j in 0..<4 where coupled(i, j) { pairs.append((a * 4 + i, b * 4 + j)) } } } }
        }
        if elasticOnly { for n in 0..<mesh.nodeCount { pairs.append((n * 4 + 2, n * 4 + 2)); pairs.append((n * 4 + 3, n * 4 + 3)) } }
        let pat = SparseMatrix(n: mesh.nodeCount * 4, pattern: pairs)
        // Per element the slot of each of its 16 x 16 entries, -1 where the pattern leaves it out.
        var slots = [Int32](repeating: -1, count: mesh.elementCount * 256)
        for e in 0..<mesh.elementCount {
            let (n0, n1, n2, n3) = mesh.elementNodes(e)
            let nodes = [n0, n1, n2, n3]
            for (I, a) in nodes.enumerated() { for (J, b) in nodes.enumerated() { for i in 0..<4 { for j in 0..<4 where coupled(i, j) {
                slots[e * 256 + (I * 4 + i) * 16 + J * 4 + j] = Int32(pat.slot(row: a * 4 + i, column: b * 4 + j)!)
            } } } }
        }
        pattern = pat
        elementSlots = slots
        let rowSlots = pat.rowSlots()
        dirichletRowSlots = Dictionary(uniqueKeysWithValues: fixed.keys.map { ($0, rowSlots[$0]) })
    }

    static func anyElement(of node: Int, mesh: QuadMesh) -> Int {
        let i = min(node % mesh.nodeCountX, mesh.elementCountX - 1), j = min(node / mesh.nodeCountX, mesh.elementCountY - 1)
        return i + mesh.elementCountX * j
    }

    /// Gauss points of the 2x2 rule on the reference square and shape functions there.
    static let gauss: [(Double, Double)] = {
        let g = 1 / 3.0.squareRoot()
        return [(-g, -g), (g, -g), (g, g), (-g, g)]
    }()

    @inline(__always) static func shape(_ xi: Double, _ eta: Double) -> [Double] {
        [(1 - xi) * (1 - eta) / 4, (1 + xi) * (1 - eta) / 4, (1 + xi) * (1 + eta) / 4, (1 - xi) * (1 + eta) / 4]
    }
    @inline(__always) static func shapeDerivatives(_ xi: Double, _ eta: Double, hx: Double, hy: Double) -> [(Double, Double)] {
        let sx = 2 / hx, sy = 2 / hy
        return [(-(1 - eta) / 4 * sx, -(1 - xi) / 4 * sy), ((1 - eta) / 4 * sx, -(1 + xi) / 4 * sy),
                ((1 + eta) / 4 * sx, (1 + xi) / 4 * sy), (-(1 + eta) / 4 * sx, (1 - xi) / 4 * sy)]
    }

    /// Stress (Voigt, GPa) at a point of an element given its nodal unknowns.
    func stress(element e: Int, local x: [Double], N: [Double], dN: [(Double, Double)]) -> [Double] {
        let m = materials[Int(materialOfElement[e])]
        var exx = 0.0, eyy = 0.0, gxy = 0.0, c = 0.0
        for I in 0..<4 {
            let ux = x[I * 4], uy = x[I * 4 + 1]
            exx += dN[I].0 * ux; eyy += dN[I].1 * uy; gxy += dN[I].1 * ux + dN[I].0 * uy
            c += N[I] * x[I * 4 + 2]
        }
        let d = eigenstrainD[e]
        let ec = m.beta / 3 * (c - m.cRef)
        let elastic = [exx - d[0] - ec * m.omega[0], eyy - d[1] - ec * m.omega[1], -d[2] - ec * m.omega[2],
                       -d[3] - ec * m.omega[3], -d[4] - ec * m.omega[4], gxy - d[5] - ec * m.omega[5]]
        return m.C.apply(elastic)
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
        R.withUnsafeMutableBufferPointer { rp in
            K.values.withUnsafeMutableBufferPointer { kp in
                let rp = rp, kp = kp
                for colour in 0..<4 {
                    let ci = colour & 1, cj = colour >> 1
                    let nx = (ex - ci + 1) / 2, ny = (ey - cj + 1) / 2
                    Parallel.chunks(nx * ny, minChunk: 256) { range in
                        var re = [Double](repeating: 0, count: 16)
                        var ke = [Double](repeating: 0, count: 256)
                        for k in range {
                            let e = (ci + 2 * (k % nx)) + ex * (cj + 2 * (k / nx))
                            let (n0, n1, n2, n3) = mesh.elementNodes(e)
                            let nodes = [n0, n1, n2, n3]
                            let xe = elementState(e, x)
                            for q in 0..<16 { re[q] = 0 }
                            if tangent { for q in 0..<256 { ke[q] = 0 } }
                            elementContribution(e, xe: xe, logits: nodes.map { x[$0 * 4 + 2] },
                                                xOld: nodes.map { Self.concentration(logit: xOld[$0 * 4 + 2]) }, dt: dt,
                                                R: &re, K: &ke, tangent: tangent)
                            for (I, n) in nodes.enumerated() { for q in 0..<4 { rp[n * 4 + q] += re[I * 4 + q] } }
                            guard tangent else { continue }
                            // Chain rule: the unknown is w = logit(c), dc/dw = c (1 - c).
                            for J in 0..<4 {
                                let dc = Self.variance(logit: x[nodes[J] * 4 + 2])
                                for row in 0..<16 { ke[row * 16 + J * 4 + 2] *= dc }
                            }
                            let base = e * 256
                            for q in 0..<256 where elementSlots[base + q] >= 0 { kp[Int(elementSlots[base + q])] += ke[q] }
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

    func elementContribution(_ e: Int, xe: [Double], logits: [Double], xOld: [Double], dt: Double, R: inout [Double], K: inout [Double], tangent: Bool) {
        let m = materials[Int(materialOfElement[e])]
        let (hx, hy) = mesh.elementSize(e)
        let w = hx * hy / 4
        for (xi, eta) in Self.gauss {
            let N = Self.shape(xi, eta)
            let dN = Self.shapeDerivatives(xi, eta, hx: hx, hy: hy)
            let sigma = stress(element: e, local: xe, N: N, dN: dN)
            StressDivergenceKernel.add(w: w, dN: dN, N: N, sigma: sigma, m: m, R: &R, K: &K, tangent: tangent)
            if elasticOnly { continue }
            var c = 0.0, gmx = 0.0, gmy = 0.0
            for I in 0..<4 { c += N[I] * xe[I * 4 + 2]; gmx += dN[I].0 * xe[I * 4 + 3]; gmy += dN[I].1 * xe[I * 4 + 3] }
            MassBalanceKernel.addFlux(w: w, dN: dN, N: N, c: c, gradMu: (gmx, gmy), m: m, R: &R, K: &K, tangent: tangent)
            ChemicalPotentialKernel.addStressCoupling(w: w, dN: dN, N: N, sigma: sigma, m: m, R: &R, K: &K, tangent: tangent)
        }
        if elasticOnly { return }
        for I in 0..<4 {
            MassBalanceKernel.addTimeDerivative(area: w, node: I, c: xe[I * 4 + 2], cOld: xOld[I], dt: dt, R: &R, K: &K, tangent: tangent)
            ChemicalPotentialKernel.addLocal(area: w, node: I, c: xe[I * 4 + 2], w: logits[I], cc: Self.variance(logit: logits[I]),
                                             mu: xe[I * 4 + 3], chi: m.chi, R: &R, K: &K, tangent: tangent)
        }
    }

    /// Nodal stresses (Voigt, GPa): element centroid values averaged over the elements at each node.
    public func nodalStress(_ x: [Double]) -> [[Double]] {
        var sum = [[Double]](repeating: [0, 0, 0, 0, 0, 0], count: mesh.nodeCount)
        var count = [Double](repeating: 0, count: mesh.nodeCount)
        let N = Self.shape(0, 0)
        for e in 0..<mesh.elementCount {
            let (n0, n1, n2, n3) = mesh.elementNodes(e)
            let nodes = [n0, n1, n2, n3]
            let (hx, hy) = mesh.elementSize(e)
            let xe = elementState(e, x)
            let s = stress(element: e, local: xe, N: N, dN: Self.shapeDerivatives(0, 0, hx: hx, hy: hy))
            for n in nodes { for k in 0..<6 { sum[n][k] += s[k] }; count[n] += 1 }
        }
        return (0..<mesh.nodeCount).map { n in sum[n].map { $0 / count[n] } }
    }

    /// Element-centroid stresses (Voigt, GPa).
    public func elementStress(_ x: [Double]) -> [[Double]] {
        let N = Self.shape(0, 0)
        return (0..<mesh.elementCount).map { e in
            let (hx, hy) = mesh.elementSize(e)
            let xe = elementState(e, x)
            return stress(element: e, local: xe, N: N, dN: Self.shapeDerivatives(0, 0, hx: hx, hy: hy))
        }
    }

    /// Chemical potential that is in local equilibrium with c and the stress (scaled, units of RT).
    public func equilibriumMu(c: Double, sigma: [Double], material: Int) -> Double {
        let m = materials[material]
        var sOmega = 0.0
        for k in 0..<6 { sOmega += sigma[k] * m.omega[k] }
        return m.chi * (1 - 2 * c) + log(c / (1 - c)) - m.sign * m.alpha / 3 * sOmega
    }

    /// Material index at a node (that of the element up and right of it, or the last).
    public func materialOfNode(_ n: Int) -> Int { Int(materialOfElement[Self.anyElement(of: n, mesh: mesh)]) }

    /// Total Li in the domain, sum_I A_I c_I (nm^2, per unit depth in site-fraction units).
    public func totalConcentration(_ x: [Double]) -> Double {
        var s = 0.0
        for e in 0..<mesh.elementCount {
            let (n0, n1, n2, n3) = mesh.elementNodes(e)
            let (hx, hy) = mesh.elementSize(e)
            s += hx * hy / 4 * (concentration(x, node: n0) + concentration(x, node: n1) + concentration(x, node: n2) + concentration(x, node: n3))
        }
        return s
    }
}

extension SegregationModel {
    /// The element holding a point (nm), or nil outside the mesh.
    public func element(containing px: Double, _ py: Double) -> Int? {
        func find(_ a: [Double], _ v: Double) -> Int? {
            guard v >= a.first!, v <= a.last! else { return nil }
            var lo = 0, hi = a.count - 1
            while hi - lo > 1 { let mid = (lo + hi) / 2; if a[mid] <= v { lo = mid } else { hi = mid } }
            return lo
        }
        guard let i = find(mesh.xs, px), let j = find(mesh.ys, py) else { return nil }
        return i + mesh.elementCountX * j
    }

    /// Interpolated nodal unknowns (u_x, u_y, c, mu; c interpolated, not its logit) and the stress
    /// (Voigt, GPa) at a point.
    public func evaluate(_ x: [Double], at px: Double, _ py: Double) -> (values: [Double], stress: [Double])? {
        guard let e = element(containing: px, py) else { return nil }
        let i = e % mesh.elementCountX, j = e / mesh.elementCountX
        let (hx, hy) = mesh.elementSize(e)
        let xi = 2 * (px - mesh.xs[i]) / hx - 1, eta = 2 * (py - mesh.ys[j]) / hy - 1
        let N = Self.shape(xi, eta), dN = Self.shapeDerivatives(xi, eta, hx: hx, hy: hy)
        let xe = elementState(e, x)
        let vals = (0..<4).map { k in (0..<4).reduce(0.0) { $0 + N[$1] * xe[$1 * 4 + k] } }
        return (vals, stress(element: e, local: xe, N: N, dN: dN))
    }

    /// Hydrostatic stress (sigma_xx + sigma_yy + sigma_zz) / 3 of a Voigt stress.
    public static func hydrostatic(_ s: [Double]) -> Double { (s[0] + s[1] + s[2]) / 3 }
}

extension SegregationModel {
    /// Nodal values of a stress function by the lumped L2 projection the residual (22) uses:
    /// P_I = (sum over elements and Gauss points of w N_I f(sigma)) / A_I. With f = sigma : omega it
    /// makes the steady state satisfy mu_I = chem(c_I) - s (alpha/3) P_I exactly.
    public func projectedNodal(_ x: [Double], _ f: ([Double]) -> Double) -> [Double] {
        var sum = [Double](repeating: 0, count: mesh.nodeCount)
        var area = [Double](repeating: 0, count: mesh.nodeCount)
        for e in 0..<mesh.elementCount {
            let (n0, n1, n2, n3) = mesh.elementNodes(e)
            let nodes = [n0, n1, n2, n3]
            let (hx, hy) = mesh.elementSize(e)
            let w = hx * hy / 4
            let xe = elementState(e, x)
            for (xi, eta) in Self.gauss {
                let N = Self.shape(xi, eta)
                let v = f(stress(element: e, local: xe, N: N, dN: Self.shapeDerivatives(xi, eta, hx: hx, hy: hy)))
                for I in 0..<4 { sum[nodes[I]] += w * N[I] * v }
            }
            for n in nodes { area[n] += w }
        }
        return (0..<mesh.nodeCount).map { sum[$0] / area[$0] }
    }

    /// Nodal hydrostatic stress (GPa), lumped L2 projection.
    public func nodalHydrostatic(_ x: [Double]) -> [Double] { projectedNodal(x) { Self.hydrostatic($0) } }

    /// The local equilibrium site fraction for chemical potential mu (units of RT) under
    /// projected stress coupling P (GPa, sigma : omega), for chi = 0: c = 1 / (1 + exp(-(mu + s alpha P / 3))).
    public func stressCouplingCoefficient(material: Int) -> Double {
        materials[material].sign * materials[material].alpha / 3
    }
    public func omegaVoigt(material: Int) -> [Double] { materials[material].omega }
}
