import Foundation
import AtomProbe
import KitFoundation

/// A synthetic reconstruction of the study's Fig. 4: a planar Li-metal / LLZO interface in a tip,
/// Li (with the O and Zr the study found dissolved in it near the interface) on the apex side,
/// Ta-doped LLZO below, with known position, tilt and width.
///
/// How it is made:
/// 1. The tip is the cone of `SyntheticLLZO` (apex radius, half angle) along -z. The interface
///    plane passes through (0, 0, -depth) with its normal tilted by `tiltDegrees` from +z
///    towards +x, pointing into the Li.
/// 2. At signed distance d from the plane the Li phase's volume fraction is Phi(d / s), an erf
///    step whose 10-90 % width is `width` = 2.563 s. The atomic density varies accordingly
///    (Li metal 46.2, LLZO 88.0 atoms/nm^3), and so the detected ion density.
/// 3. Each ion comes from one phase, with the probability that makes each phase's share of the
///    atoms at that point its share of the local density; the ion type and its m/n are drawn
///    from that phase's composition with the ion catalogue, peak shapes, background and blur of
///    `SyntheticLLZO`.
/// The truth records the plane and, for comparison with a measured profile, where the expected Li
/// at.% along the normal (including the reconstruction blur) crosses halfway and its 10-90 % width.
public struct SyntheticInterface: Sendable {
    public struct Parameters: Sendable {
        public var tip = SyntheticLLZO.Parameters()
        /// Depth of the interface below the apex along the tip axis (nm).
        public var depth = 20.0
        public var tiltDegrees = 20.0
        /// 10-90 % width of the phase step (nm).
        public var width = 1.0
        /// The Li side near the interface: Li with dissolved O and Zr (at.%, assumed: the study
        /// reports them without numbers).
        public var lithiumComposition: [String: Double] = ["Li": 92, "O": 6, "Zr": 2]
        public var lithiumDensity = 2 / (0.351 * 0.351 * 0.351)  // bcc Li, atoms/nm^3
        public init() { tip.objectCount = 0 }
    }

    public let parameters: Parameters
    let tip: SyntheticLLZO

    public init(_ p: Parameters) throws {
        var p = p
        p.tip.objectCount = 0
        let li = Array(p.lithiumComposition.values)
        try Validation.require([
            (p.depth > 0 && p.depth <= 10_000, "depth_nm", "must be in (0, 10000] nm, got \(p.depth)"),
            (p.tiltDegrees.isFinite && abs(p.tiltDegrees) < 80, "tilt_deg", "must be within 80 degrees of the tip axis, got \(p.tiltDegrees)"),
            (p.width > 0 && p.width < 100, "width_nm", "must be between 0 and 100 nm, got \(p.width)"),
            (p.lithiumDensity > 0 && p.lithiumDensity <= 1000, "lithium_density", "must be in (0, 1000] atoms/nm^3"),
            (li.allSatisfy { $0 >= 0 && $0 <= 100 } && abs(li.reduce(0, +) - 100) <= 1, "lithium_side", "needs at.% values in [0, 100] that sum to 100, got \(li.map { String(format: "%g", $0) }.joined(separator: ","))"),
        ])
        tip = try SyntheticLLZO(p.tip)
        parameters = p
    }

    public var normal: SIMD3<Double> { let t = parameters.tiltDegrees * .pi / 180; return SIMD3(sin(t), 0, cos(t)) }
    public var point: SIMD3<Double> { SIMD3(0, 0, -parameters.depth) }
    var s: Double { parameters.width / InterfaceWidth.perSigma }

    /// Volume fraction of the Li phase at signed distance d (nm, > 0 on the Li side).
    func lithiumFraction(_ d: Double) -> Double { 0.5 * (1 + erf(d / (s * 2.0.squareRoot()))) }

