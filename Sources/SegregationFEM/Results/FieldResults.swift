import Foundation
import KitFoundation

/// Nodal results of a solved model in output units (nm, Pa, J/mol), and the files made from them.
public struct FieldResults: Sendable {
    public let model: SegregationModel
    public let x: [Double]
    /// Per node.
    public let c: [Double]
    public let mu: [Double]          // J/mol
    public let ux: [Double], uy: [Double]  // nm
    public let sigmaH: [Double]      // Pa
    public let stress: [[Double]]    // Pa, Voigt, lumped L2 projection
    public let liAtPercent: [Double]
    public let mapping: LiMapping

    public init(model: SegregationModel, state x: [Double], mapping: LiMapping = LiMapping()) {
        self.model = model
        self.x = x
        self.mapping = mapping
        let n = model.mesh.nodeCount
        let rt = Units.gasConstant * model.parameters.temperature
        c = (0..<n).map { model.concentration(x, node: $0) }
        let dofs = model.dofs
        mu = (0..<n).map { x[dofs.dof($0, .mu)] * rt }
        ux = (0..<n).map { x[dofs.dof($0, .ux)] }
        uy = (0..<n).map { x[dofs.dof($0, .uy)] }
        let comps = (0..<6).map { k in model.projectedNodal(x) { $0[k] * Units.gigapascal } }
        stress = (0..<n).map { i in comps.map { $0[i] } }
        sigmaH = stress.map { ($0[0] + $0[1] + $0[2]) / 3 }
        liAtPercent = (0..<n).map { mapping.atPercent(model.concentration(x, node: $0), in: model.materials[model.materialOfNode($0)].liContent) }
    }

    /// `nodes.csv`: x_nm,y_nm,ux_nm,uy_nm,c,li_at_pct,mu_j_per_mol,sigma_h_pa
    public func nodesCSV() -> String {
        var out = "x_nm,y_nm,ux_nm,uy_nm,c,li_at_pct,mu_j_per_mol,sigma_h_pa\n"
        out.reserveCapacity(model.mesh.nodeCount * 120)
        for n in 0..<model.mesh.nodeCount {
            let (px, py) = model.mesh.position(n)
            out += "\(px),\(py),\(ux[n]),\(uy[n]),\(c[n]),\(liAtPercent[n]),\(mu[n]),\(sigmaH[n])\n"
        }
        return out
    }

    /// A line profile: `count` points from (x0, y0) to (x1, y1), interpolated in the elements.
    public struct Profile: Sendable {
        public var distance: [Double], x: [Double], y: [Double]
        public var c: [Double], liAtPercent: [Double], muJPerMol: [Double], sigmaHPa: [Double]
        /// The atomic density of the phase at each point (what an instrument model blurs).
        public var atomsPerNm3: [Double]

        public func csv() -> String {
            var out = "distance_nm,x_nm,y_nm,c,li_at_pct,mu_j_per_mol,sigma_h_pa,atoms_per_nm3\n"
            for k in distance.indices {
                out += "\(distance[k]),\(x[k]),\(y[k]),\(c[k]),\(liAtPercent[k]),\(muJPerMol[k]),\(sigmaHPa[k]),\(atomsPerNm3[k])\n"
            }
            return out
        }
    }

    public func profile(from p0: (Double, Double), to p1: (Double, Double), count: Int = 201) throws -> Profile {
        guard count >= 2 else { throw AtomProbeError.invalid("a profile needs at least 2 points") }
        var prof = Profile(distance: [], x: [], y: [], c: [], liAtPercent: [], muJPerMol: [], sigmaHPa: [], atomsPerNm3: [])
        let len = ((p1.0 - p0.0) * (p1.0 - p0.0) + (p1.1 - p0.1) * (p1.1 - p0.1)).squareRoot()
        for k in 0..<count {
            let t = Double(k) / Double(count - 1)
            let px = p0.0 + t * (p1.0 - p0.0), py = p0.1 + t * (p1.1 - p0.1)
            guard let (e, q) = model.locate(px, py) else {
                throw AtomProbeError.invalid(String(format: "profile point (%.3g, %.3g) nm lies outside the domain", px, py))
            }
            let N = q.N
            let nodes = model.nodes(of: e)
            func interp(_ f: [Double]) -> Double { (0..<4).reduce(0.0) { $0 + N[$1] * f[nodes[$1]] } }
            let cc = interp(c)
            prof.distance.append(t * len); prof.x.append(px); prof.y.append(py)
            prof.c.append(cc)
            let content = model.materials[Int(model.materialOfElement[e])].liContent
            prof.liAtPercent.append(mapping.atPercent(cc, in: content))
            prof.atomsPerNm3.append(mapping.atomsPerNm3(cc, in: content))
            prof.muJPerMol.append(interp(mu)); prof.sigmaHPa.append(interp(sigmaH))
        }
        return prof
    }

