import Foundation
import KitFoundation
import AtomProbeAnalysis

/// The single steps of the iso-surface chain as runs of their own (`isosurface`, `proxigram`),
/// each into an output folder; `AnalyzeRun` writes them all at once.
extension SurfaceRun {
    /// Steps 1-2: the stored field (which `proxigram`, `table` and `analyze` can reuse), the
    /// surface and its objects. Returns the lines a user reads.
    public func isosurface(output: String, _ opener: IonSourceOpener) throws -> [String] {
        let run = try RunFolder(output, kind: "isosurface", inputs: filesRead)
        let (a, _) = try self.run(opener)
        try AnalysisFiles.field(a, inputs: inputs, dir: run.staging)
        try AnalysisFiles.surface(a.surface, dir: run.staging)
        try run.commit()
        return ["\(a.objects.count) object(s), \(a.mesh.triangles.count) triangles; wrote \(output)/isosurface.vtk, isosurface.ply, objects.json, field.json",
                Reports.objectsText(a.objects)]
    }

    /// Step 4: the proxigrams of every object and of all (`plotSpecies`: the elements plotted).
    public func proxigrams(output: String, plotSpecies: [String]?, _ opener: IonSourceOpener) throws -> [String] {
        let run = try RunFolder(output, kind: "proxigram", inputs: filesRead)
        let (a, _) = try self.run(opener)
        try AnalysisFiles.proxigrams(try ProxigramSet(a), species: a.species, threshold: a.threshold, dir: run.staging, plotSpecies: plotSpecies)
        try run.commit()
        return ["wrote proxigram_all and proxigram_object1...\(a.objects.count) (.csv, .json, .svg) to \(output)"]
    }

    /// Step 5: the composition table (bulk, inside, core) in `format`.
    public func table(format: Reports.Format, _ opener: IonSourceOpener) throws -> String {
        Reports.table(try CompositionTable(try run(opener).analysis), format: format)
    }
}
