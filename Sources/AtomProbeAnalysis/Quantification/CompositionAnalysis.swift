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
    /// Errors follow from the ion counts (multinomial; `Composition`).
    public static func composition(ionCounts: [Int], unranged: Int, table: RangeTable,
                                   mode: Composition.Mode = .atomic, excluding: Set<String> = [],
                                   errors: Composition.CountingErrors = .binomial) throws -> Composition {
        try composition(counts: IonCountModel(counts: ionCounts), unranged: unranged, table: table, mode: mode, excluding: excluding, errors: errors)
    }

    /// The composition from ion counts with their error model (corrected counts included).
    public static func composition(counts: IonCountModel, unranged: Int, table: RangeTable,
                                   mode: Composition.Mode = .atomic, excluding: Set<String> = [],
                                   errors: Composition.CountingErrors = .binomial) throws -> Composition {
        // Leaving out something the range file does not have is a typo, not a no-op.
        let known = Set(mode == .atomic ? table.symbols + table.ions.filter(\.isElementless).map(\.name) : table.ions.map(\.name))
        if let unknown = excluding.sorted().first(where: { !known.contains($0) }) {
            throw AtomProbeError.invalid("cannot exclude \(unknown): the range file has no \(mode == .atomic ? "element" : "ion") of that name (it has \(known.sorted().joined(separator: ", ")))")
        }
        let rangedIons = counts.observed.reduce(0, +)
        switch mode {
        case .ionic:
            let n = table.ions.count
            let identity = (0..<n).map { k in (0..<n).map { $0 == k ? 1 : 0 } }
            return Composition(mode: .ionic, names: table.ions.map(\.name), atomsPerType: identity, counts: counts,
                               rangedIons: rangedIons, unrangedIons: unranged, excluding: excluding, errors: errors)
        case .atomic:
            try table.requireElements(excluding: excluding, for: "an atomic composition needs element symbols (count ions instead, or exclude that symbol)",
                                      remedy: .ionicComposition)
            let symbols = table.symbols
            return Composition(mode: .atomic, names: symbols, atomsPerType: table.ions.map { ion in symbols.map { ion.count(of: $0) } },
                               counts: counts, rangedIons: rangedIons, unrangedIons: unranged, excluding: excluding, errors: errors)
        }
    }

    /// Ions per range (order of `table.ranges`) inside `region` (all ions when nil), and the
    /// unranged ions there.
    public static func rangeCounts(_ recon: Reconstruction, table: RangeTable, region: Region? = nil) -> (perRange: [Int], unranged: Int) {
        let nRanges = table.ranges.count
        let total: [Int] = recon.mass.withUnsafeBufferPointer { mass in
            Parallel.sum(recon.count, length: nRanges + 1) { r, c in
                for i in r {
                    if let region, !region.contains(recon.x[i], recon.y[i], recon.z[i]) { continue }
                    c[table.rangeIndex(of: Double(mass[i])) ?? nRanges] += 1
                }
            }
        }
        return (Array(total[0..<nRanges]), total[nRanges])
    }

    /// Ranges, counts and computes in one call; with `corrections`, counts per range go through
    /// the background subtraction and overlap deconvolution.
    public static func composition(_ recon: Reconstruction, table: RangeTable, region: Region? = nil,
                                   mode: Composition.Mode = .atomic, excluding: Set<String> = [],
                                   corrections: QuantificationCorrections = QuantificationCorrections(),
                                   errors: Composition.CountingErrors = .binomial) throws -> Composition {
        guard !corrections.isEmpty else {
            let ranged = RangedIons(recon, table: table)
            let (perType, unranged) = ionCounts(recon, ranged, region: region)
            return try composition(ionCounts: perType, unranged: unranged, table: table, mode: mode, excluding: excluding, errors: errors)
        }
        let (perRange, unranged) = rangeCounts(recon, table: table, region: region)
        let counts = corrections.counts(rangeCounts: perRange, regionIons: perRange.reduce(unranged, +), table: table)
        return try composition(counts: counts, unranged: unranged, table: table, mode: mode, excluding: excluding, errors: errors)
    }
}
