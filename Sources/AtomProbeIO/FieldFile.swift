import Foundation
import KitFoundation

/// Raw voxel fields for other tools (numpy, ParaView, scikit-image): float32 little-endian, x
/// fastest, then y, then z. The grid goes in a JSON file beside it (`field.json`).
public enum FieldFile {
    /// How the values are laid out, for the JSON beside the file.
    public static let layout = "float32 little-endian, x fastest, then y, then z; voxel centres at origin + (i + 0.5) * voxel; NaN outside the specimen"

    /// Writes the values atomically.
    public static func writeFloat32(_ values: [Float], to path: String) throws {
        try AtomicFile.write(count: values.count * 4, to: path) { buf in
            for (k, v) in values.enumerated() { buf.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: 4 * k, as: UInt32.self) }
        }
    }
}
