import Foundation

/// Stresses, interpolation and integrals of a state: what outputs and checks read off a model.
extension SegregationModel {
    /// Stress (Voigt, GPa) at a point of an element given its nodal unknowns (eq. 4-8).
    func stress(element e: Int, local x: ElementVector, at q: Q1Element.Point) -> [Double] {
        let m = constants[Int(materialOfElement[e])]
        let N = q.N, dN = q.dN
        var exx = 0.0, eyy = 0.0, gxy = 0.0, c = 0.0
        for I in 0..<4 {
            let ux = x[I, .ux], uy = x[I, .uy]
            exx += dN[I].0 * ux; eyy += dN[I].1 * uy; gxy += dN[I].1 * ux + dN[I].0 * uy
            c += N[I] * x[I, .c]
        }
        let d = eigenstrain[e]
        let ec = m.beta / 3 * (c - m.cRef)
        let elastic = [exx - d[0] - ec * m.omega[0], eyy - d[1] - ec * m.omega[1], -d[2] - ec * m.omega[2],
                       -d[3] - ec * m.omega[3], -d[4] - ec * m.omega[4], gxy - d[5] - ec * m.omega[5]]
        return m.C.apply(elastic)
    }

    /// Nodal stresses (Voigt, GPa): element centroid values averaged over the elements at each node.
    public func nodalStress(_ x: [Double]) -> [[Double]] {
        var sum = [[Double]](repeating: [0, 0, 0, 0, 0, 0], count: mesh.nodeCount)
        var count = [Double](repeating: 0, count: mesh.nodeCount)
        for e in 0..<mesh.elementCount {
            let s = stress(element: e, local: elementState(e, x), at: element(e).centroid)
            for n in nodes(of: e) { for k in 0..<6 { sum[n][k] += s[k] }; count[n] += 1 }
        }
        return (0..<mesh.nodeCount).map { n in sum[n].map { $0 / count[n] } }
    }

    /// Element-centroid stresses (Voigt, GPa).
    public func elementStress(_ x: [Double]) -> [[Double]] {
        (0..<mesh.elementCount).map { e in stress(element: e, local: elementState(e, x), at: element(e).centroid) }
    }

    /// Chemical potential that is in local equilibrium with c and the stress (scaled, units of RT).
    public func equilibriumMu(c: Double, sigma: [Double], material: Int) -> Double {
        let m = constants[material]
        var sOmega = 0.0
        for k in 0..<6 { sOmega += sigma[k] * m.omega[k] }
        return m.chi * (1 - 2 * c) + log(c / (1 - c)) - m.sign * m.alpha / 3 * sOmega
    }

    /// Material index at a node (that of the element up and right of it, or the last).
    public func materialOfNode(_ n: Int) -> Int { Int(materialOfElement[Self.anyElement(of: n, mesh: mesh)]) }

    /// The lumped nodal areas A_I (nm^2): a quarter of each element at each of its nodes, the
    /// weights of the nodal terms of eq. (21)-(22).
    public func lumpedNodalAreas() -> [Double] {
        var area = [Double](repeating: 0, count: mesh.nodeCount)
        for e in 0..<mesh.elementCount { let a = element(e).quarterArea; for n in nodes(of: e) { area[n] += a } }
        return area
    }

    /// Total Li in the domain, sum_I A_I c_I (nm^2, per unit depth in site-fraction units).
    public func totalConcentration(_ x: [Double]) -> Double {
        var s = 0.0
        for e in 0..<mesh.elementCount {
            let (n0, n1, n2, n3) = mesh.elementNodes(e)
            s += element(e).quarterArea * (concentration(x, node: n0) + concentration(x, node: n1) + concentration(x, node: n2) + concentration(x, node: n3))
        }
        return s
    }

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

