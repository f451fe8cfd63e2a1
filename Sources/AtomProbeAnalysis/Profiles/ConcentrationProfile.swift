import Foundation
import AtomProbe
import KitFoundation
import ParallelLoops

/// A region along an axis from `from` to `to`: a cylinder of a radius, or a box of a square
/// cross-section, around the axis (the study's Fig. 4c profile across the Li/LLZO interface).
public struct ProfileRegion: Sendable, Equatable {
    public enum CrossSection: Sendable, Equatable {
        case cylinder(radius: Double)
        /// A square of this side, its edges along `ProfileRegion.sides`.
        case box(width: Double)
    }
    public var from: SIMD3<Double>
    public var to: SIMD3<Double>
    public var crossSection: CrossSection

    public init(from: SIMD3<Double>, to: SIMD3<Double>, crossSection: CrossSection) {
        self.from = from; self.to = to; self.crossSection = crossSection
    }

    public var length: Double { Vec3.length(to - from) }
    public var axis: SIMD3<Double> { (to - from) / length }

    /// Area of the cross-section (nm^2).
    public var area: Double {
        switch crossSection {
        case .cylinder(let r): return Double.pi * r * r
        case .box(let w): return w * w
        }
    }

    /// Two unit vectors perpendicular to the axis and to each other (the box's edges).
    public var sides: (SIMD3<Double>, SIMD3<Double>) {
        let a = axis
        let helper: SIMD3<Double> = abs(a.x) <= abs(a.y) && abs(a.x) <= abs(a.z) ? SIMD3(1, 0, 0) : (abs(a.y) <= abs(a.z) ? SIMD3(0, 1, 0) : SIMD3(0, 0, 1))
        let u = Vec3.cross(a, helper) / Vec3.length(Vec3.cross(a, helper))
        return (u, Vec3.cross(a, u))
    }

    public func validated() throws -> ProfileRegion {
        let values = [from.x, from.y, from.z, to.x, to.y, to.z]
        let size: Double
        switch crossSection { case .cylinder(let r): size = r; case .box(let w): size = w }
        if let problem = Validation.firstProblem([
            (values.allSatisfy(\.isFinite), "the profile's end points must be finite"),
            (length.isFinite, "the profile is too long: its length is not a finite number of nm"),
            (length > 0, "the profile needs two different end points"),
            (size > 0 && size.isFinite, "the profile's radius or width must be a positive number"),
        ]) { throw AtomProbeError.invalid(problem) }
        return self
    }

    /// Distance along the axis from `from` when `p` lies in the region, else nil.
    @inline(__always) public func position(of p: SIMD3<Double>) -> Double? {
        let d = p - from
        let t = Vec3.dot(d, axis)
        guard t >= 0, t <= length else { return nil }
        switch crossSection {
        case .cylinder(let r):
            let radial = d - t * axis
            return Vec3.dot(radial, radial) <= r * r ? t : nil
        case .box(let w):
            let (u, v) = sides
            return abs(Vec3.dot(d, u)) <= w / 2 && abs(Vec3.dot(d, v)) <= w / 2 ? t : nil
        }
    }
}

/// A 1D concentration profile: atoms per element in bins along a region's axis, with at.% and
/// one-sigma counting errors per bin (binomial over atoms, or multinomial over the bin's ions;
/// `Composition`).
public struct ConcentrationProfile: Sendable {
    public enum Binning: Sendable, Equatable {
        /// Bins of a fixed width (nm) from the start of the axis.
        case width(Double)
        /// Consecutive bins of at least this many atoms each (ions sorted by their distance).
        case atoms(Int)
    }

    public struct Bin: Sendable {
        /// Bin edges along the axis (nm) and its distance: the centre for bins of a fixed width, the
        /// mean distance of its atoms for bins of a fixed number of atoms.
        public var lower: Double, upper: Double, distance: Double
        /// Atoms per element (order of `elements`) and unranged ions.
        public var counts: [Int]
        /// Ranged ions per ion type (order of the range table's ions), for the errors.
        public var ions: [Int] = []
        /// Ions per range (order of the range table's ranges), kept when there are corrections.
        public var rangeCounts: [Int] = []
        public var unranged: Int
        public var atoms: Int { counts.reduce(0, +) }
    }

    public let region: ProfileRegion
    public let binning: Binning
    public let elements: [String]
    public let bins: [Bin]
    /// atomsPerType[ion type][element].
    public let atomsPerType: [[Int]]
    /// The error model of `atPercent` and the plateaus (binomial: CONVENTIONS.md).
    public let errors: Composition.CountingErrors
    /// Background and overlap corrections applied to every bin (none by default).
    public let corrections: QuantificationCorrections
    let table: RangeTable

