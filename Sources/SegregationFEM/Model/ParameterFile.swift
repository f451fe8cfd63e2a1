import Foundation
import KitFoundation

/// The FEM parameter file: JSON with the unit in every key (SI), e.g. `partial_molar_volume_m3_per_mol`.
/// Keys not given keep their defaults; unknown keys, repeated keys and values of the wrong type
/// are errors naming the key (a typo must not pass silently). The `parameters` object of a
/// simulation's summary.json reads back as a parameter file.
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
        guard var fields = j.object else { throw AtomProbeError(.format, "expected a JSON object", file: path) }
        // A simulation's summary.json: its parameters are a parameter file.
        if fields.contains(where: { $0.0 == "scenario" }), let inner = fields.first(where: { $0.0 == "parameters" })?.1.object { fields = inner }
        var p = Parameters()
        try unique(fields, "")
        // Values derived from others (summary.json writes them): checked against them, not used.
        var derived: [(key: String, value: Double, material: String)] = []
        func number(_ v: JSONValue, _ key: String) throws -> Double {
            let isNumber: Bool
            switch v { case .number, .int: isNumber = true; default: isNumber = false }
            guard isNumber, let d = v.double, d.isFinite else { throw AtomProbeError(.format, "\(key) must be a finite number, got \(v.serialized(pretty: false))", file: path) }
            return d
        }
        func string(_ v: JSONValue, _ key: String) throws -> String {
            guard let s = v.string else { throw AtomProbeError(.format, "\(key) must be a string, got \(v.serialized(pretty: false))", file: path) }
            return s
        }
        func boolean(_ v: JSONValue, _ key: String) throws -> Bool {
            guard let b = v.bool, case .bool = v else { throw AtomProbeError(.format, "\(key) must be true or false, got \(v.serialized(pretty: false))", file: path) }
            return b
        }
        func unique(_ pairs: [(String, JSONValue)], _ prefix: String) throws {
            var seen = Set<String>()
            for (k, _) in pairs where !seen.insert(k).inserted { throw AtomProbeError(.format, "the key \"\(prefix)\(k)\" appears twice", file: path) }
        }
        func material(_ v: JSONValue, _ m: inout MaterialParameters, _ name: String) throws {
            guard let o = v.object else { throw AtomProbeError(.format, "\(name) must be an object", file: path) }
            try unique(o, name + ".")
            for (k, v) in o {
                switch k {
                case "name": m.name = try string(v, "\(name).name")
                case "youngs_modulus_pa": m.youngsModulus = try number(v, k)
                case "poisson_ratio": m.poissonRatio = try number(v, k)
                case "shear_modulus_pa": derived.append(("\(name).shear_modulus_pa", try number(v, k), name))
                case "reference_site_fraction": m.referenceSiteFraction = try number(v, k)
                case "diffusivity_m2_per_s": m.diffusivity = try number(v, k)
                case "lattice_parameter_m": m.latticeParameter = try number(v, k)
                case "cubic_c11_c12_c44_pa":
                    guard let a = v.array else { throw AtomProbeError(.format, "\(name).\(k) must be a list of 3 numbers", file: path) }
                    m.cubic = try a.map { try number($0, "\(name).\(k)") }
                default: throw AtomProbeError(.format, "unknown key \"\(name).\(k)\"", file: path)
                }
            }
        }
        for (k, v) in fields {
            switch k {
            case "temperature_k": p.temperature = try number(v, k)
            case "max_concentration_mol_per_m3": p.maxConcentration = try number(v, k)
            case "partial_molar_volume_m3_per_mol": p.partialMolarVolume = try number(v, k)
            case "partial_molar_volume_shape":
                guard let a = v.array else { throw AtomProbeError(.format, "\(k) must be a list of 6 numbers", file: path) }
                p.partialMolarVolumeShape = try a.map { try number($0, k) }
            case "interaction_parameter": p.interaction = try number(v, k)
            case "burgers_vector_m": p.burgersVector = try number(v, k)
            case "core_width_m": p.coreWidth = try number(v, k)
            case "printed_sign_of_eq14": p.printedSign = try boolean(v, k)
            case "shear_modulus_pa": derived.append((k, try number(v, k), "llzo"))
            case "poisson_ratio": derived.append(("poisson_ratio", try number(v, k), "llzo"))
            case "llzo": try material(v, &p.llzo, "llzo")
            case "lithium": try material(v, &p.lithium, "lithium")
            case "sources", "comment": break  // free text
            default: throw AtomProbeError(.format, "unknown key \"\(k)\"", file: path)
            }
        }
        for d in derived {
            let m = d.material == "llzo" ? p.llzo : p.lithium
            let expected = d.key.hasSuffix("poisson_ratio") ? m.poissonRatio : m.youngsModulus / (2 * (1 + m.poissonRatio))
            guard abs(d.value - expected) <= 1e-9 * max(1, abs(expected)) else {
                throw AtomProbeError(.format, "\(d.key) = \(d.value) disagrees with \(d.material)'s youngs_modulus_pa and poisson_ratio (\(expected)); it is derived from them: change those instead", file: path)
            }
        }
        do { return try p.validated() } catch { throw AtomProbeError(.format, "\(error)", file: path) }
    }
}
