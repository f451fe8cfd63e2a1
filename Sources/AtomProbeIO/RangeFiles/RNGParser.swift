import Foundation
import AtomProbe
import KitFoundation

/// Reads Oak Ridge RNG range files:
///
///     2 3                      <- number of ion columns, number of ranges
///     Zr                       <- per column: a name line ...
///     Zr 0.0 1.0 0.0           <- ... and a label line with an RGB colour (0-1), extra text ignored
///     O
///     O 1.0 0.0 0.0
///     ------------- Zr O       <- dashes, then (optionally) the column names
///     . 45.0 45.5  1 0         <- ranges: a marker (usually "."), low, high, a count per column
///     . 53.0 53.5  1 2         <- a molecular ion (ZrO2)
///
/// optionally followed by `--- polyatomic extension` and a second block of the same shape whose
/// columns name molecular ions and whose range lines repeat the bounds of main ranges.
///
/// A range with several columns set is a molecular ion. It is named, in order of preference, by
/// the polyatomic extension; by a declared column that no range uses and whose name spells that
/// chemistry (e.g. a column "AbCd2" for counts Ab 1, Cd 2); or, when no column is unused, by its
/// formula. When unused columns exist but none matches, the file is ambiguous and refused (the
/// rule of 3Depict's reader, whose regression set this follows).
struct RNGParser {
    let text: String
    let path: String

    func fail(_ m: String, line: Int) -> AtomProbeError { .format(m, file: path, at: .line(line)) }

    struct Block {
        var names: [String] = []
        var colors: [String?] = []
        var rows: [(line: Int, low: Double, high: Double, counts: [Int])] = []
        var declaredRanges = 0
    }

    func parse(allowOverlaps: Bool) throws -> RangeTable {
        let lines = numberedLines(text)
        var pos = 0
        var warnings: [String] = []
        let main = try readBlock(lines, &pos, warnings: &warnings, label: "")
        // Find the polyatomic extension, if any.
        var ext: Block?
        while pos < lines.count {
            let t = lines[pos].text.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { pos += 1; continue }
            if t.hasPrefix("--") && t.lowercased().contains("polyatomic") {
                pos += 1
                ext = try readBlock(lines, &pos, warnings: &warnings, label: "polyatomic extension: ")
                continue
            }
            throw fail("unexpected text after the range table: \"\(t)\"", line: lines[pos].number)
        }
        return try build(main, ext, warnings: warnings, allowOverlaps: allowOverlaps)
    }

