import Foundation
import AtomProbe
import KitFoundation
import ParallelLoops

/// Atoms per species delocalized on a grid, and the concentration field derived from them.
///
/// Method (the "double splat" of Hellman et al., Microsc. Microanal. 2003, as the commercial
/// suite does it): (1) each ranged ion's atoms (decomposed: ZrO2 adds 1 Zr and 2 O) are spread
/// over the 8 nearest voxel centres with trilinear (cloud-in-cell) weights; (2) each species' grid
/// is convolved with a separable Gaussian. The delocalization widths d = (dx, dy, dz) are the
/// Gaussian's width between its inflection points, i.e. sigma_i = d_i / 2 (so the default
/// 3 x 3 x 1.5 nm means sigma 1.5, 1.5, 0.75 nm); the kernel is cut at 3 sigma and renormalized,
/// so atoms are conserved. The trilinear pass adds the variance of its tent kernel, h^2 / 6 per
/// axis (h the voxel size), so the total smoothing is `effectiveSigma` = sqrt(sigma^2 + h^2 / 6).
/// Given Gaussian sigmas (`Options.sigma`) are that total: the Gaussian pass then uses
/// sqrt(sigma^2 - h^2 / 6). Other tools' widths (docs/quantification.md): paraprobe-toolbox
/// takes sigma; apav's delocalization is 3 sigma (issue 11's reading); the commercial suite's
/// x, y, z delocalization we read, as in Hellman et al., as 2 sigma.
///
/// The concentration of species X in a voxel is (delocalized X atoms) / (all delocalized ranged
/// atoms). Voxels whose total atom density is below `minDensity` (atoms/nm^3) lie outside the
/// specimen and are masked rather than read as 0 at.%.
public struct ConcentrationField: Sendable {
    public let grid: VoxelGrid
    public let species: [String]
    /// Delocalized atoms per voxel, one grid per species.
    public let atoms: [[Float]]
    /// Delocalized atoms of all species per voxel.
    public let total: [Float]
    public let delocalization: SIMD3<Double>
    /// Sigma of the Gaussian pass, and of both passes together (nm per axis).
    public let gaussianSigma: SIMD3<Double>
    public let effectiveSigma: SIMD3<Double>
    /// Atoms one kernel holds at the median density of the specimen: (2 pi)^(3/2) sx sy sz rho.
    public let atomsPerKernel: Double
    /// Notes on the field's trustworthiness (too few atoms per kernel).
    public let warnings: [String]
    /// Per voxel: whether an ion lies in it (its box, not its delocalized reach): where later
    /// passes will ask for distances.
    public let occupied: [Bool]
    /// Density below which voxels are masked (atoms/nm^3).
    public let minDensity: Double
    public let mask: [Bool]  // true = inside the specimen

    public struct Options: Sendable {
        public var voxelSize = 1.0
        public var delocalization = SIMD3<Double>(3, 3, 1.5)
        /// The total Gaussian sigma per axis (nm), trilinear pass included; when given it
        /// replaces `delocalization`.
        public var sigma: SIMD3<Double>?

        /// The Gaussian pass's sigma per axis (nm): delocalization / 2, or a given total `sigma`
        /// less the trilinear pass's own h^2/6 (refused when smaller than that).
        public func gaussianSigma() throws -> SIMD3<Double> {
            guard let s = sigma else { return delocalization / 2 }
            let tent = voxelSize * voxelSize / 6
            guard (0..<3).allSatisfy({ s[$0] * s[$0] >= tent }) else {
                throw AtomProbeError.invalid(String(format: "a delocalization sigma must be at least %.3g nm with %g nm voxels (the trilinear pass alone spreads h/sqrt(6)); use smaller voxels or a larger sigma", tent.squareRoot(), voxelSize))
            }
            return SIMD3((s.x * s.x - tent).squareRoot(), (s.y * s.y - tent).squareRoot(), (s.z * s.z - tent).squareRoot())
        }
        /// Absolute density threshold (atoms/nm^3); nil = 25 % of the 90th percentile density.
        public var minDensity: Double?
        /// What the field and the steps after it may take.
        public var memory = MemoryBudget.standard
        /// The processes sharing the ions (each folds its part; sums are combined): one by default.
        public var group: any ProcessGroup = LocalProcess()
        public init() {}
    }

    /// Voxelizes the ranged atoms of `recon`. `species` are element symbols (atomic mode).
    public init(_ recon: Reconstruction, ranged: RangedIons, species: [String], options: Options = Options(),
                progress: ((String) -> Void)? = nil) throws {
        try self.init(source: recon, table: ranged.table, species: species, options: options, progress: progress)
    }

