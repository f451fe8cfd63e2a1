import Foundation
import AtomProbe
import KitFoundation

/// The ions a spatial-statistics test works on, in evaporation (file) order: every ranged ion
/// with a finite position inside the specimen's box (stray ions far outside the bulk of the data
/// are left out, as in the cluster search), its position and its ion type. Randomized labels are
/// drawn from exactly these ions.
public struct LabelledIons: Sendable {
    public let table: RangeTable
    public let x: [Float]
    public let y: [Float]
    public let z: [Float]
    /// Per ion: index into `table.ions`.
    public let type: [Int32]
    /// Finite ions far outside the bulk of the data, left out.
    public let strayIons: Int

    public var count: Int { type.count }

    /// Bytes an ion of the source costs here (positions, type, the per-chunk copies).
    public static let bytesPerIon = 32.0

    /// One pass over `source` (in memory or streamed), chunks put back in file order.
    public init(source: some IonSource, table: RangeTable, memory: MemoryBudget = .standard) throws {
        try memory.require(Double(source.count) * Self.bytesPerIon, for: "the positions and labels of \(source.count) ions")
        let box = try SpecimenBounds.of(source: source)
        let lo = box.map { SIMD3<Float>($0.min) } ?? SIMD3(repeating: -.infinity)
        let hi = box.map { SIMD3<Float>($0.max) } ?? SIMD3(repeating: .infinity)
        let lookup = RangeLookup(table)
        let ionOfRange = table.ranges.map { Int32($0.ionIndex) }
        typealias Part = (first: Int, x: [Float], y: [Float], z: [Float], t: [Int32], strays: Int)
        let parts = try source.reduceChunks(.positionsAndMass, initial: { [Part]() }, { acc, c in
            var part: Part = (c.first, [], [], [], [], 0)
            for i in 0..<c.count {
                guard let r = lookup.rangeIndex(of: Double(c.mass[i])) else { continue }
                let p = SIMD3(c.x[i], c.y[i], c.z[i])
                guard p.x.isFinite, p.y.isFinite, p.z.isFinite else { continue }
                guard p.x >= lo.x, p.y >= lo.y, p.z >= lo.z, p.x <= hi.x, p.y <= hi.y, p.z <= hi.z else { part.strays += 1; continue }
                part.x.append(p.x); part.y.append(p.y); part.z.append(p.z); part.t.append(ionOfRange[r])
            }
            acc.append(part)
        }, combine: { $0 += $1 }).sorted { $0.first < $1.first }
        self.table = table
        x = parts.flatMap(\.x); y = parts.flatMap(\.y); z = parts.flatMap(\.z); type = parts.flatMap(\.t)
        strayIons = parts.reduce(0) { $0 + $1.strays }
    }

    /// Ions of given positions and types (tests, synthetic data).
    public init(table: RangeTable, positions: [SIMD3<Double>], types: [Int32]) {
        self.table = table
        x = positions.map { Float($0.x) }; y = positions.map { Float($0.y) }; z = positions.map { Float($0.z) }
        type = types
        strayIons = 0
    }

    @inline(__always) public func position(_ i: Int) -> SIMD3<Double> { SIMD3(Double(x[i]), Double(y[i]), Double(z[i])) }

    /// Per ion type: the atoms of `element` it holds.
    public func atomsOfType(_ element: String) -> [Int] {
        table.ions.map { ion in ion.atoms.filter { $0.symbol == element }.reduce(0) { $0 + $1.count } }
    }

    /// The ions holding any of `elements` (the solute ions), by index.
    public func indices(holding elements: [String]) -> [Int] {
        let set = Set(elements)
        let holds = table.ions.map { ion in ion.atoms.contains { set.contains($0.symbol) } }
        return (0..<count).filter { holds[Int(type[$0])] }
    }

    /// The solutes checked against the range file: each must be an element of it, held by at
    /// least 2 of these ions (a distance between solutes needs two).
    public func checkSolutes(_ solutes: [String]) throws {
        let known = table.symbols
        try Validation.require([(!solutes.isEmpty, "solutes", "needs at least one element")])
        if let missing = solutes.first(where: { !known.contains($0) }) {
            throw AtomProbeError.invalid("solutes", "\(missing) is not in the range file (it has \(known.joined(separator: ", ")))")
        }
        for s in solutes {
            let held = atomsOfType(s).map { $0 > 0 }
            let n = type.lazy.filter { held[Int($0)] }.count
            try Validation.require([(n >= 2, "solutes", "\(s) is held by \(n) ranged ion(s) of the data; a spatial statistic needs at least 2")])
        }
    }
}
