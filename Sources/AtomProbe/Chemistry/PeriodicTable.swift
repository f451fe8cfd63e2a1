/// A naturally occurring isotope.
public struct Isotope: Sendable, Hashable {
    /// Mass number A.
    public let massNumber: Int
    /// Isotope mass in Da.
    public let mass: Double
    /// Natural abundance as a fraction (0-1); the abundances of an element sum to 1.
    public let abundance: Double
}

/// A chemical element with its standard atomic weight and natural isotopes.
public struct Element: Sendable, Hashable {
    public let atomicNumber: Int
    public let symbol: String
    public let name: String
    /// Standard atomic weight in Da.
    public let atomicMass: Double
    /// Natural isotopes, lightest first (empty for elements with none).
    public let isotopes: [Isotope]
}

/// The periodic table: look up elements by symbol or atomic number.
/// Data: NIST atomic weights and isotopic compositions (see `PeriodicTable+Data.swift`).
public enum PeriodicTable {
    public static let elements: [Element] = data.map { z, symbol, name, mass, isotopes in
        Element(atomicNumber: z, symbol: symbol, name: name, atomicMass: mass,
                isotopes: isotopes.map { Isotope(massNumber: $0.0, mass: $0.1, abundance: $0.2) })
    }

    private static let bySymbol: [String: Element] =
        Dictionary(uniqueKeysWithValues: elements.map { ($0.symbol, $0) })

    /// The element with this symbol (case-sensitive, e.g. "Li"), or nil.
    public static func element(_ symbol: String) -> Element? { bySymbol[symbol] }

    /// The element with atomic number `z`, or nil.
    public static func element(atomicNumber z: Int) -> Element? {
        z >= 1 && z <= elements.count ? elements[z - 1] : nil
    }

    public static func isElement(_ symbol: String) -> Bool { bySymbol[symbol] != nil }
}
