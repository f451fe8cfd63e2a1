import AtomProbe
import KitFoundation
import ParallelLoops

/// Compositions of ranged reconstructions.
public enum CompositionAnalysis {
    /// Counts of ions per ion type inside `region` (all ions when nil), plus the unranged count.
    public static func ionCounts(_ recon: Reconstruction, _ ranged: RangedIons, region: Region? = nil) -> (perType: [Int], unranged: Int) {
        guard let region else { return (ranged.countsPerIonType, ranged.unranged) }
        let nTypes = ranged.table.ions.count
        let total: [Int] = Parallel.sum(recon.count, length: nTypes + 1) { r, c in
            for i in r where region.contains(recon.x[i], recon.y[i], recon.z[i]) {
                let t = Int(ranged.ionType[i])
                c[t < 0 ? nTypes : t] += 1
            }
        }
        return (Array(total[0..<nTypes]), total[nTypes])
    }

    /// The composition from ion counts per ion type.
    /// - atomic mode: molecular ions decompose into their atoms; element-less ions (unknown
    ///   peaks) add no atoms; an ion with a symbol that is not a chemical element makes this
    ///   throw, naming the ion, unless that symbol is excluded.
    /// - ionic mode: one entry per ion type.
    public static func composition(ionCounts: [Int], unranged: Int, table: RangeTable,
                                   mode: Composition.Mode = .atomic, excluding: Set<String> = []) throws -> Composition {
        // Leaving out something the range file does not have is a typo, not a no-op.
        let known = Set(mode == .atomic ? table.symbols + table.ions.filter(\.isElementless).map(\.name) : table.ions.map(\.name))
        if let unknown = excluding.sorted().first(where: { !known.contains($0) }) {
            throw AtomProbeError.invalid("cannot exclude \(unknown): the range file has no \(mode == .atomic ? "element" : "ion") of that name (it has \(known.sorted().joined(separator: ", ")))")
        }
        let rangedIons = ionCounts.reduce(0, +)
        switch mode {
        case .ionic:
            let counts = table.ions.indices.map { (table.ions[$0].name, ionCounts[$0]) }
            return Composition(mode: .ionic, counts: counts, rangedIons: rangedIons, unrangedIons: unranged, excluding: excluding)
        case .atomic:
            var order: [String] = []
            var atoms: [String: Int] = [:]
            try table.requireElements(excluding: excluding, for: "an atomic composition needs element symbols (count ions instead, or exclude that symbol)",
                                      remedy: .ionicComposition)
            for (k, ion) in table.ions.enumerated() {
                for a in ion.atoms {
                    if atoms[a.symbol] == nil { order.append(a.symbol); atoms[a.symbol] = 0 }
                    atoms[a.symbol]! += a.count * ionCounts[k]
                }
            }
            return Composition(mode: .atomic, counts: order.map { ($0, atoms[$0]!) }, rangedIons: rangedIons,
                               unrangedIons: unranged, excluding: excluding)
        }
    }

    /// Ranges, counts and computes in one call.
    public static func composition(_ recon: Reconstruction, table: RangeTable, region: Region? = nil,
                                   mode: Composition.Mode = .atomic, excluding: Set<String> = []) throws -> Composition {
        let ranged = RangedIons(recon, table: table)
        let (perType, unranged) = ionCounts(recon, ranged, region: region)
        return try composition(ionCounts: perType, unranged: unranged, table: table, mode: mode, excluding: excluding)
    }
}
