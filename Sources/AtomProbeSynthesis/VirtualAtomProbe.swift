import Foundation
import AtomProbe
import KitFoundation

/// A 2D simulated field as the virtual atom probe needs it (plain arrays, no FEM types): node
/// coordinates, the Li site fraction c per node (x fastest) and, per element, whether it is Li
/// metal (otherwise Ta-doped LLZO).
public struct FieldSample2D: Sendable {
    public var xs: [Double], ys: [Double]
    public var c: [Double]
    public var lithiumMetal: [Bool]
    public init(xs: [Double], ys: [Double], c: [Double], lithiumMetal: [Bool]) {
        self.xs = xs; self.ys = ys; self.c = c; self.lithiumMetal = lithiumMetal
    }
}

/// A virtual atom probe of a simulation: the 2D plane-strain field extruded along the
/// out-of-plane axis, atoms placed at each phase's density (LLZO: 17 host atoms per formula unit
/// at the synthetic matrix's host composition plus 9c Li; Li metal: every atom Li), detected with
/// an efficiency, emitted as ions with the ion catalogue, peak shapes and background of `synth`,
/// and blurred like a reconstruction. The virtual specimen's axes: x = the field's x, y = the
/// out-of-plane axis (thickness centred on 0), z = the field's y, so an interface scenario's
/// plane is z = 0 with Li above, as in the study's Fig. 4. It is a box of the simulated domain
/// (no tip shape). Every analysis (`profile`, `analyze`, `proxigram`) then measures it like a
/// real specimen.
public struct VirtualAtomProbe: Sendable {
    public struct Parameters: Sendable {
        public var thickness = 10.0             // nm, out of plane
        public var efficiency = 0.52
        public var blur = SIMD3<Double>(0.3, 0.3, 0.15)  // nm (sigma per axis)
        public var seed: UInt64 = 1
        public var backgroundFraction = 0.01
        public var massResolvingPower = 1000.0
        public var memory = MemoryBudget.standard
        public init() {}
    }

    /// LLZO: 8 formula units (17 host atoms and 9 Li sites each) per cubic cell of 1.2968 nm.
    public static let llzoCellVolume = 1.2968 * 1.2968 * 1.2968
    public static let hostDensity = 8 * 17 / llzoCellVolume      // atoms/nm^3
    public static let siteDensity = 8 * 9 / llzoCellVolume       // Li sites/nm^3
    public static let lithiumDensity = 2 / (0.351 * 0.351 * 0.351)

    public let parameters: Parameters
    let synth: SyntheticLLZO

    public init(_ p: Parameters) throws {
        try Validation.require([
            (p.thickness > 0 && p.thickness <= 1000, "thickness_nm", "must be in (0, 1000] nm, got \(p.thickness)"),
            (p.efficiency >= 0.01 && p.efficiency <= 1, "efficiency", "must be in [0.01, 1], got \(p.efficiency)"),
            ((0..<3).allSatisfy { p.blur[$0] >= 0 && p.blur[$0] <= 10 }, "blur_nm", "needs three sigmas in [0, 10] nm"),
            (p.backgroundFraction >= 0 && p.backgroundFraction < 1, "background", "must be in [0, 1), got \(p.backgroundFraction)"),
        ])
        var s = SyntheticLLZO.Parameters()
        s.objectCount = 0; s.massResolvingPower = p.massResolvingPower
        synth = try SyntheticLLZO(s)
        parameters = p
    }

    /// Host composition of Ta-doped LLZO without its Li (fractions).
    var hostComposition: [String: Double] {
        var m = synth.parameters.matrixComposition
        m["Li"] = nil
        return synth.fractions(m)
    }

