import Foundation
import KitFoundation

/// Material and model parameters in SI units. Every value carries its source; "assumed" marks
/// values without a measurement for Ta-doped LLZO. The command line reads and writes them as
/// JSON with the unit in every key name.
public struct MaterialParameters: Sendable, Equatable {
    public var name: String
    /// Isotropic elasticity (Pa) unless `cubic` is given.
    public var youngsModulus: Double
    public var poissonRatio: Double
    /// Cubic elastic constants C11, C12, C44 (Pa), overriding E and nu when present.
    public var cubic: [Double]?
    /// Stress-free site fraction of Li.
    public var referenceSiteFraction: Double
    /// Diffusivity D0 of Li (m^2/s).
    public var diffusivity: Double
    public var latticeParameter: Double  // m

    public func elasticTensor() -> ElasticTensor {
        if let c = cubic, c.count == 3 { return .cubic(c11: c[0] / 1e9, c12: c[1] / 1e9, c44: c[2] / 1e9) }
        return .isotropic(youngsModulus: youngsModulus / 1e9, poissonRatio: poissonRatio)
    }
}

public struct Parameters: Sendable, Equatable {
    public var temperature = 298.0  // K
    /// Ta-doped cubic LLZO. E and nu: resonant ultrasound spectroscopy on hot-pressed cubic LLZO
    /// (Ni et al., J. Mater. Sci. 47 (2012) 7978: E = 149.8 GPa, nu = 0.257). Lattice parameter
    /// 1.2968 nm (cubic garnet, Ia-3d). Reference site fraction 56/72 = 0.78 (7 Li per formula unit
    /// on 9 tetrahedral + octahedral sites). D0 ~ 1e-12 m^2/s at room temperature (order of the
    /// tracer diffusivities reported for Ta-doped LLZO; assumed).
    public var llzo = MaterialParameters(name: "LLZO", youngsModulus: 150e9, poissonRatio: 0.257, cubic: nil,
                                         referenceSiteFraction: 0.78, diffusivity: 1e-12, latticeParameter: 1.2968e-9)
    /// Li metal (bcc): E about 7.8 GPa, nu about 0.38 (polycrystalline Li, e.g. Masias et al.,
    /// J. Mater. Sci. 54 (2019) 2585, E 7.8 GPa), a = 0.351 nm. Reference site fraction 0.98 and D0
    /// equal to LLZO's are assumed (the model treats Li metal as a nearly filled Li host).
    public var lithium = MaterialParameters(name: "Li", youngsModulus: 7.8e9, poissonRatio: 0.38, cubic: nil,
                                            referenceSiteFraction: 0.98, diffusivity: 1e-12, latticeParameter: 0.351e-9)
    /// Li site concentration c_max (mol/m^3): 72 Li sites per LLZO cell of (1.2968 nm)^3 -> 5.5e4.
    public var maxConcentration = 5.5e4
    /// Partial molar volume of Li in LLZO (m^3/mol): not well established; assumed 3.5 cm^3/mol.
    public var partialMolarVolume = 3.5e-6
    /// Shape of the partial molar volume tensor (Omega_ij = Omega * shape_ij), Voigt xx yy zz yz xz xy.
    public var partialMolarVolumeShape: [Double] = [1, 1, 1, 0, 0, 0]
    /// Regular-solution interaction parameter chi (eq. 2), dimensionless.
    public var interaction = 0.0
    /// Edge dislocation: Burgers vector 1/2<111> of LLZO (sqrt(3)/2 * 1.2968 nm = 1.123 nm) and core
    /// width about 1 nm (assumed; of the order of b).
    public var burgersVector = 1.123e-9
    public var coreWidth = 1.0e-9
    /// Use the stress coupling with "+" as eq. 14 is printed (Li to compression) instead of the
    /// physical "-" (mu = (1/c_max) df/dc; Li to tension). See `ChemicalPotentialKernel`.
    public var printedSign = false

    public init() {}

    public func validated() throws -> Parameters {
        var checks: [(ok: Bool, problem: String)] = [(temperature > 0, "temperature must be > 0 K")]
        for m in [llzo, lithium] {
            checks += [(m.youngsModulus > 0 && m.poissonRatio > -1 && m.poissonRatio < 0.5, "\(m.name): E > 0 and -1 < nu < 0.5"),
                       (m.referenceSiteFraction > 0 && m.referenceSiteFraction < 1, "\(m.name): reference site fraction in (0, 1)"),
                       (m.diffusivity > 0, "\(m.name): diffusivity > 0")]
            if let c = m.cubic { checks.append((c.count == 3 && c[0] > abs(c[1]) && c[2] > 0, "\(m.name): cubic constants C11 > |C12|, C44 > 0")) }
        }
        checks += [(maxConcentration > 0, "c_max must be > 0"),
                   (partialMolarVolume >= 0, "partial molar volume must be >= 0"),
                   (partialMolarVolumeShape.count == 6, "partial molar volume shape needs 6 Voigt components"),
                   (burgersVector > 0 && coreWidth > 0, "Burgers vector and core width must be > 0")]
        if let problem = Validation.firstProblem(checks) { throw FEMError.invalid(problem) }
        return self
    }
}

public struct FEMError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public static func invalid(_ m: String) -> FEMError { FEMError(description: m) }
}
