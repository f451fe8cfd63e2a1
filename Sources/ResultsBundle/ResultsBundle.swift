import Foundation
import KitFoundation
import AtomProbe
import AtomProbeAnalysis
import SegregationFEM
import ProfileComparison
import HDF5Kit

/// The HDF5 results bundle (layout in docs/bundle.md): one file with the analysis, the
/// simulations and the comparisons of a run, the toolkit version and the command line.
/// Written to a temporary name beside its place and renamed there by `close`.
public final class ResultsBundle {
    public let path: String
    private let tmp: String
    private let file: HDF5File

    public init(path: String, commandLine: [String] = CommandLine.arguments) throws {
        self.path = path
        tmp = try AtomicFile.temporaryPath(beside: path)
        do {
            file = try HDF5File.create(tmp)
            try file.setAttribute("format", "AtomProbeKit results bundle 1")
            try file.setAttribute("toolkit_version", Toolkit.version)
            try file.setAttribute("command_line", commandLine.joined(separator: " "))
            try file.setAttribute("created_utc", ISO8601DateFormatter().string(from: Date()))
        } catch let e as HDF5Error { unlink(tmp); throw AtomProbeError(.io, e.message, file: path) }
    }

    /// Flushes and moves the file into place.
    public func close() throws {
        do { try file.flush() } catch let e as HDF5Error { unlink(tmp); throw AtomProbeError(.io, e.message, file: path) }
        try AtomicFile.moveIntoPlace(tmp, path)
    }

    /// A bundle written whole under its temporary name, to be published (renamed into place)
    /// with the run folder it belongs to, or discarded when that folder is not published.
    public struct Staged: Sendable {
        let tmp: String, path: String
        public func publish() throws { try AtomicFile.moveIntoPlace(tmp, path) }
        public func discard() { unlink(tmp) }
    }

    /// Writes a bundle at `path` (never one of `inputs`) with `body`, closed but not yet in place.
    public static func staged(_ path: String, inputs: [String], _ body: (ResultsBundle) throws -> Void) throws -> Staged {
        try Folders.refuseOverwrite(path, inputs: inputs)
        let staged: Staged
        do {
            let b = try ResultsBundle(path: path)
            staged = Staged(tmp: b.tmp, path: path)
            do {
                try body(b)
                try b.hdf5 { try b.file.flush() }
            } catch { staged.discard(); throw error }
        }  // the file is closed here, when `b` goes
        return staged
    }

    /// `/analysis`: the stored steps of an iso-surface analysis.
    public func addAnalysis(_ a: IsoSurfaceAnalysis, proxigrams: ProxigramSet, table: CompositionTable,
                            reconstruction: String, ranges: String) throws {
        try hdf5 {
            let g = try file.createGroup("analysis")
            try g.setAttribute("reconstruction", reconstruction)
            try g.setAttribute("ranges", ranges)
            try g.setAttribute("species", a.species)
            try g.setAttribute("threshold_at_pct", [a.threshold])
            try g.setAttribute("bulk_distance_nm", [a.options.bulkDistance])
            try g.setAttribute("core_distance_nm", [a.options.coreDistance])
            try g.writeString("ranges_json", Reports.rangesJSON(a.table).serialized(pretty: false))
            try g.writeString("table_json", Reports.tableJSON(table).serialized(pretty: false))
            let t = try g.createGroup("composition_table")
            try t.writeString("row_names", table.rows.map(\.name).joined(separator: "\n"))
            try t.write("atoms", table.rows.map { Int64($0.composition.total) })
            for el in table.elements {
                try t.write("\(el)_at_pct", table.rows.map { $0.composition[el]?.atPercent ?? .nan })
                try t.write("\(el)_sigma_at_pct", table.rows.map { $0.composition[el]?.sigmaAtPercent ?? .nan })
            }
            try g.writeString("objects_json", Reports.objectsJSON(a.objects).serialized(pretty: false))
            let m = try g.createGroup("isosurface")
            try m.write("vertices_nm", a.mesh.vertices.flatMap { [$0.x, $0.y, $0.z] }, shape: [a.mesh.vertices.count, 3])
            try m.write("triangles", a.mesh.triangles.flatMap { [$0.x, $0.y, $0.z] }, shape: [a.mesh.triangles.count, 3])
            try m.write("object_id", a.mesh.objectID)
            for p in proxigrams.everyProxigram {
                let pg = try g.createGroup("proxigram/" + (p.objectID.map { "object\($0)" } ?? "all"))
                try pg.setAttribute("sign", "negative outside (bulk), positive inside (object)")
                if let id = p.objectID { try pg.setAttribute("object_id", [Int32(id)]) }
                try pg.write("distance_nm", p.binCenters)
                try pg.write("atoms", p.counts.indices.map { Int64(p.total($0)) })
                for (e, el) in p.elements.enumerated() {
                    try pg.write("\(el)_count", p.counts.map { Int64($0[e]) })
                    try pg.write("\(el)_at_pct", p.counts.indices.map { p.atPercent(e, bin: $0).value })
                    try pg.write("\(el)_sigma_at_pct", p.counts.indices.map { p.atPercent(e, bin: $0).sigma })
                }
            }
        }
    }

