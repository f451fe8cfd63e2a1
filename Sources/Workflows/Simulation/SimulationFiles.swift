import Foundation
import KitFoundation
import SegregationFEM
import HDF5Kit
import ProfileComparison

/// The files of one simulation: `summary.json`, `nodes.csv`, `fields.vtu`, `fields.h5` +
/// `fields.xdmf`, `profile.csv` and the figures `c.svg`, `sigma_h.svg`, `profile.svg`.
public enum SimulationFiles {
    public static let names = "summary.json, nodes.csv, fields.vtu, fields.h5, fields.xdmf, c.svg, sigma_h.svg, profile.csv, profile.svg"

    /// The profile along `line` (default: the scenario's) and the figures, written with every
    /// other file into `dir`.
    public static func write(_ sim: Simulation, to dir: String, line given: (Double, Double, Double, Double)? = nil)
        throws -> (profile: FieldResults.Profile, figures: SimulationFigures) {
        let r = sim.results
        try AtomicFile.write(r.nodesCSV(), to: dir + "/nodes.csv")
        try AtomicFile.write(r.vtu(), to: dir + "/fields.vtu")
        var xdmf = ""
        try AtomicFile.produce(dir + "/fields.h5") { tmp in
            do {
                let file = try HDF5File.create(tmp)
                xdmf = try r.writeHDF5(file, group: "simulation", fileName: "fields.h5")
                try file.setAttribute("scenario", sim.scenario.rawValue)
                try file.setAttribute("parameters_json", ParameterFile.json(sim.parameters).serialized(pretty: false))
                try file.flush()
            } catch let e as HDF5Error { throw AtomProbeError(.io, e.message, file: dir + "/fields.h5") }
        }
        try AtomicFile.write(xdmf, to: dir + "/fields.xdmf")
        let line = given ?? sim.defaultProfileLine
        let prof: FieldResults.Profile
        do { prof = try r.profile(from: (line.0, line.1), to: (line.2, line.3)) } catch { throw AtomProbeError.invalid("\(error)") }
        try AtomicFile.write(prof.csv(), to: dir + "/profile.csv")
        let figures = SimulationFigures(sim, profile: prof, line: line)
        try AtomicFile.write(figures.concentration, to: dir + "/c.svg")
        try AtomicFile.write(figures.hydrostaticStress, to: dir + "/sigma_h.svg")
        try AtomicFile.write(figures.profile, to: dir + "/profile.svg")
        try AtomicFile.write(sim.summaryJSON.serialized(), to: dir + "/summary.json")
        return (prof, figures)
    }
}

/// The files of one comparison: `comparison.json` (with `about` first), `comparison.txt`,
/// `comparison.svg`.
public enum ComparisonFiles {
    /// Returns the JSON and the figure.
    public static func write(_ c: Comparison, simulated s: Profile, unit: String, to dir: String,
                             about: [(String, JSONValue)]) throws -> (json: JSONValue, figure: String) {
        var j = c.json
        if case .object(let f) = j { j = .object(about + f) }
        let svg = ComparisonFigure.svg(c, simulated: s, unit: unit)
        try AtomicFile.write(j.serialized(), to: dir + "/comparison.json")
        try AtomicFile.write(c.text, to: dir + "/comparison.txt")
        try AtomicFile.write(svg, to: dir + "/comparison.svg")
        return (j, svg)
    }
}

/// The files of a scenario ranking: `ranking.json` (with `about` first), `ranking.txt`,
/// `ranking.svg` (every scenario over the measured points, residuals below) and
/// `comparison_<name>.json` per scenario.
public enum RankingFiles {
    public static let names = "ranking.json, ranking.txt, ranking.svg, comparison_<scenario>.json"

    @discardableResult
    public static func write(_ r: Ranking, unit: String, to dir: String, about: [(String, JSONValue)]) throws -> JSONValue {
        var j = r.json
        if case .object(let f) = j { j = .object(about + f) }
        try AtomicFile.write(j.serialized(), to: dir + "/ranking.json")
        try AtomicFile.write(r.text, to: dir + "/ranking.txt")
        try AtomicFile.write(RankingFigure.svg(r, unit: unit), to: dir + "/ranking.svg")
        for e in r.entries {
            let safe = String(e.name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
            try AtomicFile.write(e.comparison.json.serialized(), to: dir + "/comparison_\(safe).json")
        }
        return j
    }
}
