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

    /// Bins the decomposed atoms of every ranged ion by its signed distance (range and bin width
    /// from the analysis options).
    public init(_ a: IsoSurfaceAnalysis) throws {
        let lo = a.options.proxigramRange.lowerBound, w = a.options.binWidth
        let nBins = Int(((a.options.proxigramRange.upperBound - lo) / w).rounded(.up))  // <= 1e6 (validated)
        let elements = a.elements
        let nTypes = a.ranged.table.ions.count
        try a.options.field.memory.require(Double(a.objects.count + 1) * Double(nBins) * Double(elements.count + nTypes + 1) * 8 * 2,
                                           for: "proxigrams of \(a.objects.count) objects in \(nBins) bins")
        let atomsOf = a.ranged.table.ions.map { ion in elements.map { ion.count(of: $0) } }
        let nObj = a.objects.count
        var counts = Array(repeating: Array(repeating: [Int](repeating: 0, count: elements.count), count: nBins), count: nObj + 1)
        var ions = Array(repeating: Array(repeating: [Int](repeating: 0, count: nTypes), count: nBins), count: nObj + 1)
        let corrected = !a.options.corrections.isEmpty
        let nRanges = corrected ? a.ranged.table.ranges.count : 0
        try a.options.field.memory.require(Double(a.objects.count + 1) * Double(nBins) * Double(nRanges) * 8,
                                           for: "corrected proxigrams of \(a.objects.count) objects in \(nBins) bins")
        var perRange = Array(repeating: Array(repeating: [Int](repeating: 0, count: nRanges), count: nBins), count: nObj + 1)
        var unranged = Array(repeating: [Int](repeating: 0, count: nBins), count: nObj + 1)
        let distance = a.distances.distance, objectOfIon = a.distances.objectOfIon
        for i in 0..<distance.count {
            let d = Double(distance[i])
            guard d.isFinite, d >= lo else { continue }
            let b = Int((d - lo) / w)
            guard b < nBins else { continue }
            let o = Int(objectOfIon[i])
            let t = Int(a.ranged.ionType[i])
            if t < 0 { unranged[o][b] += 1; unranged[0][b] += o > 0 ? 1 : 0; continue }
            ions[o][b][t] += 1
            if o > 0 { ions[0][b][t] += 1 }
            if corrected {
                let r = Int(a.ranged.range[i])
                perRange[o][b][r] += 1
                if o > 0 { perRange[0][b][r] += 1 }
            }
            for (e, n) in atomsOf[t].enumerated() where n > 0 {
                counts[o][b][e] += n
                if o > 0 { counts[0][b][e] += n }
            }
        }
        // Index 0 collects all objects.
        func proxigram(_ k: Int, _ id: Int32?) -> Proxigram {
            Proxigram(objectID: id, binWidth: w, start: lo, elements: elements, counts: counts[k], ionCounts: ions[k],
                      atomsPerType: atomsOf, unranged: unranged[k], errors: a.options.errors,
                      corrections: a.options.corrections, rangeCounts: perRange[k], table: corrected ? a.ranged.table : nil)
        }
        all = proxigram(0, nil)
        perObject = a.objects.map { proxigram(Int($0.id), $0.id) }
    }
}
