import KitFoundation
/// A region of space in which to select ions, in nm.
public enum Region: Sendable, Hashable, CustomStringConvertible {
    /// Axis-aligned box [min, max] on each axis.
    case box(min: SIMD3<Double>, max: SIMD3<Double>)
    case sphere(center: SIMD3<Double>, radius: Double)
    /// A cylinder centred at `center`, its axis along the unit vector `axis`, of total `length`.
    case cylinder(center: SIMD3<Double>, axis: SIMD3<Double>, radius: Double, length: Double)

    /// At most one region from lists of numbers, each named as its parameter: `box`
    /// xmin,ymin,zmin,xmax,ymax,zmax; `sphere` cx,cy,cz,radius; `cylinder`
    /// cx,cy,cz,ax,ay,az,radius,length (nm; centred, along a). Nil when none is given.
    public static func from(box: [Double]? = nil, sphere: [Double]? = nil, cylinder: [Double]? = nil) throws -> Region? {
        try Validation.require([
            ([box, sphere, cylinder].compactMap { $0 }.count <= 1, "box", "is one of box, sphere and cylinder: give at most one"),
            (box.map { $0.count == 6 } ?? true, "box", "needs 6 comma-separated numbers xmin,ymin,zmin,xmax,ymax,zmax (nm)"),
            (sphere.map { $0.count == 4 } ?? true, "sphere", "needs 4 numbers cx,cy,cz,radius (nm)"),
            (cylinder.map { $0.count == 8 } ?? true, "cylinder", "needs 8 numbers cx,cy,cz,ax,ay,az,radius,length (nm)"),
        ])
        if let v = box { return try Region.box(min: SIMD3(v[0], v[1], v[2]), max: SIMD3(v[3], v[4], v[5])).validated() }
        if let v = sphere { return try Region.sphere(center: SIMD3(v[0], v[1], v[2]), radius: v[3]).validated() }
        if let v = cylinder { return try Region.cylinder(center: SIMD3(v[0], v[1], v[2]), axis: SIMD3(v[3], v[4], v[5]), radius: v[6], length: v[7]).validated() }
        return nil
    }

    /// Checks the parameters: positive sizes, min <= max, a non-zero axis.
    public func validated() throws -> Region {
        switch self {
        case let .box(lo, hi):
            guard (0..<3).allSatisfy({ lo[$0].isFinite && hi[$0].isFinite && lo[$0] <= hi[$0] }) else {
                throw AtomProbeError.invalid("box region needs finite min <= max on every axis")
            }
            return self
        case let .sphere(c, r):
            guard r > 0, r.isFinite, (0..<3).allSatisfy({ c[$0].isFinite }) else {
                throw AtomProbeError.invalid("sphere region needs a finite centre and a radius > 0")
            }
            return self
        case let .cylinder(c, a, r, l):
            let n = (a * a).sum().squareRoot()
            guard n > 0, n.isFinite, r > 0, l > 0, r.isFinite, l.isFinite, (0..<3).allSatisfy({ c[$0].isFinite }) else {
                throw AtomProbeError.invalid("cylinder region needs a finite centre, a non-zero axis, radius > 0 and length > 0")
            }
            return .cylinder(center: c, axis: a / n, radius: r, length: l)
        }
    }

    @inlinable
    public func contains(_ x: Float, _ y: Float, _ z: Float) -> Bool {
        let p = SIMD3<Double>(Double(x), Double(y), Double(z))
        switch self {
        case let .box(lo, hi):
            return p.x >= lo.x && p.x <= hi.x && p.y >= lo.y && p.y <= hi.y && p.z >= lo.z && p.z <= hi.z
        case let .sphere(c, r):
            let d = p - c
            return (d * d).sum() <= r * r
        case let .cylinder(c, a, r, l):
            let d = p - c
            let t = (d * a).sum()
            guard abs(t) <= l / 2 else { return false }
            let radial = d - t * a
            return (radial * radial).sum() <= r * r
        }
    }

    public var description: String {
        func v(_ p: SIMD3<Double>) -> String { "(\(p.x), \(p.y), \(p.z))" }
        switch self {
        case let .box(lo, hi): return "box \(v(lo))-\(v(hi)) nm"
        case let .sphere(c, r): return "sphere centre \(v(c)) radius \(r) nm"
        case let .cylinder(c, a, r, l): return "cylinder centre \(v(c)) axis \(v(a)) radius \(r) nm length \(l) nm"
        }
    }
}
