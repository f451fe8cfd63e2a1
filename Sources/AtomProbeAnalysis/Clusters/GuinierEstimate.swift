import Foundation
import AtomProbe
import KitFoundation

/// The solute content of a cluster that does not depend on the envelope and erosion distances:
/// the Guinier radius r_G = sqrt(5/3) R_g of its solute atoms (the radius of a uniform sphere
/// with that radius of gyration) and the local atomic density n of the ranged atoms in a shell
/// around it (r_G + 0.5 nm to r_G + 1.5 nm from the solute centroid) give the atoms of the sphere,
/// n 4/3 pi r_G^3, and the solute at.% = solute atoms / that. It assumes a roughly spherical,
/// uniform cluster in a matrix of the same atomic density; the maximum-separation composition
/// (envelope + erosion) is biased by the shell those distances leave or remove (a 1.5 nm sphere
/// of 50 at.% reads 37 at.% with E = L/2 and 61 at.% with E = L); this one is not, but it has
/// biases of its own, handled here: the reconstruction's blur adds its variance to R_g^2
/// (subtracted when the blur is given: `blurVariance`, the sum of the per-axis sigma^2), and a
/// cluster at the dataset's edge has a shell cut by the edge (`touchesEdge`: one of six caps of the
/// shell holds under a quarter of the mean; the density then comes from the full caps, the
/// visible fraction). The content never exceeds 100 at.%.
public struct GuinierEstimate: Sendable {
    public var radius: Double
    public var soluteAtPercent: Double
    /// One sigma from the scatter of r^2 about R_g^2 (propagated to r_G^3), and the Poisson counts
    /// of the solutes and the density shell.
    public var sigmaAtPercent: Double
    /// Atoms per nm^3 in the shell.
    public var density: Double
    /// The density shell reaches outside the data (the cluster touches the dataset's edge).
    public var touchesEdge: Bool

    /// `solutes`: positions of the cluster's solute ions and the solute atoms of each; `neighbours`
    /// calls its body with (position, atoms) of every ranged ion within a distance of a point.
    static func estimate(solutes: [(SIMD3<Double>, Int)], blurVariance: Double = 0,
                        neighbours: (SIMD3<Double>, Double, (SIMD3<Double>, Int) -> Void) -> Void) -> GuinierEstimate? {
        let weight = Double(solutes.reduce(0) { $0 + $1.1 })
        guard weight >= 2 else { return nil }
        var centroid = SIMD3<Double>.zero
        for (p, w) in solutes { centroid += p * Double(w) }
        centroid /= weight
        var m2 = 0.0, m4 = 0.0
        for (p, w) in solutes { let r2 = Vec3.lengthSquared(p - centroid); m2 += Double(w) * r2; m4 += Double(w) * r2 * r2 }
        m2 /= weight; m4 /= weight
        // The blur spreads each solute: R_g^2 measured = R_g^2 true + the blur's variance.
        // Unresolved when the blur explains all of it.
        guard m2 > 0, m2 - blurVariance > 0 else { return nil }
        let rg = (5.0 / 3.0 * (m2 - blurVariance)).squareRoot()
        let inner = rg + 0.5, outer = rg + 1.5
        // The shell in six caps, one per face of a cube around the centroid (the axis of a point's
        // largest component and its sign): a face of the data cutting the shell empties a cap.
        var caps = [Int](repeating: 0, count: 6)
        neighbours(centroid, outer) { p, atoms in
            let v = p - centroid, a = SIMD3(Swift.abs(v.x), Swift.abs(v.y), Swift.abs(v.z))
            let d = Vec3.length(v)
            guard d >= inner && d < outer else { return }
            let axis = a.x >= a.y && a.x >= a.z ? 0 : (a.y >= a.z ? 1 : 2)
            caps[2 * axis + (v[axis] < 0 ? 1 : 0)] += atoms
        }
        let shellAtoms = caps.reduce(0, +)
        let shellVolume = 4.0 / 3.0 * Double.pi * (outer * outer * outer - inner * inner * inner)
        guard shellAtoms > 0 else { return nil }
        let mean = Double(shellAtoms) / 6
        let touchesEdge = Double(caps.min()!) < 0.25 * mean
        // The visible part of a cut shell: the caps holding at least half the fullest one's atoms.
        let full = caps.filter { Double($0) >= 0.5 * Double(caps.max()!) }
        let counted = touchesEdge ? full.reduce(0, +) : shellAtoms
        let density = touchesEdge ? Double(counted) / (shellVolume * Double(full.count) / 6) : Double(shellAtoms) / shellVolume
        let sphereAtoms = density * 4.0 / 3.0 * Double.pi * rg * rg * rg
        let atPct = 100 * weight / sphereAtoms
        let relRg2 = (max(0, m4 - m2 * m2) / weight).squareRoot() / (m2 - blurVariance)
        let rel = ((1.5 * relRg2) * (1.5 * relRg2) + 1 / Double(counted) + 1 / weight).squareRoot()
        return GuinierEstimate(radius: rg, soluteAtPercent: min(100, atPct), sigmaAtPercent: atPct * rel, density: density, touchesEdge: touchesEdge)
    }
}
