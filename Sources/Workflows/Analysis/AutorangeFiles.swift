import Foundation
import KitFoundation
import AtomProbe
import AtomProbeIO
import AtomProbeAnalysis
import Plotting

/// The files of `atomprobe autorange` (CONVENTIONS.md, third round): `ranges.rrng` (read by every
/// command), `ranges.json` (`elements`, `ranges` each with `low_da`, `high_da`, `ion`, `charge`,
/// `atoms`, `counts`, `background_counts`, `purity`, `overlaps`; `unexplained_peaks` each with
/// `mass_to_charge_da`, `counts`, `significance`; the measured peak shape, the background and the
/// settings) and `spectrum.svg` (the spectrum with every range shaded and labelled by its ion).
public enum AutorangeFiles {
    public static let names = "ranges.rrng, ranges.json, spectrum.svg"

    /// Writes the ranges (`ranges.rrng`, `ranges.json`) into `dir`; with `spectrum`, the figure too.
    public static func write(_ r: AutomaticRanges, spectrum: MassSpectrum?, title: String, dir: String) throws {
        let table = try r.table()
        var files = [(RangeFileIO.rrngText(table), dir + "/ranges.rrng"), (json(r).serialized() + "\n", dir + "/ranges.json")]
        if let spectrum { files.append((svg(r, table: table, spectrum: spectrum, title: title), dir + "/spectrum.svg")) }
        try AtomicFile.writeTogether(files)
    }

    static func atoms(_ ion: IonType) -> JSONValue { .object(ion.atoms.map { ($0.symbol, .int($0.count)) }) }

    public static func json(_ r: AutomaticRanges) -> JSONValue {
        let s = r.settings
        return .object([
            ("elements", .array(s.elements.map { .string($0) })),
            ("ranges", .array(r.ranges.map { g in
                .object([("low_da", .number(g.low)), ("high_da", .number(g.high)), ("ion", .string(g.ion.name)), ("charge", .int(g.charge)),
                         ("atoms", atoms(g.ion)), ("peak_da", .number(g.peak)), ("counts", .number(g.counts)),
                         ("background_counts", .number(g.backgroundCounts)), ("purity", .number(g.purity)), ("significance", .number(g.significance)),
                         ("overlaps", .array(g.overlaps.map { o in
                             .object([("ion", .string(o.ion.name)), ("charge", .int(o.charge)), ("atoms", atoms(o.ion)),
                                      ("expected_counts", .number(o.counts)), ("share", .number(o.share))])
                         }))])
            })),
            ("unexplained_peaks", .array(r.unexplained.map { u in
                .object([("mass_to_charge_da", .number(u.massToCharge)), ("counts", .number(u.counts)), ("significance", .number(u.significance))])
            })),
            ("ions_found", .array(r.ions.map { .object([("ion", .string($0.label)), ("ions", .number($0.ions))]) })),
            ("peak_shape", .object([("sigma_da", .string("a * (m/n)^p")), ("a_da", .number(r.shape.sigmaAt1Da)), ("p", .number(r.shape.sigmaPower)),
                                    ("tail_fraction", .number(r.shape.tailFraction)), ("tail_length_per_sigma", .number(r.shape.tailRatio)),
                                    ("peaks_measured", .int(r.shape.peaksUsed))])),
            ("background", r.background.map { b in
                .object([("shape", .string(b.shape.rawValue)), ("coefficients", .numbers(b.coefficients)), ("reduced_chi2", .number(b.reducedChiSquare))])
            } ?? .null),
            ("settings", .object([("max_atoms", .int(s.maxAtoms)), ("charges", .array([.int(s.charges.lowerBound), .int(s.charges.upperBound)])),
                                  ("width_rule", .string(s.widthRule.rawValue)), ("min_significance", .number(s.minSignificance)),
                                  ("high_charge_molecules", .bool(s.highChargeMolecules)),
                                  ("candidates", .int(r.candidatesTried)), ("peaks_found", .int(r.peaksFound))])),
        ])
    }

    /// The spectrum up to just past the last range, ranges shaded and labelled "ion q+".
    static func svg(_ r: AutomaticRanges, table: RangeTable, spectrum: MassSpectrum, title: String) -> String {
        let top = (r.ranges.map(\.high).max() ?? 100) + 5
        let bins = min(spectrum.counts.count, Int((top - spectrum.start) / spectrum.binWidth) + 1)
        // Rebinned to at most 0.02 Da: a readable figure, peaks kept.
        let group = max(1, Int((0.02 / spectrum.binWidth).rounded()))
        var counts: [Int] = []
        var k = 0
        while k < bins { counts.append(spectrum.counts[k..<min(bins, k + group)].reduce(0, +)); k += group }
        let shown = MassSpectrum(start: spectrum.start, binWidth: spectrum.binWidth * Double(group), counts: counts, below: 0, above: 0)
        return SpectrumFigure.svg(shown, table: table, title: title, background: r.background, labels: r.ranges.map { "\($0.ion.name) \($0.charge)+" })
    }

    /// The console table: one row per range, then the unexplained peaks.
    public static func text(_ r: AutomaticRanges) -> [String] {
        let rows = r.ranges.map { g in
            [String(format: "%.3f-%.3f", g.low, g.high), "\(g.ion.name) \(g.charge)+", String(format: "%.0f", g.counts), String(format: "%.0f", g.backgroundCounts),
             String(format: "%.3f", g.purity), g.overlaps.isEmpty ? "-" : g.overlaps.map { String(format: "%@ %d+ %.1f%%", $0.ion.name, $0.charge, 100 * $0.share) }.joined(separator: ", ")]
        }
        var lines = [String(format: "%d peak(s) found, %d range(s) of %d ion(s) from %d candidate(s) of %@ (peak sigma %.3g Da at 10 Da, tail %.0f %%)",
                            r.peaksFound, r.ranges.count, Set(r.ranges.map(\.ion)).count, r.candidatesTried, r.settings.elements.joined(separator: ","),
                            r.shape.sigma(10), 100 * r.shape.tailFraction)]
        lines.append(String(Reports.alignedTable(["range (Da)", "ion", "counts", "background", "purity", "overlaps"], rows).dropLast()))
        if !r.unexplained.isEmpty {
            lines.append("unexplained peaks: " + r.unexplained.map { String(format: "%.2f Da (%.0f counts, %.0f sigma)", $0.massToCharge, $0.counts, $0.significance) }.joined(separator: "; "))
        }
        return lines
    }
}