    public func generate() throws -> SyntheticLLZO.Dataset {
        let p = parameters, q = p.tip
        try q.memory.require(Double(q.ions) * 40, for: "\(q.ions) synthetic ions")
        let catalog = tip.catalog
        let phases = [tip.fractions(p.lithiumComposition), tip.fractions(q.matrixComposition)]  // 0 Li, 1 LLZO
        let probs = try phases.map { try catalog.ionProbabilities(for: $0) }
        let cumulative = probs.map { pr -> [Double] in var s = 0.0; return pr.map { s += $0; return s } }
        let atomsPerIon = probs.map { tip.atomsPerIon($0) }
        let density = [p.lithiumDensity, q.atomicDensity]
        // Tip length: detected ions = efficiency x atoms / atoms per ion, Li above the plane.
        let signal = Double(q.ions) * (1 - q.backgroundFraction)
        let liIons = q.detectionEfficiency * density[0] / atomsPerIon[0] * tip.volume(toDepth: p.depth)
        let llzoPerVolume = q.detectionEfficiency * density[1] / atomsPerIon[1]
        guard liIons < signal else { throw AtomProbeError.invalid("\(q.ions) ions do not reach the interface at \(p.depth) nm; use more ions or a shallower interface") }
        let length = tip.depth(forVolume: tip.volume(toDepth: p.depth) + (signal - liIons) / llzoPerVolume)
        let table = try tip.rangeTable()
        let peakCumulative = catalog.channels.map { ch -> [Double] in var s = 0.0; return ch.emitted.peaks.map { s += $0.abundance; return s } }
        var rng = SeededRandom(seed: q.seed ^ 0x1F7E_2FAC_E000_0000)
        let maxIonDensity = max(density[0] / atomsPerIon[0], density[1] / atomsPerIon[1])
        let rMax = tip.radius(atDepth: length)
        var x = [Float](), y = [Float](), z = [Float](), m = [Float](), channel = [Int16]()
        x.reserveCapacity(q.ions); y.reserveCapacity(q.ions); z.reserveCapacity(q.ions); m.reserveCapacity(q.ions)
        var channelCounts = [[Int]](repeating: [Int](repeating: 0, count: catalog.channels.count), count: 2)
        var background = 0
        let n = normal, p0 = point
        while x.count < q.ions {
            // Uniform in the cone (a depth, then a point of the bounding square inside the cone's
            // circle there: density proportional to r(d)^2), then thinned to the local ion density.
            let d = rng.uniform() * length
            let px = (rng.uniform() * 2 - 1) * rMax, py = (rng.uniform() * 2 - 1) * rMax
            let rr = tip.radius(atDepth: d)
            guard px * px + py * py <= rr * rr else { continue }
            let pos = SIMD3(px, py, -d)
            let f = lithiumFraction(Vec3.dot(pos - p0, n))
            let ionDensity = f * density[0] / atomsPerIon[0] + (1 - f) * density[1] / atomsPerIon[1]
            guard rng.uniform() * maxIonDensity <= ionDensity else { continue }
            let mass: Double
            if rng.uniform() < q.backgroundFraction {
                background += 1
                mass = q.backgroundMass(rng.uniform())
                channel.append(-1)
            } else {
                let phase = rng.uniform() * ionDensity < f * density[0] / atomsPerIon[0] ? 0 : 1
                let ch = rng.pick(cumulative: cumulative[phase])
                channelCounts[phase][ch] += 1
                channel.append(Int16(ch))
                let peak = catalog.channels[ch].emitted.peaks[rng.pick(cumulative: peakCumulative[ch])].mass
                mass = peak + tip.sigma(peak) * rng.normal()
            }
            x.append(Float(px + q.blurLateral * rng.normal())); y.append(Float(py + q.blurLateral * rng.normal()))
            z.append(Float(-d + q.blurDepth * rng.normal())); m.append(Float(mass))
        }
        // Evaporation order: from the apex down.
        let order = z.indices.sorted { z[$0] > z[$1] }
        var recon = Reconstruction(x: order.map { x[$0] }, y: order.map { y[$0] }, z: order.map { z[$0] }, mass: order.map { m[$0] })
        var truth = truthJSON(phases: phases, density: density, atomsPerIon: atomsPerIon, counts: channelCounts,
                              background: background, length: length)
        if let detector = q.detector {
            // Detector columns by point projection (as `SyntheticLLZO`), correlated multiples and the dead-zone loss.
            let (r, t) = detector.apply(x: recon.x, y: recon.y, z: recon.z, m: recon.mass, channel: order.map { channel[$0] }, catalog: catalog, table: table,
                                        seed: q.seed) { [z = recon.z, tip] i in 38.0 * 0.9 / tip.radius(atDepth: max(0, min(Double(-z[i]), length))) }
            recon = r
            if case .object(let fields) = truth { truth = .object(fields + [("detector", t)]) }
        }
        return SyntheticLLZO.Dataset(reconstruction: recon, ranges: table, objects: [], truth: truth)
    }

