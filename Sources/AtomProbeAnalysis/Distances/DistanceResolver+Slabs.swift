import AtomProbe

extension DistanceResolver {
    /// The z-layers a chunk's ions fall in (by their nearest voxel; ions outside the grid belong
    /// to slab 0, which reads every chunk).
    struct ChunkReach: Sendable {
        var low = Int.max, high = Int.min

        func meets(_ layers: Range<Int>) -> Bool { low < layers.upperBound && high >= layers.lowerBound }
    }

    /// One pass over the ions per slab of query lists (usually one), each ion folded once, in the
    /// slab that holds it, with that slab's resolver: `body(resolver, &accumulator, chunk, i,
    /// position)`. The first pass reads every chunk and notes the layers its ions reach; the
    /// later ones read only the chunks reaching their slab. Ions come in evaporation order, so
    /// most chunks of a tip reach one or two slabs and the slabs cost little more than one pass.
    /// `nearDroppedOnly`: the second pass, whose ions all lie near dropped objects (its lists
    /// cover only those voxels).
    public func foldSlabs<T>(_ source: some IonSource, nearDroppedOnly: Bool = false, initial: () -> T, combine: (inout T, T) -> Void,
                             progress: ((String) -> Void)? = nil,
                             _ body: (DistanceResolver, inout T, IonChunk, Int, SIMD3<Double>) -> Void) throws -> T {
        var total = initial()
        var reach: [Int: ChunkReach] = [:]
        let noting = slabs.count > 1
        for s in slabs.indices {
            let r = try slab(s, nearDroppedOnly: nearDroppedOnly)
            if noting { progress?("slab \(s + 1) of \(slabs.count) (z layers \(slabs[s].lowerBound)-\(slabs[s].upperBound - 1))") }
            let layers = slabs[s], known = reach, g = grid
            let including: ((Range<Int>) -> Bool)? = s == 0 ? nil : { chunk in known[chunk.lowerBound]?.meets(layers) ?? true }
            let (part, seen) = try source.reduceChunks(.positionsAndMass, including: including, initial: { (initial(), [Int: ChunkReach]()) }, { acc, c in
                var cr = ChunkReach()
                for i in 0..<c.count {
                    let p = SIMD3(Double(c.x[i]), Double(c.y[i]), Double(c.z[i]))
                    // With one slab every ion is in it; otherwise its nearest voxel's layer decides
                    // (noted in the first pass for the chunk skipping of the later ones).
                    if noting {
                        guard let v = g.nearestVoxel(p) else { if s == 0 { body(r, &acc.0, c, i, p) }; continue }
                        let k = g.layer(ofVoxel: v)
                        if s == 0 { cr.low = min(cr.low, k); cr.high = max(cr.high, k) }
                        guard layers.contains(k) else { continue }
                    }
                    body(r, &acc.0, c, i, p)
                }
                if s == 0, noting { acc.1[c.first] = cr }
            }, combine: { a, b in combine(&a.0, b.0); a.1.merge(b.1) { x, _ in x } })
            combine(&total, part)
            if s == 0 { reach = seen }
        }
        return total
    }
}
