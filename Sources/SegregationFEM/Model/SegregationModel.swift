import Foundation
import KitFoundation
import SparseSolver

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

/// The discretized chemo-mechanical problem: mesh, named materials per element, eigenstrains
/// (element-wise constant, sampled at centroids, as the study does), boundary conditions, and
/// (Assembly.swift) the residual and the consistent tangent.
///
/// Unknowns per node: `Field` (u_x, u_y in nm, w = ln(c / (1 - c)), mu in units of RT), placed by
/// `dofs`. The concentration enters through its logit w, so every Newton iterate has 0 < c < 1
/// without damping (near dislocation cores c comes within 1e-9 of 1); the kernels are written in
/// c and the chain rule dc/dw = c (1 - c) scales their c-columns.
public struct SegregationModel: Sendable {
    public let mesh: QuadMesh
    public let parameters: Parameters
    public let dofs: DofMap
    public let dislocations: [EdgeDislocation]
    /// The materials, and the index into them of each element.
    public let materials: [Material]
    public let materialOfElement: [UInt8]
    let constants: [MaterialConstants]
    /// Eigenstrain per element (Voigt) from the sources other than the concentration.
    let eigenstrain: [[Double]]
    /// Prescribed degrees of freedom and their values.
    public let dirichlet: [Int: Double]
    public let elasticOnly: Bool
    /// Matrix pattern and, per element, the slot of each entry of its element matrix.
    public let pattern: SparseMatrix
    let elementSlots: [Int32]
    let dirichletRowSlots: [Int: [Int]]
    /// Time scale: seconds per scaled time unit.
    public let timeUnit: Double

    public var dofCount: Int { dofs.count }

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
    @inline(__always) public func concentration(_ x: [Double], node n: Int) -> Double { Self.concentration(logit: x[dofs.dof(n, .c)]) }

    /// LLZO (index 0) and Li metal (index 1, with a biaxial lattice misfit `lithiumMisfit`
    /// relative to LLZO, which a coherent interface must take up elastically).
    public init(mesh: QuadMesh, parameters: Parameters, dislocations: [EdgeDislocation],
                material: (Double, Double) -> UInt8, edges: [QuadMesh.Edge: EdgeConditions],
                elasticOnly: Bool = false, pin: Bool = true, lithiumMisfit: Double = 0) throws {
        try self.init(mesh: mesh, parameters: parameters, materials: [.llzo(parameters), .lithium(parameters, misfit: lithiumMisfit)],
                      dislocations: dislocations, material: material, edges: edges, elasticOnly: elasticOnly, pin: pin)
    }

    /// - Parameters:
    ///   - materials: the named materials; `material` gives the index of the one at a point (nm).
    ///   - edges: conditions of the four edges; corners take both.
    ///   - pin: add point constraints removing rigid-body motion when no edge fixes it.
    public init(mesh: QuadMesh, parameters: Parameters, materials: [Material], dislocations: [EdgeDislocation],
                material: (Double, Double) -> UInt8, edges: [QuadMesh.Edge: EdgeConditions],
                elasticOnly: Bool = false, pin: Bool = true) throws {
        let p = try parameters.validated()
        guard !materials.isEmpty, materials.count <= 256 else { throw AtomProbeError.invalid("a model needs 1 to 256 materials") }
        self.mesh = mesh
        self.parameters = p
        self.dofs = DofMap(nodeCount: mesh.nodeCount)
        self.dislocations = dislocations
        self.materials = materials
        self.elasticOnly = elasticOnly
        let d0 = p.llzo.diffusivity
        timeUnit = Units.nanometre * Units.nanometre / d0
        constants = materials.map { MaterialConstants($0, parameters: p, referenceDiffusivity: d0) }
        var mat = [UInt8](repeating: 0, count: mesh.elementCount)
        var eps = [[Double]](repeating: [0, 0, 0, 0, 0, 0], count: mesh.elementCount)
        for e in 0..<mesh.elementCount {
            let (cx, cy) = mesh.elementCentroid(e)
            mat[e] = material(cx, cy)
            guard Int(mat[e]) < materials.count else { throw AtomProbeError.invalid("material index \(mat[e]) at (\(cx), \(cy)) nm; the model has \(materials.count)") }
            for source in materials[Int(mat[e])].eigenstrains {
                switch source {
                case .dislocations:
                    for d in dislocations {
                        let v = d.eigenstrain(cx, cy)
                        for k in 0..<6 { eps[e][k] += v[k] }
                    }
                case .misfit(let f): eps[e][0] += f; eps[e][2] += f
                case .concentration: break  // depends on c: in the stress
                }
            }
        }
        materialOfElement = mat
        eigenstrain = eps
        let fixed = try Self.dirichletConditions(mesh: mesh, dofs: dofs, materials: materials, materialOfElement: mat,
                                                 edges: edges, elasticOnly: elasticOnly, pin: pin)
        dirichlet = fixed
        let (pat, slots) = Self.sparsity(mesh: mesh, dofs: dofs, elasticOnly: elasticOnly)
        pattern = pat
        elementSlots = slots
        let rowSlots = pat.rowSlots()
        dirichletRowSlots = Dictionary(uniqueKeysWithValues: fixed.keys.map { ($0, rowSlots[$0]) })
    }

