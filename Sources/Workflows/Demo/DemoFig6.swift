import ParallelLoops
import Foundation
import KitFoundation
import SegregationFEM
import Plotting

/// The study's Fig. 6 contrast put to the model in the demo: the interface without misfit, with
/// the misfit taken up coherently, and with misfit dislocations, over the partial molar volume
/// (two `simulate sweep`s), and one finite-time transient. The verdict is computed from the widths.
public struct Fig6Study {
    public struct Row: Sendable {
        public var omega: Double
        /// 10-90 % widths (nm): no misfit, coherent misfit, misfit dislocations.
        public var none: Double?, coherent: Double?, dislocations: Double?
    }
    public let rows: [Row]
    public let spacing: Double
    public let misfit: Double
    /// The transient without misfit, its end time (s) and its width there.
    public let transient: Simulation
    public let transientWidth: Double?
    public let seriesFigure: String
    public let widthFigure: String
    public let verdict: String

    /// Interfaces narrower than this (nm) count as abrupt.
    public static let abrupt = 1.0

    public static func run(parameters p: Parameters, elements: Int, memory: MemoryBudget, dir: String,
                           progress report: @escaping (String) -> Void) throws -> Fig6Study {
        let progress = SerializedProgress(report)
        var s = ScenarioSettings(); s.elements = elements; s.memory = memory
        let spacing = 4.0
        let b = p.lithium.latticeParameter / 1e-9
        let misfit = b / spacing
        let omegas = [1.0, 3.5, 7.0]
        let jobs = ProcessInfo.processInfo.activeProcessorCount
        func widths(_ axes: [(axis: ParameterSweep.Axis, values: [Double])], _ name: String) throws -> [SweepRun.Row] {
            let sweep: ParameterSweep
            do { sweep = try ParameterSweep(scenario: .interface, base: p, settings: s, axes: axes) } catch { throw AtomProbeError.invalid("\(error)") }
            let rows = try SweepRun.run(sweep, jobs: jobs, keepFields: false, dir: dir + "/" + name, maxWallSeconds: 600, progress: { progress($0) })
            try SweepRun.write(scenario: "interface", axes: sweep.axes.map { ($0.axis.rawValue, $0.values) }, rows: rows, to: dir + "/" + name)
            return rows
        }
        let coherent = try widths([(.misfitStrain, [0, misfit]), (.omega, omegas)], "coherent")
        let relaxed = try widths([(.misfitSpacing, [spacing]), (.omega, omegas)], "dislocations")
        let w = SweepRun.metricKeys.firstIndex(of: "interdiffusion_width_nm")!
        let rows = omegas.enumerated().map { k, o in
            Row(omega: o, none: coherent[k].metrics[w], coherent: coherent[omegas.count + k].metrics[w], dislocations: relaxed[k].metrics[w])
        }
        // A finite-time transient without misfit (kinetics): half the elements, 1e-4 s.
        progress("Fig. 6: the transient without misfit to 1e-4 s")
        var ts = s; ts.elements = max(12, elements / 2)
        let sim = try Simulation.run(.interface, parameters: p, settings: ts, maxSteps: 2000, kinetics: Simulation.Kinetics(endTime: 1e-4, snapshots: 4))
        try Folders.make(dir + "/transient")
        _ = try SimulationFiles.write(sim, to: dir + "/transient")
        let series = try SimulationSeries.write(sim, to: dir + "/transient", line: sim.defaultProfileLine) ?? ""
        var plot = LinePlot(title: "10-90 % interface width at steady state", xLabel: "partial molar volume Omega (cm^3/mol)", yLabel: "width (nm)")
        for (k, (label, values)) in [("no misfit", rows.map(\.none)), (String(format: "coherent, f %.3f", misfit), rows.map(\.coherent)),
                                      (String(format: "dislocations / %g nm", spacing), rows.map(\.dislocations))].enumerated() {
            let pts = zip(omegas, values).compactMap { o, v in v.map { (o, $0) } }
            plot.series.append(.init(name: label, x: pts.map(\.0), y: pts.map(\.1), color: LinePlot.palette[k], style: .linePoints))
        }
        let figure = plot.render()
        try AtomicFile.write(figure, to: dir + "/widths.svg")
        let verdict = Self.verdict(rows, misfit: misfit, spacing: spacing, transientWidth: sim.interdiffusionWidth)
        try AtomicFile.write(verdict + "\n", to: dir + "/verdict.txt")
        return Fig6Study(rows: rows, spacing: spacing, misfit: misfit, transient: sim, transientWidth: sim.interdiffusionWidth,
                         seriesFigure: series, widthFigure: figure, verdict: verdict)
    }

    /// The contrast of Fig. 6 holds at an Omega when the interface without misfit dislocations is
    /// wide (>= `abrupt`) and the one with them abrupt (< `abrupt`).
    static func verdict(_ rows: [Row], misfit: Double, spacing: Double, transientWidth: Double?) -> String {
        func wide(_ v: Double?) -> Bool { (v ?? 0) >= abrupt }
        func list(_ r: [Row]) -> String { r.isEmpty ? "no Omega tried" : "Omega = " + r.map { ParameterSweep.label($0.omega) }.joined(separator: ", ") + " cm^3/mol" }
        func range(_ v: [Double?]) -> String {
            let x = v.compactMap { $0 }
            return x.isEmpty ? "-" : String(format: "%.2f-%.2f nm", x.min()!, x.max()!)
        }
        let sameMisfit = rows.filter { wide($0.coherent) && !wide($0.dislocations) }
        let noMisfit = rows.filter { wide($0.none) && !wide($0.dislocations) }
        var text = String(format: "Fig. 6 contrast (wide without misfit dislocations, abrupt with them, every %g nm): against the same misfit (%.4f) taken up coherently it holds for %@ (coherent %@, with dislocations %@); against an interface with no misfit at all for %@ (%@).",
                          spacing, misfit, list(sameMisfit), range(rows.map(\.coherent)), range(rows.map(\.dislocations)), list(noMisfit), range(rows.map(\.none)))
        if let t = transientWidth {
            text += String(format: " A finite-time transient without misfit (1e-4 s) is %.1f nm wide: gradient-like interdiffusion in this model is kinetic, not a steady state.", t)
        }
        return text
    }
}
