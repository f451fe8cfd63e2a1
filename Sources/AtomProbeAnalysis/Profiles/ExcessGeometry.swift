import Foundation
import KitFoundation
import AtomProbe

/// The tilt of a profile's axis from the normal of the plane it crosses (an interface or a
/// layer). The analysis cylinder (or box) of cross-section A meets a plane tilted by theta over
/// an ellipse of area A / cos(theta), so the atoms of a layer of Gamma atoms/nm^2 inside it number
/// Gamma A / cos(theta): the excess per nm^2 of the cross-section overstates the excess per nm^2
/// of the plane by 1 / cos(theta), and Gamma_plane = Gamma_cross-section x cos(theta).
public struct PlaneTilt: Sendable, Equatable {
    /// The plane's unit normal, as given (its sign does not matter).
    public let normal: SIMD3<Double>
    /// |cos| of the angle between the axis and the normal, and the angle (degrees, 0-90).
    public let cosine: Double
    public var degrees: Double { acos(min(1, cosine)) * 180 / Double.pi }
    /// Above this tilt (degrees) a run warns: the correction is then more than 1.5 %.
    public static let warningDegrees = 10.0
    /// Beyond this tilt the axis runs nearly in the plane and the correction is refused.
    public static let maximumDegrees = 80.0

    public init(axis: SIMD3<Double>, normal: SIMD3<Double>) throws {
        let n = Vec3.length(normal), a = Vec3.length(axis)
        guard n > 0, n.isFinite, a > 0, a.isFinite else { throw AtomProbeError.invalid("plane_normal", "needs 3 finite numbers x,y,z, not all 0") }
        self.normal = normal / n
        cosine = min(1, abs(Vec3.dot(axis / a, self.normal)))
        guard degrees <= Self.maximumDegrees else {
            throw AtomProbeError.invalid("plane_normal", String(format: "is %.1f degrees from the profile's axis: the axis must cross the plane (at most %.0f degrees from its normal)", degrees, Self.maximumDegrees))
        }
    }

    /// A warning when the tilt is large enough to matter, else nil.
    public var warning: String? {
        guard degrees > Self.warningDegrees else { return nil }
        return String(format: "the profile's axis is tilted %.1f degrees from the plane's normal: the excess per nm^2 of the plane is the cross-section's x cos(tilt) = x %.3f (corrected)", degrees, cosine)
    }
}

/// Two ranges along a profile's axis (nm from its start) whose bins are the plateaus: before and
/// after an interface or a layer.
public struct PlateauRanges: Sendable, Equatable {
    public var low: ClosedRange<Double>, high: ClosedRange<Double>
    public init(low: ClosedRange<Double>, high: ClosedRange<Double>) { self.low = low; self.high = high }

    /// From four numbers from,to,from,to (nm); nil unless there are 4 finite ones in increasing order.
    public init?(_ v: [Double]) {
        guard v.count == 4, v.allSatisfy(\.isFinite), v[0] < v[1], v[1] <= v[2], v[2] < v[3] else { return nil }
        self.init(low: v[0]...v[1], high: v[2]...v[3])
    }

    /// The bins lying entirely inside a range.
    func bins(_ p: ConcentrationProfile, _ r: ClosedRange<Double>) -> [ConcentrationProfile.Bin] {
        p.bins.filter { $0.lower >= r.lowerBound - 1e-9 && $0.upper <= r.upperBound + 1e-9 }
    }
}
