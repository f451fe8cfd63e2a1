import AtomProbe

/// The box that holds the specimen, robust to stray ions: per axis, the 0.001 % and 99.999 %
/// quantiles of the finite positions (from a strided sample of at most a million ions), widened
/// by 5 % of their extent and 2 nm, and cut to the data's own bounds. One ion hundreds of nm away
/// (a mis-reconstructed hit) would otherwise make every grid over the data hundreds of times
/// larger; ions outside this box are left out of voxel fields and reported.
public enum SpecimenBounds {
    public static let tail = 1e-5

    public static func of(_ recon: Reconstruction) -> (min: SIMD3<Double>, max: SIMD3<Double>)? {
        guard let b = recon.bounds else { return nil }
        let n = recon.count
        let step = max(1, n / 1_000_000)
        var xs: [Float] = [], ys: [Float] = [], zs: [Float] = []
        xs.reserveCapacity(n / step + 1); ys.reserveCapacity(n / step + 1); zs.reserveCapacity(n / step + 1)
        var i = 0
        while i < n {
            if recon.x[i].isFinite && recon.y[i].isFinite && recon.z[i].isFinite { xs.append(recon.x[i]); ys.append(recon.y[i]); zs.append(recon.z[i]) }
            i += step
        }
        guard !xs.isEmpty else { return nil }
        var lo = SIMD3<Double>(b.min), hi = SIMD3<Double>(b.max)
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
