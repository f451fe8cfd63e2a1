import Foundation
import AtomProbe
import KitFoundation

/// Placing the nanodendrites inside the tip, apart from each other.
extension SyntheticLLZO {
    func placeObjects(length: Double, rng: inout SeededRandom) throws -> [Nanodendrite] {
        let p = parameters
        var placed: [Nanodendrite] = []
        for k in 0..<p.objectCount {
            var ok = false
            for _ in 0..<20_000 {
                // Random orientation: u, v, w orthonormal.
                func randomUnit() -> SIMD3<Double> {
                    while true {
                        let v = SIMD3(rng.uniform() * 2 - 1, rng.uniform() * 2 - 1, rng.uniform() * 2 - 1)
                        let n = (v * v).sum()
                        if n > 0.01 && n <= 1 { return v / n.squareRoot() }
                    }
                }
                // Length direction within 35 degrees of the tip axis (long objects fit a thin tip).
                var u: SIMD3<Double>
                repeat { u = SIMD3(rng.uniform() * 2 - 1, rng.uniform() * 2 - 1, 0) } while (u * u).sum() > 1
                u = u * tan(35 * Double.pi / 180) + SIMD3(0, 0, 1)
                u = u / (u * u).sum().squareRoot()
                var t = randomUnit()
                t = t - (t * u).sum() * u
                let tn = (t * t).sum().squareRoot()
                guard tn > 0.1 else { continue }
                let v = t / tn
                let w = SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
                let depth = rng.uniform() * length
                let r = radius(atDepth: depth) * rng.uniform().squareRoot()
                let phi = rng.uniform() * 2 * Double.pi
                let center = SIMD3(r * cos(phi), r * sin(phi), -depth)
                let obj = Nanodendrite(center: center, u: u, v: v, w: w, length: p.objectLength, width: p.objectWidth,
                                       thickness: p.objectThickness, curvature: p.objectCurvature,
                                       compositionIndex: p.objectCompositions.isEmpty ? 0 : k % p.objectCompositions.count)
                let pts = surfacePoints(obj)
                // Fully inside the tip with a 1 nm margin.
                guard pts.allSatisfy({ q in
                    let d = -q.z
                    return d > 1 && d < length - 1 && (q.x * q.x + q.y * q.y).squareRoot() < radius(atDepth: d) - 1
                }) else { continue }
                // Faces at least 3 nm from those of every object placed before.
                guard placed.allSatisfy({ other in
                    let op = surfacePoints(other)
                    return !pts.contains { a in op.contains { b in ((a - b) * (a - b)).sum() < 9 } }
                }) else { continue }
                placed.append(obj)
                ok = true
                break
            }
            if !ok {
                throw AtomProbeError.invalid("could not fit nanodendrite \(k + 1) of \(p.objectCount) (length \(p.objectLength) nm) inside the tip; use more ions, fewer or smaller objects, or a larger apex radius")
            }
        }
        return placed
    }

    /// Points on the outer faces of an object (for placement checks).
    func surfacePoints(_ o: Nanodendrite) -> [SIMD3<Double>] {
        var out: [SIMD3<Double>] = []
        let n = 9
        for i in 0...n {
            let s = (Double(i) / Double(n) - 0.5) * o.length
            let (pu, pv, nu, nv): (Double, Double, Double, Double)
            if o.curvature < 1e-9 { (pu, pv, nu, nv) = (s, 0, 0, 1) }
            else {
                let r = 1 / o.curvature, th = s / r
                (pu, pv, nu, nv) = (r * sin(th), r - r * cos(th), -sin(th), cos(th))
            }
            for j in 0...4 {
                let wv = (Double(j) / 4 - 0.5) * o.width
                for side in [-1.0, 1.0] {
                    let off = side * o.thickness / 2
                    out.append(o.center + (pu + off * nu) * o.u + (pv + off * nv) * o.v + wv * o.w)
                }
            }
        }
        return out
    }
}
