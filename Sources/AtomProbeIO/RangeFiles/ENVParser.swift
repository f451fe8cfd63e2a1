import Foundation
import AtomProbe
import KitFoundation

/// Reads GPM (Rouen) ENV files, which carry the ranges among the instrument settings:
///
///     # comments and blank lines anywhere
///     Rev_2.0                      <- optional version line
///     12  26                       <- number of ions, number of ranges
///     O   0.0 1.0 0.0              <- per ion: name and RGB colour (0-1)
///     O   15.880 16.840 20.0 1.0   <- per range: ion name, low, high, atomic volume, increment
///     ...                          <- instrument and space definitions follow; ignored
///
/// Ion names are read as formulas of elements where they can be ("Mn2O"); other names become
/// element-less ions, unknown peaks (see `RNGParser.columnAtoms`). Overlapping ranges of one ion are merged with a
/// note, as for RRNG (real ENV files abut isotope windows with small overlaps, e.g. Er at 55.55
/// and 55.543 Da).
struct ENVParser {
    let text: String
    let path: String

    func fail(_ m: String, line: Int) -> AtomProbeError { .format(m, file: path, at: .line(line)) }

    func parse(allowOverlaps: Bool) throws -> RangeTable {
        let lines = numberedLines(text).filter { l in
            let t = l.text.trimmingCharacters(in: .whitespaces)
            return !t.isEmpty && !t.hasPrefix("#")
        }
        var k = 0
        if k < lines.count, lines[k].text.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("rev_") { k += 1 }
        guard k < lines.count else { throw AtomProbeError.format("no ion and range counts found", file: path) }
        let header = lines[k].text.split(whereSeparator: \.isWhitespace)
        guard header.count >= 2, let nIons = Int(header[0]), let nRanges = Int(header[1]), nIons > 0, nRanges >= 0 else {
            throw fail("expected the number of ions and of ranges, found \"\(lines[k].text)\"", line: lines[k].number)
        }
        k += 1
        var collector = IonCollector()
        var ionOfName: [String: Int] = [:]
        var colorOfName: [String: String] = [:]
        for _ in 0..<nIons {
            guard k < lines.count else { throw AtomProbeError.format("file ends inside the ion list", file: path) }
            let t = lines[k].text.split(whereSeparator: \.isWhitespace).map(String.init)
            guard t.count >= 4, let r = parseNumber(t[1]), let g = parseNumber(t[2]), let b = parseNumber(t[3]) else {
                throw fail("expected \"name red green blue\", found \"\(lines[k].text)\"", line: lines[k].number)
            }
            let name = t[0]
            guard IonType.isValidName(name) else { throw fail("\"\(name)\" is not a usable ion name", line: lines[k].number) }
            let ion = RNGParser.columnAtoms(name).map { IonType(name: name, atoms: $0) } ?? IonType(name: name, atoms: [])
            ionOfName[name] = collector.index(of: ion)
            guard let colour = hexColour(r, g, b) else { throw fail("colour values of \(name) must be numbers, found \"\(lines[k].text)\"", line: lines[k].number) }
            colorOfName[name] = colour
            k += 1
        }
        var ranges: [MassRange] = []
        for _ in 0..<nRanges {
            guard k < lines.count else { throw AtomProbeError.format("file ends inside the range list (\(ranges.count) of \(nRanges))", file: path) }
            let l = lines[k]
            let t = l.text.split(whereSeparator: \.isWhitespace).map(String.init)
            guard t.count >= 3 else { throw fail("expected \"ion low high [volume increment]\", found \"\(l.text)\"", line: l.number) }
            guard let ion = ionOfName[t[0]] else { throw fail("range names ion \"\(t[0])\", which the ion list does not declare", line: l.number) }
            guard let low = parseNumber(t[1]), let high = parseNumber(t[2]) else {
                throw fail("range bounds \"\(t[1])\" \"\(t[2])\" are not numbers", line: l.number)
            }
            let volume = t.count > 3 ? parseNumber(t[3]) : nil
            ranges.append(MassRange(low: low, high: high, ionIndex: ion, volume: volume, color: colorOfName[t[0]], sourceLine: l.number))
            k += 1
        }
        guard !ranges.isEmpty else { throw AtomProbeError.format("no ranges defined", file: path) }
        var warnings: [String] = []
        ranges = dropDuplicates(ranges, ions: collector.ions, warnings: &warnings)
        return try RangeTable(ions: collector.ions, ranges: ranges, warnings: warnings, file: path,
                              allowOverlaps: allowOverlaps, mergeSameIonOverlaps: true)
    }
}
