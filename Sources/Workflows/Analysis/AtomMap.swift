import Foundation
import AtomProbe
import KitFoundation

/// An interactive 3D atom map for HTML reports (issues 13 and 25): ranged ions as points coloured
/// by element (a molecular ion by its first element), every k-th ion up to `maxPoints`, and the
/// iso-surfaces drawn solid and lit, one colour per object. The default view shows what the map is
/// for: the iso-surface species' points (the other elements off, with toggles), point size chosen
/// for the points shown and the canvas, a legend, a scale bar in nm and a slab control (only a
/// slab of chosen thickness through the centre, across the view). Rotate (drag), zoom (wheel) and
/// pan (shift-drag). WebGL with the script and the data inline (no network). The canvas has
/// `id="atom-map"`; after its first frame it sets `data-points` (points drawn) and
/// `data-object-boxes` (each object's projected bounding box in canvas pixels, for checks).
public struct AtomMap: Sendable {
    public static let defaultMaxPoints = 500_000

    public let elements: [String]
    public let colors: [String]
    /// The element shown by default (the iso-surface species); nil: all.
    public let species: String?
    /// Interleaved x, y, z (nm) and the element index of every point.
    let positions: [Float]
    let element: [UInt8]
    let triangles: [Float]
    /// Per triangle: its object id (0: none).
    let triangleObject: [Float]
    public var points: Int { element.count }

    /// Samples every k-th ranged ion of `source` (one pass).
    public init(source: some IonSource, table: RangeTable, mesh: TriangleMesh? = nil, species: String? = nil,
                maxPoints: Int = AtomMap.defaultMaxPoints) throws {
        let symbols = table.symbols
        self.species = species.flatMap { symbols.contains($0) ? $0 : nil }
        elements = symbols
        colors = symbols.enumerated().map { ElementColors.color($0.element, index: $0.offset) }
        let firstElement = table.ions.map { ion in ion.atoms.first.flatMap { a in symbols.firstIndex(of: a.symbol) } }
        let lookup = RangeLookup(table)
        let ionOfRange = table.ranges.map(\.ionIndex)
        let step = max(1, (source.count + max(1, maxPoints) - 1) / max(1, maxPoints))
        let parts = try source.reduceChunks(.positionsAndMass, initial: { [(Int, [Float], [UInt8])]() }, { acc, c in
            var p: [Float] = [], e: [UInt8] = []
            var i = (step - c.first % step) % step
            while i < c.count {
                if let r = lookup.rangeIndex(of: Double(c.mass[i])), let el = firstElement[ionOfRange[r]],
                   c.x[i].isFinite, c.y[i].isFinite, c.z[i].isFinite {
                    p += [c.x[i], c.y[i], c.z[i]]; e.append(UInt8(min(el, 255)))
                }
                i += step
            }
            acc.append((c.first, p, e))
        }, combine: { $0 += $1 })
        let sorted = parts.sorted { $0.0 < $1.0 }
        positions = sorted.flatMap(\.1)
        element = sorted.flatMap(\.2)
        var tri: [Float] = [], object: [Float] = []
        if let mesh {
            for t in mesh.triangles.indices {
                let (a, b, c) = mesh.corners(t)
                for v in [a, b, c] { tri += [Float(v.x), Float(v.y), Float(v.z)] }
                object.append(Float(mesh.objectID[t]))
            }
        }
        triangles = tri
        triangleObject = object
    }

    /// Colours of the objects' surfaces (object k takes entry (k - 1) mod count): hues apart from
    /// the elements' colours.
    public static let objectColors = ["#1f5fd1", "#2ca02c", "#e6b800", "#8c564b", "#17a398", "#d62728", "#7f7f7f"]


    static func base64<T>(_ values: [T]) -> String {
        values.withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// The section: the canvas with its controls, legend and scale bar, and its script.
    public func html(title: String = "3D atom map") -> String {
        let toggles = elements.enumerated().map { k, el in
            "<label style=\"color:\(colors[k])\"><input type=\"checkbox\" \(species == nil || species == el ? "checked" : "") data-element=\"\(k)\"> \(el)</label>"
        }.joined(separator: " ")
        let objects = Set(triangleObject.map { Int($0) }).filter { $0 > 0 }.sorted()
        let legend = objects.map { id in
            "<span style=\"display:inline-block;width:0.9em;height:0.9em;background:\(Self.objectColors[(id - 1) % Self.objectColors.count]);vertical-align:middle\"></span> object \(id)"
        }.joined(separator: " &nbsp; ")
        let shown = species.map { "\($0) points shown (the other elements: tick them)" } ?? "all elements shown"
        return """
        <div class="atom-map"><p><b>\(title)</b>: \(points) ions (every k-th ranged ion); \(shown); thinned to about 30,000 points (the points control shows more); iso-surfaces solid over the points, one colour per object. Drag to rotate, wheel to zoom, shift-drag to pan.</p>
        <p>Elements: \(toggles) &nbsp; <label><input type="checkbox" checked data-surface="1"> surfaces</label>
        <label>opacity <input type="range" min="0.2" max="1" step="0.05" value="0.9" data-opacity="1" style="width:6em"></label>
        <label>points <input type="range" min="0.01" max="1" step="0.01" value="1" data-density="1" style="width:6em"></label>
        <label>slab <input type="range" min="0" max="60" step="1" value="0" data-slab="1" style="width:8em"> <span data-slab-label="1">off</span></label></p>
        <div style="position:relative; display:inline-block"><canvas id="atom-map" width="900" height="600" style="border:1px solid #ccc; background:#fff"></canvas>
        <canvas id="atom-map-overlay" width="900" height="600" style="position:absolute; left:1px; top:1px; pointer-events:none"></canvas></div>
        <p>Surfaces: \(legend.isEmpty ? "none" : legend)</p></div>
        <script>
        \(AtomMapScript.source(positions: Self.base64(positions), elements: Self.base64(element), triangles: Self.base64(triangles),
                                objects: Self.base64(triangleObject), colors: colors, objectColors: Self.objectColors,
                                hidden: elements.map { species == nil || species == $0 ? 0 : 1 }))
        </script>
        """
    }
}
