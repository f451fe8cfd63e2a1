import Foundation
import KitFoundation
import ProfileComparison
import ResultsBundle

/// A measured profile against one or more simulated ones (`atomprobe compare`): one scenario
/// compared directly, or several (or one through the instrument model) ranked by chi^2 and
/// Akaike weights. The folder and the bundle are published together or not at all.
public struct CompareRun: Sendable {
    /// A CSV file, or a bundle group `FILE.h5:/analysis/proxigram/object1`.
    public var measured: String
    /// distance, value, sigma.
    public var measuredColumns: [String]
    /// Where the interface lies on each axis (nm); both nil: the steps are aligned
    /// (`Ranking.Alignment.stepCrossings`); one given: the other is 0.
    public var measuredOrigin: Double?
    public var simulated: [String]
    /// distance, value.
    public var simulatedColumns: [String]
    /// One per simulated profile; empty: the folders of the files (numbered when they repeat).
    public var names: [String] = []
    public var simulatedOrigin: Double?
    public var flip = false
    /// Gaussian sigma (nm) applied to each simulated profile before ranking.
    public var instrumentBlur = 0.0
    public var options = Comparison.Options()
    public var output: String
    public var bundle: String?

    public init(measured: String, measuredColumns: [String], simulated: [String], simulatedColumns: [String], output: String) {
        self.measured = measured
        self.measuredColumns = measuredColumns
        self.simulated = simulated
        self.simulatedColumns = simulatedColumns
        self.output = output
    }

    /// The bundle file of a `FILE.h5:/group` spec, or nil for a CSV path.
    public var measuredBundle: String? {
        let parts = measured.components(separatedBy: ".h5:")
        return parts.count > 1 ? parts[0] + ".h5" : nil
    }

    /// The simulated profile files: a CSV as given, a simulation folder's `profile.csv`, or every
    /// member's `profile.csv` of a sweep folder (`members/NAME/`).
    public var simulatedFiles: [String] {
        simulated.flatMap { path -> [String] in
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else { return [path] }
            let members = path + "/members"
            if FileManager.default.fileExists(atPath: path + "/sweep.json"),
               let names = try? FileManager.default.contentsOfDirectory(atPath: members) {
                return names.sorted().map { members + "/" + $0 + "/profile.csv" }.filter { FileManager.default.fileExists(atPath: $0) }
            }
            return [path + "/profile.csv"]
        }
    }

    /// Scenario names: given, or the folders of the files (numbered when they repeat).
    public var scenarioNames: [String] {
        if !names.isEmpty { return names }
        let folders = simulatedFiles.map { URL(fileURLWithPath: $0).deletingLastPathComponent().lastPathComponent }
        return folders.enumerated().map { k, f in folders.filter { $0 == f }.count > 1 ? "\(f)-\(k + 1)" : f }
    }

    /// Checks every parameter (naming it) before any file is read.
    public func validated() throws -> CompareRun {
        let r = options.offsetRange
        try Validation.require([
            (measuredColumns.count == 3, "measured_columns", "needs distance,value,sigma"),
            (simulatedColumns.count == 2, "simulated_columns", "needs distance,value"),
            (!simulated.isEmpty, "simulated", "needs at least one profile"),
            (r.lowerBound.isFinite && r.upperBound.isFinite && r.lowerBound < r.upperBound, "offset_range", "needs finite min < max"),
            (instrumentBlur >= 0 && instrumentBlur.isFinite, "instrument_blur_nm", "must be a finite number >= 0, got \(instrumentBlur)"),
            (measuredOrigin?.isFinite ?? true, "measured_origin_nm", "must be finite"),
            (simulatedOrigin?.isFinite ?? true, "sim_origin_nm", "must be finite"),
        ])
        return self
    }