    /// Prescribed unknowns: the edges' conditions, the rigid-body pins, and, for mechanics
    /// alone, c at its reference value and mu = 0 everywhere.
    static func dirichletConditions(mesh: QuadMesh, dofs: DofMap, materials: [Material], materialOfElement mat: [UInt8],
                                    edges: [QuadMesh.Edge: EdgeConditions], elasticOnly: Bool, pin: Bool) throws -> [Int: Double] {
        var fixed: [Int: Double] = [:]
        var mechanicalFixes = Set<Field>()
        for (edge, bc) in edges {
            for n in mesh.nodes(on: edge) {
                switch bc.mechanical {
                case .free: break
                case .fixed: fixed[dofs.dof(n, .ux)] = 0; fixed[dofs.dof(n, .uy)] = 0; mechanicalFixes.insert(.ux); mechanicalFixes.insert(.uy)
                case .rollerX: fixed[dofs.dof(n, .ux)] = 0; mechanicalFixes.insert(.ux)
                case .rollerY: fixed[dofs.dof(n, .uy)] = 0; mechanicalFixes.insert(.uy)
                }
                if let c = bc.concentration, !elasticOnly {
                    guard c > 0 && c < 1 else { throw AtomProbeError.invalid("prescribed site fraction must be in (0, 1), got \(c)") }
                    fixed[dofs.dof(n, .c)] = Self.logit(c)
                }
            }
        }
        if pin {
            // Remove rigid-body modes left free: pin the bottom-left node, and u_y of the bottom-right.
            let a = mesh.node(0, 0), b = mesh.node(mesh.nodeCountX - 1, 0)
            if !mechanicalFixes.contains(.ux) { fixed[dofs.dof(a, .ux)] = 0 }
            if !mechanicalFixes.contains(.uy) { fixed[dofs.dof(a, .uy)] = 0; fixed[dofs.dof(b, .uy)] = 0 }
            else if !mechanicalFixes.contains(.ux) { fixed[dofs.dof(b, .ux)] = fixed[dofs.dof(b, .ux)] ?? 0 }
        }
        if elasticOnly {
            for n in 0..<mesh.nodeCount {
                let m = Int(mat[anyElement(of: n, mesh: mesh)])
                fixed[dofs.dof(n, .c)] = Self.logit(materials[m].parameters.referenceSiteFraction)
                fixed[dofs.dof(n, .mu)] = 0
            }
        }
        return fixed
    }

    static func anyElement(of node: Int, mesh: QuadMesh) -> Int {
        let i = min(node % mesh.nodeCountX, mesh.elementCountX - 1), j = min(node / mesh.nodeCountX, mesh.elementCountY - 1)
        return i + mesh.elementCountX * j
    }

    /// The Q1 element of element e.
    @inline(__always) func element(_ e: Int) -> Q1Element {
        let (hx, hy) = mesh.elementSize(e)
        return Q1Element(hx: hx, hy: hy)
    }

    /// The four nodes of element e.
    @inline(__always) func nodes(of e: Int) -> [Int] {
        let (n0, n1, n2, n3) = mesh.elementNodes(e)
        return [n0, n1, n2, n3]
    }

    /// An element's nodal unknowns with c in place of its logit.
    @inline(__always) func elementState(_ e: Int, _ x: [Double]) -> ElementVector {
        var xe = ElementVector()
        for (I, n) in nodes(of: e).enumerated() {
            xe[I, .ux] = x[dofs.dof(n, .ux)]; xe[I, .uy] = x[dofs.dof(n, .uy)]
            xe[I, .c] = Self.concentration(logit: x[dofs.dof(n, .c)]); xe[I, .mu] = x[dofs.dof(n, .mu)]
        }
        return xe
    }
}
