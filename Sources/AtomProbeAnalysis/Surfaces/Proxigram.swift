import Foundation
import AtomProbe
import KitFoundation

/// A proximity histogram: atoms per element in bins of signed distance to the iso-surface.
public struct Proxigram: Sendable {
    public var objectID: Int32?  // nil = all objects
    public var binWidth: Double
    public var start: Double
    public var elements: [String]
    /// counts[bin][element]
    public var counts: [[Int]]
    public var unranged: [Int]

    public var binCenters: [Double] { counts.indices.map { start + (Double($0) + 0.5) * binWidth } }
    public func total(_ bin: Int) -> Int { counts[bin].reduce(0, +) }

    /// Concentration (at.%) and one-sigma error of an element in a bin (NaN for empty bins).
    public func atPercent(_ element: Int, bin: Int) -> (value: Double, sigma: Double) {
        let n = total(bin)
        guard n > 0 else { return (.nan, .nan) }
        let c = Double(counts[bin][element]) / Double(n)
        return (100 * c, 100 * (c * (1 - c) / Double(n)).squareRoot())
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
        try a.options.field.memory.require(Double(a.objects.count + 1) * Double(nBins) * Double(elements.count + 1) * 8 * 2,
                                           for: "proxigrams of \(a.objects.count) objects in \(nBins) bins")
        let atomsOf = a.ranged.table.ions.map { ion in elements.map { ion.count(of: $0) } }
        let nObj = a.objects.count
        var counts = Array(repeating: Array(repeating: [Int](repeating: 0, count: elements.count), count: nBins), count: nObj + 1)
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
            for (e, n) in atomsOf[t].enumerated() where n > 0 {
                counts[o][b][e] += n
                if o > 0 { counts[0][b][e] += n }
            }
        }
        // Index 0 collects all objects.
        all = Proxigram(objectID: nil, binWidth: w, start: lo, elements: elements, counts: counts[0], unranged: unranged[0])
        perObject = a.objects.map { o in
            Proxigram(objectID: o.id, binWidth: w, start: lo, elements: elements, counts: counts[Int(o.id)], unranged: unranged[Int(o.id)])
        }
    }
}
