import Foundation
import AtomProbe
import KitFoundation
import ParallelLoops

/// Synthetic reconstructions of Ta-doped LLZO with embedded Li-rich nanodendrites, after the
/// study (Table 1, Fig. 5), with the ground truth of every region.
///
/// How a dataset is made:
/// 1. The specimen is a truncated cone (apex radius, half angle) along -z from z = 0 (the apex),
///    like the commercial suite's reconstructions; its length follows from the ion count, the
///    atomic density and the detection efficiency.
/// 2. Nanodendrites (`Nanodendrite`) are placed inside it at random (their length within 35
///    degrees of the tip axis), fully inside the tip and apart from each other.
/// 3. Each detected ion gets a uniformly random position; the region at that position gives a
///    target composition, from which the ion type is drawn so that the atoms emitted match it
///    (`IonCatalog.ionProbabilities`); the mass-to-charge is an isotopic peak of that ion plus
///    Gaussian peak broadening (mass resolving power m/dm at FWHM).
/// 4. A fraction of ions is background: uniform in m/n and in space.
/// 5. Positions are blurred (Gaussian, lateral and depth widths), ions ordered by depth, and
///    EPOS columns filled with plausible values (TOF from a 100 mm flight path, a rising
///    standing voltage, detector positions by point projection, multi-hits and pulse gaps).
/// The ground truth counts the atoms actually generated in each region (before blur and
/// background), so a measured composition can be compared with it within counting errors.
///
/// Generation runs in fixed chunks of depth, each with its own seed derived from `seed`, so
/// the result is identical for a seed whatever the number of cores.
public struct SyntheticLLZO: Sendable {
    public struct Parameters: Sendable {
        public var ions = 1_000_000
        public var seed: UInt64 = 1
        /// What generating (and writing POS and EPOS) may take.
        public var memory = MemoryBudget.standard
        /// Atomic % by element.
        public var matrixComposition: [String: Double] = ["Li": 29.4, "La": 11.3, "Zr": 7.15, "Ta": 1.34, "O": 50.6]
        /// Compositions of the nanodendrites, used in turn (object k gets k mod count).
        public var objectCompositions: [[String: Double]] = [
            ["Li": 69.2, "La": 2.7, "Zr": 2.7, "Ta": 0.5, "O": 23.8],
            ["Li": 60.7, "La": 3.5, "Zr": 4.1, "Ta": 0.56, "O": 30.7],
        ]
        public var objectCount = 2
        public var objectLength = 20.0       // nm, along the arc
        public var objectWidth = 10.0        // nm
        public var objectThickness = 4.0     // nm
        public var objectCurvature = 0.04    // 1/nm
        public var apexRadius = 12.0         // nm
        public var halfAngleDegrees = 8.0
        /// LLZO: 8 formula units of 24 atoms in a cubic cell of 1.2968 nm.
        public var atomicDensity = 192 / (1.2968 * 1.2968 * 1.2968)  // atoms/nm^3
        public var detectionEfficiency = 0.52
        public var massResolvingPower = 1000.0  // m / dm (FWHM)
        public var backgroundFraction = 0.01
        public var backgroundMaxMass = 200.0    // Da
        /// Background flat in time of flight (density ~ m^-1/2) instead of flat in m/n.
        public var backgroundFlatInTOF = false
        public var blurLateral = 0.3            // nm (sigma)
        public var blurDepth = 0.15             // nm (sigma)
        /// Half-width of each range around a peak, in peak sigmas.
        public var rangeHalfWidthSigmas = 4.0
        /// Correlated multiple events and a dead zone that loses hits (nil: the plain pulses).
        public var detector: SyntheticDetector?

        public init() {}

        /// Whether `v` lies in (low, high] (false for NaN).
        static func within(_ v: Double, _ low: Double, _ high: Double) -> Bool { v > low && v <= high }

