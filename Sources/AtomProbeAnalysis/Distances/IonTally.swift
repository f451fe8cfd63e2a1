import ParallelLoops
import AtomProbe

/// Step 3 as a fold (issue 12): instead of a distance per ion, the counts every later step needs,
/// added ion by ion as the distances are computed: proxigram bins per object, and the bulk,
/// inside, core and deeper-core regions. Memory is these counts, not the ions.
///
/// An ion is counted under a key: its ion type, or its range when corrections need per-range
/// counts (`byRange`); -1 for unranged ions. Objects are numbered 1...objects (0: none).
public struct IonTally: Sendable {
    public let objects: Int
    public let bins: Int
    public let start: Double
    public let binWidth: Double
    /// Keys per ion: ranges when `byRange`, else ion types.
    public let keys: Int
    public let byRange: Bool
    let bulkDistance: Float, coreDistance: Float, deeperDistance: Float

    /// [(object * bins + bin) * keys + key]
    var proxigram: [Int]
    /// [object * bins + bin]
    var proxigramUnranged: [Int]
    /// [key], unranged last: ions farther than the bulk distance outside every surface.
    var bulk: [Int]
    /// [object * (keys + 1) + key], unranged at key = keys.
    var inside: [Int], core: [Int], deeper: [Int]
    /// Ions (ranged) and their atoms in or near objects dropped by the size filters.
    public internal(set) var droppedIons = 0
    public internal(set) var droppedAtoms = 0

    init(objects: Int, options: IsoSurfaceAnalysis.Options, keys: Int, byRange: Bool) {
        self.objects = objects
        start = options.proxigramRange.lowerBound
        binWidth = options.binWidth
        bins = Int(((options.proxigramRange.upperBound - start) / binWidth).rounded(.up))  // <= 1e6 (validated)
        self.keys = keys
        self.byRange = byRange
        bulkDistance = Float(options.bulkDistance)
        coreDistance = Float(options.coreDistance)
        deeperDistance = Float(options.coreDistance + CorePlateau.step)
        proxigram = [Int](repeating: 0, count: (objects + 1) * bins * keys)
        proxigramUnranged = [Int](repeating: 0, count: (objects + 1) * bins)
        bulk = [Int](repeating: 0, count: keys + 1)
        inside = [Int](repeating: 0, count: (objects + 1) * (keys + 1))
        core = inside; deeper = inside
    }

    /// Bytes of one tally (one per worker while folding).
    static func bytes(objects: Int, options: IsoSurfaceAnalysis.Options, keys: Int) -> Double {
        let bins = ((options.proxigramRange.upperBound - options.proxigramRange.lowerBound) / options.binWidth).rounded(.up)
        return Double(objects + 1) * (bins * Double(keys + 1) + 3 * Double(keys + 1)) * 8
    }

    /// Counts (sign +1) or takes back (-1) one ion at signed distance `d` from the surface of
    /// `object`, under `key` (-1: unranged). NaN distances count nowhere.
    @inline(__always)
    mutating func add(_ d: Float, object o: Int, key: Int, sign: Int = 1) {
        guard !d.isNaN else { return }
        let k = key < 0 ? keys : key
        if d < -bulkDistance { bulk[k] += sign }
        if d > 0, o > 0 {
            let row = o * (keys + 1) + k
            inside[row] += sign
            if d > coreDistance { core[row] += sign }
            if d > deeperDistance { deeper[row] += sign }
        }
        if d.isFinite, Double(d) >= start {
            let b = Int((Double(d) - start) / binWidth)
            if b < bins {
                if key < 0 { proxigramUnranged[o * bins + b] += sign } else { proxigram[(o * bins + b) * keys + key] += sign }
            }
        }
    }

    mutating func add(_ other: IonTally) {
        func sum(_ a: inout [Int], _ b: [Int]) { a.withUnsafeMutableBufferPointer { x in for i in x.indices { x[i] += b[i] } } }
        sum(&proxigram, other.proxigram); sum(&proxigramUnranged, other.proxigramUnranged)
        sum(&bulk, other.bulk); sum(&inside, other.inside); sum(&core, other.core); sum(&deeper, other.deeper)
        droppedIons += other.droppedIons; droppedAtoms += other.droppedAtoms
    }

    /// Sums the tallies of every process of a distributed run (exact: integer counts).
    mutating func combine(over group: any ProcessGroup) {
        guard group.size > 1 else { return }
        group.sum(&proxigram); group.sum(&proxigramUnranged); group.sum(&bulk)
        group.sum(&inside); group.sum(&core); group.sum(&deeper)
        group.sum(&droppedIons); group.sum(&droppedAtoms)
    }

    /// The tally with objects renumbered: `newID[old]` (0: left out).
    func renumbered(_ newID: [Int32], count: Int) -> IonTally {
        var t = IonTally(copying: self, objects: count)
        for old in 0...objects {
            let new = Int(newID[old])
            guard new > 0 || old == 0 else { continue }
            for b in 0..<bins {
                for k in 0..<keys { t.proxigram[(new * bins + b) * keys + k] = proxigram[(old * bins + b) * keys + k] }
                t.proxigramUnranged[new * bins + b] = proxigramUnranged[old * bins + b]
            }
            for k in 0...keys {
                t.inside[new * (keys + 1) + k] = inside[old * (keys + 1) + k]
                t.core[new * (keys + 1) + k] = core[old * (keys + 1) + k]
                t.deeper[new * (keys + 1) + k] = deeper[old * (keys + 1) + k]
            }
        }
        return t
    }

    init(copying o: IonTally, objects: Int) {
        self.objects = objects
        bins = o.bins; start = o.start; binWidth = o.binWidth; keys = o.keys; byRange = o.byRange
        bulkDistance = o.bulkDistance; coreDistance = o.coreDistance; deeperDistance = o.deeperDistance
        proxigram = [Int](repeating: 0, count: (objects + 1) * bins * keys)
        proxigramUnranged = [Int](repeating: 0, count: (objects + 1) * bins)
        bulk = o.bulk
        inside = [Int](repeating: 0, count: (objects + 1) * (keys + 1))
        core = inside; deeper = inside
        droppedIons = o.droppedIons; droppedAtoms = o.droppedAtoms
    }

    // MARK: Reading the counts

    /// One region's counts per key and its unranged ions.
    public struct Counts: Sendable {
        public var perKey: [Int]
        public var unranged: Int
    }

    public var bulkCounts: Counts { Counts(perKey: Array(bulk[0..<keys]), unranged: bulk[keys]) }
    func row(_ a: [Int], _ o: Int) -> Counts {
        Counts(perKey: Array(a[(o * (keys + 1))..<(o * (keys + 1) + keys)]), unranged: a[o * (keys + 1) + keys])
    }
    public func insideCounts(_ o: Int) -> Counts { row(inside, o) }
    public func coreCounts(_ o: Int) -> Counts { row(core, o) }
    public func deeperCounts(_ o: Int) -> Counts { row(deeper, o) }
    /// A proxigram bin of one object (0: ions with no object).
    public func binCounts(_ o: Int, _ b: Int) -> Counts {
        Counts(perKey: Array(proxigram[((o * bins + b) * keys)..<((o * bins + b) * keys + keys)]), unranged: proxigramUnranged[o * bins + b])
    }
}
