import Foundation
import KitFoundation

/// Is a reported number mesh-converged? The same run on a finer mesh (1.5x the elements per edge)
/// and the change of each reported quantity: interdiffusion width, extremes away from the
/// bimaterial corners, and the fields along the profile line.
public struct MeshCheck: Sendable {
    public struct Quantity: Sendable {
        public var name: String
        public var coarse: Double?
        public var fine: Double?
        /// |fine - coarse| / max(|fine|, scale).
        public var relativeChange: Double?
        public var converged: Bool
        public var note: String?
    }
    public let coarseElements: Int
    public let fineElements: Int
    public let quantities: [Quantity]
    /// A quantity counts as converged when the finer mesh changes it by less than this.
    public static let tolerance = 0.05

    public var allConverged: Bool { quantities.allSatisfy(\.converged) }

    /// Solves `sim`'s scenario again with 1.5x the elements per edge (the same solver route) and
    /// compares.
    public static func run(_ sim: Simulation, progress: ((String) -> Void)? = nil) throws -> MeshCheck {
        var s = sim.settings
        let fineElements = min(2000, Int((Double(s.elements) * 1.5).rounded()))
        s.elements = fineElements
        progress?("mesh check: the same run on \(fineElements) x \(fineElements) elements")
        let fine = try Simulation.run(sim.scenario, parameters: sim.parameters, settings: s, maxSteps: max(400, sim.report.steps * 2),
                                      solver: sim.report.solver, kinetics: sim.kinetics)
        return try MeshCheck(coarse: sim, fine: fine)
    }

    public init(coarse: Simulation, fine: Simulation) throws {
        coarseElements = coarse.settings.elements
        fineElements = fine.settings.elements
        var q: [Quantity] = []
        func add(_ name: String, _ a: Double?, _ b: Double?, scale: Double, note: String? = nil) {
            guard let a, let b else { q.append(Quantity(name: name, coarse: a, fine: b, relativeChange: nil, converged: a == nil && b == nil, note: note)); return }
            let r = abs(b - a) / max(abs(b), scale)
            q.append(Quantity(name: name, coarse: a, fine: b, relativeChange: r, converged: r < Self.tolerance, note: note))
        }
        if coarse.scenario == .interface {
            let h = coarse.model.mesh.minElementSize
            let w = coarse.interdiffusionWidth
            add("interdiffusion_width_nm", w, fine.interdiffusionWidth, scale: 0.05,
                note: (w ?? .infinity) < 2 * h ? String(format: "below two elements at the interface (%.3g nm): an unresolved step, not a width", h) : nil)
        }
        let (c0, c1) = (coarse.interiorExtremes, fine.interiorExtremes)
        add("c_min_interior", c0.cMin, c1.cMin, scale: 0.01)
        add("c_max_interior", c0.cMax, c1.cMax, scale: 0.01)
        let sScale = max(abs(c1.sigmaHMin), abs(c1.sigmaHMax), 1e6)
        add("sigma_h_min_interior_pa", c0.sigmaHMin, c1.sigmaHMin, scale: sScale)
        add("sigma_h_max_interior_pa", c0.sigmaHMax, c1.sigmaHMax, scale: sScale)
        // Along the default profile line, point by point, away from the jumps a mesh cannot place
        // (within 1 nm of the interface, where sigma_h jumps between the materials; within two core
        // widths of a dislocation).
        let line = coarse.defaultProfileLine
        let p0 = try coarse.results.profile(from: (line.0, line.1), to: (line.2, line.3))
        let p1 = try fine.results.profile(from: (line.0, line.1), to: (line.2, line.3))
        let kept = p0.distance.indices.filter { k in
            let (px, py) = (p0.x[k], p0.y[k])
            if coarse.scenario == .interface && abs(py) < 1 { return false }
            return !coarse.model.dislocations.contains { d in
                let dx = px - d.x, dy = py - d.y
                return (dx * dx + dy * dy).squareRoot() < 2 * d.coreWidth
            }
        }
        let dc = kept.map { abs(p0.c[$0] - p1.c[$0]) }.max() ?? 0
        let ds = kept.map { abs(p0.sigmaHPa[$0] - p1.sigmaHPa[$0]) }.max() ?? 0
        q.append(Quantity(name: "profile_c_max_difference", coarse: nil, fine: dc, relativeChange: dc, converged: dc < 0.01,
                          note: "largest |c_fine - c_coarse| along the profile line, beyond 1 nm of the interface and 2 core widths of cores (converged below 0.01)"))
        q.append(Quantity(name: "profile_sigma_h_max_difference_pa", coarse: nil, fine: ds, relativeChange: ds / sScale, converged: ds / sScale < Self.tolerance,
                          note: "largest |sigma_h| difference along the profile line (same points), relative to the largest |sigma_h|"))
        quantities = q
    }

    /// `mesh_check.json`.
    public var json: JSONValue {
        .object([
            ("coarse_elements_per_edge", .int(coarseElements)), ("fine_elements_per_edge", .int(fineElements)),
            ("tolerance_relative", .number(Self.tolerance)), ("all_converged", .bool(allConverged)),
            ("quantities", .array(quantities.map { x in
                .object([("name", .string(x.name)), ("coarse", x.coarse.map(JSONValue.number) ?? .null), ("fine", x.fine.map(JSONValue.number) ?? .null),
                         ("relative_change", x.relativeChange.map(JSONValue.number) ?? .null), ("converged", .bool(x.converged)),
                         ("note", x.note.map(JSONValue.string) ?? .null)])
            })),
        ])
    }

    /// One line per quantity for the console.
    public var lines: [String] {
        ["mesh check (\(coarseElements) -> \(fineElements) elements per edge): " + (allConverged ? "every reported quantity within 5 %" : "NOT every quantity converged")]
            + quantities.map { x in
                let values = x.coarse.map { c in String(format: "%.4g -> %.4g", c, x.fine ?? .nan) } ?? (x.fine.map { String(format: "%.3g", $0) } ?? "none")
                let change = x.relativeChange.map { String(format: " (%.1f %%)", 100 * $0) } ?? ""
                return "  \(x.name): \(values)\(change) \(x.converged ? "converged" : "NOT converged")" + (x.note.map { "; " + $0 } ?? "")
            }
    }
}

extension Simulation {
    /// Nodes away from the bimaterial corners: for the interface the central half in x (the corners
    /// where the interface meets the free lateral edges are stress singularities); every node for
    /// the dislocation.
    public var interiorNodes: [Int] {
        let mesh = model.mesh
        guard scenario == .interface else { return Array(0..<mesh.nodeCount) }
        let quarter = (mesh.xs.last! - mesh.xs.first!) / 4
        return (0..<mesh.nodeCount).filter { abs(mesh.position($0).0) <= quarter }
    }

    /// c and sigma_h extremes over `interiorNodes`.
    public var interiorExtremes: (cMin: Double, cMax: Double, sigmaHMin: Double, sigmaHMax: Double) {
        let n = interiorNodes, r = results
        let c = n.map { r.c[$0] }, s = n.map { r.sigmaH[$0] }
        return (c.min() ?? .nan, c.max() ?? .nan, s.min() ?? .nan, s.max() ?? .nan)
    }
}
