import Foundation
import AtomProbe
import KitFoundation

/// A proximity histogram: atoms per element in bins of signed distance to the iso-surface.
public struct Proxigram: Sendable {
    public var objectID: Int32?  // nil = all objects
    public var binWidth: Double
    public var start: Double
    public var elements: [String]
    /// counts[bin][element]: atoms.
    public var counts: [[Int]]
    /// ionCounts[bin][ion type]: the ranged ions the atoms came from (for the errors).
    public var ionCounts: [[Int]]
    /// atomsPerType[ion type][element].
    public var atomsPerType: [[Int]]
    public var unranged: [Int]
    /// The error model of `atPercent` (binomial: CONVENTIONS.md).
    public var errors = Composition.CountingErrors.binomial
    /// Corrections of every bin, with the bins' ions per range they need (empty without).
    public var corrections = QuantificationCorrections()
    public var rangeCounts: [[Int]] = []
    var table: RangeTable?

    public var binCenters: [Double] { counts.indices.map { start + (Double($0) + 0.5) * binWidth } }
    public func total(_ bin: Int) -> Int { counts[bin].reduce(0, +) }

    /// Concentration (at.%) and one-sigma error of an element in a bin (NaN for empty bins), the
    /// error binomial over atoms or multinomial over the bin's ions (`Composition`).
    public func atPercent(_ element: Int, bin: Int) -> (value: Double, sigma: Double) {
        if let table, !corrections.isEmpty {
            let counts = corrections.counts(rangeCounts: rangeCounts[bin], regionIons: rangeCounts[bin].reduce(unranged[bin], +), table: table)
            guard let c = try? CompositionAnalysis.composition(counts: counts, unranged: unranged[bin], table: table, errors: .multinomial),
                  c.total > 0, let e = c[elements[element]] else { return (.nan, .nan) }
            return (e.atPercent, e.sigmaAtPercent)
        }
        guard let f = Composition.atomicFraction(of: element, ionCounts: ionCounts[bin], atomsPerType: atomsPerType, errors: errors) else { return (.nan, .nan) }
        return (100 * f.fraction, 100 * f.sigma)
    }
}

/// Step 4 of the iso-surface chain: the proxigrams of every object and of all objects together.
/// Files: `proxigram_all.*` and `proxigram_object<N>.*` (CSV, JSON, SVG).
public struct ProxigramSet: Sendable {
    /// Ions whose nearest surface belongs to any object.
    public let all: Proxigram
    public let perObject: [Proxigram]

    /// Every proxigram, `all` first.
    public var everyProxigram: [Proxigram] { [all] + perObject }

    /// The proxigrams from the folded counts of step 3 (range and bin width from the analysis
    /// options): per object, and for all objects together.
    public init(_ a: IsoSurfaceAnalysis) throws {
        let t = a.tally
        let elements = a.elements
        let table = a.table
        let nTypes = table.ions.count
        try a.options.field.memory.require(Double(a.objects.count + 1) * Double(t.bins) * Double(elements.count + nTypes + (t.byRange ? table.ranges.count : 0) + 1) * 8 * 2,
                                           for: "proxigrams of \(a.objects.count) objects in \(t.bins) bins")
        let atomsOf = table.ions.map { ion in elements.map { ion.count(of: $0) } }
        let typeOfKey = t.byRange ? table.ranges.map(\.ionIndex) : Array(0..<nTypes)
        func proxigram(_ objects: [Int], _ id: Int32?) -> Proxigram {
            var counts = Array(repeating: [Int](repeating: 0, count: elements.count), count: t.bins)
            var ions = Array(repeating: [Int](repeating: 0, count: nTypes), count: t.bins)
            var perRange = Array(repeating: [Int](repeating: 0, count: t.byRange ? table.ranges.count : 0), count: t.bins)
            var unranged = [Int](repeating: 0, count: t.bins)
            for o in objects {
                for b in 0..<t.bins {
                    let c = t.binCounts(o, b)
                    unranged[b] += c.unranged
                    for (k, n) in c.perKey.enumerated() where n != 0 {
                        let type = typeOfKey[k]
                        ions[b][type] += n
                        if t.byRange { perRange[b][k] += n }
                        for (e, m) in atomsOf[type].enumerated() where m > 0 { counts[b][e] += n * m }
                    }
                }
            }
            return Proxigram(objectID: id, binWidth: t.binWidth, start: t.start, elements: elements, counts: counts, ionCounts: ions,
                             atomsPerType: atomsOf, unranged: unranged, errors: a.options.errors,
                             corrections: a.options.corrections, rangeCounts: perRange, table: t.byRange ? table : nil)
        }
        // Ions whose nearest surface belongs to any object.
        all = proxigram(a.objects.map { Int($0.id) }, nil)
        perObject = a.objects.map { proxigram([Int($0.id)], $0.id) }
    }
}
