import Foundation
import KitFoundation
import ParallelLoops

/// Random relabelling of ions (the null hypothesis of a random solid solution of the same
/// content in the same specimen): the positions stay, the solute labels go to ions drawn at
/// random. Relabelling all ions and keeping those labelled solute is the same as drawing the
/// solute count of distinct ions uniformly from all of them, which is what is done (Floyd's
/// sampling: no permutation of millions of ions). The specimen's shape, edges and density
/// variations are the same in the randomized copies, so comparing with them cancels edge effects.
///
/// Each randomization j has its own generator, seeded from (seed, j): the copies are the same
/// for the same seed whatever the order or the number of threads they are drawn on.
public enum LabelRandomization {
    /// `count` distinct indices of 0..<total, sorted, for randomization `j` of `seed`.
    public static func draw(_ count: Int, of total: Int, seed: UInt64, randomization j: Int) -> [Int] {
        precondition(count >= 0 && count <= total)
        var rng = SeededRandom(seed: seed ^ (0x9E37_79B9_7F4A_7C15 &* UInt64(j + 1)))
        var drawn = Set<Int>(minimumCapacity: count)
        for m in (total - count)..<total {
            let t = Int(rng.next() % UInt64(m + 1))
            drawn.insert(drawn.contains(t) ? m : t)
        }
        return drawn.sorted()
    }

    /// The positions of `count` ions drawn at random from `ions`, for each of `randomizations`
    /// copies (drawn in parallel).
    public static func positions(_ ions: LabelledIons, count: Int, randomizations: Int, seed: UInt64) -> [[SIMD3<Double>]] {
        let parts: [[[SIMD3<Double>]]] = Parallel.map(randomizations, minChunk: 1) { range in
            range.map { j in draw(count, of: ions.count, seed: seed, randomization: j).map(ions.position) }
        }
        return parts.flatMap { $0 }
    }
}