    func readBlock(_ lines: [(number: Int, text: String)], _ pos: inout Int, warnings: inout [String], label: String) throws -> Block {
        func nextNonEmpty() -> (number: Int, text: String)? {
            while pos < lines.count {
                let l = lines[pos]; pos += 1
                if !l.text.trimmingCharacters(in: .whitespaces).isEmpty { return l }
            }
            return nil
        }
        var block = Block()
        guard let header = nextNonEmpty() else { throw AtomProbeError.format("\(label)missing the header line (ion and range counts)", file: path) }
        let h = header.text.split(whereSeparator: \.isWhitespace)
        guard h.count >= 2, let nIons = Int(h[0]), let nRanges = Int(h[1]), nIons >= 0, nRanges >= 0 else {
            throw fail("\(label)the first line must hold the number of ions and of ranges, found \"\(header.text)\"", line: header.number)
        }
        guard nIons > 0 else { throw fail("\(label)the file declares no ions", line: header.number) }
        block.declaredRanges = nRanges
        for k in 0..<nIons {
            guard let nameLine = nextNonEmpty() else { throw AtomProbeError.format("\(label)file ends before ion \(k + 1) of \(nIons)", file: path) }
            if nameLine.text.hasPrefix("-") { throw fail("\(label)found the dashed line after \(k) ions, but the header declares \(nIons)", line: nameLine.number) }
            guard let name = nameLine.text.split(whereSeparator: \.isWhitespace).first else { throw fail("\(label)empty ion name", line: nameLine.number) }
            guard let colourLine = nextNonEmpty() else { throw AtomProbeError.format("\(label)file ends before the colour line of ion \(name)", file: path) }
            let c = colourLine.text.split(whereSeparator: \.isWhitespace)
            guard c.count >= 4, let r = Double(c[1]), let g = Double(c[2]), let b = Double(c[3]) else {
                throw fail("\(label)expected \"label red green blue\" for ion \(name), found \"\(colourLine.text)\"", line: colourLine.number)
            }
            guard IonType.isValidName(String(name)) else { throw fail("\(label)\"\(name)\" is not a usable ion name", line: nameLine.number) }
            block.names.append(String(name))
            guard let colour = hexColour(r, g, b) else {
                throw fail("\(label)colour values of ion \(name) must be numbers, found \"\(colourLine.text)\"", line: colourLine.number)
            }
            block.colors.append(colour)
        }
        guard let dash = nextNonEmpty() else { throw AtomProbeError.format("\(label)file ends before the dashed column line", file: path) }
        guard dash.text.hasPrefix("-") else { throw fail("\(label)expected the dashed column line, found \"\(dash.text)\"", line: dash.number) }
        let headers = dash.text.drop(while: { $0 == "-" }).split(whereSeparator: \.isWhitespace).map(String.init)
        var order = Array(0..<nIons)  // file column -> ion index
        if !headers.isEmpty {
            if headers.count != nIons {
                warnings.append("\(label)line \(dash.number): the dashed line names \(headers.count) columns for \(nIons) ions; columns taken in ion order")
            } else if headers != block.names {
                if Set(headers) == Set(block.names), Set(headers).count == nIons {
                    order = headers.map { block.names.firstIndex(of: $0)! }
                } else {
                    warnings.append("\(label)line \(dash.number): column names \(headers.joined(separator: " ")) differ from ion names \(block.names.joined(separator: " ")); columns taken in ion order")
                }
            }
        }
        // Range lines until a blank line, a "--" line or the end.
        while pos < lines.count {
            let l = lines[pos]
            let t = l.text.trimmingCharacters(in: .whitespaces)
            if t.isEmpty || t.hasPrefix("--") { break }
            pos += 1
            var tok = t.split(whereSeparator: \.isWhitespace).map(String.init)
            // The marker: "." or, in some files, a number; some files have none.
            if tok.count == nIons + 3 || (tok.first.map { parseNumber($0) == nil } ?? false) { tok.removeFirst() }
            guard tok.count == nIons + 2 else {
                throw fail("\(label)range line has \(tok.count) values after its marker; expected low, high and \(nIons) counts", line: l.number)
            }
            guard let low = parseNumber(tok[0]), let high = parseNumber(tok[1]) else {
                throw fail("\(label)range bounds \"\(tok[0])\" \"\(tok[1])\" are not numbers", line: l.number)
            }
            var counts = Array(repeating: 0, count: nIons)
            for (col, s) in tok[2...].enumerated() {
                guard let v = parseNumber(s), v >= 0, v == v.rounded(), v <= Double(IonType.maxAtomsPerElement) else {
                    throw fail("\(label)count \"\(s)\" is not a whole number of atoms from 0 to \(IonType.maxAtomsPerElement)", line: l.number)
                }
                counts[order[col]] = Int(v)
            }
            block.rows.append((l.number, low, high, counts))
        }
        if block.rows.count != nRanges {
            warnings.append("\(label)header declares \(nRanges) ranges but \(block.rows.count) range lines were found")
        }
        return block
    }

    /// The atoms of one column: its name read as a formula of elements (e.g. "CrO2"), or the
    /// name itself as a made-up species (e.g. "Aa"); nil for names that cannot be a species
    /// (e.g. "59", an unknown peak), which make element-less ions.
    /// The atoms of a column: its name read as a formula of chemical elements ("Zr", "ZrO2"), or
    /// nil for any other name, which is then an element-less ion (an unknown peak, as RRNG's
    /// `Name:` ranges are), so element-less peaks survive RRNG -> RNG -> RRNG.
    static func columnAtoms(_ name: String) -> [AtomCount]? {
        IonType.parseFormula(name)
    }

