import AtomProbe
import KitFoundation

/// An ion that may explain peaks of a spectrum: a chemistry made of the listed elements at one
/// charge state, with its natural isotope pattern (`IsotopePattern`).
public struct CandidateIon: Sendable {
    public var ion: IonType
    public var charge: Int
    public var pattern: IsotopePattern

    /// "Cr2O 2+": the formula, then the charge.
    public var label: String { "\(ion.name) \(charge)+" }
}

/// Every combination of the listed elements with 1 to `maxAtoms` atoms, at every charge given
/// (issue 24: Li, O -> Li, O, Li2, LiO, O2, Li3, Li2O, LiO2, O3 at 1+ to 4+, less the implausible
/// charges of `isPlausible`). Nothing outside the list is ever made, so an unlisted element can
/// never be named.
public enum CandidateIons {
    /// The most atoms an automatic candidate may have, and the most elements one may list
    /// (combinations grow as elements^atoms).
    public static let maxAtomsLimit = 6
    public static let maxElements = 20
    public static let maxCandidates = 4000

    /// Written after the metals in a formula.
    static let nonMetals: Set<String> = ["H", "B", "C", "N", "O", "F", "P", "S", "Cl", "Se", "Br", "I"]

    /// Checks the element list: not empty, every symbol a chemical element with natural
    /// isotopes, no repeats.
    public static func checkedElements(_ elements: [String]) throws -> [String] {
        let list = elements.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !list.isEmpty else { throw AtomProbeError.invalid("elements", "is empty: list the elements of the specimen, e.g. Fe,Cr,Ni") }
        for e in list {
            guard PeriodicTable.isElement(e), let el = PeriodicTable.element(e), !el.isotopes.isEmpty else {
                throw AtomProbeError.invalid("elements", "names \"\(e.escapedForOneLine)\", which is not a chemical element with natural isotopes")
            }
        }
        guard Set(list).count == list.count else { throw AtomProbeError.invalid("elements", "names an element twice") }
        guard list.count <= maxElements else { throw AtomProbeError.invalid("elements", "lists \(list.count) elements; at most \(maxElements)") }
        return list
    }

    /// Whether an ion of `atoms` atoms is a candidate at `charge` by default: molecular ions of
    /// three or more atoms above 2+, and diatomic ions above 3+, are rare in field evaporation
    /// (post-ionization of molecules stops at lower charges than of single atoms) and, having many
    /// isotopes closely spaced, can explain almost any lone peak; they are tried only when asked
    /// for (`highChargeMolecules`, `--high-charge-molecules`).
    public static func isPlausible(atoms: Int, charge: Int) -> Bool {
        atoms <= 1 || (atoms == 2 && charge <= 3) || charge <= 2
    }

    /// The candidates, ordered by atoms, then charge, then the order of the list (ties in the
    /// selection go to the simpler ion).
    public static func enumerate(elements: [String], maxAtoms: Int, charges: ClosedRange<Int>,
                                 highChargeMolecules: Bool = false) throws -> [CandidateIon] {
        let list = try checkedElements(elements)
        guard (1...maxAtomsLimit).contains(maxAtoms) else { throw AtomProbeError.invalid("max_atoms", "must be 1-\(maxAtomsLimit), got \(maxAtoms)") }
        guard charges.lowerBound >= 1, charges.upperBound <= 4 else { throw AtomProbeError.invalid("charges", "must lie within 1-4") }
        // Multisets of up to maxAtoms of the elements: sum over n of C(E + n - 1, n); refused
        // before any is made when the fit would take too long.
        var combinations = 0.0, c = 1.0
        for n in 1...maxAtoms { c *= Double(list.count + n - 1) / Double(n); combinations += c }
        guard combinations * Double(charges.count) <= Double(maxCandidates) else {
            throw AtomProbeError.invalid("max_atoms", String(format: "%d with %d elements makes %.0f candidate ions; at most %d (list fewer elements or lower it)",
                                                             maxAtoms, list.count, combinations * Double(charges.count), maxCandidates))
        }
        var chemistries: [[AtomCount]] = []
        // Multisets of element indices of size n, non-decreasing.
        func extend(_ prefix: [Int], _ n: Int) {
            if prefix.count == n {
                var atoms: [AtomCount] = []
                for k in prefix {
                    if let i = atoms.firstIndex(where: { $0.symbol == list[k] }) { atoms[i].count += 1 } else { atoms.append(AtomCount(list[k], 1)) }
                }
                // Metals first, then the non-metals (CrO, Cr2O, ZrO2, SiC), each in the list's order.
                chemistries.append(atoms.filter { !nonMetals.contains($0.symbol) } + atoms.filter { nonMetals.contains($0.symbol) })
                return
            }
            for k in (prefix.last ?? 0)..<list.count { extend(prefix + [k], n) }
        }
        for n in 1...maxAtoms { extend([], n) }
        var out: [CandidateIon] = []
        for atoms in chemistries {
            let ion = IonType(atoms: atoms)
            for q in charges where highChargeMolecules || isPlausible(atoms: ion.atomCount, charge: q) {
                out.append(CandidateIon(ion: ion, charge: q, pattern: try IsotopePattern(ion, charge: q)))
            }
        }
        return out.sorted { ($0.ion.atomCount, $0.charge) < ($1.ion.atomCount, $1.charge) }
    }
}
