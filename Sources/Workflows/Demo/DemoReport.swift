import Foundation
import SegregationFEM
import AtomProbe
import AtomProbeAnalysis
import ProfileComparison
import KitFoundation

/// The HTML report of `demo`: every table and figure of the run in one page (SVG inline), with
/// links to the data files.
public enum DemoReport {
    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// A figure with its one-line caption: what to look at.
    static func figure(_ svg: String, _ caption: String) -> String {
        "<figure class=\"figure\">\(svg)<figcaption>\(esc(caption))</figcaption></figure>"
    }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        "<table><tr>" + header.map { "<th>\(esc($0))</th>" }.joined() + "</tr>\n"
            + rows.map { "<tr>" + $0.map { "<td>\(esc($0))</td>" }.joined() + "</tr>" }.joined(separator: "\n") + "</table>\n"
    }

    /// The page of a demo run that took `seconds`.
    public static func html(_ demo: DemoRun, seconds: Double) -> String {
        let a = demo.analysis
        var h = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>AtomProbeKit demo report</title>
        <style>
        body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1200px; color: #222; }
        h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
        table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
        th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; } th { background: #f3f3f3; }
        td:first-child, th:first-child { text-align: left; }
        .figure svg { max-width: 100%; height: auto; } .row { display: flex; flex-wrap: wrap; gap: 1em; }
        .row .figure { flex: 1 1 45%; } code { background: #f5f5f5; padding: 0 0.2em; }
        figure.figure { margin: 0.5em 0 1em 0; } figcaption { font-size: 0.9em; color: #444; }
        </style></head><body>
        <h1>AtomProbeKit demo: Li-rich nanodendrites in Ta-doped LLZO</h1>
        <p>The chain of Cojocaru-Mir&eacute;din et al. (J. Power Sources 2025) on the bundled synthetic reconstruction
        (<code>SampleData/llzo-sample.pos</code>, whose ground truth is <code>SampleData/llzo-sample.truth.json</code>):
        Li iso-surfaces at \(String(format: "%g", a.threshold)) at.%, proximity histograms and the bulk vs nanodendrite composition table;
        the chemo-mechanical FEM model of Li segregation at an edge dislocation and at the LLZO/Li interface; and the measured
        Li profile against the simulated ones. Made in \(String(format: "%.0f", seconds)) s by <code>atomprobe demo</code>
        (AtomProbeKit \(Toolkit.version)). All numbers below are also in <code>results.h5</code> and the CSV/JSON files of each folder.</p>

        """
        // Analysis.
        h += "<h2>1. Reconstruction, iso-surfaces and objects</h2>\n"
        h += figure(demo.spectrumFigure, "The mass spectrum with the ranges shaded: every peak used should be inside a range.")
        h += demo.atomMap.html(title: "3D atom map (the study's Fig. 5c)")
        h += "<p>\(a.objects.count) object(s) enclosed by the Li \(String(format: "%g", a.threshold)) at.% iso-surface (\(a.mesh.triangles.count) triangles; meshes in <a href=\"analysis/isosurface.vtk\">isosurface.vtk</a> and <a href=\"analysis/isosurface.ply\">isosurface.ply</a>).</p>\n"
        h += table(["object", "ions", "atoms", "volume (nm^3)", "area (nm^2)", "centroid (nm)", "touches edge"], a.objects.map { o in
            [String(o.id), String(o.ions), String(o.atoms), String(format: "%.1f", o.volume), String(format: "%.1f", o.area),
             String(format: "(%.1f, %.1f, %.1f)", o.centroid.x, o.centroid.y, o.centroid.z), o.touchesEdge ? "yes" : "no"]
        })
        h += "<h2>2. Composition table (the study's Table 1)</h2>\n"
        h += "<p>Atomic compositions (decomposed molecular ions), one-sigma counting errors sqrt(c(1-c)/N); bulk: more than \(String(format: "%g", a.options.bulkDistance)) nm outside every surface; core: deeper than \(String(format: "%g", a.options.coreDistance)) nm inside.</p>\n"
        h += table(["region"] + a.elements.map { "\($0) (at.%)" } + ["atoms"], demo.table.rows.map { r in
            [r.name] + a.elements.map { el in r.composition.total == 0 ? "-" : (r.composition[el].map { Reports.plusMinus($0.atPercent, $0.sigmaAtPercent) } ?? "-") } + [String(r.composition.total)]
        })
        h += "<h2>3. Proximity histograms</h2>\n<div class=\"row\">"
        for f in demo.proxigramFigures { h += figure(f, "Composition against the signed distance to the iso-surface (negative: the matrix; positive: inside the object), one-sigma bands.") }
        h += "</div>\n"
        // Simulations.
        h += "<h2>4. FEM: Li segregation</h2>\n<p>Steady states of the model of section 3 of the study (parameters and sources in <code>SampleData/llzo-fem-parameters.json</code>). Li gathers where the hydrostatic stress is tensile.</p>\n"
        for s in demo.simulations {
            let sim = s.simulation, r = sim.results, rep = sim.report
            h += "<h3>\(esc(s.title))</h3>\n"
            h += table(["steady state", "time steps", "Newton iterations", "c min - max", "Li at.% min - max", "sigma_h min - max (GPa)", "mass change"], [[
                rep.steady ? "yes" : "no", String(rep.steps), String(rep.newtonIterations),
                String(format: "%.3f - %.3f", r.c.min()!, r.c.max()!),
                String(format: "%.1f - %.1f", r.liAtPercent.min()!, r.liAtPercent.max()!),
                String(format: "%.2f - %.2f", r.sigmaH.min()! / 1e9, r.sigmaH.max()! / 1e9),
                String(format: "%.1e", rep.massChangeRelative)]])
            if sim.scenario == .interface, let w = sim.interdiffusionWidth { h += "<p>Interdiffusion width (10-90 % of the laterally averaged c across the interface): \(String(format: "%.2f", w)) nm.</p>\n" }
            h += "<div class=\"row\">" + figure(s.figures.concentration, "Li site fraction c: where Li gathers.") + figure(s.figures.hydrostaticStress, "Hydrostatic stress: Li follows the tensile (positive) regions.") + "</div>\n"
            h += figure(s.figures.profile, "The fields along the profile line: the Li enrichment and its width.")
            h += "<p>Files: <a href=\"\(s.name)/summary.json\">summary.json</a>, <a href=\"\(s.name)/nodes.csv\">nodes.csv</a>, <a href=\"\(s.name)/fields.vtu\">fields.vtu</a>, <a href=\"\(s.name)/fields.xdmf\">fields.xdmf</a>, <a href=\"\(s.name)/profile.csv\">profile.csv</a>.</p>\n"
        }
        // Comparisons: like for like first (the same instrument and analysis), then the raw
        // overlays, marked as coming before the instrument model.
        h += "<h2>5. Measured vs simulated, like for like</h2>\n<p>Each scenario measured the way the specimen was: a virtual atom probe of its field, with the sample's detection efficiency and reconstruction blur, then the same analysis.</p>\n"
        if let st = demo.interface {
            h += "<h3>The Li/LLZO interface (Fig. 4c and 6)</h3>\n"
            let f = st.interface.fit
            h += "<p>The interface sample (<code>SampleData/llzo-li-interface.pos</code>, <code>atomprobe synth interface</code>) profiled along its normal: "
            h += String(format: "crossing %.2f &plusmn; %.2f nm, 10-90 %% width %.2f &plusmn; %.2f nm, Li %.1f &rarr; %.1f at.%%.</p>\n", f.crossing, f.crossingSigma, f.width1090, f.width1090Sigma, f.low, f.high)
            h += figure(st.profileFigure, "The measured Li profile across the interface with its erf fit: the crossing and the 10-90 % width.")
            h += "<p>Each interface scenario measured the same way, by a virtual atom probe of its field (the same reconstruction blur, the same profile) "
            h += "and, as a check, by blurring its line profile analytically; offsets fitted on the same measured points, Akaike weights from chi^2:</p>\n"
            for (title, r) in [("virtual atom probe", st.virtualRanking), ("analytic blur", st.analyticRanking)] {
                h += "<h4>\(title)</h4>\n"
                h += table(["scenario", "chi^2/dof", "delta chi^2", "Akaike weight", "RMSE (at.%)", "offset (nm)", "10-90 % width sim / meas (nm)"], r.entries.map { e in
                    let c = e.comparison
                    return [e.name, String(format: "%.2f", c.chiSquarePerDOF), String(format: "%.1f", e.deltaChiSquare), String(format: "%.3f", e.weight),
                            String(format: "%.2f", c.rmse), String(format: "%.2f", c.offset),
                            (c.simulatedShape.width.map { String(format: "%.2f", $0) } ?? "-") + " / " + (c.measuredShape.width.map { String(format: "%.2f", $0) } ?? "-")]
                })
            }
            h += "<p><b>\(esc(st.verdict))</b></p>\n"
            h += figure(st.virtualFigure, "The measured profile against each scenario measured like for like: the closest curve is the favoured scenario, if it fits at all.")
        }
        if let dc = demo.dislocationCheck {
            h += "<h3>The nanodendrite against the edge dislocation</h3>\n<p>A virtual atom probe of the dislocation's field (the same efficiency, ion catalogue and blur as the sample), profiled through the core with the Li-rich tensile side to the right, against the proxigram of object 1. <b>\(esc(dc.verdict))</b></p>\n"
            h += figure(dc.figure, "The nanodendrite's proxigram against the dislocation through the virtual atom probe: compare the peak heights.")
        }
        h += "<h2>6. Measured vs simulated Li profiles, before the instrument model (raw overlays)</h2>\n<p>Not like for like: these simulated profiles are not measured the way the specimen was (no detection, no reconstruction blur), so disagreement here says little; section 5 compares like for like. The proxigram of object 1 (Li at.%, with its errors) against each simulated profile, its site fraction mapped to Li at.% with the documented mapping (LLZO: 100 * 9c / (9c + 17); Li metal: 100) and its axis offset fitted (chi^2). <code>atomprobe compare --fit-mapping</code> fits the mapping's constants instead.</p>\n"
        h += table(["simulation", "points", "offset (nm)", "RMSE (at.%)", "chi^2/dof", "within 2 sigma", "agree?", "enrichment measured / simulated", "10-90 % width measured / simulated (nm)"],
                   demo.comparisons.map { r in
                       let c = r.comparison, m = c.measuredShape, s = c.simulatedShape
                       return [r.name, String(c.points.count), String(format: "%.2f", c.offset),
                               String(format: "%.2f", c.rmse), String(format: "%.2f", c.chiSquarePerDOF), String(format: "%.0f %%", 100 * c.within2Sigma),
                               c.agrees ? "yes" : "no", String(format: "%.1f / %.1f", m.enrichment, s.enrichment),
                               (m.width.map { String(format: "%.2f", $0) } ?? "-") + " / " + (s.width.map { String(format: "%.2f", $0) } ?? "-")]
                   })
        for c in demo.comparisons { h += "<h3>\(esc(c.title))</h3>\n" + figure(c.figure, "Raw overlay, before the instrument model: the simulated profile is sharper than any measurement of it can be.") }
        if let f = demo.fig6 {
            h += "<h2>7. The study's Fig. 6 contrast in this model</h2>\n<p>The study reports gradient-like interdiffusion without misfit dislocations (Fig. 6a) and an abrupt interface with them (Fig. 6b). "
            h += "Steady states of the interface over the partial molar volume: no misfit, the misfit of the dislocations taken up coherently, and misfit dislocations (<code>atomprobe simulate sweep</code>; files in <a href=\"fig6/\">fig6/</a>, the full study in docs/fem-fig6.md):</p>\n"
            h += table(["Omega (cm^3/mol)", "no misfit (nm)", String(format: "coherent, misfit %.4f (nm)", f.misfit), String(format: "dislocations every %g nm (nm)", f.spacing)], f.rows.map { r in
                [ParameterSweep.label(r.omega)] + [r.none, r.coherent, r.dislocations].map { $0.map { String(format: "%.2f", $0) } ?? "-" }
            })
            h += figure(f.widthFigure, "Interface width against the partial molar volume for the three misfit cases: where the curves separate, misfit dislocations sharpen the interface.")
            h += "<p>And a finite-time transient without misfit (kinetics, <code>simulate interface --end-time-s 1e-4</code>): the site fraction along the profile line at four times (<a href=\"fig6/transient/series.pvd\">series.pvd</a> animates it in ParaView).</p>\n"
            h += figure(f.seriesFigure, "The site fraction along the profile at four times of the transient: the interface widens with time.")
            h += "<p><b>\(esc(f.verdict))</b></p>\n"
        }
        h += "<h2>Files</h2>\n<ul><li><a href=\"results.h5\">results.h5</a>: the HDF5 bundle of everything (layout: docs/bundle.md)</li>"
        h += "<li><a href=\"analysis/\">analysis/</a>: table.*, objects.*, proxigram_*.{csv,json,svg}, isosurface.{vtk,ply}</li>"
        for s in demo.simulations { h += "<li><a href=\"\(s.name)/\">\(s.name)/</a></li>" }
        h += "</ul>\n"
        // Self-check for headless browsers (Scripts/check-report.sh): how many figures have a size.
        h += "<script>window.addEventListener('load', function () { var s = document.querySelectorAll('.figure > svg'); var ok = 0; "
        h += "for (var i = 0; i < s.length; i++) { var r = s[i].getBoundingClientRect(); if (r.width > 0 && r.height > 0) ok++; } "
        h += "document.body.setAttribute('data-figures', ok + '/' + s.length); });</script>\n</body></html>\n"
        return h
    }
}
