import Foundation
import AtomProbe
import AtomProbeAnalysis
import KitFoundation

/// `analyze --report`: one self-contained HTML page for any dataset: the objects, the composition
/// table, the proxigram of all objects, the interactive 3D atom map, and whether the iso-surface
/// species is randomly distributed (its frequency distribution and pair correlation, issue 26).
public enum AnalysisReport {
    /// The species' frequency distribution (blocks of 100 atoms) and pair correlation (to 2 nm,
    /// 5 randomized copies of at most 50000 of its ions: a small, quick section).
    public static func statistics(_ source: any IonSource, table: RangeTable, species: String, memory: MemoryBudget) throws -> SpatialStatistics {
        let ions = try LabelledIons(source: source, table: table, memory: memory)
        var o = SpatialStatistics.Options(solutes: [species])
        o.randomizations = 5; o.rdfMax = 2; o.maxSolutes = 50_000; o.memory = memory
        return try SpatialStatistics(ions, options: o, nearestNeighbours: false)
    }

    public static func html(_ a: IsoSurfaceAnalysis, table: CompositionTable, proxigrams: ProxigramSet, atomMap: AtomMap,
                            statistics: Result<SpatialStatistics, Error>? = nil, title: String) -> String {
        func esc(_ s: String) -> String { s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;") }
        var h = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>AtomProbeKit analysis: \(esc(title))</title>
        <style>body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1200px; color: #222; }
        pre { background: #f5f5f5; padding: 0.5em; overflow-x: auto; } .figure svg { max-width: 100%; height: auto; }</style></head><body>
        <h1>\(esc(title)): \(esc(a.species)) \(String(format: "%g", a.threshold)) at.% iso-surface</h1>

        """
        h += atomMap.html()
        h += "<h2>Objects</h2><pre>\(esc(Reports.objectsText(a.objects)))</pre>\n"
        h += "<h2>Compositions</h2><pre>\(esc(Reports.tableText(table)))</pre>\n"
        h += "<h2>Proximity histogram (all objects)</h2><div class=\"figure\">\(ProxigramFigure.svg(proxigrams.all, title: "Proxigram, all objects", species: nil))</div>\n"
        switch statistics {
        case .success(let s)?:
            h += "<h2>Is \(esc(a.species)) randomly distributed?</h2><pre>\(esc(StatsFiles.text(s).joined(separator: "\n")))</pre>\n"
            h += "<div class=\"figure\">\(StatsFiles.fdaFigure(s.frequency))</div>\n"
            h += "<div class=\"figure\">\(StatsFiles.rdfFigure(s.pairCorrelation, solutes: a.species))</div>\n"
        case .failure(let e)?:
            h += "<h2>Is \(esc(a.species)) randomly distributed?</h2><p>Not computed: \(esc("\(e)"))</p>\n"
        case nil: break
        }
        h += "<p>AtomProbeKit \(Toolkit.version). Files beside this page: table.*, objects.*, proxigram_*, isosurface.vtk/.ply, field.json.</p>\n"
        h += "<script>window.addEventListener('load', function () { var s = document.querySelectorAll('.figure > svg'); var ok = 0; "
        h += "for (var i = 0; i < s.length; i++) { var r = s[i].getBoundingClientRect(); if (r.width > 0 && r.height > 0) ok++; } "
        h += "document.body.setAttribute('data-figures', ok + '/' + s.length); });</script>\n</body></html>\n"
        return h
    }
}
