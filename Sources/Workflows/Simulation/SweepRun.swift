import ParallelLoops
import Foundation
import KitFoundation
import SegregationFEM
import Plotting

/// `atomprobe simulate sweep`: every member of a `ParameterSweep` solved (in parallel, one member
/// per job), its profile and summary kept in `members/NAME/`, and the metrics tabulated in
/// `sweep.csv` / `sweep.json` with one figure per metric (`sweep_METRIC.svg`). A sweep can also
/// be split (`member`: one member per process, e.g. a Slurm job array) and its parts merged
/// (`collect`).
public enum SweepRun {
    /// One member's row of the table.
    public struct Row: Sendable {
        public var member: Int
        public var name: String
        public var values: [Double]
        public var steady: Bool
        public var solver: String
        /// The metrics in table order (`metricKeys`); nil where a metric does not apply.
        public var metrics: [Double?]
    }

    /// Column names of the metrics, with units.
    public static let metricKeys = ["interdiffusion_width_nm", "peak_enrichment_at_pct", "li_at_pct_max_llzo", "li_at_pct_min_llzo",
                                    "sigma_h_min_pa", "sigma_h_max_pa", "mu_spread_rt", "wall_s"]

    static func row(_ k: Int, name: String, values: [Double], _ m: ParameterSweep.Metrics) -> Row {
        Row(member: k, name: name, values: values, steady: m.steady, solver: m.solver,
            metrics: [m.interdiffusionWidth, m.peakEnrichmentAtPct, m.liAtPctMaxLLZO, m.liAtPctMinLLZO, m.sigmaHMin, m.sigmaHMax, m.muSpreadRT, m.wallSeconds])
    }

    /// Solves `members` (default all) of the sweep with `jobs` members at a time, writing each
    /// member's folder under `dir/members/`; `keepFields` writes every simulation file there
    /// (else summary.json and profile.csv). `progress` gets one line per finished member.
    public static func run(_ sweep: ParameterSweep, members: [Int]? = nil, jobs: Int, keepFields: Bool, dir: String,
                           maxWallSeconds: Double, progress: @escaping @Sendable (String) -> Void) throws -> [Row] {
        let list = members ?? Array(0..<sweep.memberCount)
        for k in list where k < 0 || k >= sweep.memberCount {
            throw AtomProbeError.invalid("sweep member \(k) does not exist: the sweep has members 0 to \(sweep.memberCount - 1)")
        }
        try Folders.make(dir + "/members")
        let results = Locked([Int: Result<Row, Error>]())
        let next = Locked(0)
        let workers = max(1, min(jobs, list.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let i: Int = next.update { v in let i = v; v += 1; return i }
                guard i < list.count else { return }
                let k = list[i]
                let m = sweep.member(k)
                let outcome = Result<Row, Error> {
                    let sim = try Simulation.run(sweep.scenario, parameters: m.parameters, settings: m.settings, maxSteps: 400,
                                                 maxWallSeconds: maxWallSeconds)
                    let folder = dir + "/members/" + m.name
                    try Folders.make(folder)
                    if keepFields {
                        _ = try SimulationFiles.write(sim, to: folder)
                    } else {
                        let line = sim.defaultProfileLine
                        let prof = try sim.results.profile(from: (line.0, line.1), to: (line.2, line.3))
                        try AtomicFile.write(prof.csv(), to: folder + "/profile.csv")
                        try AtomicFile.write(sim.summaryJSON.serialized(), to: folder + "/summary.json")
                    }
                    return row(k, name: m.name, values: m.values, ParameterSweep.Metrics(sim))
                }
                let done: Int = results.update { r in r[k] = outcome; return r.count }
                switch outcome {
                case .success(let row):
                    progress(String(format: "member %d/%d %@: %@, %.1f s", done, list.count, m.name, row.steady ? "steady" : "NOT steady", row.metrics[7] ?? 0))
                case .failure(let e):
                    progress("member \(done)/\(list.count) \(m.name): failed: \(e)")
                }
            }
        }
        let all = results.value
        var rows: [Row] = []
        for k in list {
            switch all[k]! {
            case .success(let r): rows.append(r)
            case .failure(let e): throw AtomProbeError.invalid("sweep member \(k) (\(sweep.member(k).name)): \(e)")
            }
        }
        return rows
    }

    /// `sweep.csv`: member, name, the axis values, steady, solver, the metrics.
    public static func csv(_ axes: [String], _ rows: [Row]) -> String {
        var out = (["member", "name"] + axes + ["steady", "solver"] + metricKeys).joined(separator: ",") + "\n"
        for r in rows.sorted(by: { $0.member < $1.member }) {
            let cells = [String(r.member), r.name] + r.values.map { "\($0)" } + [r.steady ? "true" : "false", r.solver] + r.metrics.map { $0.map { "\($0)" } ?? "" }
            out += cells.joined(separator: ",") + "\n"
        }
        return out
    }