    /// The text a user reads and the files written.
    public func run(_ opener: IonSourceOpener) throws -> [String] {
        _ = try validated()
        let mc = measuredColumns, sc = simulatedColumns
        let simulated = simulatedFiles
        guard !simulated.isEmpty else { throw AtomProbeError.invalid("the simulated folders hold no profile.csv") }
        guard names.isEmpty || names.count == simulated.count else { throw AtomProbeError.invalid("name", "must name each simulated profile (\(simulated.count)) once, or be left out") }
        let measuredFile = measuredBundle ?? measured
        let read: Profile
        if let file = measuredBundle {
            try opener.isolation.isolateProfile(measured, columns: mc, file: file)
            read = try ResultsBundle.readProfile(measured, distance: mc[0], value: mc[1], sigma: mc[2])
        } else {
            read = try ProfileCSV.read(measured, distance: mc[0], value: mc[1], sigma: mc[2], label: "measured")
        }
        let align = measuredOrigin == nil && simulatedOrigin == nil
        let m = read.shifted(origin: measuredOrigin ?? 0)
        let sims = try simulated.map {
            try ProfileCSV.read($0, distance: sc[0], value: sc[1], sigma: nil, label: "simulated").shifted(origin: simulatedOrigin ?? 0, flip: flip)
        }
        for (reason, n) in m.dropped.sorted(by: { $0.key < $1.key }) { opener.reporter.note("\(measured): left out \(n) point(s): \(reason)") }
        let inputs = [measuredFile] + simulated
        let folder = try RunFolder(output, kind: "compare", inputs: inputs)
        var lines: [String]
        let staged: ResultsBundle.Staged?
        if sims.count > 1 || instrumentBlur > 0 {
            let r = try Ranking(measured: m, scenarios: Array(zip(scenarioNames, sims)), instrumentBlur: instrumentBlur, options: options,
                                alignment: align ? .stepCrossings : .given)
            for w in r.warnings { opener.reporter.note("warning: " + w) }
            let about: [(String, JSONValue)] = [("measured_file", .string(measured)), ("measured_origin_nm", measuredOrigin.map { .number($0) } ?? .null),
                                                ("simulated_files", .array(simulated.map { .string($0) })), ("simulated_origin_nm", simulatedOrigin.map { .number($0) } ?? .null),
                                                ("simulated_flipped", .bool(flip))]
            let json = try RankingFiles.write(r, unit: mc[1], to: folder.staging, about: about)
            staged = try bundle.map { path in
                try ResultsBundle.staged(path, inputs: inputs) { b in
                    for e in r.entries { try b.addComparison(e.name, e.comparison, json: e.comparison.json) }
                    try b.addRanking(json)
                }
            }
            lines = [r.text, "wrote \(output)/\(RankingFiles.names)\n"]
        } else {
            var o = options
            if align {
                let a = try Ranking.stepOffset(measured: m, simulated: sims[0], name: scenarioNames[0])
                o.fitOffset = true  // around the crossings, as in a ranking
                o.offset = a.offset
                o.offsetRange = (a.offset + options.offsetRange.lowerBound)...(a.offset + options.offsetRange.upperBound)
                opener.reporter.note(String(format: "aligned the steps: measured at %.3f nm, simulated at %.3f nm (offset %.3f nm)", a.measured, a.simulated, a.offset))
            }
            let c = try Comparison(measured: m, simulated: sims[0], options: o)
            if c.offsetAtBound { opener.reporter.note(String(format: "warning: the fitted offset %.3f nm is at a bound of its search range; the best alignment may lie beyond it", c.offset)) }
            let (j, _) = try ComparisonFiles.write(c, simulated: sims[0], unit: mc[1], to: folder.staging,
                                               about: [("measured_file", .string(measured)), ("simulated_file", .string(simulated[0])),
                                                       ("simulated_origin_nm", simulatedOrigin.map { .number($0) } ?? .null), ("simulated_flipped", .bool(flip))])
            staged = try bundle.map { path in try ResultsBundle.staged(path, inputs: inputs) { try $0.addComparison("comparison", c, json: j) } }
            lines = [c.text, "wrote \(output)/comparison.json, comparison.txt, comparison.svg\n"]
        }
        do { try folder.commit() } catch { staged?.discard(); throw error }
        try staged?.publish()
        return lines
    }
}