        /// The mass-to-charge of a background ion from a uniform u in [0, 1): uniform over
        /// 0.5 Da to `backgroundMaxMass`, in m/n or in sqrt(m/n) (flat in time of flight).
        public func backgroundMass(_ u: Double) -> Double {
            guard backgroundFlatInTOF else { return 0.5 + u * (backgroundMaxMass - 0.5) }
            let a = 0.5.squareRoot(), b = backgroundMaxMass.squareRoot()
            let t = a + u * (b - a)
            return t * t
        }

        /// Checks every parameter against a physical range, naming it (so that every ion of a
        /// dataset is finite: an infinite radius or blur, or a vanishing efficiency, is refused).
        public func validated() throws -> Parameters {
            var checks: [(ok: Bool, parameter: String, problem: String)] = [
                (ions > 0 && ions <= 2_000_000_000, "ions", "must be between 1 and 2e9, got \(ions)"),
                (objectCount >= 0 && objectCount <= 50, "objects", "must be 0-50, got \(objectCount)"),
                (Self.within(objectLength, 0, 1000), "object_length", "must be in (0, 1000] nm, got \(objectLength)"),
                (Self.within(objectWidth, 0, 1000), "object_width", "must be in (0, 1000] nm, got \(objectWidth)"),
                (Self.within(objectThickness, 0, 1000), "object_thickness", "must be in (0, 1000] nm, got \(objectThickness)"),
                (objectCurvature >= 0 && objectCurvature * objectLength <= 2 * Double.pi, "object_curvature", "must be >= 0 with the arc at most a full circle, got \(objectCurvature)"),
                (Self.within(apexRadius, 0, 1000), "apex_radius", "must be in (0, 1000] nm, got \(apexRadius)"),
                (halfAngleDegrees >= 0 && halfAngleDegrees < 45, "half_angle", "must be 0-45 degrees, got \(halfAngleDegrees)"),
                (detectionEfficiency >= 0.01 && detectionEfficiency <= 1, "efficiency", "must be in [0.01, 1], got \(detectionEfficiency)"),
                (Self.within(atomicDensity, 0, 1000), "atomic_density", "must be in (0, 1000] atoms/nm^3, got \(atomicDensity)"),
                (massResolvingPower > 10 && massResolvingPower <= 1e6, "resolving_power", "must be in (10, 1e6], got \(massResolvingPower)"),
                (backgroundFraction >= 0 && backgroundFraction < 1, "background", "must be in [0, 1), got \(backgroundFraction)"),
                (blurLateral >= 0 && blurLateral <= 10, "blur_lateral", "must be in [0, 10] nm, got \(blurLateral)"),
                (blurDepth >= 0 && blurDepth <= 10, "blur_depth", "must be in [0, 10] nm, got \(blurDepth)"),
                (!objectCompositions.isEmpty || objectCount == 0, "objects", "need at least one composition"),
            ]
            for c in [matrixComposition] + objectCompositions {
                checks.append((c.values.allSatisfy { $0 >= 0 && $0.isFinite } && c.values.reduce(0, +) > 0, "composition", "needs non-negative at.% values"))
                for k in c.keys { checks.append((["Li", "La", "Zr", "Ta", "O"].contains(k), "composition", "has unknown element \(k) (LLZO: Li La Zr Ta O)")) }
            }
            try Validation.require(checks)
            _ = try detector?.validated()
            return self
        }
    }

    public struct Dataset: Sendable {
        public var reconstruction: Reconstruction
        public var ranges: RangeTable
        public var objects: [Nanodendrite]
        public var truth: JSONValue
    }

    public let parameters: Parameters
    public let catalog: IonCatalog

    public init(_ p: Parameters) throws {
        parameters = try p.validated()
        catalog = try IonCatalog.llzo()
    }

    // MARK: Geometry

    var tanAlpha: Double { tan(parameters.halfAngleDegrees * .pi / 180) }
    func radius(atDepth d: Double) -> Double { parameters.apexRadius + d * tanAlpha }
    /// Volume of the cone between depth 0 and d.
    func volume(toDepth d: Double) -> Double {
        let r0 = parameters.apexRadius, r1 = radius(atDepth: d)
        return Double.pi / 3 * d * (r0 * r0 + r0 * r1 + r1 * r1)
    }
    func depth(forVolume v: Double) -> Double {
        var lo = 0.0, hi = 1.0
        while volume(toDepth: hi) < v { hi *= 2 }
        for _ in 0..<100 { let mid = (lo + hi) / 2; if volume(toDepth: mid) < v { lo = mid } else { hi = mid } }
        return (lo + hi) / 2
    }