    func build(_ main: Block, _ ext: Block?, warnings: [String], allowOverlaps: Bool) throws -> RangeTable {
        var warnings = warnings
        var collector = IonCollector()
        // Every declared column is an ion (as 3Depict counts them), used or not.
        var columnIon: [Int] = []
        for name in main.names {
            let ion = RNGParser.columnAtoms(name).map { IonType(name: name, atoms: $0) } ?? IonType(name: name, atoms: [])
            columnIon.append(collector.index(of: ion))
        }
        let unused = main.names.indices.filter { c in main.rows.allSatisfy { $0.counts[c] == 0 } }
        // Names from the polyatomic extension, keyed by bounds.
        var extNames: [String: String] = [:]
        if let ext {
            for row in ext.rows {
                let set = row.counts.indices.filter { row.counts[$0] != 0 }
                guard set.count == 1 else { throw fail("polyatomic extension: a range must name exactly one ion", line: row.line) }
                extNames["\(row.low)|\(row.high)"] = ext.names[set[0]]
            }
        }
        var ranges: [MassRange] = []
        var usedExt = Set<String>()
        for row in main.rows {
            let set = row.counts.indices.filter { row.counts[$0] != 0 }
            if set.isEmpty {
                warnings.append("line \(row.line): range \(row.low)-\(row.high) assigns no ion; dropped")
                continue
            }
            let ionIndex: Int
            let key = "\(row.low)|\(row.high)"
            if set.count == 1 && row.counts[set[0]] == 1 && extNames[key] == nil {
                ionIndex = columnIon[set[0]]
            } else {
                // A molecular ion (or a multiple of one column).
                var atoms: [AtomCount] = []
                for c in set {
                    // An unknown peak's column can join a combination only under a species name
                    // (starting with a letter), which then counts as one atom of that species.
                    guard RNGParser.columnAtoms(main.names[c]) != nil || main.names[c].first?.isLetter == true else {
                        throw fail("range \(row.low)-\(row.high) combines the unknown peak \(main.names[c]) with other ions", line: row.line)
                    }
                    let parts = RNGParser.columnAtoms(main.names[c]) ?? [AtomCount(main.names[c], 1)]
                    atoms += parts.map { AtomCount($0.symbol, $0.count * row.counts[c]) }
                }
                let chem = IonType(atoms: atoms)
                if let name = extNames[key] {
                    usedExt.insert(key)
                    ionIndex = collector.index(of: IonType(name: name, atoms: chem.atoms))
                } else if let match = unused.first(where: { c in
                    (IonType.parseFormula(main.names[c], symbols: Set(main.names)) ?? IonType.parseFormula(main.names[c]))
                        .map { IonType(atoms: RNGParser.expand($0)).sameChemistry(as: chem) } ?? false
                }) {
                    ionIndex = columnIon[match]
                    collector.ions[ionIndex] = IonType(name: main.names[match], atoms: chem.atoms)
                } else if unused.isEmpty {
                    ionIndex = collector.index(of: chem)
                } else {
                    throw fail("range \(row.low)-\(row.high) combines \(set.map { main.names[$0] }.joined(separator: " + ")), but no ion is named for that combination (add a polyatomic extension or a column named \(chem.name))", line: row.line)
                }
            }
            ranges.append(MassRange(low: row.low, high: row.high, ionIndex: ionIndex, color: main.colors[set[0]], sourceLine: row.line))
        }
        if let ext, usedExt.count < ext.rows.count {
            warnings.append("polyatomic extension: \(ext.rows.count - usedExt.count) range(s) match no molecular range of the main table")
        }
        guard !ranges.isEmpty else { throw AtomProbeError.format("no ranges defined", file: path) }
        ranges = dropDuplicates(ranges, ions: collector.ions, warnings: &warnings)
        return try RangeTable(ions: collector.ions, ranges: ranges, warnings: warnings, file: path, allowOverlaps: allowOverlaps)
    }

    /// Expands made-up column symbols that are themselves formulas of elements.
    static func expand(_ atoms: [AtomCount]) -> [AtomCount] {
        atoms.flatMap { a in (IonType.parseFormula(a.symbol) ?? [AtomCount(a.symbol, 1)]).map { AtomCount($0.symbol, $0.count * a.count) } }
    }
}