    /// Concentration (at.%) and one-sigma error of an element in a bin (NaN when empty): binomial
    /// or multinomial (`Composition`); with corrections, the bin's background share subtracted and
    /// its overlaps moved, the error propagated through them.
    public func atPercent(_ element: Int, bin b: Int) -> (value: Double, sigma: Double) {
        guard !corrections.isEmpty else {
            guard let f = Composition.atomicFraction(of: element, ionCounts: bins[b].ions, atomsPerType: atomsPerType, errors: errors) else { return (.nan, .nan) }
            return (100 * f.fraction, 100 * f.sigma)
        }
        guard let c = composition(bin: b), c.total > 0, let e = c[elements[element]] else { return (.nan, .nan) }
        return (e.atPercent, e.sigmaAtPercent)
    }

    /// The corrected composition of one bin (nil without corrections).
    public func composition(bin b: Int) -> Composition? { correctedComposition(of: [bins[b]]) }

    /// The corrected composition of some bins together (nil without corrections).
    func correctedComposition(of some: [Bin]) -> Composition? {
        guard !corrections.isEmpty else { return nil }
        var perRange = [Int](repeating: 0, count: table.ranges.count), unranged = 0
        for b in some {
            for r in perRange.indices { perRange[r] += b.rangeCounts[r] }
            unranged += b.unranged
        }
        let counts = corrections.counts(rangeCounts: perRange, regionIons: perRange.reduce(unranged, +), table: table)
        return try? CompositionAnalysis.composition(counts: counts, unranged: unranged, table: table, errors: .multinomial)
    }

    /// Profiles the ranged atoms (decomposed) of `recon` inside `region`.
    public init(_ recon: Reconstruction, ranged: RangedIons, region: ProfileRegion, binning: Binning,
                errors: Composition.CountingErrors = .binomial, corrections: QuantificationCorrections = QuantificationCorrections(),
                memory: MemoryBudget = .standard) throws {
        try self.init(source: recon, table: ranged.table, region: region, binning: binning, errors: errors, corrections: corrections, memory: memory)
    }