    /// Mean atoms per detected signal ion for a composition.
    func atomsPerIon(_ probs: [Double]) -> Double {
        zip(probs, catalog.channels).reduce(0) { $0 + $1.0 * Double($1.1.emitted.ion.atomCount) }
    }

    func fractions(_ atPct: [String: Double]) -> [String: Double] {
        let total = orderedSum(atPct)
        return atPct.mapValues { $0 / total }
    }

    // MARK: Ranges

    func sigma(_ m: Double) -> Double { m / parameters.massResolvingPower / 2.3548 }

    /// One range per isotopic peak (+-`rangeHalfWidthSigmas`), merged within an ion. Where
    /// peaks of different ions overlap (96Zr3+ under O2+ at 32 Da), the range goes to the peak
    /// expected to be stronger in the matrix, as an analyst would range it; the other ion's
    /// counts there are what `--deconvolve` recovers.
    public func rangeTable() throws -> RangeTable {
        var ions: [IonType] = []
        var candidates: [(range: MassRange, intensity: Double)] = []
        let colors = ["FF66CC", "FF9900", "FFB84D", "CC6600", "9966FF", "7A52CC", "5C3D99", "222222", "555555", "33CCFF", "1A8CB3", "8A6FE0"]
        let probabilities = try catalog.ionProbabilities(for: fractions(parameters.matrixComposition))
        for (k, ch) in catalog.channels.enumerated() {
            let idx: Int
            if let i = ions.firstIndex(where: { $0.sameChemistry(as: ch.emitted.ion) }) { idx = i } else { ions.append(ch.emitted.ion); idx = ions.count - 1 }
            for p in ch.emitted.peaks {
                let h = parameters.rangeHalfWidthSigmas * sigma(p.mass)
                candidates.append((MassRange(low: ((p.mass - h) * 1e4).rounded(.down) / 1e4, high: ((p.mass + h) * 1e4).rounded(.up) / 1e4,
                                             ionIndex: idx, volume: nil, color: colors[k % colors.count]), probabilities[k] * p.abundance))
            }
        }
        var kept: [MassRange] = []
        for c in candidates.sorted(by: { $0.intensity > $1.intensity }) {
            let r = c.range
            if kept.contains(where: { $0.ionIndex != r.ionIndex && $0.low < r.high && r.low < $0.high }) { continue }
            kept.append(r)
        }
        return try RangeTable(ions: ions, ranges: kept, file: "synthetic LLZO catalogue", mergeSameIonOverlaps: true)
    }

    // MARK: Generation

    struct ChunkResult {
        var x: [Float] = [], y: [Float] = [], z: [Float] = [], m: [Float] = []
        var channel: [Int16] = []      // -1 for background
        var region: [Int16] = []       // 0 matrix, k >= 1 object k
    }

