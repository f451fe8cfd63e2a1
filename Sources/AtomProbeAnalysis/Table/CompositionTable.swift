import Foundation
import AtomProbe
import KitFoundation

/// Step 5 of the iso-surface chain, the study's Table 1: bulk (farther than `bulkDistance`
/// outside every surface), and per object its inside and its core (deeper than `coreDistance`).
/// Files: `table.json`, `.csv`, `.md`, `.txt`.
public struct CompositionTable: Sendable {
    public enum RegionKind: String, Sendable { case bulk, inside, core }

    public struct Row: Sendable {
        public var name: String
        public var region: RegionKind
        public var objectID: Int32?
        public var composition: Composition
        /// Core rows: whether the core's composition has stopped changing with depth.
        public var plateau: CorePlateau?
    }

    public let species: String
    public let threshold: Double
    public let bulkDistance: Double
    public let coreDistance: Double
    public let elements: [String]
    public let rows: [Row]
    /// Atoms in or within the bulk distance of objects dropped by the size filters: in no row.
    public let excludedAtoms: Int
    /// Objects reaching the data edge left out on request (`excludeEdgeObjects`).
    public let excludedEdgeObjects: [Int32]
    /// The error model and the corrections of the compositions.
    public let errors: Composition.CountingErrors
    public let corrections: [String]

    /// How far an object's row (inside its iso-surface) reads from its core row, per element
    /// (at.%, one sigma): the bias the threshold brings by taking in matrix. The core is part of
    /// the inside, so inside - core = f (c_shell - c_core) with f the shell's share of the inside
    /// atoms; the sigma combines the shell's and the core's counting errors, which are independent.
    public func thresholdBias(object id: Int32) -> [(element: String, atPercent: Double, sigmaAtPercent: Double)] {
        guard let inside = rows.first(where: { $0.objectID == id && $0.region == .inside })?.composition,
              let core = rows.first(where: { $0.objectID == id && $0.region == .core })?.composition,
              core.total > 0, inside.total > core.total else { return [] }
        return elements.compactMap { el in
            guard let i = inside[el], let c = core[el] else { return nil }
            let b = Self.insideMinusCore(inside: (i.fraction, inside.total), core: (c.fraction, core.total), coreSigma: c.sigma)
            return (el, 100 * b.difference, 100 * b.sigma)
        }
    }

    /// Fraction inside - fraction in the core, the core (n_c atoms) being part of the inside
    /// (n_i), and its one-sigma error from the shell's binomial error and the core's.
    public static func insideMinusCore(inside: (fraction: Double, atoms: Int), core: (fraction: Double, atoms: Int), coreSigma: Double) -> (difference: Double, sigma: Double) {
        let shellAtoms = Double(inside.atoms - core.atoms), f = shellAtoms / Double(inside.atoms)
        let shell = (inside.fraction * Double(inside.atoms) - core.fraction * Double(core.atoms)) / shellAtoms
        let shellVariance = max(0, shell * (1 - shell)) / shellAtoms
        return (inside.fraction - core.fraction, f * (shellVariance + coreSigma * coreSigma).squareRoot())
    }

    public init(_ a: IsoSurfaceAnalysis) throws {
        let t = a.tally
        var rows = [Row(name: "bulk", region: .bulk, objectID: nil, composition: try a.composition(t.bulkCounts))]
        for o in a.objects where !(a.options.excludeEdgeObjects && o.touchesEdge) {
            rows.append(Row(name: "object \(o.id)", region: .inside, objectID: o.id, composition: try a.composition(t.insideCounts(Int(o.id)))))
            let core = try a.composition(t.coreCounts(Int(o.id)))
            let deeper = try a.composition(t.deeperCounts(Int(o.id)))
            rows.append(Row(name: "object \(o.id) core", region: .core, objectID: o.id, composition: core,
                            plateau: CorePlateau(core: core, deeper: deeper, coreDistance: a.options.coreDistance)))
        }
        species = a.species
        threshold = a.threshold
        bulkDistance = a.options.bulkDistance
        coreDistance = a.options.coreDistance
        elements = a.elements
        excludedAtoms = a.surface.droppedAtoms
        errors = a.options.errors
        excludedEdgeObjects = a.options.excludeEdgeObjects ? a.objects.filter(\.touchesEdge).map(\.id) : []
        corrections = rows.first?.composition.corrections ?? []
        self.rows = rows
    }
}

/// Whether an object's core has reached a plateau: its composition against that of a core
/// `step` deeper. The deeper core (N_d atoms) is part of the core (N_c), so the change between
/// them has the variance sigma_core^2 (N_c / N_d - 1) (counting errors scale as 1/N at fixed
/// composition); a change beyond 2 of those sigmas means the core is
/// still inside the gradient of the interface (make `--core-distance` larger, or the object has no
/// uniform interior).
public struct CorePlateau: Sendable {
    public static let step = 0.5
    public static let limit = 2.0

    public var deeperDistance: Double
    public var deeperAtoms: Int
    /// The element changing most, by how much (at.%) and in sigmas of the change.
    public var element: String?
    public var change: Double
    public var changeSigmas: Double
    /// nil when the deeper core holds too few atoms (under 100) to tell.
    public var reached: Bool?

    public init(core: Composition, deeper: Composition, coreDistance: Double) {
        deeperDistance = coreDistance + Self.step
        deeperAtoms = deeper.total
        element = nil; change = 0; changeSigmas = 0
        guard deeper.total >= 100, core.total > deeper.total else { reached = nil; return }
        for e in core.entries {
            guard let f = deeper[e.name] else { continue }
            let v = max(e.sigma * e.sigma * (Double(core.total) / Double(deeper.total) - 1), 1e-30)
            let z = abs(f.fraction - e.fraction) / v.squareRoot()
            if z > changeSigmas { changeSigmas = z; element = e.name; change = 100 * (f.fraction - e.fraction) }
        }
        reached = changeSigmas <= Self.limit
    }

    /// A warning line, or nil when the plateau is reached.
    public func warning(object: Int32) -> String? {
        if reached == nil {
            return String(format: "object %d: whether the core reached a plateau cannot be tested (%d atoms deeper than %.2g nm)", Int(object), deeperAtoms, deeperDistance)
        }
        guard reached == false, let element else { return nil }
        return String(format: "object %d: the core has not reached a plateau: %@ changes by %+.2f at.%% (%.1f sigma) from the core to %.2g nm deep; use a larger core distance or report the gradient",
                      Int(object), element, change, changeSigmas, deeperDistance)
    }
}
