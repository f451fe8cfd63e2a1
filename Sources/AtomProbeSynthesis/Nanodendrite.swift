import Foundation

/// A Li-rich nanodendrite as the study saw them: a thin, curved, crack-like sheet.
///
/// Geometry: in the object's local frame (unit vectors `u`, `v`, `w`), the mid-surface is a
/// circular arc in the u-v plane, tangent to `u` at the centre and bending towards `v` with
/// curvature `curvature` (1/nm; 0 is flat), `length` long along the arc, extruded `width`
/// along `w`. Points within `thickness`/2 of that surface (and within its extent) are inside.
public struct Nanodendrite: Sendable, Equatable {
    public var center: SIMD3<Double>
    public var u: SIMD3<Double>
    public var v: SIMD3<Double>
    public var w: SIMD3<Double>
    public var length: Double
    public var width: Double
    public var thickness: Double
    public var curvature: Double
    /// Index into the generator's object compositions.
    public var compositionIndex: Int

    /// Signed distance-like depth: how far inside the sheet (positive) the point is, measured
    /// normal to the mid-surface, or nil when outside the sheet's extent.
    public func contains(_ p: SIMD3<Double>) -> Bool {
        let d = p - center
        let lu = (d * u).sum(), lv = (d * v).sum(), lw = (d * w).sum()
        guard abs(lw) <= width / 2 else { return false }
        if abs(curvature) < 1e-9 {
            return abs(lu) <= length / 2 && abs(lv) <= thickness / 2
        }
        let r = 1 / curvature
        // Circle centre at (0, r) in (u, v); the arc passes through the origin.
        let qu = lu, qv = lv - r
        let radial = (qu * qu + qv * qv).squareRoot()
        guard abs(radial - abs(r)) <= thickness / 2 else { return false }
        let angle = atan2(qu, r > 0 ? -qv : qv)  // 0 at the centre of the arc
        return abs(angle) * abs(r) <= length / 2
    }

    /// A loose bounding radius around `center`.
    public var boundingRadius: Double { (length * length / 4 + width * width / 4).squareRoot() + thickness }
}
