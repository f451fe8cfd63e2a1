import Foundation
import AtomProbe
import KitFoundation
import ParallelLoops

/// Step 3 on request: per ion, the signed distance to the nearest kept surface (nm; < 0 outside,
/// > 0 inside; -inf / +inf beyond the search reach; NaN for a non-finite position, a stray ion
/// outside the field, or an ion in or near a dropped object) and the object of that surface (0
/// when none). 8 bytes per ion: only for `--write-distances`; the analysis itself folds them.
public struct IonDistances: Sendable {
    public internal(set) var distance: [Float]
    public internal(set) var objectOfIon: [Int32]

    public var count: Int { distance.count }

    /// Every ion's distance, in the source's order.
    public static func compute(_ source: some IonSource, resolver: DistanceResolver) throws -> IonDistances {
        var distance = [Float](repeating: .nan, count: source.count), object = [Int32](repeating: 0, count: source.count)
        // One pass per slab of query lists; each ion is measured in the slab that holds it.
        let parts = try resolver.foldSlabs(source, initial: { [(Int, [Int], [Float], [Int32])]() }, combine: { $0 += $1 }) { r, acc, c, i, p in
            let (di, oi) = r.resolve(p)
            if let last = acc.last, last.0 == c.first {
                acc[acc.count - 1].1.append(i); acc[acc.count - 1].2.append(di); acc[acc.count - 1].3.append(oi)
            } else {
                acc.append((c.first, [i], [di], [oi]))
            }
        }
        for (first, at, d, o) in parts { for (k, i) in at.enumerated() { distance[first + i] = d[k]; object[first + i] = o[k] } }
        return IonDistances(distance: distance, objectOfIon: object)
    }
}
