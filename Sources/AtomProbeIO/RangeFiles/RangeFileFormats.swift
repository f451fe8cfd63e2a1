import Foundation
import AtomProbe
import KitFoundation

/// Range file kinds.
public enum RangeFormat: String, Sendable, CaseIterable {
    /// `[Ions]` / `[Ranges]` sections with `RangeN=low high Vol:v Name:X El:n Color:RRGGBB`.
    case rrng
    /// Oak Ridge: counts header, name/colour line pairs, a dashed column header, `.` range lines,
    /// and optionally a `--- polyatomic extension` block naming molecular ions.
    case rng
    /// GPM (Rouen) environment files: ions with colours, then "ion low high volume increment" lines (read only).
    case env

    /// Guesses from the extension, then from the content (a first line of two integers is RNG).
    public static func detect(path: String, text: String) -> RangeFormat? {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "rrng": return .rrng
        case "rng": return .rng
        case "env": return .env
        default: break
        }
        let first = text.split(whereSeparator: \.isNewline).first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        if let first, first.split(separator: " ").count == 2, first.split(separator: " ").allSatisfy({ Int($0) != nil }) { return .rng }
        if text.range(of: "[ranges]", options: .caseInsensitive) != nil { return .rrng }
        return nil
    }
}

/// Reading and writing range files.
public enum RangeFileIO {
    /// Reads an RRNG or RNG file (kind from extension or content).
    public static func read(_ path: String, allowOverlaps: Bool = false) throws -> RangeTable {
        let text = try TextFile.read(path)
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw AtomProbeError.format("empty range file", file: path)
        }
        guard let fmt = RangeFormat.detect(path: path, text: text) else {
            throw AtomProbeError.format("not a range file this toolkit knows (expected RRNG, RNG or ENV)", file: path)
        }
        return try parse(text, format: fmt, path: path, allowOverlaps: allowOverlaps)
    }

    public static func parse(_ text: String, format: RangeFormat, path: String = "<text>", allowOverlaps: Bool = false) throws -> RangeTable {
        // Range files are text: control characters (other than tab and line ends) mean a binary or
        // damaged file, and would make names that no writer can write back.
        var line = 1
        for u in text.unicodeScalars {
            if u == "\n" { line += 1; continue }
            if (u.value < 0x20 && u != "\t" && u != "\r") || u.value == 0x7F || u == "\u{FFFD}" {
                throw AtomProbeError.format(String(format: "not a text range file (control or invalid character U+%04X)", u.value), file: path, at: .line(line))
            }
        }
        switch format {
        case .rrng: return try RRNGParser(text: text, path: path).parse(allowOverlaps: allowOverlaps)
        case .rng: return try RNGParser(text: text, path: path).parse(allowOverlaps: allowOverlaps)
        case .env: return try ENVParser(text: text, path: path).parse(allowOverlaps: allowOverlaps)
        }
    }

    /// Writes a range table atomically as RRNG or RNG (kind from the extension unless given).
    public static func write(_ table: RangeTable, to path: String, format: RangeFormat? = nil) throws {
        let fmt = format ?? RangeFormat.detect(path: path, text: "")
        guard let fmt, fmt != .env else { throw AtomProbeError(.invalidInput, "range files are written as .rrng or .rng", file: path) }
        try AtomicFile.write(fmt == .rng ? rngText(table) : rrngText(table), to: path)
    }

    /// Shortest decimal that reads back to the same Double.
    static func num(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(format: "%.1f", d) }
        return "\(d)"
    }

    public static func rrngText(_ t: RangeTable) -> String {
        var lines = ["# Written by AtomProbeKit", "[Ions]"]
        var declared: [String] = []
        for ion in t.ions {
            let names = ion.isElementless ? [ion.name] : ion.atoms.map(\.symbol)
            for n in names where !declared.contains(n) { declared.append(n) }
        }
        lines.append("Number=\(declared.count)")
        for (k, n) in declared.enumerated() { lines.append("Ion\(k + 1)=\(n)") }
        lines += ["[Ranges]", "Number=\(t.ranges.count)"]
        for (k, r) in t.ranges.enumerated() {
            let ion = t.ions[r.ionIndex]
            var f = ["Range\(k + 1)=\(num(r.low)) \(num(r.high))"]
            // Vol: is always written (some readers, e.g. apav 1.4.0, require it); 0 when unknown.
            f.append("Vol:\(num(r.volume ?? 0))")
            if ion.isElementless || ion.name != IonType.formula(ion.atoms) { f.append("Name:\(ion.name)") }
            f += ion.atoms.map { "\($0.symbol):\($0.count)" }
            if let c = r.color { f.append("Color:\(c)") }
            lines.append(f.joined(separator: " "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func rngText(_ t: RangeTable) -> String {
        // Columns: every atom symbol, then every element-less ion by name.
        var columns: [String] = []
        for ion in t.ions {
            for n in (ion.isElementless ? [ion.name] : ion.atoms.map(\.symbol)) where !columns.contains(n) { columns.append(n) }
        }
        func colour(_ hex: String?) -> String {
            guard let hex, hex.count == 6, let v = Int(hex, radix: 16) else { return "0.50 0.50 0.50" }
            return String(format: "%.4f %.4f %.4f", Double((v >> 16) & 255) / 255, Double((v >> 8) & 255) / 255, Double(v & 255) / 255)
        }
        func colourOf(_ name: String) -> String? {
            t.ranges.first { r in let ion = t.ions[r.ionIndex]; return ion.name == name || (ion.atoms.count == 1 && ion.atoms[0].symbol == name && ion.atoms[0].count == 1) }?.color
        }
        func counts(_ ion: IonType) -> [Int] {
            columns.map { c in ion.isElementless ? (c == ion.name ? 1 : 0) : ion.count(of: c) }
        }
        var lines = ["\(columns.count) \(t.ranges.count)"]
        for c in columns { lines += [c, "\(c) \(colour(colourOf(c)))"] }
        lines.append("------------------- " + columns.joined(separator: " "))
        for r in t.ranges {
            lines.append(". \(num(r.low)) \(num(r.high)) " + counts(t.ions[r.ionIndex]).map(String.init).joined(separator: " "))
        }
        // Molecular ions (more than one atom) and renamed ions are named in the polyatomic extension.
        let named = t.ions.indices.filter { i in
            let ion = t.ions[i]
            return !ion.isElementless && !(ion.atoms.count == 1 && ion.atoms[0].count == 1 && ion.name == ion.atoms[0].symbol)
        }
        if !named.isEmpty {
            let rs = t.ranges.filter { named.contains($0.ionIndex) }
            lines += ["", "--- polyatomic extension", "\(named.count) \(rs.count)"]
            for i in named { lines += [t.ions[i].name, "\(t.ions[i].name) \(colour(colourOf(t.ions[i].name)))"] }
            lines.append("------------------- " + named.map { t.ions[$0].name }.joined(separator: " "))
            for r in rs {
                lines.append(". \(num(r.low)) \(num(r.high)) " + named.map { $0 == r.ionIndex ? "1" : "0" }.joined(separator: " "))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Splits text into lines (LF, CRLF or CR), keeping 1-based line numbers.
func numberedLines(_ text: String) -> [(number: Int, text: String)] {
    var out: [(Int, String)] = []
    var n = 0
    text.enumerateLines { line, _ in
        n += 1
        out.append((n, line.trimmingCharacters(in: CharacterSet(charactersIn: "\r"))))
    }
    return out
}

/// Collects the ion types of a file, one per distinct chemistry (or name, for element-less ions).
struct IonCollector {
    var ions: [IonType] = []

    mutating func index(of ion: IonType) -> Int {
        if let i = ions.firstIndex(where: { ion.isElementless ? ($0.isElementless && $0.name == ion.name) : (!$0.isElementless && $0.sameChemistry(as: ion)) }) {
            return i
        }
        ions.append(ion)
        return ions.count - 1
    }
}

/// Drops exact duplicate ranges (same bounds, same ion), with a warning naming the lines.
func dropDuplicates(_ ranges: [MassRange], ions: [IonType], warnings: inout [String]) -> [MassRange] {
    var seen: [String: Int] = [:]
    var out: [MassRange] = []
    var dropped: [(Int, Int)] = []
    for r in ranges {
        let key = "\(r.low)|\(r.high)|\(r.ionIndex)"
        if let firstLine = seen[key] {
            dropped.append((r.sourceLine ?? 0, firstLine))
        } else {
            seen[key] = r.sourceLine ?? 0
            out.append(r)
        }
    }
    if !dropped.isEmpty {
        let examples = dropped.prefix(5).map { "line \($0.0) repeats line \($0.1)" }.joined(separator: ", ")
        warnings.append("dropped \(dropped.count) exact duplicate range(s): \(examples)\(dropped.count > 5 ? ", ..." : "")")
    }
    return out
}

/// Reads a number as range files write them: "12.5", "1.0e7", and also "12,5" (a decimal
/// comma, written by exports under some European locales).
func parseNumber(_ s: String) -> Double? {
    if let d = Double(s) { return d }
    if s.filter({ $0 == "," }).count == 1, !s.contains(".") { return Double(s.replacingOccurrences(of: ",", with: ".")) }
    return nil
}

/// Range-file colours: red, green, blue fractions (0-1, clamped) as "RRGGBB"; nil when a value
/// is not a finite number.
func hexColour(_ r: Double, _ g: Double, _ b: Double) -> String? {
    guard r.isFinite, g.isFinite, b.isFinite else { return nil }
    let byte = { (v: Double) in Int((Swift.min(Swift.max(v, 0), 1) * 255).rounded()) }
    return String(format: "%02X%02X%02X", byte(r), byte(g), byte(b))
}
