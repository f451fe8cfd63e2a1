import KitFoundation
import Foundation

/// A straight edge dislocation along z in the non-singular continuum formulation (eq. 6-7):
/// eigenstrain eps^D = 1/2 (b n + n b) W(x), with W the integral of a spreading function w over
/// the cut surface S of the slip plane.
///
/// For a straight dislocation the 2D spreading function w(rho) = 2 a^4 / (pi (rho^2 + a^2)^3)
/// (the line integral of Cai's isotropic 15 a^4 / (8 pi R_a^7)) integrates over the cut, the
/// half line behind the dislocation {X' <= 0} in local coordinates (X along b, Y along the slip
/// plane normal n = z x b / |b|), to the closed form
///     W(X, Y) = (2 a^4 / pi) [3 pi / (16 A^5) - F(X)],  A^2 = Y^2 + a^2,
///     F(t) = t / (4 A^2 (t^2 + A^2)^2) + 3 t / (8 A^4 (t^2 + A^2)) + 3 atan(t / A) / (8 A^5).
/// Across the slip plane far behind the core W integrates to 1, so the slip is b.
/// With b = +x, n = +y the material above the cut slips by +b towards the line: the +n side is
/// compressed and the -n side stretched, as for an extra half-plane on the +n side (the
/// classical sigma_xx + sigma_yy = -2 D y / r^2).
public struct EdgeDislocation: Sendable, Equatable {
    /// Position of the line (nm).
    public var x: Double
    public var y: Double
    /// Burgers vector in the x-y plane (nm).
    public var bx: Double
    public var by: Double
    /// Core width a (nm).
    public var coreWidth: Double
    /// The cut (slipped part of the slip plane) lies behind the line (X < 0, default) or ahead of
    /// it (X > 0, with the opposite slip). Both give the same stress in an infinite body (they
    /// differ by a uniform slip of the whole plane); choosing the side nearest to a free edge
    /// keeps the slip of a dislocation array from piling up across the domain.
    public var cutAhead = false
    /// The direction (unit vector) of the cut half-line from the core, when it is not along b:
    /// the eigenstrain is then sym(b m) W over that half-line, m = z x s its normal, s = -cut.
    /// Any cut ending on the line gives the same stress (two cuts differ by a compatible
    /// eigenstrain, a rigid slip of the wedge between them), so the cut may follow a mesh line:
    /// a cut inclined to the mesh crosses elements obliquely and needs a much finer mesh behind
    /// the core. nil: along -b (or +b with `cutAhead`).
    public var cutDirection: [Double]?

    /// A dislocation given as x, y, bx, by[, a] (nm), as a user writes it; a = `defaultCoreWidth`
    /// when left out. Refuses (naming `dislocation`) a wrong count, no Burgers vector or a < 0.
    public init(values v: [Double], defaultCoreWidth: Double) throws {
        try Validation.require([
            (v.count == 4 || v.count == 5, "dislocation", "needs x,y,bx,by[,a] (nm), got \(v.count) numbers"),
            (v.allSatisfy(\.isFinite), "dislocation", "needs finite numbers"),
            (v.count != 5 || v[4] > 0, "dislocation", "core width must be > 0"),
            (v.count < 4 || v[2] != 0 || v[3] != 0, "dislocation", "needs a non-zero Burgers vector"),
        ])
        self.init(x: v[0], y: v[1], bx: v[2], by: v[3], coreWidth: v.count == 5 ? v[4] : defaultCoreWidth)
    }

    public init(x: Double, y: Double, bx: Double, by: Double, coreWidth: Double, cutAhead: Bool = false, cutDirection: [Double]? = nil) {
        self.x = x; self.y = y; self.bx = bx; self.by = by; self.coreWidth = coreWidth; self.cutAhead = cutAhead
        self.cutDirection = cutDirection
    }

