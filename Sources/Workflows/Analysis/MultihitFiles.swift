import Foundation
import AtomProbe
import AtomProbeAnalysis
import KitFoundation
import Plotting

/// The files of `atomprobe multihit` (CONVENTIONS.md, README "Multiple hits"): `multihit.json`
/// (`ipp_histogram`, `events`, `compositions` of `singles`, `multiples` and `all` ions as in
/// `composition --json`, `dead_zone` per pair of ion types, `tracks`, `settings`),
/// `correlation.svg`/`.csv` (the correlation histogram), `multiplicity.csv`/`.svg`,
/// `spectra.csv`/`.svg` (singles and multiples), `detector-distances.csv`/`.svg` (same-pulse pair
/// separations with the dead-zone fits) and, with the correction, `composition-corrected.json`.
public enum MultihitFiles {
    public static func names(_ r: MultihitRun.Result) -> String {
        "multihit.json, correlation.svg, correlation.csv, multiplicity.csv, multiplicity.svg, spectra.csv, spectra.svg, detector-distances.csv, detector-distances.svg"
            + (r.corrected == nil ? "" : ", composition-corrected.json")
    }

    static func write(_ text: String, _ dir: String, _ name: String) throws { try AtomicFile.write(text, to: dir + "/" + name) }

    /// What a user reads.
    public static func text(_ r: MultihitRun.Result) -> [String] {
        let e = r.events
        var lines = ["ions per pulse (records): " + e.ippHistogram.map { "\($0.value): \($0.records)" }.joined(separator: ", "),
                     "\(e.singles.reduce(0, +)) ions in single events, \(e.multiples.reduce(0, +)) in multiple events; \(e.pairs) same-pulse pairs (\(e.rangedPairs) of ranged ions)"]
        func pct(_ c: Composition) -> String { c.entries.map { String(format: "%@ %.3f ± %.3f", $0.name, $0.atPercent, $0.sigmaAtPercent) }.joined(separator: ", ") }
        lines.append("singles (at.%): " + pct(r.singles))
        lines.append("multiples (at.%): " + pct(r.multiples))
        for p in r.deadZone.pairs where p.sameType && p.status != .unsupported {
            lines.append(p.status == .loss
                ? String(format: "dead zone: %@-%@ pairs missing %.1f ± %.1f (lost %@ ions; hole radius from the data %.2f mm)", p.names.0, p.names.0, p.missing ?? 0, p.sigma ?? 0, p.names.0, p.estimatedRadius ?? 0)
                : String(format: "dead zone: %@-%@ no significant deficit (%.1f ± %.1f pairs): lost 0, 95 %% upper limit %.1f", p.names.0, p.names.0, p.deficit ?? 0, p.sigma ?? 0, p.upperLimit ?? 0))
        }
        lines += r.deadZone.warnings.map { "warning: " + $0 }
        if let c = r.corrected { lines.append("all ions, dead-zone losses added (at.%): " + pct(c)) }
        for t in r.tracks { lines.append(String(format: "track %@: %d pairs along it, %.1f along the same curve shifted 1.5 Da to either side", t.track.text, t.onTrack, t.offTrack)) }
        return lines
    }

