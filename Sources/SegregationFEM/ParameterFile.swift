import Foundation
import KitFoundation

/// The FEM parameter file: JSON with the unit in every key (SI), e.g. `partial_molar_volume_m3_per_mol`.
/// Keys not given keep their defaults; unknown keys are an error (a typo must not pass silently).
public enum ParameterFile {
    /// The parameters as written into summary.json and fields.h5.
    public static func json(_ p: Parameters) -> JSONValue {
        func material(_ m: MaterialParameters) -> JSONValue {
            var f: [(String, JSONValue)] = [
                ("name", .string(m.name)), ("youngs_modulus_pa", .number(m.youngsModulus)), ("poisson_ratio", .number(m.poissonRatio)),
                ("shear_modulus_pa", .number(m.youngsModulus / (2 * (1 + m.poissonRatio)))),
                ("reference_site_fraction", .number(m.referenceSiteFraction)), ("diffusivity_m2_per_s", .number(m.diffusivity)),
                ("lattice_parameter_m", .number(m.latticeParameter))]
            if let c = m.cubic { f.append(("cubic_c11_c12_c44_pa", .numbers(c))) }
            return .object(f)
        }
        return .object([
            ("temperature_k", .number(p.temperature)),
            ("shear_modulus_pa", .number(p.llzo.youngsModulus / (2 * (1 + p.llzo.poissonRatio)))),
            ("poisson_ratio", .number(p.llzo.poissonRatio)),
            ("max_concentration_mol_per_m3", .number(p.maxConcentration)),
            ("partial_molar_volume_m3_per_mol", .number(p.partialMolarVolume)),
            ("partial_molar_volume_shape", .numbers(p.partialMolarVolumeShape)),
            ("interaction_parameter", .number(p.interaction)),
            ("burgers_vector_m", .number(p.burgersVector)),
            ("core_width_m", .number(p.coreWidth)),
            ("printed_sign_of_eq14", .bool(p.printedSign)),
            ("llzo", material(p.llzo)),
            ("lithium", material(p.lithium)),
        ])
    }

    /// Reads a parameter file; errors name the file and the key.
    public static func read(_ path: String) throws -> Parameters {
        try parse(try TextFile.read(path, maxBytes: 1 << 20), path: path)
    }

    /// Parses the text of a parameter file (`path` names it in errors).
    public static func parse(_ text: String, path: String) throws -> Parameters {
        let j: JSONValue
        do { j = try JSONValue.parse(text) } catch { throw AtomProbeError(.format, "\(error)", file: path) }
        guard let fields = j.object else { throw AtomProbeError(.format, "expected a JSON object", file: path) }
        var p = Parameters()
        func number(_ v: JSONValue, _ key: String) throws -> Double {
            guard let d = v.double, d.isFinite else { throw AtomProbeError(.format, "\(key) must be a number", file: path) }
            return d
        }
        func material(_ v: JSONValue, _ m: inout MaterialParameters, _ name: String) throws {
            guard let o = v.object else { throw AtomProbeError(.format, "\(name) must be an object", file: path) }
            for (k, v) in o {
                switch k {
                case "name": m.name = v.string ?? m.name
                case "youngs_modulus_pa": m.youngsModulus = try number(v, k)
                case "poisson_ratio": m.poissonRatio = try number(v, k)
                case "shear_modulus_pa": break  // derived
                case "reference_site_fraction": m.referenceSiteFraction = try number(v, k)
                case "diffusivity_m2_per_s": m.diffusivity = try number(v, k)
                case "lattice_parameter_m": m.latticeParameter = try number(v, k)
                case "cubic_c11_c12_c44_pa": m.cubic = try v.array?.map { try number($0, k) }
                default: throw AtomProbeError(.format, "unknown key \"\(name).\(k)\"", file: path)
                }
            }
        }
        for (k, v) in fields {
            switch k {
            case "temperature_k": p.temperature = try number(v, k)
            case "max_concentration_mol_per_m3": p.maxConcentration = try number(v, k)
            case "partial_molar_volume_m3_per_mol": p.partialMolarVolume = try number(v, k)
            case "partial_molar_volume_shape": p.partialMolarVolumeShape = try (v.array ?? []).map { try number($0, k) }
            case "interaction_parameter": p.interaction = try number(v, k)
            case "burgers_vector_m": p.burgersVector = try number(v, k)
            case "core_width_m": p.coreWidth = try number(v, k)
            case "printed_sign_of_eq14": p.printedSign = v.bool ?? false
            case "shear_modulus_pa", "poisson_ratio": break  // derived from llzo
            case "llzo": try material(v, &p.llzo, "llzo")
            case "lithium": try material(v, &p.lithium, "lithium")
            case "sources", "comment": break
            default: throw AtomProbeError(.format, "unknown key \"\(k)\"", file: path)
            }
        }
        do { return try p.validated() } catch { throw AtomProbeError(.format, "\(error)", file: path) }
    }
}
