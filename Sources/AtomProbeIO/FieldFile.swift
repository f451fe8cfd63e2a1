import Foundation
import KitFoundation

/// Raw voxel fields for other tools (numpy, ParaView, scikit-image): float32 little-endian, x
/// fastest, then y, then z. The grid goes in a JSON file beside it (`field.json`).
public enum FieldFile {
    /// How the values are laid out, for the JSON beside the file.
    public static let layout = "float32 little-endian, x fastest, then y, then z; voxel centres at origin + (i + 0.5) * voxel; NaN outside the specimen"

    /// Reads `count` float32 values (a file of exactly 4 * count bytes).
    public static func readFloat32(_ path: String, count: Int) throws -> [Float] {
        let data = try exactly(path, bytes: count * 4)
        return data.withUnsafeBytes { raw in (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) } }
    }

    /// Reads `count` flags, one byte each (0 or 1).
    public static func readFlags(_ path: String, count: Int) throws -> [Bool] {
        let data = try exactly(path, bytes: count)
        guard data.allSatisfy({ $0 <= 1 }) else { throw AtomProbeError.format("holds a byte other than 0 or 1", file: path) }
        return data.map { $0 == 1 }
    }

    /// Writes one byte (0 or 1) per flag atomically.
    public static func writeFlags(_ flags: [Bool], to path: String) throws {
        try AtomicFile.write(count: flags.count, to: path) { buf in
            for (k, f) in flags.enumerated() { buf.storeBytes(of: f ? 1 : 0, toByteOffset: k, as: UInt8.self) }
        }
    }

    /// The file's bytes when it has exactly `bytes` of them (checked before reading).
    static func exactly(_ path: String, bytes: Int) throws -> Data {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        guard let size else { throw AtomProbeError(.io, "cannot read the file", file: path) }
        guard size == bytes else { throw AtomProbeError.format("has \(size) bytes, the grid needs \(bytes)", file: path) }
        guard let data = FileManager.default.contents(atPath: path), data.count == bytes else { throw AtomProbeError(.io, "cannot read the file", file: path) }
        return data
    }

    /// Writes the values atomically.
    public static func writeFloat32(_ values: [Float], to path: String) throws {
        try AtomicFile.write(count: values.count * 4, to: path) { buf in
            for (k, v) in values.enumerated() { buf.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: 4 * k, as: UInt32.self) }
        }
    }
}