    /// Voxelizes the ranged atoms of any ion source in two passes (the specimen's bounds, then the
    /// deposition), ranging each ion as it comes: memory is the grid, not the ions.
    /// - Parameter totalOver: the elements whose atoms make the total (the denominator of the
    ///   concentrations), deposited as one channel of its own; nil: the sum of `species`. An
    ///   iso-surface of one species needs two channels (it and the total), not one per element.
    public init(source: some IonSource, table: RangeTable, species: [String], totalOver: [String]? = nil, options: Options = Options(),
                progress: ((String) -> Void)? = nil) throws {
        guard let box = try SpecimenBounds.of(source: source, group: options.group) else { throw AtomProbeError.invalid("no finite ion positions to voxelize") }
        let d = options.sigma.map { 2 * $0 } ?? options.delocalization
        guard (0..<3).allSatisfy({ d[$0] >= 0 && d[$0].isFinite }) else { throw AtomProbeError.invalid("delocalization widths must be finite and >= 0") }
        if let m = options.minDensity { guard m >= 0, m.isFinite else { throw AtomProbeError.invalid("minimum density must be finite and >= 0, got \(m)") } }
        let tent = options.voxelSize * options.voxelSize / 6
        let sigma = try options.gaussianSigma()
        // A kernel far wider than the specimen makes a flat field on a grid mostly of margin
        // (and hours of blurring): refused beyond twice the extent (or 10 nm in small data).
        let extent = box.max - box.min
        if let axis = (0..<3).first(where: { sigma[$0] > max(2 * extent[$0], 10, options.voxelSize) }) {
            let name = ["x", "y", "z"][axis]
            throw AtomProbeError.invalid(String(format: "a delocalization sigma of %g nm along %@ exceeds twice the specimen's extent along %@ (%.3g nm): the field would be flat; use a smaller delocalization", sigma[axis], name, name, extent[axis]))
        }
        let margin = 3 * sigma.max() + 2 * options.voxelSize
        let grid = try VoxelGrid(bounds: box, spacing: options.voxelSize, margin: margin)
        let nS = species.count + (totalOver == nil ? 0 : 1)
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let privateCopies = Double(grid.count * nS * 8 * cores) <= 0.1 * options.memory.bytes
        try options.memory.require(Double(grid.count) * Self.bytesPerVoxel(channels: nS, copies: privateCopies ? cores : 1),
                                   for: "a \(grid.size.x)x\(grid.size.y)x\(grid.size.z) voxel field of \(nS) channel(s)")
        // Atoms of each ion type per channel (the species, then the total if asked), and of each range.
        let perType: [[Float]] = table.ions.map { ion in
            species.map { Float(ion.count(of: $0)) } + (totalOver.map { [Float($0.reduce(0) { $0 + ion.count(of: $1) })] } ?? [])
        }
        let perRange = table.ranges.map { perType[$0.ionIndex] }
        let lookup = RangeLookup(table)
        progress?("voxelizing \(source.count) ions on \(grid.size.x)x\(grid.size.y)x\(grid.size.z) voxels")
        // (1) Cloud-in-cell deposition. Sums in fixed point (2^-32 atoms): exact, so the field does
        // not depend on which worker (or process) deposits which chunk, nor on the order the parts
        // are added. Each core deposits into a grid of its own when those copies are small (under
        // a tenth of the memory budget: fastest); otherwise every core adds into one shared grid
        // with relaxed atomic adds (a 1e9-ion field would need gigabytes per core).
        let lo = box.min, hi = box.max
        let scale = Self.fixedPointScale
        /// Deposits one chunk: `add(index, amount)` per voxel channel, `mark(voxel)` for the voxel
        /// holding each ion; returns the strays.
        @inline(__always) func deposit(_ chunk: IonChunk, add: (Int, Int64) -> Void, mark: (Int) -> Void) -> Int {
            var strays = 0
            let h = grid.spacing
            for i in 0..<chunk.count {
                let px = Double(chunk.x[i]), py = Double(chunk.y[i]), pz = Double(chunk.z[i])
                guard px.isFinite, py.isFinite, pz.isFinite else { continue }
                if px < lo.x || py < lo.y || pz < lo.z || px > hi.x || py > hi.y || pz > hi.z { strays += 1 }
                if let v = grid.nearestVoxel(SIMD3(px, py, pz)) { mark(v) }
                guard let r = lookup.rangeIndex(of: Double(chunk.mass[i])) else { continue }
                let w = perRange[r]
                let gx = (px - grid.origin.x) / h - 0.5
                let gy = (py - grid.origin.y) / h - 0.5
                let gz = (pz - grid.origin.z) / h - 0.5
                // Compared before the conversion (an ion at 3e38 nm must not trap in Int()): the same
                // test as 0 <= floor(g) < size - 1 on the converted values.
                guard gx >= 0, gy >= 0, gz >= 0, gx < Double(grid.size.x - 1), gy < Double(grid.size.y - 1), gz < Double(grid.size.z - 1) else { continue }
                let i0 = Int(gx), j0 = Int(gy), k0 = Int(gz)
                let fx = Float(gx - Double(i0)), fy = Float(gy - Double(j0)), fz = Float(gz - Double(k0))
                for c in 0..<8 {
                    let di = c & 1, dj = (c >> 1) & 1, dk = c >> 2
                    let wt = (di == 1 ? fx : 1 - fx) * (dj == 1 ? fy : 1 - fy) * (dk == 1 ? fz : 1 - fz)
                    let base = grid.index(i0 + di, j0 + dj, k0 + dk) * nS
                    for s in 0..<nS where w[s] != 0 { add(base + s, Int64(roundedToInt(Double(wt * w[s]) * scale))) }
                }
            }
            return strays
        }
        var deposited: [Int64], strayCount: Int, inSomeVoxel: [Bool]
        if privateCopies {
            (deposited, strayCount, inSomeVoxel) = try source.reduceChunks(.positionsAndMass, initial: {
                ([Int64](repeating: 0, count: grid.count * nS), 0, [Bool](repeating: false, count: grid.count))
            }, { acc, chunk in
                acc.1 += acc.0.withUnsafeMutableBufferPointer { g in
                    acc.2.withUnsafeMutableBufferPointer { o in deposit(chunk, add: { g[$0] &+= $1 }, mark: { o[$0] = true }) }
                }
            }, combine: { a, b in
                a.0.withUnsafeMutableBufferPointer { x in b.0.withUnsafeBufferPointer { y in for k in x.indices { x[k] &+= y[k] } } }
                a.1 += b.1
                for k in a.2.indices where b.2[k] { a.2[k] = true }
            })
        } else {
            deposited = [Int64](repeating: 0, count: grid.count * nS)
            var occupiedBytes = [UInt8](repeating: 0, count: grid.count)
            strayCount = try deposited.withUnsafeMutableBufferPointer { gbuf in
                try occupiedBytes.withUnsafeMutableBufferPointer { obuf in
                    let g = gbuf.baseAddress!, occ = obuf.baseAddress!
                    return try source.reduceChunks(.positionsAndMass, initial: { 0 }, { strays, chunk in
                        strays += deposit(chunk, add: { Atomic.add(g + $0, $1) },
                                          mark: { Atomic.setFlag(occ + $0) })
                    }, combine: { $0 += $1 })
                }
            }
            inSomeVoxel = occupiedBytes.map { $0 != 0 }
        }
        options.group.sum(&deposited); options.group.sum(&strayCount); options.group.any(&inSomeVoxel)
        self.occupied = inSomeVoxel
        if strayCount > 0 { progress?("\(strayCount) ion(s) lie far outside the bulk of the data and are left out of the field and the analysis") }
        var atoms: [[Float]] = (0..<nS).map { s in (0..<grid.count).map { Float(Double(deposited[$0 * nS + s]) / scale) } }
        deposited = []
        // (2) Separable Gaussian delocalization.
        progress?("delocalizing (sigma \(sigma.x), \(sigma.y), \(sigma.z) nm)")
        for s in 0..<nS { atoms[s] = ConcentrationField.gaussianBlur(atoms[s], grid: grid, sigma: sigma) }
        var total: [Float]
        if totalOver != nil {
            total = atoms.removeLast()
        } else {
            total = [Float](repeating: 0, count: grid.count)
            for s in 0..<nS { for k in total.indices { total[k] += atoms[s][k] } }
        }
        // Density mask.
        let vv = grid.voxelVolume
        let minDensity: Double
        if let m = options.minDensity { minDensity = m } else {
            let positive = total.filter { $0 > 0 }.map { Double($0) / vv }.sorted()
            minDensity = positive.isEmpty ? 0 : 0.25 * positive[Int(Double(positive.count - 1) * 0.9)]
        }
        self.grid = grid
        self.species = species
        self.atoms = atoms
        self.total = total
        self.delocalization = d
        self.minDensity = minDensity
        let mask = total.map { Double($0) / vv >= minDensity && $0 > 0 }
        self.mask = mask
        gaussianSigma = sigma
        let effective = SIMD3((sigma.x * sigma.x + tent).squareRoot(), (sigma.y * sigma.y + tent).squareRoot(), (sigma.z * sigma.z + tent).squareRoot())
        effectiveSigma = effective
        // Counting noise of one kernel: too few atoms and a surface traces noise.
        var inside = mask.indices.filter { mask[$0] }.map { Double(total[$0]) / vv }
        inside.sort()
        let density = inside.isEmpty ? 0 : inside[inside.count / 2]
        let kernel = pow(2 * Double.pi, 1.5) * effective.x * effective.y * effective.z * density
        atomsPerKernel = kernel
        var notes: [String] = []
        if kernel < Self.minimumAtomsPerKernel {
            notes.append(String(format: "sparse data: a delocalization kernel holds %.3g atoms at the median density (%.3g atoms/nm^3); concentrations then fluctuate by up to +-%.0f at.%% from counting alone, so a surface may trace noise (use larger delocalization, or more data)",
                                kernel, density, 100 * (0.25 / max(kernel, 1)).squareRoot()))
        }
        warnings = notes
        for w in notes { progress?("warning: " + w) }
    }

