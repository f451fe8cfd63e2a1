import ParallelLoops

/// The range (and so the ion type) of every ion of a reconstruction.
public struct RangedIons: Sendable {
    /// Per ion: index into `table.ions`, or -1 when its mass-to-charge falls in no range.
    public let ionType: [Int32]
    /// Per ion: index into `table.ranges`, or -1 (for the per-range counts of corrections).
    public let range: [Int32]
    public let table: RangeTable

    /// Ions per ion type (index as in `table.ions`).
    public let countsPerIonType: [Int]
    public let unranged: Int
    public var ranged: Int { ionType.count - unranged }

    /// Ranges every ion in one parallel pass (binary search over the sorted ranges).
    public init(_ recon: Reconstruction, table: RangeTable) {
        let n = recon.count
        let ionOfRange = table.ranges.map { Int32($0.ionIndex) }
        let lookup = RangeLookup(table)
        let nTypes = table.ions.count
        var types = [Int32](repeating: -1, count: n)
        var ranges = [Int32](repeating: -1, count: n)
        let total: [Int] = types.withUnsafeMutableBufferPointer { out in
            ranges.withUnsafeMutableBufferPointer { outRange in
                let out = out, outRange = outRange
                return recon.mass.withUnsafeBufferPointer { mass in
                    Parallel.sum(n, length: nTypes + 1) { r, counts in
                        for i in r {
                            if let r = lookup.rangeIndex(of: Double(mass[i])) {
                                let t = ionOfRange[r]
                                out[i] = t
                                outRange[i] = Int32(r)
                                counts[Int(t)] += 1
                            } else {
                                counts[nTypes] += 1
                            }
                        }
                    }
                }
            }
        }
        self.ionType = types
        self.range = ranges
        self.table = table
        self.countsPerIonType = Array(total[0..<nTypes])
        self.unranged = total[nTypes]
    }
}
