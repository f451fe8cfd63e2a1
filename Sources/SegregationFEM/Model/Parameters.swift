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
    /// Accept parameters for which the mobility of eq. 15 has a pole (a spinodal: chi above
    /// 2 + kappa/2); off by default, as such runs do not converge.
    public var allowSpinodal = false

    /// The temperatures the model is offered for (K).
    public static let temperatureRange = 50.0...5000.0

    public init() {}

    /// kappa of the mobility denominator 1/(c(1-c)) - 2 chi + kappa (eq. 15) in a material:
    /// c_max Omega^2 (omega : C : omega) / (9 R T), dimensionless.
    public func mobilityKappa(_ m: MaterialParameters) -> Double {
        let omega = partialMolarVolumeShape.enumerated().map { $0.offset >= 3 ? 2 * $0.element : $0.element }
        let c = m.elasticTensor()
        return maxConcentration * partialMolarVolume * partialMolarVolume * 1e9 * c.contract(omega, omega) / (9 * 8.314462618 * temperature)
    }

    /// These parameters with the values a run sets directly, in the units users give them (nm,
    /// K, cm^3/mol); nil keeps a value.
    public func overriding(coreWidthNM: Double? = nil, temperatureK: Double? = nil, partialMolarVolumeCm3: Double? = nil, chi: Double? = nil,
                           printedSign: Bool = false, allowSpinodal: Bool = false) -> Parameters {
        var p = self
        if let a = coreWidthNM { p.coreWidth = a * Units.nanometre }
        if let t = temperatureK { p.temperature = t }
        if let v = partialMolarVolumeCm3 { p.partialMolarVolume = v * Units.cubicCentimetre }
        if let c = chi { p.interaction = c }
        if printedSign { p.printedSign = true }
        if allowSpinodal { p.allowSpinodal = true }
        return p
    }

    public func validated() throws -> Parameters {
        let values = [temperature, maxConcentration, partialMolarVolume, interaction, burgersVector, coreWidth] + partialMolarVolumeShape
            + [llzo, lithium].flatMap { [$0.youngsModulus, $0.poissonRatio, $0.referenceSiteFraction, $0.diffusivity, $0.latticeParameter] + ($0.cubic ?? []) }
        var checks: [(ok: Bool, problem: String)] = [
            (values.allSatisfy(\.isFinite), "every parameter must be a finite number (a NaN or infinite value was given)"),
            (Self.temperatureRange.contains(temperature), "temperature must be between \(Self.temperatureRange.lowerBound) and \(Self.temperatureRange.upperBound) K, got \(temperature)"),
        ]
        for m in [llzo, lithium] {
            checks += [(m.youngsModulus > 0 && m.poissonRatio > -1 && m.poissonRatio < 0.5, "\(m.name): E > 0 and -1 < nu < 0.5"),
                       (m.referenceSiteFraction > 0 && m.referenceSiteFraction < 1, "\(m.name): reference site fraction in (0, 1)"),
                       (m.diffusivity > 0, "\(m.name): diffusivity > 0")]
            if let c = m.cubic {
                checks.append((c.count == 3 && c[0] > abs(c[1]) && c[2] > 0 && c[0] + 2 * c[1] > 0,
                               "\(m.name): cubic constants need C11 > |C12|, C11 + 2 C12 > 0 and C44 > 0 (a stable crystal)"))
            }
        }
        checks += [(maxConcentration > 0, "c_max must be > 0"),
                   (partialMolarVolumeShape.count == 6, "partial molar volume shape needs 6 Voigt components"),
                   (burgersVector > 0 && coreWidth > 0, "Burgers vector and core width must be > 0"),
                   (burgersVector <= 10 * coreWidth && burgersVector <= 5e-9,
                    "a Burgers vector of \(burgersVector * 1e9) nm is far outside small strains (at most 5 nm and 10 core widths)")]
        if let problem = Validation.firstProblem(checks) { throw AtomProbeError.invalid(problem) }
        return self
    }

    /// Eq. 15's mobility has a pole where 1/(c(1-c)) - 2 chi + kappa = 0; its least value over c
    /// is 4 - 2 chi + kappa (at c = 1/2). Refused for the materials a model uses unless
    /// `allowSpinodal`.
    public func checkMobility(_ materials: [MaterialParameters]) throws {
        guard !allowSpinodal else { return }
        for m in materials {
            let g = 4 - 2 * interaction + mobilityKappa(m)
            if g <= 0 {
                throw AtomProbeError(.invalidInput, String(format: "%@: chi = %g makes the mobility of eq. 15 infinite (spinodal: 4 - 2 chi + kappa = %.3g <= 0 at %g K); such runs do not converge. Use chi below %.3g",
                                                           m.name, interaction, g, temperature, 2 + mobilityKappa(m) / 2), remedy: .allowSpinodal)
            }
        }
    }
}