    /// Deposited atoms are summed in units of 2^-32 atoms.
    static let fixedPointScale = 4_294_967_296.0

    /// Below this many atoms per kernel the field is flagged as sparse.
    public static let minimumAtomsPerKernel = 100.0

    /// Peak memory per voxel of the field and of the iso-surface steps after it: the largest of
    /// the deposition (fixed-point sums per channel in each of `copies` grids, occupancy), the
    /// conversion to floats (sums and floats at once), the blur (floats and two line buffers),
    /// and the surface (concentration, mask, inside flags, occupancy, object labels; the atom
    /// grids freed by then, `SpeciesField`). The distance passes hold 9 bytes a voxel beside
    /// their query lists, which `DistanceResolver` plans against the budget on its own.
    static func bytesPerVoxel(channels: Int, copies: Int) -> Double {
        let c = Double(channels), k = Double(copies)
        return max(8 * c * k + k + 1, 12 * c + 1, 4 * c + 9, 11)
    }

    /// Whether a point lies inside the grid's box (stray ions far outside do not).
    @inline(__always) public func covers(_ p: SIMD3<Double>) -> Bool { grid.covers(p) }

    /// Concentration (at.%) of a species per voxel; masked voxels hold NaN.
    public func concentration(of symbol: String) throws -> [Float] {
        guard let s = species.firstIndex(of: symbol) else {
            throw AtomProbeError.invalid("species \(symbol) is not in the range file (it has \(species.joined(separator: ", ")))")
        }
        return (0..<grid.count).map { k in mask[k] ? 100 * atoms[s][k] / total[k] : .nan }
    }