    public func generate(progress: ((Double) -> Void)? = nil) throws -> Dataset {
        let p = parameters
        // Per ion: x, y, z, m and the truth labels while generating, then the EPOS image (44 bytes).
        try p.memory.require(Double(p.ions) * 80, for: "\(p.ions) synthetic ions")
        let regionsComp = [fractions(p.matrixComposition)] + p.objectCompositions.map(fractions)
        let probs = try regionsComp.map { try catalog.ionProbabilities(for: $0) }
        let cumulative = probs.map { pr -> [Double] in var s = 0.0; return pr.map { s += $0; return s } }
        // Tip volume from the ion count: signal ions x atoms per ion / (efficiency x density).
        let signalIons = Double(p.ions) * (1 - p.backgroundFraction)
        let volume = signalIons * atomsPerIon(probs[0]) / (p.detectionEfficiency * p.atomicDensity)
        let length = depth(forVolume: volume)
        var placeRNG = SeededRandom(seed: p.seed ^ 0x5EED_0B1E_C700_0000)
        let objects = try placeObjects(length: length, rng: &placeRNG)
        let table = try rangeTable()
        let channelIon = catalog.channels.map { ch in table.ions.firstIndex { $0.sameChemistry(as: ch.emitted.ion) }! }

        // Chunks of equal volume along depth.
        let chunkIons = 1 << 16
        let nChunks = max(1, (p.ions + chunkIons - 1) / chunkIons)
        let bounds = (0...nChunks).map { depth(forVolume: volume * Double($0) / Double(nChunks)) }
        let peakCumulative = catalog.channels.map { ch -> [Double] in var s = 0.0; return ch.emitted.peaks.map { s += $0.abundance; return s } }
        let done = ManagedCounter()
        let results: [ChunkResult] = Parallel.map(nChunks, minChunk: 1) { chunkRange in
            var out: [ChunkResult] = []
            for c in chunkRange {
                out.append(generateChunk(c, count: p.ions * (c + 1) / nChunks - p.ions * c / nChunks,
                                         depthRange: bounds[c]...bounds[c + 1], objects: objects,
                                         cumulative: cumulative, peakCumulative: peakCumulative))
                if let progress { progress(Double(done.add(1)) / Double(nChunks)) }
            }
            return out
        }.flatMap { $0 }

        // Assemble columns and the truth.
        let n = p.ions
        var x = [Float](), y = [Float](), z = [Float](), m = [Float]()
        x.reserveCapacity(n); y.reserveCapacity(n); z.reserveCapacity(n); m.reserveCapacity(n)
        var counts = Array(repeating: [Int](repeating: 0, count: catalog.channels.count), count: objects.count + 1)  // matrix, then each object
        var background = 0
        var channels = [Int16]()
        for r in results {
            x += r.x; y += r.y; z += r.z; m += r.m
            if p.detector != nil { channels += r.channel }
            for (ch, reg) in zip(r.channel, r.region) {
                if ch < 0 { background += 1 } else { counts[Int(reg)][Int(ch)] += 1 }
            }
        }
        var truth = truthJSON(objects: objects, counts: counts, background: background, length: length,
                              table: table, channelIon: channelIon)
        let recon: Reconstruction
        if let detector = p.detector {
            let (r, t) = detector.apply(x: x, y: y, z: z, m: m, channel: channels, catalog: catalog, table: table, seed: p.seed) { [z] i in
                38.0 * 0.9 / radius(atDepth: max(0, min(Double(-z[i]), length)))
            }
            recon = r
            if case .object(let fields) = truth { truth = .object(fields + [("detector", t)]) }
        } else {
            recon = Reconstruction(x: x, y: y, z: z, mass: m, detail: pulseDetail(x: x, y: y, z: z, m: m, length: length))
        }
        return Dataset(reconstruction: recon, ranges: table, objects: objects, truth: truth)
    }

    func generateChunk(_ c: Int, count: Int, depthRange: ClosedRange<Double>, objects: [Nanodendrite],
                       cumulative: [[Double]], peakCumulative: [[Double]]) -> ChunkResult {
        let p = parameters
        var rng = SeededRandom(seed: p.seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(c) &* 0xD1B5_4A32_D192_ED03 &+ 1)
        let rMax = radius(atDepth: depthRange.upperBound)
        var rows: [(x: Float, y: Float, z: Float, m: Float, ch: Int16, reg: Int16)] = []
        rows.reserveCapacity(count)
        let objRadius = objects.map { $0.boundingRadius }
        while rows.count < count {
            // Uniform in the slab of the cone (rejection from its bounding cylinder).
            let d = depthRange.lowerBound + rng.uniform() * (depthRange.upperBound - depthRange.lowerBound)
            let px = (rng.uniform() * 2 - 1) * rMax, py = (rng.uniform() * 2 - 1) * rMax
            let rr = radius(atDepth: d)
            guard px * px + py * py <= rr * rr else { continue }
            let pos = SIMD3(px, py, -d)
            var region = 0
            for (k, o) in objects.enumerated() {
                let dd = pos - o.center
                if (dd * dd).sum() <= objRadius[k] * objRadius[k], o.contains(pos) { region = k + 1; break }
            }
            let mass: Double
            let channel: Int
            if rng.uniform() < p.backgroundFraction {
                channel = -1
                mass = p.backgroundMass(rng.uniform())
            } else {
                let comp = region == 0 ? 0 : objects[region - 1].compositionIndex + 1
                channel = rng.pick(cumulative: cumulative[comp])
                let peaks = catalog.channels[channel].emitted.peaks
                let peak = peaks[rng.pick(cumulative: peakCumulative[channel])].mass
                mass = peak + sigma(peak) * rng.normal()
            }
            let bx = px + p.blurLateral * rng.normal(), by = py + p.blurLateral * rng.normal()
            let bz = -d + p.blurDepth * rng.normal()
            rows.append((Float(bx), Float(by), Float(bz), Float(mass), Int16(channel), Int16(region)))
        }
        rows.sort { $0.z > $1.z }  // evaporation order: from the apex (z = 0) down
        var out = ChunkResult()
        out.x = rows.map(\.x); out.y = rows.map(\.y); out.z = rows.map(\.z); out.m = rows.map(\.m)
        out.channel = rows.map(\.ch); out.region = rows.map(\.reg)
        return out
    }