    public static func write(_ r: MultihitRun.Result, input: String, dir: String) throws {
        let e = r.events, o = e.options, dz = r.deadZone
        let pairs: JSONValue = .object(dz.pairs.map { p in
            ("\(p.names.0)-\(p.names.1)", .object([
                ("lost_ions", p.missing.map { .number($0) } ?? .null), ("sigma_lost_ions", p.sigma.map { .number($0) } ?? .null),
                ("observed_in_zone", .int(p.observedInZone)), ("expected_in_zone", p.expectedInZone.map { .number($0) } ?? .null),
                ("fit_pairs", .int(p.fitPairs)), ("chi2_per_dof", p.chi2PerDof.map { .number($0) } ?? .null),
                ("lost_ion", .string(p.sameType ? p.names.0 : "either")), ("reason", p.reason.map { .string($0) } ?? .null),
                ("status", .string(p.status.rawValue)), ("deficit", p.deficit.map { .number($0) } ?? .null),
                ("upper_limit_95", p.upperLimit.map { .number($0) } ?? .null), ("estimated_radius_mm", p.estimatedRadius.map { .number($0) } ?? .null),
                ("warning", p.warning.map { .string($0) } ?? .null)]))
        })
        let losses: JSONValue = .object(dz.losses.map { ($0.name, .object([("lost_ions", .number($0.lost)), ("sigma_lost_ions", .number($0.sigma))])) })
        var compositions: [(String, JSONValue)] = [("singles", r.singles.json), ("multiples", r.multiples.json), ("all", r.all.json)]
        if let c = r.corrected { compositions.append(("corrected", c.json)) }
        let json: JSONValue = .object([
            ("input", .string(input)),
            ("ipp_histogram", .object(e.ippHistogram.map { (String($0.value), .int($0.records)) })),
            ("events", .object(e.events.enumerated().filter { $0.element > 0 }.map { (String($0.offset), .int($0.element)) })),
            ("pairs", .int(e.pairs)), ("ranged_pairs", .int(e.rangedPairs)),
            ("compositions", .object(compositions)),
            ("dead_zone", .object([("radius_mm", .number(dz.options.deadZone)), ("fit_width_mm", .number(dz.options.fitWidth)),
                                   ("min_pairs", .int(dz.options.minPairs)),
                                   ("model", .string("pair density per detector area exp(b0 + b1 u + b2 u^2), Poisson fit beyond the radius, extrapolated inside; each missing pair is one lost ion; a loss only when the deficit is >= 3 sigma and the fit's chi2/dof <= 1 + 3 sqrt(2/dof)")),
                                   ("pairs", pairs), ("losses", losses), ("warnings", .array(dz.warnings.map { .string($0) }))])),
            ("tracks", .array(r.tracks.map { t in
                .object([("reaction", .string(t.track.text)), ("pairs_on_track", .int(t.onTrack)), ("pairs_off_track", .number(t.offTrack)),
                         ("parent_mz_da", .number(t.track.parent.mass / Double(t.track.parent.charge))),
                         ("daughters_mz_da", .numbers([t.track.daughters.0.mass / Double(t.track.daughters.0.charge), t.track.daughters.1.mass / Double(t.track.daughters.1.charge)]))])
            })),
            ("settings", .object([("max_mass_da", .number(o.maxMass)), ("spectrum_bin_da", .number(o.spectrumBin)), ("correlation_bin_da", .number(o.correlationBin)),
                                  ("distance_bin_mm", .number(o.distanceBin)), ("max_distance_mm", .number(o.maxDistance)),
                                  ("dead_zone_mm", .number(dz.options.deadZone)), ("fit_width_mm", .number(dz.options.fitWidth)),
                                  ("dead_time_correction", .bool(r.corrected != nil))])),
        ])
        try write(json.serialized(), dir, "multihit.json")
        if let c = r.corrected {
            guard case .object(var fields) = c.json else { return }
            fields.append(("losses", losses))
            try write(JSONValue.object(fields).serialized(), dir, "composition-corrected.json")
        }
        try write(e.correlation.csv, dir, "correlation.csv")
        try write(correlationFigure(r), dir, "correlation.svg")
        try write("ions_per_pulse,records,events\n" + e.ippHistogram.map { "\($0.value),\($0.records),\($0.value == 0 ? 0 : $0.records)" }.joined(separator: "\n") + "\n", dir, "multiplicity.csv")
        var m = LinePlot(title: "Ions per pulse", xLabel: "ions in the pulse", yLabel: "events")
        m.yScale = .log
        let ev = e.ippHistogram.filter { $0.value > 0 }
        m.series = [LinePlot.Series(name: "events", x: ev.map { Double($0.value) }, y: ev.map { Double($0.records) }, color: "#1f77b4", style: .linePoints)]
        try write(m.render(), dir, "multiplicity.svg")
        try spectra(e, dir: dir)
        try distances(r, dir: dir)
    }