    /// The element holding a point and the point's reference coordinates in it.
    func locate(_ px: Double, _ py: Double) -> (element: Int, point: Q1Element.Point)? {
        guard let e = element(containing: px, py) else { return nil }
        let i = e % mesh.elementCountX, j = e / mesh.elementCountX
        let q1 = element(e)
        return (e, q1.point(2 * (px - mesh.xs[i]) / q1.hx - 1, 2 * (py - mesh.ys[j]) / q1.hy - 1))
    }

    /// Interpolated nodal unknowns (u_x, u_y, c, mu; c interpolated, not its logit) and the stress
    /// (Voigt, GPa) at a point.
    public func evaluate(_ x: [Double], at px: Double, _ py: Double) -> (values: [Double], stress: [Double])? {
        guard let (e, q) = locate(px, py) else { return nil }
        let xe = elementState(e, x)
        let vals = Field.allCases.map { f in (0..<4).reduce(0.0) { $0 + q.N[$1] * xe[$1, f] } }
        return (vals, stress(element: e, local: xe, at: q))
    }

    /// Hydrostatic stress (sigma_xx + sigma_yy + sigma_zz) / 3 of a Voigt stress.
    public static func hydrostatic(_ s: [Double]) -> Double { (s[0] + s[1] + s[2]) / 3 }

    /// Nodal values of a stress function by the lumped L2 projection the residual (22) uses:
    /// P_I = (sum over elements and Gauss points of w N_I f(sigma)) / A_I. With f = sigma : omega it
    /// makes the steady state satisfy mu_I = chem(c_I) - s (alpha/3) P_I exactly.
    public func projectedNodal(_ x: [Double], _ f: ([Double]) -> Double) -> [Double] {
        var sum = [Double](repeating: 0, count: mesh.nodeCount)
        for e in 0..<mesh.elementCount {
            let nodes = nodes(of: e)
            let q1 = element(e)
            let xe = elementState(e, x)
            for q in q1.quadrature {
                let v = f(stress(element: e, local: xe, at: q))
                for I in 0..<4 { sum[nodes[I]] += q.weight * q.N[I] * v }
            }
        }
        let area = lumpedNodalAreas()
        return (0..<mesh.nodeCount).map { sum[$0] / area[$0] }
    }

    /// Nodal hydrostatic stress (GPa), lumped L2 projection.
    public func nodalHydrostatic(_ x: [Double]) -> [Double] { projectedNodal(x) { Self.hydrostatic($0) } }

    /// The local equilibrium site fraction for chemical potential mu (units of RT) under
    /// projected stress coupling P (GPa, sigma : omega), for chi = 0: c = 1 / (1 + exp(-(mu + s alpha P / 3))).
    public func stressCouplingCoefficient(material: Int) -> Double {
        constants[material].sign * constants[material].alpha / 3
    }
    public func omegaVoigt(material: Int) -> [Double] { constants[material].omega }

    /// No prescribed concentration anywhere: zero flux on every edge, so the steady state is the
    /// equilibrium at fixed Li content (mu uniform).
    public var isClosed: Bool { !elasticOnly && !dirichlet.keys.contains { dofs.field(of: $0).field == .c } }

    /// The chemical potential in local equilibrium with each node's c and (projected) stress,
    /// mu(c_I, sigma) = mu_I - R_mu,I / A_I (units of R T): what the steady-state test reads, the
    /// same for both solvers (the direct one holds the nodal mu at mu0 and solves for c).
    public func localMu(_ x: [Double]) -> [Double] {
        let r = residual(x, old: x, dt: 1)
        let area = lumpedNodalAreas()
        return (0..<mesh.nodeCount).map { x[dofs.dof($0, .mu)] - r[dofs.dof($0, .mu)] / area[$0] }
    }

    /// max - min of the nodal chemical potentials (units of R T): 0 at equilibrium.
    public func muSpread(_ x: [Double]) -> Double {
        var lo = Double.infinity, hi = -Double.infinity
        for n in 0..<mesh.nodeCount { let m = x[dofs.dof(n, .mu)]; lo = min(lo, m); hi = max(hi, m) }
        return hi - lo
    }
}
