import Foundation
import AtomProbe
import KitFoundation

/// Text, CSV and JSON renderings of results, shared by the command line and the tests.
public enum Reports {
    /// "value ± sigma" with the same number of decimals on both sides.
    public static func plusMinus(_ v: Double, _ s: Double, decimals: Int = 2) -> String {
        String(format: "%.\(decimals)f ± %.\(decimals)f", v, s)
    }

    /// Pads columns to equal width; numbers right-aligned, the first column left-aligned.
    public static func alignedTable(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { $0.indices.contains(c) ? $0[c].count : 0 }.max() ?? 0 }
        func line(_ r: [String]) -> String {
            r.enumerated().map { c, v in
                let pad = String(repeating: " ", count: max(0, widths[c] - v.count))
                return c == 0 ? v + pad : pad + v
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    /// How a report is written.
    public enum Format: String, Sendable, CaseIterable {
        case text, markdown, csv, json
    }

    /// A composition as text (with `title`), CSV or JSON (markdown: as text).
    public static func composition(_ c: Composition, format: Format, title: String? = nil) -> String {
        switch format {
        case .json: return c.json.serialized()
        case .csv: return compositionCSV(c)
        case .text, .markdown: return compositionText(c, title: title)
        }
    }

    public static func compositionText(_ c: Composition, title: String? = nil) -> String {
        var out = ""
        if let title { out += title + "\n" }
        let unit = c.mode == .atomic ? "atoms" : "ions"
        out += "\(c.mode == .atomic ? "Atomic (decomposed)" : "Ionic") composition: \(c.total) \(unit) from \(c.rangedIons) ranged ions; \(c.unrangedIons) unranged ions excluded"
        if !c.excluded.isEmpty { out += "; excluded: \(c.excluded.joined(separator: ", "))" }
        out += "\n"
        let corrected = !c.corrections.isEmpty
        // Small counts get their interval: "0.00 +- 0.00" says nothing.
        let intervals = c.entries.contains { $0.count < smallCount }
        let rows = c.entries.map { e in
            [e.name, String(e.count)] + (corrected ? [String(format: "%.1f", e.estimate)] : [])
                + [String(format: "%.4f", e.atPercent), String(format: "%.4f", e.sigmaAtPercent)]
                + (intervals ? [String(format: "%.4f-%.4f", 100 * e.interval.lowerBound, 100 * e.interval.upperBound)] : [])
        }
        out += alignedTable([c.mode == .atomic ? "element" : "ion", "count"] + (corrected ? ["corrected"] : [])
                            + [c.mode == .atomic ? "at.%" : "ion %", "sigma"] + (intervals ? ["68% interval"] : []), rows)
        for line in c.corrections { out += "correction: \(line)\n" }
        return out
    }

    /// Below this many counts the text shows a Wilson interval next to sigma.
    public static let smallCount = 20

    public static func compositionCSV(_ c: Composition) -> String {
        let unit = c.mode == .atomic ? "at_pct" : "ion_pct"
        var lines = ["\(c.mode == .atomic ? "element" : "ion"),count,corrected_count,\(unit),sigma_\(unit),interval_low_\(unit),interval_high_\(unit)"]
        for e in c.entries {
            lines.append("\(e.name),\(e.count),\(e.estimate),\(e.atPercent),\(e.sigmaAtPercent),\(100 * e.interval.lowerBound),\(100 * e.interval.upperBound)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func rangesJSON(_ t: RangeTable) -> JSONValue {
        func atoms(_ ion: IonType) -> JSONValue { .object(ion.atoms.map { ($0.symbol, .int($0.count)) }) }
        return .object([
            ("ions", .array(t.ions.map { .object([("name", .string($0.name)), ("atoms", atoms($0))]) })),
            ("ranges", .array(t.ranges.map { r in
                var f: [(String, JSONValue)] = [("low_da", .number(r.low)), ("high_da", .number(r.high)),
                                                ("ion", .string(t.ions[r.ionIndex].name)), ("atoms", atoms(t.ions[r.ionIndex]))]
                if let v = r.volume { f.append(("volume_nm3", .number(v))) }
                if let c = r.color { f.append(("color", .string(c))) }
                return .object(f)
            })),
            ("warnings", .array(t.warnings.map { .string($0) })),
        ])
    }

    public static func rangesText(_ t: RangeTable) -> String {
        var out = "\(t.ions.count) ion types, \(t.ranges.count) ranges\n\n"
        out += alignedTable(["ion", "atoms", "ranges"], t.ions.indices.map { i in
            let ion = t.ions[i]
            return [ion.name, ion.isElementless ? "(unknown peak)" : ion.atoms.map { "\($0.symbol):\($0.count)" }.joined(separator: " "),
                    String(t.ranges.filter { $0.ionIndex == i }.count)]
        })
        out += "\n" + alignedTable(["ion", "low (Da)", "high (Da)"], t.ranges.map { [t.ions[$0.ionIndex].name, String(format: "%.4f", $0.low), String(format: "%.4f", $0.high)] })
        for w in t.warnings { out += "note: \(w)\n" }
        return out
    }
}