    // MARK: VTK XML unstructured grid

    /// A `.vtu` file for ParaView: quads, point data (c, li_at_pct, mu, displacement, sigma_h,
    /// stress components) and cell data (material). Binary (base64) arrays.
    public func vtu() -> String {
        let mesh = model.mesh
        func b64<T>(_ values: [T]) -> String {
            var d = Data()
            var size = UInt32(values.count * MemoryLayout<T>.stride).littleEndian
            withUnsafeBytes(of: &size) { d.append(contentsOf: $0) }
            values.withUnsafeBytes { d.append(contentsOf: $0) }
            return d.base64EncodedString()
        }
        func floatArray(_ name: String, _ v: [Double], components: Int = 1) -> String {
            "<DataArray type=\"Float64\" Name=\"\(name)\" NumberOfComponents=\"\(components)\" format=\"binary\">\(b64(v))</DataArray>\n"
        }
        var points: [Double] = []
        for n in 0..<mesh.nodeCount { let (px, py) = mesh.position(n); points += [px, py, 0] }
        var conn: [Int64] = [], offsets: [Int64] = []
        for e in 0..<mesh.elementCount {
            let (a, b, cc, d) = mesh.elementNodes(e)
            conn += [Int64(a), Int64(b), Int64(cc), Int64(d)]
            offsets.append(Int64(4 * (e + 1)))
        }
        var out = "<?xml version=\"1.0\"?>\n<VTKFile type=\"UnstructuredGrid\" version=\"1.0\" byte_order=\"LittleEndian\" header_type=\"UInt32\">\n<UnstructuredGrid>\n"
        out += "<Piece NumberOfPoints=\"\(mesh.nodeCount)\" NumberOfCells=\"\(mesh.elementCount)\">\n<PointData Scalars=\"c\">\n"
        out += floatArray("c", c) + floatArray("li_at_pct", liAtPercent) + floatArray("mu_j_per_mol", mu)
        out += floatArray("sigma_h_pa", sigmaH)
        out += floatArray("displacement_nm", (0..<mesh.nodeCount).flatMap { [ux[$0], uy[$0], 0] }, components: 3)
        out += floatArray("stress_pa", stress.flatMap { [$0[0], $0[5], $0[4], $0[5], $0[1], $0[3], $0[4], $0[3], $0[2]] }, components: 9)
        out += "</PointData>\n<CellData>\n"
        out += "<DataArray type=\"UInt8\" Name=\"material\" format=\"binary\">\(b64(model.materialOfElement))</DataArray>\n"
        out += "</CellData>\n<Points>\n" + floatArray("points_nm", points, components: 3) + "</Points>\n<Cells>\n"
        out += "<DataArray type=\"Int64\" Name=\"connectivity\" format=\"binary\">\(b64(conn))</DataArray>\n"
        out += "<DataArray type=\"Int64\" Name=\"offsets\" format=\"binary\">\(b64(offsets))</DataArray>\n"
        out += "<DataArray type=\"UInt8\" Name=\"types\" format=\"binary\">\(b64([UInt8](repeating: 9, count: mesh.elementCount)))</DataArray>\n"
        out += "</Cells>\n</Piece>\n</UnstructuredGrid>\n</VTKFile>\n"
        return out
    }
}
