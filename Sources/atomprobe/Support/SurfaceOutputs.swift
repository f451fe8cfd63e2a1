import Foundation
import AtomProbe
import AtomProbeIO
import AtomProbeAnalysis
import Plotting
import KitFoundation

/// Writes the files of an iso-surface analysis (each documented in the README).
enum SurfaceOutputs {
    static func write(_ text: String, _ dir: String, _ name: String) throws {
        try AtomicFile.write(text, to: dir + "/" + name)
    }

    static func meshes(_ a: IsoSurfaceAnalysis, dir: String) throws {
        try MeshIO.writeVTK(a.mesh, to: dir + "/isosurface.vtk", title: "\(a.species) \(a.threshold) at.% iso-surface (nm)")
        try MeshIO.writePLY(a.mesh, to: dir + "/isosurface.ply")
        try write(Reports.objectsJSON(a).serialized(), dir, "objects.json")
        try write(Reports.objectsText(a), dir, "objects.txt")
    }

    static func table(_ a: IsoSurfaceAnalysis, dir: String) throws -> String {
        let rows = try a.compositionTable()
        try write(Reports.tableJSON(a, rows: rows).serialized(), dir, "table.json")
        try write(Reports.tableCSV(a, rows: rows), dir, "table.csv")
        try write(Reports.tableText(a, rows: rows, markdown: true), dir, "table.md")
        let text = Reports.tableText(a, rows: rows)
        try write(text, dir, "table.txt")
        return text
    }

    /// One CSV, JSON and SVG per object (`proxigram_object<N>`) and for all objects (`proxigram_all`).
    static func proxigrams(_ a: IsoSurfaceAnalysis, dir: String, plotSpecies: [String]?) throws {
        let (all, per) = a.proxigrams()
        for p in [all] + per {
            let base = p.objectID.map { "proxigram_object\($0)" } ?? "proxigram_all"
            try write(Reports.proxigramCSV(p), dir, base + ".csv")
            try write(Reports.proxigramJSON(p, species: a.species, threshold: a.threshold).serialized(), dir, base + ".json")
            let title = "Proxigram, \(a.species) \(String(format: "%g", a.threshold)) at.% iso-surface, " + (p.objectID.map { "object \($0)" } ?? "all objects")
            try write(ProxigramFigure.svg(p, title: title, species: plotSpecies), dir, base + ".svg")
        }
    }
}

/// Fig. 5-style proxigram: at.% with one-sigma bars against signed distance, 0 = interface,
/// bulk left, object right.
enum ProxigramFigure {
    static func svg(_ p: IsoSurfaceAnalysis.Proxigram, title: String, species: [String]?) -> String {
        var plot = LinePlot(title: title, xLabel: "distance to the interface (nm): bulk < 0 < object", yLabel: "concentration (at.%)")
        let chosen = species ?? p.elements
        let colors = ["Li": "#e377c2", "La": "#ff7f0e", "Zr": "#9467bd", "O": "#17becf", "Ta": "#222222"]
        let x = p.binCenters
        for (k, el) in chosen.enumerated() {
            guard let e = p.elements.firstIndex(of: el) else { continue }
            let vals = x.indices.map { p.atPercent(e, bin: $0) }
            plot.series.append(LinePlot.Series(name: el, x: x, y: vals.map(\.value), yError: vals.map(\.sigma),
                                               color: colors[el] ?? LinePlot.palette[k % LinePlot.palette.count], style: .linePoints))
        }
        plot.yRange = 0...100
        plot.markers = [(0, "interface")]
        return plot.render()
    }
}
