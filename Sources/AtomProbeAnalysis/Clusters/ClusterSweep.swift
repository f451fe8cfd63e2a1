import Foundation
import KitFoundation

/// Clusters and false clusters over a grid of dmax and nmin (`clusters --sweep`, issue 26), so
/// that parameters are chosen with evidence: per nmin, the clusters at every dmax of the grid in
/// the data and the mean over label-randomized copies (`RandomizedSolutes`), from one union-find
/// sweep over the solute pairs sorted by the dmax at which they link (`DmaxScan.counts`).
public struct ClusterSweep: Sendable {
    /// The grid, from text such as `dmax=0.3:1.0:8,nmin=5,10,20` (dmax from:to:count evenly, or a
    /// list; either key may be left out, then the search's own value is used).
    public struct Grid: Sendable, Equatable {
        public var dmax: [Double]
        public var nmin: [Int]

        public init(dmax: [Double], nmin: [Int]) { self.dmax = dmax; self.nmin = nmin }

        public init(parsing text: String, dmax d: Double, nmin n: Int) throws {
            var values: [String: [String]] = [:], key: String?
            for token in text.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
                if let eq = token.firstIndex(of: "=") {
                    key = String(token[..<eq])
                    values[key!, default: []].append(String(token[token.index(after: eq)...]))
                } else if let k = key {
                    values[k, default: []].append(token)
                } else {
                    throw AtomProbeError.invalid("sweep", "must read like dmax=0.3:1.0:8,nmin=5,10,20, got \"\(text)\"")
                }
            }
            if let bad = values.keys.first(where: { $0 != "dmax" && $0 != "nmin" }) {
                throw AtomProbeError.invalid("sweep", "knows dmax and nmin, not \"\(bad)\"")
            }
            var dmax = [d]
            if let v = values["dmax"] {
                let parts = v.count == 1 ? v[0].split(separator: ":", omittingEmptySubsequences: false).map { Double($0) } : []
                if parts.count == 3, let a = parts[0], let b = parts[1], let c = parts[2], c >= 1, c <= 1000, c == c.rounded() {
                    let count = Int(c)
                    dmax = count == 1 ? [a] : (0..<count).map { ((a + (b - a) * Double($0) / Double(count - 1)) * 1e9).rounded() / 1e9 }
                } else {
                    let list = v.map { Double($0) }
                    guard list.allSatisfy({ $0 != nil }), !list.isEmpty, !v[0].contains(":") else {
                        throw AtomProbeError.invalid("sweep", "dmax needs from:to:count or a list of values (nm), got \"\(v.joined(separator: ","))\"")
                    }
                    dmax = list.map { $0! }
                }
            }
            var nmin = [n]
            if let v = values["nmin"] {
                let list = v.map { Int($0) }
                guard !list.isEmpty, list.allSatisfy({ $0 != nil }) else {
                    throw AtomProbeError.invalid("sweep", "nmin needs a list of whole numbers, got \"\(v.joined(separator: ","))\"")
                }
                nmin = list.map { $0! }
            }
            try Validation.require([
                (dmax.allSatisfy { $0 > 0 && $0 <= 5 && $0.isFinite }, "sweep", "dmax values must be in (0, 5] nm"),
                (nmin.allSatisfy { $0 >= 1 && $0 <= 1_000_000 }, "sweep", "nmin values must be 1-1000000"),
                (dmax.count * nmin.count <= 10_000, "sweep", "has more than 10000 grid points"),
            ])
            self.dmax = dmax.sorted()
            self.nmin = nmin
        }
    }

    public let grid: Grid
    /// [nmin index][dmax index].
    public let clusters: [[Int]]
    public let falseClusters: [[Double]]
    public let randomizations: Int

    public init(sample: RandomizedSolutes, grid: Grid, order: Int, randomizations: Int, seed: UInt64, memory: MemoryBudget) throws {
        let reach = grid.dmax.max() ?? 1
        let copies = (0..<randomizations).map { sample.copy($0, seed: seed) }
        var clusters: [[Int]] = [], falseClusters: [[Double]] = []
        for n in grid.nmin {
            clusters.append(try DmaxScan.counts(sample.solutes, reach: reach, candidates: grid.dmax, nmin: n, order: order, memory: memory).map { Int($0) })
            var sum = [Double](repeating: 0, count: grid.dmax.count)
            for c in copies {
                let counts = try DmaxScan.counts(c, reach: reach, candidates: grid.dmax, nmin: n, order: order, memory: memory)
                for k in sum.indices { sum[k] += counts[k] / Double(randomizations) }
            }
            falseClusters.append(sum)
        }
        self.grid = grid
        self.clusters = clusters
        self.falseClusters = falseClusters
        self.randomizations = randomizations
    }
}