    /// Plausible EPOS columns for the synthetic ions.
    func pulseDetail(x: [Float], y: [Float], z: [Float], m: [Float], length: Double) -> PulseDetail {
        let n = x.count
        var d = PulseDetail(count: n)
        var rng = SeededRandom(seed: parameters.seed ^ 0xE905)
        let flight = 0.1  // m
        let da = 1.66053906660e-27, e = 1.602176634e-19
        var i = 0
        while i < n {
            let k = rng.uniform() < 0.03 && i + 1 < n ? 2 : 1
            let gap = Int32(1 + Int(-log(max(rng.uniform(), 1e-300)) * 200))
            for j in 0..<k {
                let idx = i + j
                let vdc = 3000.0 + 4000.0 * Double(idx) / Double(max(n - 1, 1))  // V
                let mm = Double(max(m[idx], 0.01))
                d.tof[idx] = Float(1e9 * flight * (mm * da / (2 * e * vdc)).squareRoot())
                d.voltageDC[idx] = Float(vdc)
                d.voltagePulse[idx] = 0  // laser pulsing
                let depth = Double(-z[idx])
                let scale = 38.0 * 0.9 / radius(atDepth: max(0, min(depth, length)))
                d.detectorX[idx] = Float(Double(x[idx]) * scale)
                d.detectorY[idx] = Float(Double(y[idx]) * scale)
                d.deltaPulse[idx] = j == 0 ? gap : 0
                d.ionsPerPulse[idx] = j == 0 ? Int32(k) : 0
            }
            i += k
        }
        return d
    }