    /// The same dislocation with its cut along the mesh axis closest to -b (x or y).
    public var cutAlongMeshAxis: EdgeDislocation {
        var d = self
        d.cutAhead = false
        d.cutDirection = abs(bx) >= abs(by) ? [bx > 0 ? -1 : 1, 0] : [0, by > 0 ? -1 : 1]
        return d
    }

    public var burgersLength: Double { (bx * bx + by * by).squareRoot() }
    /// Unit slip direction and slip-plane normal.
    public var slipDirection: (Double, Double) { (bx / burgersLength, by / burgersLength) }
    public var normal: (Double, Double) { (-by / burgersLength, bx / burgersLength) }

    /// Local coordinates of a point: X along b, Y along n.
    func local(_ px: Double, _ py: Double) -> (Double, Double) {
        let (sx, sy) = slipDirection, (nx, ny) = normal
        let dx = px - x, dy = py - y
        return (dx * sx + dy * sy, dx * nx + dy * ny)
    }

    /// The cut's own frame: s (X axis, the cut at X <= 0) and its normal m = z x s.
    var cutFrame: (s: (Double, Double), m: (Double, Double)) {
        guard let c = cutDirection else { return (slipDirection, normal) }
        let s = (-c[0], -c[1])
        return (s, (-s.1, s.0))
    }

    /// The spreading integral W (1/nm) at a point (signed so that eps^D = sym(b m) W for either
    /// cut side), in the cut's frame.
    public func spreading(_ px: Double, _ py: Double) -> Double {
        let (s, m) = cutFrame
        let dx = px - x, dy = py - y
        let (X, Y) = (dx * s.0 + dy * s.1, dx * m.0 + dy * m.1)
        let a = coreWidth
        let A2 = Y * Y + a * a, A = A2.squareRoot()
        let t2 = X * X + A2
        let F = X / (4 * A2 * t2 * t2) + 3 * X / (8 * A2 * A2 * t2) + 3 * atan(X / A) / (8 * A2 * A2 * A)
        let behind = 2 * pow(a, 4) / Double.pi * (3 * Double.pi / (16 * A2 * A2 * A) - F)
        // Ahead: minus the integral over X' >= 0 = behind - (whole line) = behind - 3 a^4 / (4 A^5).
        return cutAhead && cutDirection == nil ? behind - 3 * pow(a, 4) / (4 * A2 * A2 * A) : behind
    }

    /// Eigenstrain (Voigt, engineering shear) at a point: 1/2 (b m + m b) W, m the cut's normal
    /// (n, the slip-plane normal, for a cut along b).
    public func eigenstrain(_ px: Double, _ py: Double) -> [Double] {
        let w = spreading(px, py)
        let (nx, ny) = cutFrame.m
        return [bx * nx * w, by * ny * w, 0, 0, 0, (bx * ny + by * nx) * w]
    }

    /// Closed-form hydrostatic stress (same units as `shearModulus`) of this dislocation in an
    /// infinite isotropic body under plane strain, from the non-singular theory of Cai et al.,
    /// J. Mech. Phys. Solids 54 (2006) 561: sigma_xx + sigma_yy = -2 D Y (r^2 + 2 a^2) / (r^2 + a^2)^2
    /// in local coordinates, D = G b / (2 pi (1 - nu)), sigma_zz = nu (sigma_xx + sigma_yy),
    /// sigma_h = (1 + nu) (sigma_xx + sigma_yy) / 3 (compression on the +n side, see above).
    public func closedFormHydrostatic(_ px: Double, _ py: Double, shearModulus g: Double, poissonRatio nu: Double) -> Double {
        let (X, Y) = local(px, py)
        let a = coreWidth, r2 = X * X + Y * Y
        let d = g * burgersLength / (2 * Double.pi * (1 - nu))
        let trace = -2 * d * Y * (r2 + 2 * a * a) / ((r2 + a * a) * (r2 + a * a))
        return (1 + nu) * trace / 3
    }
}
