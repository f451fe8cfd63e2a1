import Foundation
import KitFoundation
import ParallelLoops

/// Frequency distribution analysis (FDA): is a solute spread like a random solid solution?
///
/// The atoms are cut into blocks of a fixed number n of atoms that are voxels of equal atom
/// count (compact in space whatever the file's order, so that the test does not depend on how the
/// file orders its ions): the atoms (a molecular ion's atoms at its position) sorted by z are cut
/// into Sz slabs, each slab's atoms sorted by y into rows, each row's atoms sorted by x into blocks
/// of n consecutive atoms (ties by the atoms' file order). The B = floor(N/n) blocks are spread
/// over the slabs and rows as evenly as integers allow (slab j holds blocks floor(Bj/Sz) to
/// floor(B(j+1)/Sz)); Sz = max(1, floor(B^(1/3) ez / (ex ey ez)^(1/3) + 1/2)) from the data's
/// extents, and a slab of b blocks has max(1, floor(sqrt(b ey / ex) + 1/2)) rows, so the blocks
/// are about cubic. The N - nB atoms of largest z are left out.
///
/// The number of blocks holding k solute atoms is compared with the binomial expectation
/// N_b B(k; n, p), p the solute fraction of the blocks' atoms, by Pearson's chi^2 after merging
/// sparse classes: from k = 0 upward, classes join until their expected count reaches 5; a
/// remainder below 5 at the top joins the last class. The degrees of freedom are the classes
/// less 2 (the total, and p estimated from the data); the p-value is Q(dof/2, chi^2/2).
///
/// Pearson's normalised coefficient (Moody, Stephenson, Ceguerra & Ringer 2008, Microsc. Res.
/// Tech. 71, 542-550): mu = sqrt(chi^2 / (N + chi^2)) with N the number of ATOMS in the blocks
/// (the per-atom normalisation; papers that use the number of blocks get about sqrt(n) times
/// larger values). 0 for a perfect binomial fit, towards 1 for strong segregation.
public struct FrequencyDistribution: Sendable {
    public struct Fit: Sendable {
        /// The solute (an element, or the solutes together: "Cu+Ni").
        public let name: String
        public let blockAtoms: Int
        public let blocks: Int
        /// Solute fraction of the blocks' atoms.
        public let soluteFraction: Double
        /// Blocks holding k solute atoms, k = 0...blockAtoms.
        public let observed: [Int]
        /// The binomial expectation of each.
        public let expected: [Double]
        /// The merged classes: first and last k, observed and expected blocks.
        public let classes: [(low: Int, high: Int, observed: Int, expected: Double)]
        public let chi2: Double
        public let dof: Int
        public let pValue: Double
        public let pearsonMu: Double

        init(name: String, blockAtoms n: Int, observed: [Int]) throws {
            self.name = name
            blockAtoms = n
            self.observed = observed
            let nb = observed.reduce(0, +)
            blocks = nb
            var solute = 0.0
            for (k, c) in observed.enumerated() { solute += Double(k) * Double(c) }
            let p = solute / (Double(nb) * Double(n))
            soluteFraction = p
            expected = SpecialFunctions.binomialProbabilities(n: n, p: p).map { $0 * Double(nb) }
            var merged: [(low: Int, high: Int, observed: Int, expected: Double)] = []
            var open: (low: Int, observed: Int, expected: Double)?
            for k in 0...n {
                var c = open ?? (k, 0, 0)
                c.observed += observed[k]
                c.expected += expected[k]
                if c.expected >= 5 { merged.append((c.low, k, c.observed, c.expected)); open = nil } else { open = c }
            }
            if let rest = open {
                if let last = merged.popLast() {
                    merged.append((last.low, n, last.observed + rest.observed, last.expected + rest.expected))
                } else {
                    merged.append((rest.low, n, rest.observed, rest.expected))
                }
            }
            classes = merged
            dof = merged.count - 2
            let percent = String(format: "%.3g", 100 * p)
            try Validation.require([(dof >= 1, "block_atoms", "leaves \(nb) block(s) of \(n) atoms at \(percent) % \(name): too few classes of at least 5 expected blocks for a chi-square test; use smaller blocks or more data")])
            var sum = 0.0
            for c in merged { let diff = Double(c.observed) - c.expected; sum += diff * diff / c.expected }
            chi2 = sum
            pValue = SpecialFunctions.chiSquareSurvival(sum, dof: dof)
            let atoms = Double(nb) * Double(n)
            pearsonMu = (sum / (atoms + sum)).squareRoot()
        }
    }

    /// The solutes together (every solute atom counts).
    public let combined: Fit
    /// Each solute alone (only when there are several).
    public let perSolute: [Fit]
    public let blockAtoms: Int

