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
    public var measuredOrigin = 0.0
    public var simulated: [String]
    /// distance, value.
    public var simulatedColumns: [String]
    /// One per simulated profile; empty: the folders of the files (numbered when they repeat).
    public var names: [String] = []
    public var simulatedOrigin = 0.0
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

    /// Scenario names: given, or the folders of the files (numbered when they repeat).
    public var scenarioNames: [String] {
        if !names.isEmpty { return names }
        let folders = simulated.map { URL(fileURLWithPath: $0).deletingLastPathComponent().lastPathComponent }
        return folders.enumerated().map { k, f in folders.filter { $0 == f }.count > 1 ? "\(f)-\(k + 1)" : f }
    }

    /// The text a user reads and the files written.
    public func run(_ opener: IonSourceOpener) throws -> [String] {
        let mc = measuredColumns, sc = simulatedColumns
        guard mc.count == 3, sc.count == 2 else { throw AtomProbeError.invalid("the measured profile needs distance, value and sigma columns, the simulated distance and value") }
        guard !simulated.isEmpty else { throw AtomProbeError.invalid("no simulated profile to compare with") }
        guard names.isEmpty || names.count == simulated.count else { throw AtomProbeError.invalid("give one name per simulated profile, or none") }
        guard instrumentBlur >= 0, instrumentBlur.isFinite, measuredOrigin.isFinite else { throw AtomProbeError.invalid("the instrument blur and origins must be finite, the blur >= 0") }
        let measuredFile = measuredBundle ?? measured
        let read: Profile
        if let file = measuredBundle {
            try opener.isolation.isolateProfile(measured, columns: mc, file: file)
            read = try ResultsBundle.readProfile(measured, distance: mc[0], value: mc[1], sigma: mc[2])
        } else {
            read = try ProfileCSV.read(measured, distance: mc[0], value: mc[1], sigma: mc[2], label: "measured")
        }
        let m = read.shifted(origin: measuredOrigin)
        let sims = try simulated.map {
            try ProfileCSV.read($0, distance: sc[0], value: sc[1], sigma: nil, label: "simulated").shifted(origin: simulatedOrigin, flip: flip)
        }
        let inputs = [measuredFile] + simulated
        let folder = try RunFolder(output, kind: "compare", inputs: inputs)
        var lines: [String]
        let staged: ResultsBundle.Staged?
        if sims.count > 1 || instrumentBlur > 0 {
            let r = try Ranking(measured: m, scenarios: Array(zip(scenarioNames, sims)), instrumentBlur: instrumentBlur, options: options)
            let about: [(String, JSONValue)] = [("measured_file", .string(measured)), ("measured_origin_nm", .number(measuredOrigin)),
                                                ("simulated_files", .array(simulated.map { .string($0) })), ("simulated_origin_nm", .number(simulatedOrigin)),
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
            let c = try Comparison(measured: m, simulated: sims[0], options: options)
            let (j, _) = try ComparisonFiles.write(c, simulated: sims[0], unit: mc[1], to: folder.staging,
                                               about: [("measured_file", .string(measured)), ("simulated_file", .string(simulated[0])),
                                                       ("simulated_origin_nm", .number(simulatedOrigin)), ("simulated_flipped", .bool(flip))])
            staged = try bundle.map { path in try ResultsBundle.staged(path, inputs: inputs) { try $0.addComparison("comparison", c, json: j) } }
            lines = [c.text, "wrote \(output)/comparison.json, comparison.txt, comparison.svg\n"]
        }
        do { try folder.commit() } catch { staged?.discard(); throw error }
        try staged?.publish()
        return lines
    }
}
