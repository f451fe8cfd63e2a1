/// What strains a material without stress (eq. 5-8): the eigenstrains summed into eps^0.
public enum EigenstrainSource: Sendable, Equatable {
    /// The model's edge dislocations (eq. 6-7), element-wise constant.
    case dislocations
    /// Li in the lattice: eps^C = (beta/3)(c - c_ref) omega (eq. 8).
    case concentration
    /// A biaxial (xx, zz) lattice misfit: the stress-free lattice differs from the reference one by this strain.
    case misfit(Double)
}

/// How the Li site fraction c of a material maps to Li at.%.
public enum LiContent: Sendable, Equatable {
    /// A host lattice with Li sites: 100 * s c / (s c + h) (LLZO, Li_{9c} La3 Zr2 O12: s = 9, h = 17).
    case hostLattice
    /// Every atom is Li: 100 at.%.
    case metal
}

/// A named material of the model: its parameters, its eigenstrain sources and its Li content.
public struct Material: Sendable, Equatable {
    public var name: String
    public var parameters: MaterialParameters
    public var eigenstrains: [EigenstrainSource]
    public var liContent: LiContent

    public init(name: String, parameters: MaterialParameters, eigenstrains: [EigenstrainSource], liContent: LiContent) {
        self.name = name; self.parameters = parameters; self.eigenstrains = eigenstrains; self.liContent = liContent
    }

    /// Ta-doped LLZO: dislocations and Li strain it.
    public static func llzo(_ p: Parameters) -> Material {
        Material(name: p.llzo.name, parameters: p.llzo, eigenstrains: [.dislocations, .concentration], liContent: .hostLattice)
    }

    /// Li metal; `misfit` is its lattice misfit relative to LLZO at a coherent interface.
    public static func lithium(_ p: Parameters, misfit: Double = 0) -> Material {
        var e: [EigenstrainSource] = [.dislocations]
        if misfit != 0 { e.append(.misfit(misfit)) }
        e.append(.concentration)
        return Material(name: p.lithium.name, parameters: p.lithium, eigenstrains: e, liContent: .metal)
    }
}

/// A material's constants in the scaled units of the kernels (see `Units` and Kernels.swift).
struct MaterialConstants {
    let C: ElasticTensor
    let omega: [Double]       // Voigt, engineering shears
    let cRef: Double
    let beta: Double          // c_max * Omega (0 without the concentration eigenstrain)
    let alpha: Double         // 1 GPa * Omega / RT
    let kappa: Double
    let chi: Double
    let mobilityScale: Double // D0 / D0_ref
    let sign: Double
    /// C omega and omega : C : omega, precomputed.
    let cOmega: [Double]
    let omegaCOmega: Double

    init(_ m: Material, parameters p: Parameters, referenceDiffusivity d0: Double) {
        let rt = Units.gasConstant * p.temperature
        C = m.parameters.elasticTensor()
        omega = p.partialMolarVolumeShape.enumerated().map { $0.offset >= 3 ? 2 * $0.element : $0.element }
        cRef = m.parameters.referenceSiteFraction
        beta = m.eigenstrains.contains(.concentration) ? p.maxConcentration * p.partialMolarVolume : 0
        alpha = Units.gigapascal * p.partialMolarVolume / rt
        chi = p.interaction
        mobilityScale = m.parameters.diffusivity / d0
        sign = p.printedSign ? -1 : 1
        cOmega = C.apply(omega)
        omegaCOmega = C.contract(omega, omega)
        kappa = p.maxConcentration * p.partialMolarVolume * p.partialMolarVolume * Units.gigapascal / (9 * rt) * omegaCOmega
    }

    /// Mobility M(c) (eq. 15, scaled) and dM/dc. At c = 0 or 1 (to double precision) M = 0.
    @inline(__always) func mobility(_ c: Double) -> (Double, Double) {
        let cc = c * (1 - c)
        guard cc > 1e-150 else { return (0, 0) }
        let g = 1 / cc - 2 * chi + kappa
        let dg = -(1 - 2 * c) / (cc * cc)
        return (mobilityScale / g, -mobilityScale * dg / (g * g))
    }
}
