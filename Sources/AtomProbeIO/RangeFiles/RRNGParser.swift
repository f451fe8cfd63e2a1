import Foundation
import AtomProbe
import KitFoundation

/// Reads RRNG range files, as written by the commercial suite and by hand:
/// `[Ions]` and `[Ranges]` sections in any case; comments (`#`); blank lines; LF or CRLF;
/// `RangeN= low high` with optional space after `=`; fields `Vol:`, `Name:`, `Color:` in any
/// case; element counts as `Zr:1` or `Zr:1.000`; ranges named only by `Name:` (element-less
/// ions, e.g. unknown peaks). Exact duplicate ranges are dropped with a warning.
///
/// Overlapping ranges of the *same* ion are merged with a warning: exports from the commercial
/// suite accumulate repeated definitions of one peak (a real example defines 48 distinct ranges
/// of 6 ions in 1440 lines, some re-ranged with slightly different bounds), and such ranges
/// assign every ion unambiguously. Ranges of different ions that overlap remain an error.
/// (RNG files are held to the strict rule, as 3Depict's regression set requires.)
struct RRNGParser {
    let text: String
    let path: String

    func fail(_ m: String, line: Int) -> AtomProbeError { .format(m, file: path, at: .line(line)) }

    func parse(allowOverlaps: Bool) throws -> RangeTable {
        enum Section { case none, ions, ranges, other }
        var section = Section.none
        var sawIons = false, sawRanges = false
        var declaredIons: [String] = []
        var declaredRanges: Int?
        var collector = IonCollector()
        var ranges: [MassRange] = []
        var warnings: [String] = []

        for (n, raw) in numberedLines(text) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw fail("malformed section header \"\(line)\"", line: n) }
                switch line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces).lowercased() {
                case "ions": section = .ions; sawIons = true
                case "ranges": section = .ranges; sawRanges = true
                default: section = .other
                }
                continue
            }
            guard let eq = line.firstIndex(of: "=") else {
                if section == .other { continue }
                throw fail("expected \"key=value\", found \"\(line)\"", line: n)
            }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            switch section {
            case .none:
                throw fail("\"\(line)\" comes before any [Ions] or [Ranges] section", line: n)
            case .other:
                continue
            case .ions:
                if key == "number" {
                    guard Int(value) != nil else { throw fail("ion count \"\(value)\" is not a whole number", line: n) }
                } else if key.hasPrefix("ion") {
                    guard !value.isEmpty else { throw fail("ion name is empty", line: n) }
                    declaredIons.append(value)
                } else {
                    throw fail("unknown key \"\(key)\" in [Ions]", line: n)
                }
            case .ranges:
                if key == "number" {
                    guard let v = Int(value) else { throw fail("range count \"\(value)\" is not a whole number", line: n) }
                    declaredRanges = v
                } else if key.hasPrefix("range") {
                    let (range, ion) = try parseRange(value, line: n)
                    var r = range
                    r.ionIndex = collector.index(of: ion)
                    ranges.append(r)
                } else {
                    throw fail("unknown key \"\(key)\" in [Ranges]", line: n)
                }
            }
        }
        guard sawRanges else { throw AtomProbeError.format("no [Ranges] section", file: path) }
        if !sawIons { warnings.append("no [Ions] section") }
        guard !ranges.isEmpty else { throw AtomProbeError.format("no ranges defined", file: path) }
        if let d = declaredRanges, d != ranges.count {
            warnings.append("[Ranges] says Number=\(d) but \(ranges.count) range lines were found")
        }
        ranges = dropDuplicates(ranges, ions: collector.ions, warnings: &warnings)
        return try RangeTable(ions: collector.ions, ranges: ranges, warnings: warnings, file: path,
                              allowOverlaps: allowOverlaps, mergeSameIonOverlaps: true)
    }

    /// Parses "low high field field ..." of one range line.
    func parseRange(_ value: String, line n: Int) throws -> (MassRange, IonType) {
        var tokens = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard tokens.count >= 2 else { throw fail("range needs a lower and an upper bound, found \"\(value)\"", line: n) }
        guard let low = parseNumber(tokens[0]), let high = parseNumber(tokens[1]) else {
            throw fail("range bounds \"\(tokens[0])\" \"\(tokens[1])\" are not numbers", line: n)
        }
        tokens.removeFirst(2)
        // Join "Key:" "value" written with a space after the colon.
        var fields: [String] = []
        var k = 0
        while k < tokens.count {
            if tokens[k].hasSuffix(":"), k + 1 < tokens.count { fields.append(tokens[k] + tokens[k + 1]); k += 2 }
            else { fields.append(tokens[k]); k += 1 }
        }
        var volume: Double?, name: String?, color: String?
        var atoms: [AtomCount] = []
        for f in fields {
            guard let colon = f.firstIndex(of: ":") else { throw fail("field \"\(f)\" is not \"key:value\"", line: n) }
            let key = String(f[..<colon]), val = String(f[f.index(after: colon)...])
            switch key.lowercased() {
            case "vol":
                guard let v = parseNumber(val) else { throw fail("volume \"\(val)\" is not a number", line: n) }
                volume = v
            case "name":
                guard IonType.isValidName(val) else { throw fail("Name:\(val) is not a usable ion name (letters, digits and punctuation, starting with a letter or digit)", line: n) }
                name = val
            case "color", "colour":
                let hex = val.hasPrefix("#") ? String(val.dropFirst()) : val
                guard hex.count == 6, Int(hex, radix: 16) != nil else { throw fail("colour \"\(val)\" is not RRGGBB hex", line: n) }
                color = hex.uppercased()
            default:
                guard let c = parseNumber(val), c.isFinite else { throw fail("count \"\(val)\" of \(key) is not a number", line: n) }
                guard c >= 0, c == c.rounded(), c <= Double(IonType.maxAtomsPerElement) else {
                    throw fail("count \(val) of \(key) is not a whole number of atoms from 0 to \(IonType.maxAtomsPerElement)", line: n)
                }
                guard IonType.isValidName(key), key.first?.isLetter == true else { throw fail("field \"\(f)\" does not name an element", line: n) }
                // A key that is a formula of elements (H2O, Zr77) means those atoms, as an RNG
                // column of that name does: a table then converts between the formats unchanged.
                let parts = IonType.parseFormula(key) ?? [AtomCount(key, 1)]
                if c > 0 { for p in parts { atoms.append(AtomCount(p.symbol, p.count * Int(c))) } }
            }
        }
        guard name != nil || !atoms.isEmpty else {
            throw fail("range has neither element counts nor a Name:", line: n)
        }
        // IonType merges repeated symbols (Zr:1 Zr2:1 is Zr3).
        let ion = atoms.isEmpty ? IonType(name: name!, atoms: []) : name.map { IonType(name: $0, atoms: atoms) } ?? IonType(atoms: atoms)
        return (MassRange(low: low, high: high, ionIndex: -1, volume: volume, color: color, sourceLine: n), ion)
    }
}