    func truthJSON(objects: [Nanodendrite], counts: [[Int]], background: Int, length: Double,
                   table: RangeTable, channelIon: [Int]) -> JSONValue {
        let p = parameters
        let elements = ["Li", "La", "Zr", "Ta", "O"]
        func regionJSON(_ name: String, _ target: [String: Double], _ c: [Int], extra: [(String, JSONValue)]) -> JSONValue {
            var atoms: [String: Int] = [:]
            for (k, ch) in catalog.channels.enumerated() {
                for a in ch.emitted.ion.atoms { atoms[a.symbol, default: 0] += a.count * c[k] }
            }
            let total = atoms.values.reduce(0, +)
            let targetTotal = orderedSum(target)
            let comp = Composition(mode: .atomic, counts: elements.map { ($0, atoms[$0] ?? 0) }, rangedIons: c.reduce(0, +), unrangedIons: 0)
            return .object([("name", .string(name))] + extra + [
                ("ions", .int(c.reduce(0, +))),
                ("atoms", .int(total)),
                ("target_at_pct", .object(elements.map { ($0, .number(100 * (target[$0] ?? 0) / targetTotal)) })),
                ("elements", comp.entriesJSON),
            ])
        }
        var regions: [JSONValue] = [regionJSON("matrix", p.matrixComposition, counts[0], extra: [("region", .string("matrix"))])]
        for (k, o) in objects.enumerated() {
            regions.append(regionJSON("object \(k + 1)", p.objectCompositions[o.compositionIndex], counts[k + 1],
                                      extra: [("region", .string("object")), ("object_id", .int(k + 1))]))
        }
        let all = (0..<catalog.channels.count).map { k in counts.reduce(0) { $0 + $1[k] } }
        regions.append(regionJSON("all signal", [:], all, extra: [("region", .string("all"))]))
        func vec(_ v: SIMD3<Double>) -> JSONValue { .numbers([v.x, v.y, v.z]) }
        func comp(_ c: [String: Double]) -> JSONValue { .object(elements.map { ($0, .number(c[$0] ?? 0)) }) }
        return .object([
            ("generator", .string("atomprobe synth (SyntheticLLZO)")),
            ("seed", .int(Int(truncatingIfNeeded: p.seed))),
            ("parameters", .object([
                ("ions", .int(p.ions)),
                ("matrix_at_pct", comp(p.matrixComposition)),
                ("object_compositions_at_pct", .array(p.objectCompositions.map(comp))),
                ("object_count", .int(p.objectCount)),
                ("object_length_nm", .number(p.objectLength)),
                ("object_width_nm", .number(p.objectWidth)),
                ("object_thickness_nm", .number(p.objectThickness)),
                ("object_curvature_per_nm", .number(p.objectCurvature)),
                ("apex_radius_nm", .number(p.apexRadius)),
                ("half_angle_deg", .number(p.halfAngleDegrees)),
                ("atomic_density_per_nm3", .number(p.atomicDensity)),
                ("detection_efficiency", .number(p.detectionEfficiency)),
                ("mass_resolving_power", .number(p.massResolvingPower)),
                ("background_fraction", .number(p.backgroundFraction)),
                ("background_max_mass_da", .number(p.backgroundMaxMass)),
                ("background_shape", .string(p.backgroundFlatInTOF ? "tof" : "constant")),
                ("blur_lateral_nm", .number(p.blurLateral)),
                ("blur_depth_nm", .number(p.blurDepth)),
                ("range_half_width_sigmas", .number(p.rangeHalfWidthSigmas)),
            ])),
            ("tip", .object([
                ("shape", .string("truncated cone along -z, apex at z = 0")),
                ("apex_radius_nm", .number(p.apexRadius)),
                ("half_angle_deg", .number(p.halfAngleDegrees)),
                ("length_nm", .number(length)),
                ("base_radius_nm", .number(radius(atDepth: length))),
            ])),
            ("ions", .object([("total", .int(p.ions)), ("signal", .int(p.ions - background)), ("background", .int(background))])),
            ("emitted_ions", .array(catalog.channels.map { ch in
                .object([("ion", .string(ch.emitted.label)), ("carrier", .string(ch.carrier)), ("share_of_carrier_atoms", .number(ch.share)),
                         ("peaks_da", .numbers(ch.emitted.peaks.map(\.mass)))])
            })),
            ("objects", .array(objects.enumerated().map { k, o in
                .object([("object_id", .int(k + 1)), ("center_nm", vec(o.center)), ("u", vec(o.u)), ("v", vec(o.v)), ("w", vec(o.w)),
                         ("length_nm", .number(o.length)), ("width_nm", .number(o.width)), ("thickness_nm", .number(o.thickness)),
                         ("curvature_per_nm", .number(o.curvature)), ("composition_index", .int(o.compositionIndex))])
            })),
            ("regions", .array(regions)),
        ])
    }
}

/// Sum of a dictionary's values in key order: Swift randomizes dictionary order per process, and
/// a floating-point sum in that order differs in the last bits from run to run, which would make
/// `synth` not reproducible for a seed.
func orderedSum(_ d: [String: Double]) -> Double {
    d.keys.sorted().reduce(0) { $0 + d[$1]! }
}

/// A thread-safe counter for progress reports.
final class ManagedCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func add(_ k: Int) -> Int { lock.lock(); defer { lock.unlock() }; value += k; return value }
}