    /// - Parameter solutes: elements of the range table (checked by `LabelledIons.checkSolutes`).
    public init(_ ions: LabelledIons, solutes: [String], blockAtoms n: Int, memory: MemoryBudget = .standard) throws {
        let atomsOfType = ions.table.ions.map { $0.atoms.reduce(0) { $0 + $1.count } }
        var total = 0
        for t in ions.type { total += atomsOfType[Int(t)] }
        try Validation.require([
            (n >= 2, "block_atoms", "must be at least 2, got \(n)"),
            (n <= total, "block_atoms", "must not exceed the \(total) ranged atoms of the data, got \(n)"),
            (total < Int(UInt32.max), "block_atoms", "the blocks take at most \(UInt32.max) atoms"),
        ])
        try memory.require(Double(total) * 40, for: "the blocks of \(total) atoms")
        // Per ion type: its atoms in order, each as the index of its solute or -1.
        let codes: [[Int8]] = ions.table.ions.map { ion in
            ion.atoms.flatMap { a in [Int8](repeating: Int8(solutes.firstIndex(of: a.symbol) ?? -1), count: a.count) }
        }
        var ionOfAtom = [Int32](), code = [Int8]()
        ionOfAtom.reserveCapacity(total)
        code.reserveCapacity(total)
        for i in 0..<ions.count { for c in codes[Int(ions.type[i])] { ionOfAtom.append(Int32(i)); code.append(c) } }
        let s = solutes.count
        var histograms = [[Int]](repeating: [Int](repeating: 0, count: n + 1), count: s + 1)
        var counts = [Int](repeating: 0, count: s)
        for block in Self.blocks(ions, ionOfAtom: ionOfAtom, blockAtoms: n) {
            for j in 0..<s { counts[j] = 0 }
            for a in block where code[a] >= 0 { counts[Int(code[a])] += 1 }
            var all = 0
            for j in 0..<s { histograms[j][counts[j]] += 1; all += counts[j] }
            histograms[s][all] += 1
        }
        blockAtoms = n
        combined = try Fit(name: solutes.joined(separator: "+"), blockAtoms: n, observed: histograms[s])
        perSolute = s > 1 ? try (0..<s).map { try Fit(name: solutes[$0], blockAtoms: n, observed: histograms[$0]) } : []
    }

    /// The voxels of equal atom count (see the type's comment): per block, its atoms' indices.
    static func blocks(_ ions: LabelledIons, ionOfAtom: [Int32], blockAtoms n: Int) -> [ArraySlice<Int>] {
        let total = ionOfAtom.count, b = total / n
        guard b > 0 else { return [] }
        // Order-preserving keys: a coordinate's bits (-0 as +0) above the atom's index.
        func key(_ v: Float, _ a: Int) -> UInt64 {
            let bits: UInt32 = (v + 0).bitPattern
            let sign: UInt32 = 0x8000_0000
            let ordered: UInt32 = (bits & sign) != 0 ? ~bits : (bits | sign)
            return (UInt64(ordered) << 32) | UInt64(a)
        }
        func sorted(_ atoms: ArraySlice<Int>, _ axis: [Float]) -> [Int] {
            atoms.map { key(axis[Int(ionOfAtom[$0])], $0) }.sorted().map { Int($0 & 0xFFFF_FFFF) }
        }
        var lo = SIMD3<Float>(repeating: .infinity), hi = SIMD3<Float>(repeating: -.infinity)
        for i in 0..<ions.count {
            let p = SIMD3(ions.x[i], ions.y[i], ions.z[i])
            lo = pointwiseMin(lo, p)
            hi = pointwiseMax(hi, p)
        }
        let e = SIMD3<Double>(pointwiseMax(hi - lo, SIMD3(repeating: 1e-3)))
        let slabsWanted: Double = Foundation.cbrt(Double(b)) * e.z / Foundation.cbrt(e.x * e.y * e.z) + 0.5
        let slabs = min(b, max(1, Int(slabsWanted.rounded(.down))))
        let byZ = sorted(ArraySlice(0..<total), ions.z)
        // Slabs in parallel (each sorts its own atoms), blocks in slab order.
        let parts: [[ArraySlice<Int>]] = Parallel.map(slabs, minChunk: 1) { range in
            var out: [ArraySlice<Int>] = []
            for j in range {
                let b0 = b * j / slabs, b1 = b * (j + 1) / slabs, bs = b1 - b0
                let rowsWanted: Double = (Double(bs) * e.y / e.x).squareRoot() + 0.5
                let rows = min(bs, max(1, Int(rowsWanted.rounded(.down))))
                let byY = sorted(byZ[(b0 * n)..<(b1 * n)], ions.y)
                for r in 0..<rows {
                    let r0 = bs * r / rows, r1 = bs * (r + 1) / rows
                    let byX = sorted(byY[(r0 * n)..<(r1 * n)], ions.x)
                    for k in 0..<(r1 - r0) { out.append(byX[(k * n)..<((k + 1) * n)]) }
                }
            }
            return out
        }
        let out = parts.flatMap { $0 }
        return out
    }
}
