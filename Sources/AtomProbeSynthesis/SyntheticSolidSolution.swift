import Foundation
import AtomProbe
import KitFoundation

/// A synthetic Fe-Cu reconstruction with known solute arrangement, for the spatial statistics:
/// a cube of atoms at a uniform random (Poisson) density, each Cu with the matrix's probability,
/// or, inside one of the spherical Cu-rich precipitates, with the precipitate's. With no
/// precipitates it is a random solid solution (the null hypothesis exactly); a Gaussian blur
/// per axis can be added as in a reconstruction. Ions are Fe2+ (28 Da) and Cu2+ (31.5 Da), in
/// random file order; the truth lists the precipitates.
public struct SyntheticSolidSolution: Sendable {
    public struct Parameters: Sendable {
        public var ions = 200_000
        /// Atoms per nm^3 (detected).
        public var density = 50.0
        /// Cu fraction of the matrix.
        public var soluteFraction = 0.02
        public var precipitates = 0
        public var precipitateRadius = 1.5
        /// Cu fraction inside a precipitate.
        public var precipitateSoluteFraction = 0.5
        /// Gaussian sigma per axis (nm); zero: none.
        public var blur = SIMD3<Double>(repeating: 0)
        public var seed: UInt64 = 1

        public init() {}

        public func validated() throws -> Parameters {
            try Validation.require([
                (ions >= 10 && ions <= 200_000_000, "ions", "must be 10-200000000, got \(ions)"),
                (density > 0 && density <= 1000, "density", "must be in (0, 1000] atoms/nm^3, got \(density)"),
                (soluteFraction >= 0 && soluteFraction <= 1, "solute_fraction", "must be in [0, 1], got \(soluteFraction)"),
                (precipitates >= 0 && precipitates <= 100_000, "precipitates", "must be 0-100000, got \(precipitates)"),
                (precipitateRadius > 0 && precipitateRadius <= 100, "precipitate_radius", "must be in (0, 100] nm, got \(precipitateRadius)"),
                (precipitateSoluteFraction >= 0 && precipitateSoluteFraction <= 1, "precipitate_solute_fraction", "must be in [0, 1], got \(precipitateSoluteFraction)"),
                ((0..<3).allSatisfy { blur[$0] >= 0 && blur[$0] <= 10 }, "blur", "needs three sigmas in [0, 10] nm"),
            ])
            return self
        }
    }

    public let parameters: Parameters
    /// Edge of the cube (nm).
    public var side: Double { Foundation.cbrt(Double(parameters.ions) / parameters.density) }

    public init(_ p: Parameters) throws { parameters = try p.validated() }

    /// The range table: Fe2+ and Cu2+ windows around their main peaks.
    public static func ranges() -> RangeTable {
        // Two fixed, valid, disjoint ranges: the table cannot be refused.
        try! RangeTable(ions: [IonType(atoms: [AtomCount("Fe", 1)]), IonType(atoms: [AtomCount("Cu", 1)])],
                   ranges: [MassRange(low: 27.5, high: 28.5, ionIndex: 0), MassRange(low: 31.0, high: 32.0, ionIndex: 1)])
    }

    public func generate() -> SyntheticLLZO.Dataset {
        let p = parameters, side = self.side
        var rng = SeededRandom(seed: p.seed)
        // Precipitate centres at least a radius from the faces and two radii from each other.
        var centres: [SIMD3<Double>] = []
        let r = p.precipitateRadius
        var attempts = 0
        while centres.count < p.precipitates, attempts < 100_000, side > 2 * r {
            attempts += 1
            let c = SIMD3(r + (side - 2 * r) * rng.uniform(), r + (side - 2 * r) * rng.uniform(), r + (side - 2 * r) * rng.uniform())
            if centres.allSatisfy({ Vec3.length($0 - c) >= 2 * r }) { centres.append(c) }
        }
        let cell = max(2 * r, 1.0)
        var lookup: [SIMD3<Int>: [SIMD3<Double>]] = [:]
        for c in centres { lookup[SIMD3(Int(c.x / cell), Int(c.y / cell), Int(c.z / cell)), default: []].append(c) }
        func inside(_ q: SIMD3<Double>) -> Bool {
            let k = SIMD3(Int(q.x / cell), Int(q.y / cell), Int(q.z / cell))
            for dz in -1...1 { for dy in -1...1 { for dx in -1...1 {
                if let list = lookup[k &+ SIMD3(dx, dy, dz)], list.contains(where: { Vec3.lengthSquared($0 - q) < r * r }) { return true }
            } } }
            return false
        }
        var x = [Float](), y = [Float](), z = [Float](), mass = [Float]()
        x.reserveCapacity(p.ions); y.reserveCapacity(p.ions); z.reserveCapacity(p.ions); mass.reserveCapacity(p.ions)
        var copper = 0
        for _ in 0..<p.ions {
            let q = SIMD3(side * rng.uniform(), side * rng.uniform(), side * rng.uniform())
            let f = !centres.isEmpty && inside(q) ? p.precipitateSoluteFraction : p.soluteFraction
            let cu = rng.uniform() < f
            if cu { copper += 1 }
            var b = q
            if p.blur != .zero { b += SIMD3(p.blur.x * rng.normal(), p.blur.y * rng.normal(), p.blur.z * rng.normal()) }
            x.append(Float(b.x)); y.append(Float(b.y)); z.append(Float(b.z))
            mass.append(cu ? 31.5 : 28)
        }
        let truth: JSONValue = .object([
            ("kind", .string("Fe-Cu solid solution")), ("ions", .int(p.ions)), ("side_nm", .number(side)), ("density_atoms_per_nm3", .number(p.density)),
            ("cu_fraction_matrix", .number(p.soluteFraction)), ("cu_atoms", .int(copper)),
            ("precipitate_radius_nm", .number(r)), ("cu_fraction_precipitates", .number(p.precipitateSoluteFraction)),
            ("precipitate_centres_nm", .array(centres.map { .numbers([$0.x, $0.y, $0.z]) })),
            ("blur_sigma_nm", .numbers([p.blur.x, p.blur.y, p.blur.z])), ("seed", .int(Int(p.seed))),
        ])
        return SyntheticLLZO.Dataset(reconstruction: Reconstruction(x: x, y: y, z: z, mass: mass), ranges: Self.ranges(), objects: [], truth: truth)
    }
}