    /// `sweep.json`.
    public static func json(scenario: String, axes: [(String, [Double])], rows: [Row]) -> JSONValue {
        .object([
            ("scenario", .string(scenario)),
            ("axes", .array(axes.map { .object([("name", .string($0.0)), ("values", .numbers($0.1))]) })),
            ("metrics", .array(metricKeys.map { .string($0) })),
            ("members", .array(rows.sorted(by: { $0.member < $1.member }).map { r in
                .object([("member", .int(r.member)), ("name", .string(r.name)),
                         ("values", .object(zip(axes, r.values).map { ($0.0, .number($1)) })),
                         ("steady", .bool(r.steady)), ("solver", .string(r.solver)),
                         ("metrics", .object(zip(metricKeys, r.metrics).map { ($0, $1.map { .number($0) } ?? .null) }))])
            })),
        ])
    }

    /// Reads the rows of a `sweep.json` back (for `collect`).
    public static func read(_ path: String) throws -> (scenario: String, axes: [(String, [Double])], rows: [Row]) {
        let v: JSONValue
        do { v = try JSONValue.parse(String(contentsOfFile: path, encoding: .utf8)) }
        catch { throw AtomProbeError(.format, "not a sweep.json: \(error)", file: path) }
        guard let scenario = v["scenario"]?.string, let axesJ = v["axes"]?.array, let members = v["members"]?.array else {
            throw AtomProbeError(.format, "not a sweep.json (scenario, axes and members expected)", file: path)
        }
        let axes: [(String, [Double])] = try axesJ.map { a in
            guard let n = a["name"]?.string, let vals = a["values"]?.array?.compactMap(\.double) else { throw AtomProbeError(.format, "an axis without name or values", file: path) }
            return (n, vals)
        }
        let rows: [Row] = try members.map { m in
            guard let k = m["member"]?.int, let name = m["name"]?.string, let steady = m["steady"]?.bool, let solver = m["solver"]?.string,
                  let metrics = m["metrics"] else { throw AtomProbeError(.format, "a member without member, name, steady, solver or metrics", file: path) }
            let values = try axes.map { a -> Double in
                guard let x = m["values"]?[a.0]?.double else { throw AtomProbeError(.format, "member \(k) has no value of \(a.0)", file: path) }
                return x
            }
            return Row(member: k, name: name, values: values, steady: steady, solver: solver, metrics: metricKeys.map { metrics[$0]?.double })
        }
        return (scenario, axes, rows)
    }

    static let titles = [
        "interdiffusion_width_nm": "10-90 % interface width (nm)", "peak_enrichment_at_pct": "Peak Li enrichment in LLZO (at.%)",
        "li_at_pct_max_llzo": "Highest Li in LLZO (at.%)", "li_at_pct_min_llzo": "Lowest Li in LLZO (at.%)",
        "sigma_h_min_pa": "Lowest hydrostatic stress (Pa)", "sigma_h_max_pa": "Highest hydrostatic stress (Pa)",
        "mu_spread_rt": "Spread of mu(c, sigma) (R T)"]

    /// One figure per metric: the metric against the first axis, one line per combination of the
    /// other axes (at most 10 lines; further combinations are left out of the figure, not of the table).
    public static func figures(axes: [(String, [Double])], rows: [Row]) -> [(String, String)] {
        guard let first = axes.first else { return [] }
        var groups: [[Double]: [Row]] = [:]
        for r in rows { groups[Array(r.values.dropFirst()), default: []].append(r) }
        let keys = groups.keys.sorted { $0.lexicographicallyPrecedes($1) }
        var out: [(String, String)] = []
        for (i, key) in metricKeys.enumerated() where key != "wall_s" {
            guard rows.contains(where: { $0.metrics[i] != nil }) else { continue }
            var plot = LinePlot(title: titles[key] ?? key, xLabel: first.0, yLabel: key)
            for (j, g) in keys.prefix(10).enumerated() {
                let pts = groups[g]!.compactMap { r in r.metrics[i].map { (r.values[0], $0) } }.sorted { $0.0 < $1.0 }
                guard !pts.isEmpty else { continue }
                // Short axis names keep the legend inside the figure (omega, chi, spacing, ...).
                let label = zip(axes.dropFirst(), g).map { "\(ParameterSweep.Axis(rawValue: $0.0)?.shortName ?? $0.0) = \(ParameterSweep.label($1))" }.joined(separator: ", ")
                plot.series.append(.init(name: label.isEmpty ? key : label, x: pts.map(\.0), y: pts.map(\.1), color: LinePlot.palette[j % 10], style: .linePoints))
            }
            out.append(("sweep_" + key + ".svg", plot.render()))
        }
        return out
    }

    /// Writes sweep.csv, sweep.json and the figures into `dir`.
    public static func write(scenario: String, axes: [(String, [Double])], rows: [Row], to dir: String) throws {
        try AtomicFile.write(csv(axes.map(\.0), rows), to: dir + "/sweep.csv")
        try AtomicFile.write(json(scenario: scenario, axes: axes, rows: rows).serialized(), to: dir + "/sweep.json")
        for (name, svg) in figures(axes: axes, rows: rows) { try AtomicFile.write(svg, to: dir + "/" + name) }
    }
}