    /// Expected Li at.% at signed distance d, blurred along the normal by the reconstruction blur.
    func expectedLithium(_ phases: [[String: Double]], density: [Double], blur: Double) -> (x: [Double], y: [Double]) {
        let li = phases.map { $0["Li"] ?? 0 }
        let span = 6 * (s + blur) + 2, step = 0.005
        let xs = stride(from: -span, through: span, by: step).map { $0 }
        func sharp(_ d: Double) -> Double {
            let f = lithiumFraction(d), a = f * density[0], b = (1 - f) * density[1]
            return 100 * (a * li[0] + b * li[1]) / (a + b)
        }
        guard blur > 0 else { return (xs, xs.map(sharp)) }
        let kernel = stride(from: -4 * blur, through: 4 * blur, by: step).map { ($0, exp(-0.5 * $0 * $0 / (blur * blur))) }
        let norm = kernel.reduce(0) { $0 + $1.1 }
        return (xs, xs.map { x in kernel.reduce(0) { $0 + $1.1 * sharp(x - $1.0) } / norm })
    }

    func truthJSON(phases: [[String: Double]], density: [Double], atomsPerIon: [Double], counts: [[Int]], background: Int, length: Double) -> JSONValue {
        let p = parameters, q = p.tip, t = p.tiltDegrees * .pi / 180
        // The reconstruction blur seen along the normal (lateral along x, depth along z).
        let blur = ((q.blurLateral * sin(t)) * (q.blurLateral * sin(t)) + (q.blurDepth * cos(t)) * (q.blurDepth * cos(t))).squareRoot()
        let (xs, ys) = expectedLithium(phases, density: density, blur: blur)
        let lo = ys.first!, hi = ys.last!
        let ends = 1..<xs.count
        let crossing = PiecewiseLinear.firstCrossing(xs, ys, level: (lo + hi) / 2, segmentEnds: ends) ?? .nan
        let c1090 = PiecewiseLinear.crossings10_90(xs, ys, from: lo, to: hi, segmentEnds: ends)
        func vec(_ v: SIMD3<Double>) -> JSONValue { .numbers([v.x, v.y, v.z]) }
        func comp(_ c: [String: Double]) -> JSONValue { .object(["Li", "La", "Zr", "Ta", "O"].map { ($0, .number(100 * (c[$0] ?? 0))) }) }
        return .object([
            ("generator", .string("atomprobe synth interface (SyntheticInterface)")),
            ("seed", .int(Int(truncatingIfNeeded: q.seed))),
            ("interface", .object([
                ("point_nm", vec(point)), ("normal", vec(normal)), ("normal_points_to", .string("Li")),
                ("tilt_deg", .number(p.tiltDegrees)), ("depth_nm", .number(p.depth)),
                ("width_10_90_nm", .number(p.width)), ("phase_fraction", .string("Li volume fraction Phi(d / s), s = width / 2.563")),
            ])),
            ("phases", .object([
                ("Li", .object([("at_pct", comp(phases[0])), ("atomic_density_per_nm3", .number(density[0])), ("atoms_per_ion", .number(atomsPerIon[0])),
                                ("ions", .int(counts[0].reduce(0, +)))])),
                ("LLZO", .object([("at_pct", comp(phases[1])), ("atomic_density_per_nm3", .number(density[1])), ("atoms_per_ion", .number(atomsPerIon[1])),
                                  ("ions", .int(counts[1].reduce(0, +)))])),
            ])),
            ("expected_li_profile", .object([
                ("along", .string("the normal, distance from the plane (nm, > 0 in Li), with the reconstruction blur")),
                ("blur_along_normal_nm", .number(blur)),
                ("low_at_pct", .number(lo)), ("high_at_pct", .number(hi)),
                ("crossing_offset_nm", .number(crossing)),
                ("width_10_90_nm", c1090.map { .number(abs($0.at90 - $0.at10)) } ?? .null),
            ])),
            ("tip", .object([("apex_radius_nm", .number(q.apexRadius)), ("half_angle_deg", .number(q.halfAngleDegrees)), ("length_nm", .number(length))])),
            ("ions", .object([("total", .int(q.ions)), ("background", .int(background))])),
            ("parameters", .object([("ions", .int(q.ions)), ("detection_efficiency", .number(q.detectionEfficiency)),
                                    ("mass_resolving_power", .number(q.massResolvingPower)), ("background_fraction", .number(q.backgroundFraction)),
                                    ("blur_lateral_nm", .number(q.blurLateral)), ("blur_depth_nm", .number(q.blurDepth))])),
        ])
    }
}

/// 10-90 % width of an erf step in units of its sigma: 2 x 1.2816.
enum InterfaceWidth { static let perSigma = 2 * 1.2815515655446004 }