    /// Profiles the ranged atoms (decomposed) inside `region` of any ion source, a file streamed
    /// in chunks included: bins of a width are counted in one pass (no per-ion array); bins of a
    /// number of atoms keep the region's ions (distance, type and range) to sort them.
    public init(source: some IonSource, table: RangeTable, region: ProfileRegion, binning: Binning,
                errors: Composition.CountingErrors = .binomial, corrections: QuantificationCorrections = QuantificationCorrections(),
                memory: MemoryBudget = .standard) throws {
        let region = try region.validated()
        try table.requireElements(for: "a concentration profile needs element symbols")
        let elements = table.symbols
        let atomsOf = table.ions.map { ion in elements.map { ion.count(of: $0) } }
        let lookup = RangeLookup(table)
        let ionOfRange = table.ranges.map { Int32($0.ionIndex) }
        @inline(__always) func inRegion(_ c: IonChunk, _ i: Int) -> Double? {
            let p = SIMD3(Double(c.x[i]), Double(c.y[i]), Double(c.z[i]))
            guard p.x.isFinite, p.y.isFinite, p.z.isFinite else { return nil }
            return region.position(of: p)
        }
        let keepRanges = !corrections.isEmpty
        let rangeSlots = keepRanges ? table.ranges.count : 0
        var bins: [Bin] = []
        let n: Int
        switch binning {
        case .width(let w):
            guard w > 0, w.isFinite else { throw AtomProbeError.invalid("the bin width must be a positive number of nm, got \(w)") }
            let count = (region.length / w).rounded(.up)
            guard count <= 10_000_000 else { throw AtomProbeError.invalid(String(format: "%.3g bins of %g nm is too many; use a larger bin width", count, w)) }
            // Per bin, in one row: atoms per element, ions per type, ions per range, unranged ions.
            let nE = elements.count, nT = table.ions.count, stride = nE + nT + rangeSlots + 1
            let copies = Double(ProcessInfo.processInfo.activeProcessorCount + 2)
            try memory.require(count * Double(stride) * 8 * copies, for: String(format: "a profile of %.3g bins", count))
            let nb = max(1, Int(count))
            // One pass: each core counts into its own rows; no per-ion array.
            let rows = try source.reduceChunks(.positionsAndMass, initial: { [Int](repeating: 0, count: nb * stride) }, { acc, c in
                for i in 0..<c.count {
                    guard let t = inRegion(c, i) else { continue }
                    let base = min(nb - 1, Int(t / w)) * stride
                    guard let r = lookup.rangeIndex(of: Double(c.mass[i])) else { acc[base + stride - 1] += 1; continue }
                    let type = Int(ionOfRange[r])
                    acc[base + nE + type] += 1
                    if keepRanges { acc[base + nE + nT + r] += 1 }
                    for (e, k) in atomsOf[type].enumerated() where k > 0 { acc[base + e] += k }
                }
            }, combine: { a, b in for k in a.indices { a[k] += b[k] } })
            bins = (0..<nb).map { b in
                let lo = Double(b) * w, hi = min(region.length, Double(b + 1) * w), base = b * stride
                return Bin(lower: lo, upper: hi, distance: (lo + hi) / 2, counts: Array(rows[base..<(base + nE)]),
                           ions: Array(rows[(base + nE)..<(base + nE + nT)]), rangeCounts: Array(rows[(base + nE + nT)..<(base + stride - 1)]),
                           unranged: rows[base + stride - 1])
            }
            n = bins.reduce(0) { $0 + $1.ions.reduce($1.unranged, +) }
        case .atoms(let per):
            guard per > 0 else { throw AtomProbeError.invalid("atoms per bin must be > 0, got \(per)") }
            // The region's ions sorted along the axis (file order among equal distances): counted
            // first, so their memory is checked before they are collected.
            let inside = try source.reduceChunks(.positionsAndMass, initial: { 0 }, { n, c in
                for i in 0..<c.count where inRegion(c, i) != nil { n += 1 }
            }, combine: { $0 += $1 })
            try memory.require(Double(inside) * 56, for: "sorting \(inside) ions along the profile")
            let parts = try source.reduceChunks(.positionsAndMass, initial: { [(Int, [(Int32, Double, Int32)])]() }, { acc, c in
                var out: [(Int32, Double, Int32)] = []
                for i in 0..<c.count {
                    guard let t = inRegion(c, i) else { continue }
                    if let r = lookup.rangeIndex(of: Double(c.mass[i])) { out.append((ionOfRange[r], t, Int32(r))) } else { out.append((-1, t, -1)) }
                }
                acc.append((c.first, out))
            }, combine: { $0 += $1 })
            var all = parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
            n = all.count
            all.sort { $0.1 < $1.1 }
            let empty = Bin(lower: 0, upper: 0, distance: 0, counts: [Int](repeating: 0, count: elements.count),
                            ions: [Int](repeating: 0, count: table.ions.count), rangeCounts: [Int](repeating: 0, count: rangeSlots), unranged: 0)
            var current = empty
            var sum = 0.0
            for (type, t, r) in all {
                if type < 0 { current.unranged += 1; continue }
                current.ions[Int(type)] += 1
                if keepRanges { current.rangeCounts[Int(r)] += 1 }
                for (e, k) in atomsOf[Int(type)].enumerated() where k > 0 { current.counts[e] += k }
                sum += t * Double(atomsOf[Int(type)].reduce(0, +))
                current.upper = t
                if current.atoms >= per {
                    current.distance = sum / Double(current.atoms)
                    bins.append(current)
                    current = empty
                    current.lower = t; current.upper = t
                    sum = 0
                }
            }
            if current.atoms > 0 {  // the remainder: a last, smaller bin
                current.distance = sum / Double(current.atoms)
                current.upper = region.length
                bins.append(current)
            }
        }
        guard bins.contains(where: { $0.atoms > 0 }) else {
            throw AtomProbeError.invalid("no ranged atoms in the profile's region (\(n) ions, none ranged); check the ends of the axis and the cross-section")
        }
        self.region = region
        self.binning = binning
        self.elements = elements
        self.bins = bins
        atomsPerType = atomsOf
        self.errors = errors
        self.corrections = corrections
        self.table = table
    }

    /// The cumulative (ladder) profile: after each bin, the atoms of every element and of all
    /// elements counted so far. Its slope dN_X/dN is the concentration; an interfacial excess
    /// shows as a step.
    public var cumulative: (total: [Int], perElement: [[Int]]) {
        var total: [Int] = [], per = [[Int]](repeating: [], count: elements.count)
        var t = 0, e = [Int](repeating: 0, count: elements.count)
        for b in bins {
            t += b.atoms; total.append(t)
            for k in elements.indices { e[k] += b.counts[k]; per[k].append(e[k]) }
        }
        return (total, per)
    }
}
