import Foundation
import KitFoundation
import AtomProbeIO
import AtomProbeAnalysis

/// Step 1 as a stored result that later steps read back: `field.json`, `concentration_<species>.f32`
/// and `occupied.u8` (one byte per voxel: 1 where an ion lies), written by `isosurface` and
/// `analyze`. `field.json` records the inputs it was made from (`inputs`: path, bytes and
/// modification time of the reconstruction and the range file); a later `proxigram` or `table`
/// reuses the field only when its own inputs and field options are the same, so a changed input
/// is refused rather than silently mixed with an old field.
public enum StoredField {
    static let occupiedFile = "occupied.u8"

    /// The identity of each input file as `field.json` records it.
    static func identity(_ paths: [String]) throws -> JSONValue {
        .array(try paths.map { p in
            let (bytes, modified) = try stat(p)
            return .object([("path", .string(p)), ("bytes", .int(bytes)), ("modified_s", .number(modified))])
        })
    }

    /// Size and modification time (s since 1970) of a file.
    static func stat(_ path: String) throws -> (bytes: Int, modified: Double) {
        let a: [FileAttributeKey: Any]
        do { a = try FileManager.default.attributesOfItem(atPath: path) } catch { throw AtomProbeError(.io, "cannot read the file", file: path) }
        guard let bytes = (a[.size] as? NSNumber)?.intValue, let date = a[.modificationDate] as? Date else { throw AtomProbeError(.io, "cannot read the file", file: path) }
        return (bytes, date.timeIntervalSince1970)
    }

    /// Writes `occupied.u8`; `field.json`'s extra keys (species, occupied file, inputs).
    static func write(_ field: SpeciesField, inputs: [String], dir: String) throws -> [(String, JSONValue)] {
        try FieldFile.writeFlags(field.occupied, to: dir + "/" + occupiedFile)
        return [("species", .string(field.species)), ("occupied_file", .string(occupiedFile)), ("inputs", try identity(inputs))]
    }

    /// The field stored in `dir`, when it was made from `inputs` (same files, unchanged) for
    /// `species` with `options`; else an error saying what differs.
    public static func read(_ dir: String, species: String, inputs: [String], options: ConcentrationField.Options) throws -> SpeciesField {
        let path = dir + "/field.json"
        guard FileManager.default.fileExists(atPath: path) else {
            throw AtomProbeError(.invalidInput, "holds no stored field (field.json): give the folder of an isosurface or analyze run", file: dir)
        }
        let j = try JSONValue.parse(try TextFile.read(path, maxBytes: 1 << 20))
        func need<T>(_ v: T?, _ key: String) throws -> T {
            guard let v else { throw AtomProbeError.format("has no valid \(key) (written by an older version? run isosurface or analyze again)", file: path) }
            return v
        }
        let stored = try need(j["species"]?.string, "species")
        guard stored == species else { throw AtomProbeError(.invalidInput, "holds the \(stored) field, not \(species)", file: path) }
        let recorded = try need(j["inputs"]?.array, "inputs")
        guard recorded.count == inputs.count else { throw AtomProbeError.format("records \(recorded.count) inputs, expected \(inputs.count)", file: path) }
        for (r, p) in zip(recorded, inputs) {
            let (bytes, modified) = try stat(p)
            guard r["bytes"]?.int == bytes, r["modified_s"]?.double == modified else {
                throw AtomProbeError(.invalidInput, "the stored field in \(dir) was made from \(r["path"]?.string ?? "another file"), which differs from this input or has changed since; run isosurface or analyze again", file: p)
            }
        }
        let size = try need(j["grid_size"]?.array?.compactMap(\.int), "grid_size")
        let origin = try need(j["origin_nm"]?.array?.compactMap(\.double), "origin_nm")
        let voxel = try need(j["voxel_nm"]?.double, "voxel_nm")
        guard size.count == 3, size.allSatisfy({ $0 > 0 && $0 <= 100_000 }), origin.count == 3, origin.allSatisfy(\.isFinite), voxel > 0, voxel.isFinite else {
            throw AtomProbeError.format("has an invalid grid", file: path)
        }
        let (n, overflow) = size[0].multipliedReportingOverflow(by: size[1] * size[2])
        guard !overflow, n <= 2_000_000_000 else { throw AtomProbeError.format("has a grid too large to read", file: path) }
        try options.memory.require(Double(n) * 5, for: "the stored field of \(n) voxels")
        func vector(_ key: String) throws -> SIMD3<Double> {
            let v = try need(j[key]?.array?.compactMap(\.double), key)
            guard v.count == 3, v.allSatisfy({ $0.isFinite && $0 >= 0 }) else { throw AtomProbeError.format("has an invalid \(key)", file: path) }
            return SIMD3(v[0], v[1], v[2])
        }
        let gaussian = try vector("gaussian_sigma_nm"), effective = try vector("effective_sigma_nm")
        let minDensity = try need(j["min_density_atoms_per_nm3"]?.double, "min_density_atoms_per_nm3")
        // The options this run asks for must be those the field was made with (the same
        // Gaussian pass, as ConcentrationField derives it, on voxels of the same size).
        try Validation.require([
            (abs(voxel - options.voxelSize) <= 1e-9 * voxel, "voxel", "is \(options.voxelSize) nm but the stored field's is \(voxel) nm"),
            (Self.close(gaussian, try options.gaussianSigma()), options.sigma == nil ? "delocalization" : "delocalization_sigma", "differs from the stored field's"),
            (options.minDensity.map { abs($0 - minDensity) <= 1e-6 * max(1, minDensity) } ?? true, "min_density", "differs from the stored field's (\(minDensity))"),
        ])
        func file(_ key: String) throws -> String {
            let name = try need(j[key]?.string, key)
            guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else { throw AtomProbeError.format("names \(key) outside its folder", file: path) }
            return dir + "/" + name
        }
        let concentration = try FieldFile.readFloat32(try file("concentration_file"), count: n)
        let occupied = try FieldFile.readFlags(try file("occupied_file"), count: n)
        return SpeciesField(grid: VoxelGrid(origin: SIMD3(origin[0], origin[1], origin[2]), spacing: voxel, size: SIMD3(size[0], size[1], size[2])),
                            species: species, concentration: concentration, occupied: occupied,
                            delocalization: try vector("delocalization_nm"), gaussianSigma: gaussian, effectiveSigma: effective,
                            atomsPerKernel: try need(j["atoms_per_kernel"]?.double, "atoms_per_kernel"),
                            warnings: try need(j["warnings"]?.array?.compactMap(\.string), "warnings"), minDensity: minDensity)
    }

    static func close(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Bool {
        (0..<3).allSatisfy { abs(a[$0] - b[$0]) <= 1e-9 * max(1, abs(b[$0])) }
    }
}
