import Foundation
import KitFoundation

/// Ready-made problems of the study: edge dislocations in LLZO (Fig. 8) and the LLZO/Li
/// interface with or without misfit dislocations (Fig. 6).
public enum Scenario: String, Sendable, CaseIterable {
    case dislocation
    case interface
}

public struct ScenarioSettings: Sendable {
    /// Square domain edge (nm), centred on the origin.
    public var domain = 40.0
    /// Elements per edge.
    public var elements = 80
    /// Mesh grading (1/nm): element size grows as 1 + g * distance from the dislocation cores /
    /// the interface. 0 = uniform.
    public var grading = 0.1
    /// Dislocations (positions in nm). Empty for `dislocation` means one at the origin with
    /// b = (burgersVector, 0).
    public var dislocations: [EdgeDislocation] = []
    /// Interface: spacing (nm) of misfit edge dislocations on y = 0; 0 = none.
    public var misfitSpacing = 0.0
    /// Interface: Burgers vector length of the misfit dislocations (nm), default the Li lattice parameter.
    public var misfitBurgers: Double?
    /// Interface: lattice misfit f taken up by the Li layer: its stress-free lattice is smaller
    /// than LLZO's by f (biaxial eigenstrain -f), so a coherent interface stretches it. nil: the
    /// misfit a dislocation array of `misfitSpacing` relaxes, b / spacing (0 without dislocations).
    public var misfitStrain: Double?
    /// Mechanics alone at c = c_ref.
    public var elasticOnly = false
    /// Interface: prescribe c on the top edge (a Li reservoir) instead of zero flux.
    public var reservoir: Double?
    /// What the model and its factorization may take.
    public var memory = MemoryBudget.standard
    public init() {}

    /// The most dislocations a model may hold (each adds its eigenstrain to every element).
    public static let maxDislocations = 10_000

    /// Memory of a model with `elements` per edge, from measured peaks (about 6 kB per unknown at
    /// 40k unknowns, growing like log n with the LU fill).
    public static func memoryEstimate(elements: Int) -> Double {
        let unknowns = 4 * Double(elements + 1) * Double(elements + 1)
        return unknowns * 6000 * max(1, log2(unknowns) / 17.3)
    }

    /// Checks every setting before anything is built: finite, in range, and within the memory budget.
    public func validated() throws -> ScenarioSettings {
        var checks: [(ok: Bool, problem: String)] = [
            (domain.isFinite && domain > 0 && domain <= 1e6, "the domain must be between 0 and 1e6 nm, got \(domain)"),
            (elements >= 2 && elements <= 2000, "elements per edge must be 2-2000, got \(elements)"),
            (grading.isFinite && grading >= 0, "grading must be finite and >= 0, got \(grading)"),
            (misfitSpacing.isFinite && misfitSpacing >= 0, "the misfit dislocation spacing must be finite and >= 0 nm, got \(misfitSpacing)"),
            (misfitSpacing == 0 || domain / misfitSpacing <= Double(Self.maxDislocations),
             "a misfit spacing of \(misfitSpacing) nm puts more than \(Self.maxDislocations) dislocations in the \(domain) nm domain"),
            (misfitBurgers.map { $0.isFinite && $0 > 0 } ?? true, "the misfit Burgers vector must be > 0"),
            (misfitStrain.map { $0.isFinite && abs($0) < 1 } ?? true, "the misfit strain must be a finite number between -1 and 1"),
            (reservoir.map { $0 > 0 && $0 < 1 } ?? true, "the reservoir site fraction must be in (0, 1)"),
            (dislocations.count <= Self.maxDislocations, "at most \(Self.maxDislocations) dislocations"),
        ]
        for d in dislocations {
            checks.append(([d.x, d.y, d.bx, d.by, d.coreWidth].allSatisfy(\.isFinite) && d.coreWidth > 0, "dislocation values must be finite with a core width > 0"))
        }
        if let problem = Validation.firstProblem(checks) { throw AtomProbeError.invalid(problem) }
        try memory.require(Self.memoryEstimate(elements: elements), for: "a FEM model of \(elements) x \(elements) elements")
        return self
    }
}

