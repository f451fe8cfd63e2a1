import Foundation
import SegregationFEM
import HDF5Kit

/// The FEM fields as HDF5 with an XDMF companion (ParaView): written here, by the layer that
/// writes files, so the FEM itself never touches HDF5.
extension FieldResults {
    /// `nodes_nm` (nodes x 2) and `quads` (elements x 4, node indices) of a mesh, what the XDMF
    /// files point at (here and in a transient's series.h5).
    public static func writeMesh(_ mesh: QuadMesh, to m: HDF5Group) throws {
        var nodes: [Double] = []
        for n in 0..<mesh.nodeCount { let (px, py) = mesh.position(n); nodes += [px, py] }
        try m.write("nodes_nm", nodes, shape: [mesh.nodeCount, 2])
        var quads: [Int32] = []
        for e in 0..<mesh.elementCount { let (a, b, cc, d) = mesh.elementNodes(e); quads += [Int32(a), Int32(b), Int32(cc), Int32(d)] }
        try m.write("quads", quads, shape: [mesh.elementCount, 4])
    }

    /// Writes the fields into `group` of an HDF5 file: /mesh (nodes_nm, quads, x_nm, y_nm) and
    /// /fields (c, li_at_pct, mu_j_per_mol, sigma_h_pa, ux_nm, uy_nm, stress_pa), with units as
    /// attributes. Returns the XDMF text that lets ParaView open it.
    @discardableResult
    public func writeHDF5(_ file: HDF5File, group: String, fileName: String) throws -> String {
        let g = try file.createGroup(group)
        let mesh = model.mesh
        let m = try g.createGroup("mesh")
        try m.write("x_nm", mesh.xs); try m.write("y_nm", mesh.ys)
        try Self.writeMesh(mesh, to: m)
        try m.write("material", model.materialOfElement.map { Int32($0) })
        let f = try g.createGroup("fields")
        let fields: [(String, [Double], String)] = [("c", c, "site fraction"), ("li_at_pct", liAtPercent, "at.%"),
                                                   ("mu_j_per_mol", mu, "J/mol"), ("sigma_h_pa", sigmaH, "Pa"),
                                                   ("ux_nm", ux, "nm"), ("uy_nm", uy, "nm")]
        for (name, v, unit) in fields {
            try f.write(name, v)
            try f.setAttribute("units_" + name, unit)
        }
        try f.write("stress_pa", stress.flatMap { $0 }, shape: [mesh.nodeCount, 6])
        try f.setAttribute("stress_components", "xx yy zz yz xz xy (Voigt)")
        let p = "/" + group.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        var x = "<?xml version=\"1.0\" ?>\n<Xdmf Version=\"3.0\">\n<Domain>\n<Grid Name=\"\(group)\" GridType=\"Uniform\">\n"
        x += "<Topology TopologyType=\"Quadrilateral\" NumberOfElements=\"\(mesh.elementCount)\">\n"
        x += "<DataItem Dimensions=\"\(mesh.elementCount) 4\" NumberType=\"Int\" Precision=\"4\" Format=\"HDF\">\(fileName):\(p)/mesh/quads</DataItem>\n</Topology>\n"
        x += "<Geometry GeometryType=\"XY\">\n<DataItem Dimensions=\"\(mesh.nodeCount) 2\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">\(fileName):\(p)/mesh/nodes_nm</DataItem>\n</Geometry>\n"
        for (name, _, _) in fields {
            x += "<Attribute Name=\"\(name)\" AttributeType=\"Scalar\" Center=\"Node\">\n<DataItem Dimensions=\"\(mesh.nodeCount)\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">\(fileName):\(p)/fields/\(name)</DataItem>\n</Attribute>\n"
        }
        x += "</Grid>\n</Domain>\n</Xdmf>\n"
        return x
    }
}