    public func generate(_ field: FieldSample2D) throws -> SyntheticLLZO.Dataset {
        let p = parameters
        let nx = field.xs.count, ny = field.ys.count
        guard nx >= 2, ny >= 2, field.c.count == nx * ny, field.lithiumMetal.count == (nx - 1) * (ny - 1) else {
            throw AtomProbeError.invalid("the simulated field's arrays do not match its mesh (\(nx) x \(ny) nodes)")
        }
        guard field.c.allSatisfy({ $0.isFinite && $0 >= 0 && $0 <= 1 }) else { throw AtomProbeError.invalid("the simulated site fractions must lie in [0, 1]") }
        let area = (field.xs.last! - field.xs.first!) * (field.ys.last! - field.ys.first!)
        let maxIons = area * p.thickness * max(Self.hostDensity + Self.siteDensity, Self.lithiumDensity) * p.efficiency
        try p.memory.require(maxIons * 40, for: String(format: "a virtual specimen of about %.3g ions", maxIons))
        let catalog = synth.catalog
        // Ion probabilities for LLZO at 201 levels of c, and for Li metal.
        let levels = 200
        func llzo(_ c: Double) -> [String: Double] {
            let li = 9 * c / (9 * c + 17)
            var comp = hostComposition.mapValues { $0 * (1 - li) }
            comp["Li"] = li
            return comp
        }
        let llzoProbs = try (0...levels).map { try catalog.ionProbabilities(for: llzo(Double($0) / Double(levels))) }
        let metalProbs = try catalog.ionProbabilities(for: ["Li": 1])
        func cumulative(_ pr: [Double]) -> [Double] { var s = 0.0; return pr.map { s += $0; return s } }
        let llzoCum = llzoProbs.map(cumulative), metalCum = cumulative(metalProbs)
        let atomsPerIon = llzoProbs.map { synth.atomsPerIon($0) }, metalAtomsPerIon = synth.atomsPerIon(metalProbs)
        let peakCumulative = catalog.channels.map { ch -> [Double] in var s = 0.0; return ch.emitted.peaks.map { s += $0.abundance; return s } }
        // Detected ions per nm^3 at site fraction c.
        func llzoIonDensity(_ c: Double) -> Double {
            (Self.hostDensity + Self.siteDensity * c) * p.efficiency / atomsPerIon[Int((c * Double(levels)).rounded())]
        }
        let metalIonDensity = Self.lithiumDensity * p.efficiency / metalAtomsPerIon
        var rng = SeededRandom(seed: p.seed ^ 0x7A1D_0000_0000_0001)
        var x = [Float](), y = [Float](), z = [Float](), m = [Float]()
        var fromPhase = [0, 0]  // ions from LLZO, from Li metal
        for j in 0..<(ny - 1) {
            for i in 0..<(nx - 1) {
                let x0 = field.xs[i], x1 = field.xs[i + 1], y0 = field.ys[j], y1 = field.ys[j + 1]
                let cs = [field.c[i + nx * j], field.c[i + 1 + nx * j], field.c[i + 1 + nx * (j + 1)], field.c[i + nx * (j + 1)]]
                let metal = field.lithiumMetal[i + (nx - 1) * j]
                let maxDensity = metal ? metalIonDensity : cs.map(llzoIonDensity).max()!
                // Candidates: a Poisson-like count (the mean, rounded at random), thinned to the local density.
                let mean = maxDensity * (x1 - x0) * (y1 - y0) * p.thickness
                let candidates = Int(mean) + (rng.uniform() < mean - mean.rounded(.down) ? 1 : 0)
                for _ in 0..<candidates {
                    let u = rng.uniform(), v = rng.uniform()
                    let c = metal ? 1 : (1 - u) * (1 - v) * cs[0] + u * (1 - v) * cs[1] + u * v * cs[2] + (1 - u) * v * cs[3]
                    let density = metal ? metalIonDensity : llzoIonDensity(c)
                    guard rng.uniform() * maxDensity <= density else { continue }
                    let mass: Double
                    if rng.uniform() < p.backgroundFraction {
                        mass = 0.5 + rng.uniform() * 129.5
                    } else {
                        let ch = rng.pick(cumulative: metal ? metalCum : llzoCum[Int((c * Double(levels)).rounded())])
                        let peak = catalog.channels[ch].emitted.peaks[rng.pick(cumulative: peakCumulative[ch])].mass
                        mass = peak + synth.sigma(peak) * rng.normal()
                        fromPhase[metal ? 1 : 0] += 1
                    }
                    x.append(Float(x0 + u * (x1 - x0) + p.blur.x * rng.normal()))
                    y.append(Float((rng.uniform() - 0.5) * p.thickness + p.blur.y * rng.normal()))
                    z.append(Float(y0 + v * (y1 - y0) + p.blur.z * rng.normal()))
                    m.append(Float(mass))
                }
            }
        }
        guard !x.isEmpty else { throw AtomProbeError.invalid("the virtual specimen has no ions (domain or thickness too small)") }
        let order = z.indices.sorted { z[$0] > z[$1] }  // evaporation from the top (Li side) down
        let recon = Reconstruction(x: order.map { x[$0] }, y: order.map { y[$0] }, z: order.map { z[$0] }, mass: order.map { m[$0] })
        let truth: JSONValue = .object([
            ("generator", .string("atomprobe virtualize (VirtualAtomProbe)")),
            ("axes", .string("x = the simulation's x, y = out of plane (thickness centred on 0), z = the simulation's y (nm)")),
            ("interface_point_nm", .numbers([0, 0, 0])), ("interface_normal", .numbers([0, 0, 1])),
            ("thickness_nm", .number(p.thickness)), ("detection_efficiency", .number(p.efficiency)),
            ("blur_nm", .numbers([p.blur.x, p.blur.y, p.blur.z])), ("background_fraction", .number(p.backgroundFraction)),
            ("seed", .int(Int(truncatingIfNeeded: p.seed))),
            ("ions", .object([("total", .int(x.count)), ("llzo", .int(fromPhase[0])), ("lithium_metal", .int(fromPhase[1]))])),
            ("densities_atoms_per_nm3", .object([("llzo_host", .number(Self.hostDensity)), ("llzo_li_sites", .number(Self.siteDensity)),
                                                 ("lithium_metal", .number(Self.lithiumDensity))])),
        ])
        return SyntheticLLZO.Dataset(reconstruction: recon, ranges: try synth.rangeTable(), objects: [], truth: truth)
    }
}
