/// The bilinear quadrilateral on an axis-aligned rectangle of size hx x hy: its shape functions
/// (local nodes counter-clockwise from the lower left), their gradients and the 2 x 2 Gauss rule.
public struct Q1Element: Sendable {
    public let hx: Double, hy: Double
    public init(hx: Double, hy: Double) { self.hx = hx; self.hy = hy }

    /// A point of the element: shape function values, their gradients (1/nm) and the quadrature weight (nm^2).
    public struct Point {
        public let N: [Double]
        public let dN: [(Double, Double)]
        public let weight: Double
    }

    /// Gauss points of the 2 x 2 rule on the reference square.
    static let gauss: [(Double, Double)] = {
        let g = 1 / 3.0.squareRoot()
        return [(-g, -g), (g, -g), (g, g), (-g, g)]
    }()

    /// The weight of each Gauss point, and the lumped (nodal) area of each node: a quarter of the element.
    public var quarterArea: Double { hx * hy / 4 }

    @inline(__always) static func shape(_ xi: Double, _ eta: Double) -> [Double] {
        [(1 - xi) * (1 - eta) / 4, (1 + xi) * (1 - eta) / 4, (1 + xi) * (1 + eta) / 4, (1 - xi) * (1 + eta) / 4]
    }

    @inline(__always) func shapeGradients(_ xi: Double, _ eta: Double) -> [(Double, Double)] {
        let sx = 2 / hx, sy = 2 / hy
        return [(-(1 - eta) / 4 * sx, -(1 - xi) / 4 * sy), ((1 - eta) / 4 * sx, -(1 + xi) / 4 * sy),
                ((1 + eta) / 4 * sx, (1 + xi) / 4 * sy), (-(1 + eta) / 4 * sx, (1 - xi) / 4 * sy)]
    }

    /// The element at reference coordinates (xi, eta) in [-1, 1]^2.
    @inline(__always) public func point(_ xi: Double, _ eta: Double) -> Point {
        Point(N: Self.shape(xi, eta), dN: shapeGradients(xi, eta), weight: quarterArea)
    }

    /// The four Gauss points.
    public var quadrature: [Point] { Self.gauss.map { point($0.0, $0.1) } }

    /// The centroid.
    public var centroid: Point { point(0, 0) }
}