    static func correlationFigure(_ r: MultihitRun.Result) -> String {
        let h = r.events.correlation
        let (centers, values) = h.logImage(maxBins: 300)
        var map = HeatMap(title: "Correlation histogram (same-pulse pairs)", colorLabel: "log10(1 + pairs)", xs: centers, ys: centers, values: values, scale: .sequential)
        map.xLabel = "m/n of the lighter ion (Da)"; map.yLabel = "m/n of the heavier ion (Da)"
        map.raster = centers.count
        map.curves = r.tracks.map { t in (t.track.curve().map { (min($0.0, $0.1), max($0.0, $0.1)) }, t.track.text) }
        return map.render()
    }

    static func spectra(_ e: MultiHitEvents, dir: String) throws {
        let w = e.options.spectrumBin
        var csv = "mz_da,singles,multiples\n"
        for k in e.singlesSpectrum.indices where e.singlesSpectrum[k] + e.multiplesSpectrum[k] > 0 {
            csv += "\((Double(k) + 0.5) * w),\(e.singlesSpectrum[k]),\(e.multiplesSpectrum[k])\n"
        }
        try write(csv, dir, "spectra.csv")
        var plot = LinePlot(title: "Spectra of single and multiple events", xLabel: "mass-to-charge (Da)", yLabel: "ions per bin")
        plot.yScale = .log
        for (name, s, color) in [("singles", e.singlesSpectrum, "#1f77b4"), ("multiples", e.multiplesSpectrum, "#d62728")] {
            let k = s.indices.filter { s[$0] > 0 }
            plot.series.append(LinePlot.Series(name: name, x: k.map { (Double($0) + 0.5) * w }, y: k.map { Double(s[$0]) }, color: color, style: .step))
        }
        try write(plot.render(), dir, "spectra.svg")
    }

    /// Same-type pair separations (every same-type pair with pairs) and the fitted model.
    static func distances(_ r: MultihitRun.Result, dir: String) throws {
        let e = r.events, w = e.options.distanceBin
        let same = r.deadZone.pairs.filter(\.sameType)
        var header = ["distance_mm"]
        for p in same { header += ["\(p.names.0)-\(p.names.1)", "\(p.names.0)-\(p.names.1)_model"] }
        var rows = [header.joined(separator: ",")]
        let hist = same.map { Array(e.distanceHistogram($0.types.0, $0.types.1)) }
        for k in 0..<e.distanceBins {
            var row = [String((Double(k) + 0.5) * w)]
            for (j, p) in same.enumerated() { row += [String(hist[j][k]), k < p.model.count ? String(p.model[k]) : ""] }
            rows.append(row.joined(separator: ","))
        }
        try write(rows.joined(separator: "\n") + "\n", dir, "detector-distances.csv")
        var plot = LinePlot(title: "Detector distance of same-pulse pairs of one ion type", xLabel: "distance on the detector (mm)", yLabel: "pairs per mm² of detector")
        let shown = same.sorted { $0.fitPairs > $1.fitPairs }.prefix(4)
        let end = min(e.distanceBins, Int(((r.deadZone.options.deadZone + r.deadZone.options.fitWidth) * 2 / w).rounded()))
        for (c, p) in shown.enumerated() {
            let h = Array(e.distanceHistogram(p.types.0, p.types.1))
            func area(_ k: Int) -> Double { Double.pi * w * w * Double(2 * k + 1) }
            let color = LinePlot.palette[c % LinePlot.palette.count]
            plot.series.append(LinePlot.Series(name: "\(p.names.0)-\(p.names.1)", x: (0..<end).map { (Double($0) + 0.5) * w }, y: (0..<end).map { Double(h[$0]) / area($0) }, color: color, style: .step))
            if !p.model.isEmpty {
                plot.series.append(LinePlot.Series(name: "\(p.names.0)-\(p.names.1) fit", x: p.model.indices.map { (Double($0) + 0.5) * w }, y: p.model.indices.map { p.model[$0] / area($0) }, color: color, dash: "5,3"))
            }
        }
        plot.markers = [(r.deadZone.options.deadZone, "dead-zone radius")]
        try write(plot.render(), dir, "detector-distances.svg")
    }
}
