import ParallelLoops
import AtomProbe

/// The box that holds the specimen, robust to stray ions: per axis, the 0.001 % and 99.999 %
/// quantiles of the finite positions (from a strided sample of at most a million ions), widened
/// by 5 % of their extent and 2 nm, and cut to the data's own bounds. One ion hundreds of nm away
/// (a mis-reconstructed hit) would otherwise make every grid over the data hundreds of times
/// larger; ions outside this box are left out of voxel fields and reported.
public enum SpecimenBounds {
    public static let tail = 1e-5

    public static func of(_ recon: Reconstruction) -> (min: SIMD3<Double>, max: SIMD3<Double>)? {
        try? of(source: recon)
    }

    /// The same from any ion source in one pass: the finite bounds and a strided sample (every
    /// step-th ion by the source's numbering; a file read with `drop` numbers by record).
    public static func of(source: some IonSource, group: any ProcessGroup = LocalProcess()) throws -> (min: SIMD3<Double>, max: SIMD3<Double>)? {
        let step = max(1, source.count / 1_000_000)
        let sample = try source.reduceChunks(.positionsAndMass, initial: { Sample() }, { s, c in
            // The sample's indices are stepped to, not tested by division.
            var b = s.bounds
            for i in 0..<c.count { b.add(c.x[i], c.y[i], c.z[i]) }
            s.bounds = b
            var i = (step - c.first % step) % step
            while i < c.count {
                let x = c.x[i], y = c.y[i], z = c.z[i]
                if x.isFinite, y.isFinite, z.isFinite { s.xs.append(x); s.ys.append(y); s.zs.append(z) }
                i += step
            }
        }, combine: { a, b in
            a.bounds.merge(b.bounds)
            a.xs += b.xs; a.ys += b.ys; a.zs += b.zs
        })
        // A distributed run: every process gets every part's bounds and sample.
        let box = sample.bounds.box ?? (SIMD3(repeating: .infinity), SIMD3(repeating: -.infinity))
        var lo = [Double(box.min.x), Double(box.min.y), Double(box.min.z)], hi = [Double(box.max.x), Double(box.max.y), Double(box.max.z)]
        group.min(&lo); group.max(&hi)
        return bounds(lo: SIMD3(Float(lo[0]), Float(lo[1]), Float(lo[2])), hi: SIMD3(Float(hi[0]), Float(hi[1]), Float(hi[2])),
                      xs: group.gather(sample.xs), ys: group.gather(sample.ys), zs: group.gather(sample.zs))
    }

    struct Sample {
        var bounds = FiniteBounds()
        var xs: [Float] = [], ys: [Float] = [], zs: [Float] = []
    }

    static func bounds(lo b0: SIMD3<Float>, hi b1: SIMD3<Float>, xs: [Float], ys: [Float], zs: [Float]) -> (min: SIMD3<Double>, max: SIMD3<Double>)? {
        guard !xs.isEmpty, b0.x <= b1.x else { return nil }
        var lo = SIMD3<Double>(b0), hi = SIMD3<Double>(b1)
        for (axis, values) in [xs, ys, zs].enumerated() {
            let v = values.sorted()
            let k0 = Int(Double(v.count - 1) * tail), k1 = Int(Double(v.count - 1) * (1 - tail))
            let a = Double(v[k0]), c = Double(v[k1])
            let widen = 0.05 * (c - a) + 2
            lo[axis] = max(lo[axis], a - widen)
            hi[axis] = min(hi[axis], c + widen)
        }
        return (lo, hi)
    }

    /// Per ion: whether its position is finite and inside the specimen's box (stray ions far
    /// outside the bulk of the data are not), and how many finite ions are such strays.
    public static func usable(_ recon: Reconstruction) -> (usable: [Bool], strays: Int) {
        var ok = (0..<recon.count).map { recon.x[$0].isFinite && recon.y[$0].isFinite && recon.z[$0].isFinite }
        guard let box = of(recon) else { return (ok, 0) }
        var strays = 0
        for i in ok.indices where ok[i] {
            let p = SIMD3(Double(recon.x[i]), Double(recon.y[i]), Double(recon.z[i]))
            if p.x < box.min.x || p.y < box.min.y || p.z < box.min.z || p.x > box.max.x || p.y > box.max.y || p.z > box.max.z { ok[i] = false; strays += 1 }
        }
        return (ok, strays)
    }

    /// How many finite ions lie outside a box.
    public static func outside(_ recon: Reconstruction, _ box: (min: SIMD3<Double>, max: SIMD3<Double>)) -> Int {
        var n = 0
        for i in 0..<recon.count {
            let p = SIMD3(Double(recon.x[i]), Double(recon.y[i]), Double(recon.z[i]))
            guard p.x.isFinite, p.y.isFinite, p.z.isFinite else { continue }
            if p.x < box.min.x || p.y < box.min.y || p.z < box.min.z || p.x > box.max.x || p.y > box.max.y || p.z > box.max.z { n += 1 }
        }
        return n
    }
}