    /// Convolves a grid with a separable Gaussian (cut at 3 sigma, renormalized) along x, y, z.
    public static func gaussianBlur(_ values: [Float], grid: VoxelGrid, sigma: SIMD3<Double>) -> [Float] {
        var v = values
        for axis in 0..<3 where sigma[axis] > 0 {
            let s = sigma[axis] / grid.spacing
            let r = max(1, Int((3 * s).rounded(.up)))
            var kernel = (-r...r).map { Float(exp(-0.5 * Double($0 * $0) / (s * s))) }
            let sum = kernel.reduce(0, +)
            kernel = kernel.map { $0 / sum }
            let n = grid.size[axis]
            let stride = axis == 0 ? 1 : (axis == 1 ? grid.size.x : grid.size.x * grid.size.y)
            // Lines along `axis`: enumerate their starting indices.
            let other = (0..<3).filter { $0 != axis }
            let lines = grid.size[other[0]] * grid.size[other[1]]
            let src = v
            var out = [Float](repeating: 0, count: v.count)
            out.withUnsafeMutableBufferPointer { o in
                let o = o
                src.withUnsafeBufferPointer { sp in
                    Parallel.chunks(lines, minChunk: 64) { range in
                        var line = [Float](repeating: 0, count: n)
                        for l in range {
                            let a = l % grid.size[other[0]], b = l / grid.size[other[0]]
                            var ijk = SIMD3<Int>(repeating: 0)
                            ijk[other[0]] = a; ijk[other[1]] = b
                            let start = grid.index(ijk.x, ijk.y, ijk.z)
                            for t in 0..<n { line[t] = sp[start + t * stride] }
                            for t in 0..<n {
                                var acc: Float = 0
                                let lo = max(-r, -t), hi = min(r, n - 1 - t)
                                if lo <= hi { for q in lo...hi { acc += kernel[q + r] * line[t + q] } }
                                o[start + t * stride] = acc
                            }
                        }
                    }
                }
            }
            v = out
        }
        return v
    }
}