extension SegregationModel {
    /// Builds the model of a scenario.
    public static func scenario(_ s: Scenario, parameters p: Parameters, settings: ScenarioSettings) throws -> SegregationModel {
        let settings = try settings.validated()
        try p.checkMobility(s == .dislocation ? [p.llzo] : [p.llzo, p.lithium])
        let half = settings.domain / 2
        let a = p.coreWidth / Units.nanometre
        switch s {
        case .dislocation:
            let ds = settings.dislocations.isEmpty
                ? [EdgeDislocation(x: 0, y: 0, bx: p.burgersVector / Units.nanometre, by: 0, coreWidth: a)]
                : settings.dislocations.map(\.cutAlongMeshAxis)
            for d in ds where abs(d.x) >= half || abs(d.y) >= half {
                throw AtomProbeError.invalid("dislocation at (\(d.x), \(d.y)) nm lies outside the \(settings.domain) nm domain")
            }
            let xs = gradedAxis(from: -half, to: half, elements: settings.elements, foci: ds.map(\.x), grading: settings.grading)
            let ys = gradedAxis(from: -half, to: half, elements: settings.elements, foci: ds.map(\.y), grading: settings.grading)
            // Traction-free edges (rigid-body motion pinned), zero flux: a closed LLZO grain.
            return try SegregationModel(mesh: QuadMesh(xs: xs, ys: ys), parameters: p, dislocations: ds,
                                        material: { _, _ in 0 }, edges: [:], elasticOnly: settings.elasticOnly)
        case .interface:
            var ds: [EdgeDislocation] = []
            let b = settings.misfitBurgers ?? p.lithium.latticeParameter / Units.nanometre
            if settings.misfitSpacing > 0 {
                // b = +x with n = +y shortens the layer above (Li) relative to the one below; the cut of
                // each runs to the nearer lateral edge.
                var x = -half + settings.misfitSpacing / 2
                while x < half { ds.append(EdgeDislocation(x: x, y: 0, bx: b, by: 0, coreWidth: a, cutAhead: x > 0)); x += settings.misfitSpacing }
            }
            let misfit = settings.misfitStrain ?? (settings.misfitSpacing > 0 ? b / settings.misfitSpacing : 0)
            let xs = gradedAxis(from: -half, to: half, elements: settings.elements, foci: [], grading: 0)
            let ys = gradedAxis(from: -half, to: half, elements: settings.elements, foci: [0], grading: settings.grading)
            // LLZO below (y < 0), Li above. Bottom clamped (the LLZO bulk), other edges traction-free;
            // zero flux on the lateral edges (as in the study) and, unless a reservoir is given, on top.
            var edges: [QuadMesh.Edge: EdgeConditions] = [.bottom: EdgeConditions(mechanical: .fixed)]
            if let r = settings.reservoir { edges[.top] = EdgeConditions(mechanical: .free, concentration: r) }
            return try SegregationModel(mesh: QuadMesh(xs: xs, ys: ys), parameters: p, dislocations: ds,
                                        material: { _, y in y >= 0 ? 1 : 0 }, edges: edges, elasticOnly: settings.elasticOnly,
                                        lithiumMisfit: -misfit)
        }
    }

    /// The initial site fraction: each material at its reference value (the concentration step
    /// at the interface).
    public func referenceConcentration(node n: Int) -> Double {
        materials[materialOfNode(n)].parameters.referenceSiteFraction
    }
}

/// Site fraction <-> Li at.%. In LLZO (Li_{9c} La3 Zr2 O12: 9 Li sites and 17 host atoms per
/// formula unit, also for Ta-doped Li6.4La3Zr1.4Ta0.6O12) Li at.% = 100 * 9c / (9c + 17):
/// c = 0.78 gives 29.2 at.% (nominal LLZO 29.1). In Li metal every atom is Li: 100 at.%.
public struct LiMapping: Sendable, Equatable {
    public var sitesPerFormulaUnit = 9.0
    public var hostAtomsPerFormulaUnit = 17.0
    /// LLZO: 8 formula units per cubic cell of 1.2968 nm; Li metal: bcc, 2 atoms per cell of
    /// 0.351 nm (the densities the virtual atom probe places atoms at).
    public var formulaUnitsPerNm3 = 8 / (1.2968 * 1.2968 * 1.2968)
    public var metalAtomsPerNm3 = 2 / (0.351 * 0.351 * 0.351)
    public init() {}

    /// Atoms per nm^3: (9c + 17) per formula unit in LLZO (about 88 at c = 0.78), 46.3 in Li metal.
    public func atomsPerNm3(_ c: Double, in content: LiContent) -> Double {
        switch content {
        case .metal: return metalAtomsPerNm3
        case .hostLattice: return formulaUnitsPerNm3 * (sitesPerFormulaUnit * c + hostAtomsPerFormulaUnit)
        }
    }

    public func atPercent(_ c: Double, in content: LiContent) -> Double {
        switch content {
        case .metal: return 100
        case .hostLattice: return 100 * sitesPerFormulaUnit * c / (sitesPerFormulaUnit * c + hostAtomsPerFormulaUnit)
        }
    }
}
