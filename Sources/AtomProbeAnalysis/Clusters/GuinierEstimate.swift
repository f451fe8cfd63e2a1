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
/// of 50 at.% reads 37 at.% with E = L/2 and 61 at.% with E = L), this estimate is not.
public struct GuinierEstimate: Sendable {
    public var radius: Double
    public var soluteAtPercent: Double
    /// One sigma from the scatter of r^2 about R_g^2 (propagated to r_G^3), and the Poisson counts
    /// of the solutes and the density shell.
    public var sigmaAtPercent: Double
    /// Atoms per nm^3 in the shell.
    public var density: Double

    /// `solutes`: positions of the cluster's solute ions and the solute atoms of each; `neighbours`
    /// calls its body with (position, atoms) of every ranged ion within a distance of a point.
    static func estimate(solutes: [(SIMD3<Double>, Int)],
                        neighbours: (SIMD3<Double>, Double, (SIMD3<Double>, Int) -> Void) -> Void) -> GuinierEstimate? {
        let weight = Double(solutes.reduce(0) { $0 + $1.1 })
        guard weight >= 2 else { return nil }
        var centroid = SIMD3<Double>.zero
        for (p, w) in solutes { centroid += p * Double(w) }
        centroid /= weight
        var m2 = 0.0, m4 = 0.0
        for (p, w) in solutes { let r2 = Vec3.lengthSquared(p - centroid); m2 += Double(w) * r2; m4 += Double(w) * r2 * r2 }
        m2 /= weight; m4 /= weight
        guard m2 > 0 else { return nil }
        let rg = (5.0 / 3.0 * m2).squareRoot()
        let inner = rg + 0.5, outer = rg + 1.5
        var shellAtoms = 0
        neighbours(centroid, outer) { p, atoms in
            let d = Vec3.length(p - centroid)
            if d >= inner && d < outer { shellAtoms += atoms }
        }
        let shellVolume = 4.0 / 3.0 * Double.pi * (outer * outer * outer - inner * inner * inner)
        guard shellAtoms > 0 else { return nil }
        let density = Double(shellAtoms) / shellVolume
        let sphereAtoms = density * 4.0 / 3.0 * Double.pi * rg * rg * rg
        let atPct = 100 * weight / sphereAtoms
        let relRg2 = (max(0, m4 - m2 * m2) / weight).squareRoot() / m2
        let rel = ((1.5 * relRg2) * (1.5 * relRg2) + 1 / Double(shellAtoms) + 1 / weight).squareRoot()
        return GuinierEstimate(radius: rg, soluteAtPercent: atPct, sigmaAtPercent: atPct * rel, density: density)
    }
}
