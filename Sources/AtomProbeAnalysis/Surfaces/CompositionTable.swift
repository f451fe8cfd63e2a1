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
    }

    public let species: String
    public let threshold: Double
    public let bulkDistance: Double
    public let coreDistance: Double
    public let elements: [String]
    public let rows: [Row]
    /// Atoms in or within the bulk distance of objects dropped by the size filters: in no row.
    public let excludedAtoms: Int

    public init(_ a: IsoSurfaceAnalysis) throws {
        let bulkD = Float(a.options.bulkDistance), coreD = Float(a.options.coreDistance)
        let d = a.distances.distance, obj = a.distances.objectOfIon
        var rows = [Row(name: "bulk", region: .bulk, objectID: nil, composition: try a.composition { d[$0] < -bulkD })]
        for o in a.objects {
            rows.append(Row(name: "object \(o.id)", region: .inside, objectID: o.id,
                            composition: try a.composition { d[$0] > 0 && obj[$0] == o.id }))
            rows.append(Row(name: "object \(o.id) core", region: .core, objectID: o.id,
                            composition: try a.composition { d[$0] > coreD && obj[$0] == o.id }))
        }
        species = a.species
        threshold = a.threshold
        bulkDistance = a.options.bulkDistance
        coreDistance = a.options.coreDistance
        elements = a.elements
        excludedAtoms = a.surface.droppedAtoms
        self.rows = rows
    }
}