    /// `/simulation/<name>`: fields, summary and profile of one simulation.
    public func addSimulation(_ name: String, _ sim: Simulation, profile: FieldResults.Profile) throws {
        try hdf5 {
            try sim.results.writeHDF5(file, group: "simulation/" + name, fileName: URL(fileURLWithPath: path).lastPathComponent)
            let g = try file.openGroup("simulation/" + name)
            try g.writeString("summary_json", sim.summaryJSON.serialized(pretty: false))
            let p = try g.createGroup("profile")
            try p.write("distance_nm", profile.distance); try p.write("x_nm", profile.x); try p.write("y_nm", profile.y)
            try p.write("c", profile.c); try p.write("li_at_pct", profile.liAtPercent); try p.write("sigma_h_pa", profile.sigmaHPa)
        }
    }

    /// `/comparison/<name>`: the comparison's JSON and its points.
    public func addComparison(_ name: String, _ c: Comparison, json: JSONValue) throws {
        try hdf5 {
            let g = try file.createGroup("comparison/" + name)
            try g.writeString("comparison_json", json.serialized(pretty: false))
            try g.write("distance_nm", c.points.map(\.distance))
            try g.write("measured", c.points.map(\.measured))
            try g.write("sigma", c.points.map(\.sigma))
            try g.write("simulated", c.points.map(\.simulated))
        }
    }

    /// `/comparison/ranking_json`: the ranking of several scenarios.
    public func addRanking(_ json: JSONValue) throws {
        try hdf5 {
            let g = file.exists("comparison") ? try file.openGroup("comparison") : try file.createGroup("comparison")
            try g.writeString("ranking_json", json.serialized(pretty: false))
        }
    }

    /// A failed write leaves the bundle incomplete (a full disk, say): its temporary file goes.
    private func hdf5(_ body: () throws -> Void) throws {
        do { try body() } catch let e as HDF5Error { unlink(tmp); throw AtomProbeError(.io, e.message, file: path) }
    }

    /// Reads a profile stored in a bundle group, `FILE.h5:/analysis/proxigram/object1`, with
    /// datasets named by the columns (distance, value, sigma).
    public static func readProfile(_ spec: String, distance: String, value: String, sigma: String) throws -> Profile {
        guard let r = spec.range(of: ".h5:") else { throw AtomProbeError.invalid("expected FILE.h5:/group, got \(spec)") }
        let path = String(spec[..<spec.index(r.lowerBound, offsetBy: 3)])
        let group = String(spec[r.upperBound...])
        do {
            let f = try HDF5File.open(path)
            let g = try f.openGroup(group)
            let most = 10_000_000  // a profile, not a reconstruction
            let d = try g.read(distance, as: Double.self, maxElements: most).values, v = try g.read(value, as: Double.self, maxElements: most).values
            let s = try g.read(sigma, as: Double.self, maxElements: most).values
            guard d.count == v.count && v.count == s.count else {
                throw AtomProbeError(.format, "\(group): \(distance), \(value) and \(sigma) differ in length (\(d.count), \(v.count), \(s.count))", file: path)
            }
            return Profile(distance: d, value: v, sigma: s, label: value).cleaned()
        } catch let e as HDF5Error { throw AtomProbeError(.io, e.message, file: path) }
    }
}
