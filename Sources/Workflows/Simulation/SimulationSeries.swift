import Foundation
import KitFoundation
import SegregationFEM
import HDF5Kit
import Plotting

/// The snapshots of a transient as files ParaView animates and people read:
/// `series.pvd` + `series/fields_KKKK.vtu` (one VTU per snapshot, time in seconds),
/// `series.h5` + `series.xdmf` (a temporal collection over the same mesh), and the profile line at
/// every snapshot: `profile_series.csv` (distance, then c and Li at.% per time) and `profile_series.svg`.
public enum SimulationSeries {
    public static let names = "series.pvd, series/, series.h5, series.xdmf, profile_series.csv, profile_series.svg"

    /// Writes the series of `sim` (nothing when it kept no snapshots); returns the figure.
    @discardableResult
    public static func write(_ sim: Simulation, to dir: String, line: (Double, Double, Double, Double)) throws -> String? {
        let snaps = sim.report.snapshots
        guard !snaps.isEmpty else { return nil }
        let model = sim.model
        let seconds = snaps.map { $0.time * model.timeUnit }
        try Folders.make(dir + "/series")
        var pvd = "<?xml version=\"1.0\"?>\n<VTKFile type=\"Collection\" version=\"1.0\" byte_order=\"LittleEndian\">\n<Collection>\n"
        var profiles: [FieldResults.Profile] = []
        let results = snaps.map { FieldResults(model: model, state: $0.state) }
        for (k, r) in results.enumerated() {
            let name = String(format: "series/fields_%04d.vtu", k)
            try AtomicFile.write(r.vtu(), to: dir + "/" + name)
            pvd += "<DataSet timestep=\"\(seconds[k])\" group=\"\" part=\"0\" file=\"\(name)\"/>\n"
            do { profiles.append(try r.profile(from: (line.0, line.1), to: (line.2, line.3))) } catch { throw AtomProbeError.invalid("\(error)") }
        }
        pvd += "</Collection>\n</VTKFile>\n"
        try AtomicFile.write(pvd, to: dir + "/series.pvd")
        var xdmf = ""
        try AtomicFile.produce(dir + "/series.h5") { tmp in
            do {
                let file = try HDF5File.create(tmp)
                xdmf = try writeHDF5(file, results: results, seconds: seconds, fileName: "series.h5")
                try file.flush()
            } catch let e as HDF5Error { throw AtomProbeError(.io, e.message, file: dir + "/series.h5") }
        }
        try AtomicFile.write(xdmf, to: dir + "/series.xdmf")
        // The profile line at every snapshot.
        var csv = "distance_nm," + (seconds.map { String(format: "c_t%.6gs", $0) } + seconds.map { String(format: "li_at_pct_t%.6gs", $0) }).joined(separator: ",") + "\n"
        for i in profiles[0].distance.indices {
            csv += "\(profiles[0].distance[i])," + (profiles.map { "\($0.c[i])" } + profiles.map { "\($0.liAtPercent[i])" }).joined(separator: ",") + "\n"
        }
        try AtomicFile.write(csv, to: dir + "/profile_series.csv")
        // The site fraction c (not Li at.%, which is 100 throughout Li metal) shows both sides.
        var plot = LinePlot(title: "Li site fraction along the profile line during the transient", xLabel: "distance along the line (nm)", yLabel: "c (Li site fraction)")
        for (k, p) in profiles.enumerated() {
            plot.series.append(.init(name: String(format: "t = %.3g s", seconds[k]), x: p.distance, y: p.c, color: LinePlot.palette[k % 10], style: .line))
        }
        let svg = plot.render()
        try AtomicFile.write(svg, to: dir + "/profile_series.svg")
        return svg
    }

    /// /mesh once and /snapshots/KKKK/{c, li_at_pct, mu_j_per_mol, sigma_h_pa} with a time_s
    /// attribute; /time_s. Returns the XDMF temporal collection.
    static func writeHDF5(_ file: HDF5File, results: [FieldResults], seconds: [Double], fileName: String) throws -> String {
        let mesh = results[0].model.mesh
        try FieldResults.writeMesh(mesh, to: try file.createGroup("mesh"))
        let root = try file.createGroup("snapshots")
        try root.write("time_s", seconds)
        var x = "<?xml version=\"1.0\" ?>\n<Xdmf Version=\"3.0\">\n<Domain>\n<Grid Name=\"series\" GridType=\"Collection\" CollectionType=\"Temporal\">\n"
        for (k, r) in results.enumerated() {
            let name = String(format: "%04d", k)
            let g = try root.createGroup(name)
            try g.setAttribute("time_s", [seconds[k]])
            let fields: [(String, [Double])] = [("c", r.c), ("li_at_pct", r.liAtPercent), ("mu_j_per_mol", r.mu), ("sigma_h_pa", r.sigmaH)]
            x += "<Grid Name=\"t\(name)\" GridType=\"Uniform\">\n<Time Value=\"\(seconds[k])\"/>\n"
            x += "<Topology TopologyType=\"Quadrilateral\" NumberOfElements=\"\(mesh.elementCount)\">\n<DataItem Dimensions=\"\(mesh.elementCount) 4\" NumberType=\"Int\" Precision=\"4\" Format=\"HDF\">\(fileName):/mesh/quads</DataItem>\n</Topology>\n"
            x += "<Geometry GeometryType=\"XY\">\n<DataItem Dimensions=\"\(mesh.nodeCount) 2\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">\(fileName):/mesh/nodes_nm</DataItem>\n</Geometry>\n"
            for (f, v) in fields {
                try g.write(f, v)
                x += "<Attribute Name=\"\(f)\" AttributeType=\"Scalar\" Center=\"Node\">\n<DataItem Dimensions=\"\(mesh.nodeCount)\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">\(fileName):/snapshots/\(name)/\(f)</DataItem>\n</Attribute>\n"
            }
            x += "</Grid>\n"
        }
        x += "</Grid>\n</Domain>\n</Xdmf>\n"
        return x
    }
}
