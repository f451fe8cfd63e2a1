/// A fourth-order elasticity tensor in Voigt notation (xx, yy, zz, yz, xz, xy), engineering
/// shear strains, in GPa.
public struct ElasticTensor: Sendable, Equatable {
    public var c: [Double]  // 36, row-major

    public init(voigt: [Double]) {
        precondition(voigt.count == 36)
        c = voigt
    }

    /// Isotropic: Young's modulus E (GPa) and Poisson's ratio nu.
    public static func isotropic(youngsModulus e: Double, poissonRatio nu: Double) -> ElasticTensor {
        let lambda = e * nu / ((1 + nu) * (1 - 2 * nu)), mu = e / (2 * (1 + nu))
        return cubic(c11: lambda + 2 * mu, c12: lambda, c44: mu)
    }

    /// Cubic crystal aligned with the axes: C11, C12, C44 (GPa).
    public static func cubic(c11: Double, c12: Double, c44: Double) -> ElasticTensor {
        var v = [Double](repeating: 0, count: 36)
        for i in 0..<3 { for j in 0..<3 { v[i * 6 + j] = i == j ? c11 : c12 } }
        for i in 3..<6 { v[i * 6 + i] = c44 }
        return ElasticTensor(voigt: v)
    }

    @inline(__always) public subscript(i: Int, j: Int) -> Double { c[i * 6 + j] }

    /// C times a Voigt strain.
    @inline(__always) public func apply(_ e: [Double]) -> [Double] {
        var s = [Double](repeating: 0, count: 6)
        for i in 0..<6 { var a = 0.0; for j in 0..<6 { a += c[i * 6 + j] * e[j] }; s[i] = a }
        return s
    }

    /// a : C : b for Voigt strain-like vectors.
    public func contract(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in 0..<6 { for j in 0..<6 { s += a[i] * c[i * 6 + j] * b[j] } }
        return s
    }

    /// Shear modulus (C44) and Poisson's ratio of an isotropic tensor.
    public var shearModulus: Double { c[3 * 6 + 3] }
    public var poissonRatio: Double { c[1] / (c[0] + c[1]) }
}
