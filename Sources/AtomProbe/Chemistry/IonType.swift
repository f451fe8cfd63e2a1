import Foundation
/// A number of atoms of one element (or of a named species that is not an element) in an ion.
public struct AtomCount: Sendable, Hashable, Codable {
    public var symbol: String
    public var count: Int
    public init(_ symbol: String, _ count: Int) {
        self.symbol = symbol
        self.count = count
    }
}

/// The chemistry of a detected ion, without its charge state (Zr2+ and Zr3+ are both `Zr`).
/// A molecular ion knows its atoms, so it decomposes: ZrO2 -> 1 Zr + 2 O.
/// An ion with no atoms is a named peak of unknown chemistry (e.g. `Name:59`); it is kept for
/// ion counts and excluded from atomic compositions.
public struct IonType: Sendable, Hashable, CustomStringConvertible {
    /// The name given in the range file (or built from the atoms, e.g. "ZrO2").
    public var name: String
    /// Atoms in order of first appearance; each symbol at most once.
    public var atoms: [AtomCount]

    public init(name: String, atoms: [AtomCount]) {
        self.name = name
        self.atoms = IonType.merged(atoms)
    }

    /// An ion named by its formula (e.g. `IonType(atoms: [("Zr",1),("O",2)])` is "ZrO2").
    public init(atoms: [AtomCount]) {
        let merged = IonType.merged(atoms)
        self.init(name: IonType.formula(merged), atoms: merged)
    }

    public var description: String { name }

    public var isElementless: Bool { atoms.isEmpty }
    public var atomCount: Int { atoms.reduce(0) { $0 + $1.count } }

    /// The most atoms of one element in one ion that any range file may give (real molecular
    /// ions hold a handful); the same limit for every reader, so whatever one writes another reads.
    public static let maxAtomsPerElement = 999

    /// Whether every range format can carry `name` as an ion or element name: printable ASCII
    /// starting with a letter or digit, without white space, ':' or '=' (the syntax of RRNG), so
    /// that what one reader accepts every writer can write and every reader read back. (Non-ASCII
    /// characters are refused: a combining mark after '=' or ':' would change how a line splits.)
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCII,
              (first.properties.isAlphabetic || ("0"..."9").contains(first)) else { return false }
        return name.unicodeScalars.allSatisfy { u in u.value > 0x20 && u.value < 0x7F && u != ":" && u != "=" }
    }

    public func count(of symbol: String) -> Int { atoms.first { $0.symbol == symbol }?.count ?? 0 }

    /// True when two ions have the same atoms, whatever their order or names.
    public func sameChemistry(as other: IonType) -> Bool {
        Set(atoms) == Set(other.atoms)
    }

    /// Symbols of the ion that are not chemical elements.
    public var unknownSymbols: [String] { atoms.map(\.symbol).filter { !PeriodicTable.isElement($0) } }

    /// "ZrO2" from [Zr:1, O:2].
    public static func formula(_ atoms: [AtomCount]) -> String {
        atoms.map { $0.count == 1 ? $0.symbol : "\($0.symbol)\($0.count)" }.joined()
    }

    static func merged(_ atoms: [AtomCount]) -> [AtomCount] {
        var out: [AtomCount] = []
        for a in atoms where a.count != 0 {
            if let i = out.firstIndex(where: { $0.symbol == a.symbol }) {
                out[i].count += a.count
            } else {
                out.append(a)
            }
        }
        return out
    }

    /// Parses a formula like "ZrO2", "Cr2O", "H3O" or "Ca2CO3" into atoms, reading symbols as
    /// one capital letter followed by lower-case letters. With `symbols`, only those names are
    /// accepted (used for the made-up names of range files); otherwise only chemical elements.
    /// Returns nil when the text is not such a formula.
    public static func parseFormula(_ text: String, symbols: Set<String>? = nil) -> [AtomCount]? {
        let chars = Array(text)
        var i = 0
        var atoms: [AtomCount] = []
        while i < chars.count {
            guard chars[i].isUppercase else { return nil }
            var sym = String(chars[i]); i += 1
            while i < chars.count, chars[i].isLowercase { sym.append(chars[i]); i += 1 }
            var digits = ""
            while i < chars.count, chars[i].isNumber { digits.append(chars[i]); i += 1 }
            let n = digits.isEmpty ? 1 : (Int(digits) ?? 0)
            guard n > 0, n <= maxAtomsPerElement else { return nil }
            if let symbols { guard symbols.contains(sym) else { return nil } }
            else { guard PeriodicTable.isElement(sym) else { return nil } }
            atoms.append(AtomCount(sym, n))
        }
        return atoms.isEmpty ? nil : merged(atoms)
    }
}
