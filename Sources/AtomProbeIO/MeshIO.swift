import Foundation
import AtomProbe
import KitFoundation

/// Triangle meshes for ParaView and friends: legacy VTK (binary, with the object id of every
/// triangle as cell data) and PLY (binary little-endian, object id as a face property).
public enum MeshIO {
    /// `cap`, when given, adds a second cell array `cap` (1 for triangles closing the surface at the
    /// data edge).
    public static func writeVTK(_ mesh: TriangleMesh, to path: String, title: String = "AtomProbeKit iso-surface", cap: [Bool]? = nil) throws {
        var d = Data()
        func text(_ s: String) { d.append(contentsOf: Array(s.utf8)) }
        func be<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.bigEndian) { d.append(contentsOf: $0) } }
        text("# vtk DataFile Version 3.0\n\(title.replacingOccurrences(of: "\n", with: " "))\nBINARY\nDATASET POLYDATA\n")
        text("POINTS \(mesh.vertices.count) float\n")
        for v in mesh.vertices { for c in [v.x, v.y, v.z] { be(Float(c).bitPattern) } }
        text("\nPOLYGONS \(mesh.triangles.count) \(mesh.triangles.count * 4)\n")
        for t in mesh.triangles { be(Int32(3)); be(t.x); be(t.y); be(t.z) }
        text("\nCELL_DATA \(mesh.triangles.count)\nSCALARS object_id int 1\nLOOKUP_TABLE default\n")
        for o in mesh.objectID { be(o) }
        if let cap, cap.count == mesh.triangles.count {
            text("\nSCALARS cap int 1\nLOOKUP_TABLE default\n")
            for c in cap { be(Int32(c ? 1 : 0)) }
        }
        text("\n")
        try AtomicFile.write(d, to: path)
    }

    public static func writePLY(_ mesh: TriangleMesh, to path: String) throws {
        var d = Data()
        func text(_ s: String) { d.append(contentsOf: Array(s.utf8)) }
        func le<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        text("ply\nformat binary_little_endian 1.0\ncomment AtomProbeKit iso-surface, units nm\n")
        text("element vertex \(mesh.vertices.count)\nproperty float x\nproperty float y\nproperty float z\n")
        text("element face \(mesh.triangles.count)\nproperty list uchar int vertex_indices\nproperty int object_id\nend_header\n")
        for v in mesh.vertices { for c in [v.x, v.y, v.z] { le(Float(c).bitPattern) } }
        for (k, t) in mesh.triangles.enumerated() { d.append(3); le(t.x); le(t.y); le(t.z); le(mesh.objectID[k]) }
        try AtomicFile.write(d, to: path)
    }

    /// Reads a binary PLY written by `writePLY` (tests, round trips).
    public static func readPLY(_ path: String) throws -> TriangleMesh {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let end = data.range(of: Data("end_header\n".utf8)) else { throw AtomProbeError.format("no PLY header", file: path) }
        let header = String(decoding: data[..<end.lowerBound], as: UTF8.self)
        func count(_ element: String) -> Int? {
            header.split(separator: "\n").first { $0.hasPrefix("element \(element) ") }.flatMap { Int($0.split(separator: " ")[2]) }
        }
        guard let nv = count("vertex"), let nf = count("face") else { throw AtomProbeError.format("PLY header lacks counts", file: path) }
        var off = end.upperBound
        let bytes = [UInt8](data)
        func f32() -> Float { defer { off += 4 }; return Float(bitPattern: UInt32(bytes[off]) | UInt32(bytes[off + 1]) << 8 | UInt32(bytes[off + 2]) << 16 | UInt32(bytes[off + 3]) << 24) }
        func i32() -> Int32 { Int32(bitPattern: f32().bitPattern) }
        guard bytes.count - off == nv * 12 + nf * 17 else { throw AtomProbeError.format("PLY body size does not match its header", file: path) }
        var mesh = TriangleMesh()
        for _ in 0..<nv { mesh.vertices.append(SIMD3(Double(f32()), Double(f32()), Double(f32()))) }
        for _ in 0..<nf {
            off += 1
            mesh.triangles.append(SIMD3(i32(), i32(), i32()))
            mesh.objectID.append(i32())
        }
        return mesh
    }
}
