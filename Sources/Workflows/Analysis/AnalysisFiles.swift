import Foundation
import KitFoundation
import AtomProbe
import AtomProbeIO
import AtomProbeAnalysis

/// The files of each stored step of the iso-surface chain (each documented in the README), so a
/// user can stop and inspect after any step.
public enum AnalysisFiles {
    static func write(_ text: String, _ dir: String, _ name: String) throws {
        try AtomicFile.write(text, to: dir + "/" + name)
    }

    /// Step 1: `concentration_<species>.f32`, `occupied.u8` and `field.json` (grid, delocalization,
    /// the surface facts a peer check needs, and the inputs: `StoredField` reads it back).
    public static func field(_ a: IsoSurfaceAnalysis, inputs: [String], dir: String) throws {
        let g = a.field.grid, d = a.field.delocalization
        let info: JSONValue = .object([
            ("voxel_nm", .number(g.spacing)), ("grid_size", .array([.int(g.size.x), .int(g.size.y), .int(g.size.z)])),
            ("origin_nm", .numbers([g.origin.x, g.origin.y, g.origin.z])),
            ("delocalization_nm", .numbers([d.x, d.y, d.z])),
            ("gaussian_sigma_nm", .numbers([a.field.gaussianSigma.x, a.field.gaussianSigma.y, a.field.gaussianSigma.z])),
            ("effective_sigma_nm", .numbers([a.field.effectiveSigma.x, a.field.effectiveSigma.y, a.field.effectiveSigma.z])),
            ("atoms_per_kernel", .number(a.field.atomsPerKernel)),
            ("warnings", .array(a.field.warnings.map { .string($0) })),
            ("min_density_atoms_per_nm3", .number(a.field.minDensity)),
            ("max_concentration_at_pct", .number(a.surface.maxConcentration)),
            ("concentration_file", .string("concentration_\(a.species).f32")),
            ("concentration_layout", .string(FieldFile.layout)),
            ("triangles_before_object_filter", .int(a.surface.rawTriangleCount)),
            ("area_before_object_filter_nm2", .number(a.surface.rawArea)),
        ] + (try StoredField.write(a.field, inputs: inputs, dir: dir)))
        try FieldFile.writeFloat32(try a.field.concentration(of: a.species), to: dir + "/concentration_\(a.species).f32")
        try write(info.serialized(), dir, "field.json")
    }

    /// Step 2: `isosurface.vtk`, `isosurface.ply` (object id per triangle), `objects.json`, `objects.txt`.
    public static func surface(_ s: SurfaceObjects, dir: String) throws {
        try MeshIO.writeVTK(s.mesh, to: dir + "/isosurface.vtk", title: "\(s.species) \(s.threshold) at.% iso-surface (nm)", cap: s.cap)
        try MeshIO.writePLY(s.mesh, to: dir + "/isosurface.ply")
        try write(Reports.objectsJSON(s.objects).serialized(), dir, "objects.json")
        try write(Reports.objectsText(s.objects), dir, "objects.txt")
    }

    /// Step 3 (on request, 8 bytes per ion): `distances.f32` (signed distance per ion, file
    /// order, float32 little-endian) and `distance_objects.i32` (its object, int32 little-endian).
    public static func distances(_ d: IonDistances, dir: String) throws {
        try FieldFile.writeFloat32(d.distance, to: dir + "/distances.f32")
        try AtomicFile.write(count: d.count * 4, to: dir + "/distance_objects.i32") { buf in
            for (k, v) in d.objectOfIon.enumerated() { buf.storeBytes(of: v.littleEndian, toByteOffset: 4 * k, as: Int32.self) }
        }
    }

    /// Step 4: one CSV, JSON and SVG per object (`proxigram_object<N>`) and for all objects
    /// (`proxigram_all`). Returns the figures, `all` first.
    @discardableResult
    public static func proxigrams(_ set: ProxigramSet, species: String, threshold: Double, dir: String, plotSpecies: [String]?) throws -> [String] {
        try set.everyProxigram.map { p in
            let base = p.objectID.map { "proxigram_object\($0)" } ?? "proxigram_all"
            try write(Reports.proxigramCSV(p), dir, base + ".csv")
            try write(Reports.proxigramJSON(p, species: species, threshold: threshold).serialized(), dir, base + ".json")
            let title = "Proxigram, \(species) \(String(format: "%g", threshold)) at.% iso-surface, " + (p.objectID.map { "object \($0)" } ?? "all objects")
            let svg = ProxigramFigure.svg(p, title: title, species: plotSpecies)
            try write(svg, dir, base + ".svg")
            return svg
        }
    }

    /// Step 5: `table.json`, `.csv`, `.md` and `.txt`; returns the text.
    @discardableResult
    public static func table(_ t: CompositionTable, dir: String) throws -> String {
        try write(Reports.tableJSON(t).serialized(), dir, "table.json")
        try write(Reports.tableCSV(t), dir, "table.csv")
        try write(Reports.tableText(t, markdown: true), dir, "table.md")
        let text = Reports.tableText(t)
        try write(text, dir, "table.txt")
        return text
    }
}
