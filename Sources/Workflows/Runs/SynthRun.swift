import Foundation
import KitFoundation
import AtomProbeSynthesis

/// A synthetic dataset with its ground truth (`atomprobe synth`): a Ta-doped LLZO tip with
/// nanodendrites, or a Li/LLZO interface. NAME.pos (and .epos), .rrng and .truth.json appear in
/// the output folder together; datasets of other names there stay.
public struct SynthRun: Sendable {
    public enum Specimen: Sendable {
        case tip(SyntheticLLZO.Parameters)
        case interface(SyntheticInterface.Parameters)
    }

    public var specimen: Specimen
    /// Base name of the files.
    public var name: String
    public var output: String
    public var epos: Bool

    public init(_ specimen: Specimen, name: String, output: String, epos: Bool) {
        self.specimen = specimen
        self.name = name
        self.output = output
        self.epos = epos
    }

    /// Checks every parameter (naming it) before anything is generated.
    public func validated() throws -> SynthRun {
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix("."), !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw AtomProbeError.invalid("name", "is a base name for files in the output folder, without \"/\", a leading dot or control characters, got \"\(name.escapedForOneLine)\"")
        }
        switch specimen {
        case .tip(let p): _ = try SyntheticLLZO(p)
        case .interface(let p): _ = try SyntheticInterface(p)
        }
        return self
    }

    /// Generates and writes the dataset; returns it.
    public func run(_ reporter: RunReporter) throws -> SyntheticLLZO.Dataset {
        let ds: SyntheticLLZO.Dataset
        switch specimen {
        case .tip(let p): ds = try SyntheticLLZO(p).generate(progress: p.ions >= 200_000 ? reporter.bar("generating \(p.ions) ions") : nil)
        case .interface(let p): ds = try reporter.timed("generating \(p.tip.ions) ions") { try SyntheticInterface(p).generate() }
        }
        let run = try RunFolder(output, kind: "synth-" + name, inputs: [])
        try reporter.timed("writing files") { try SyntheticFiles.write(ds, to: run.staging + "/" + name, epos: epos) }
        try run.commit()
        return ds
    }

    /// What a user reads: the files written and the dataset's truth in a line.
    public func lines(_ ds: SyntheticLLZO.Dataset) -> [String] {
        let base = output + "/" + name
        let wrote = "wrote \(base).pos\(epos ? ", \(base).epos" : ""), \(base).rrng, \(base).truth.json"
        switch specimen {
        case .tip(let p):
            return [wrote, "\(p.ions) ions, \(ds.objects.count) nanodendrites, tip length \(String(format: "%.1f", ds.truth["tip"]?["length_nm"]?.double ?? 0)) nm"]
        case .interface(let p):
            let i = ds.truth["interface"], e = ds.truth["expected_li_profile"]
            return [wrote, String(format: "interface through (0, 0, %.1f) nm, normal (%.3f, 0, %.3f), 10-90 %% width %.2f nm; expected Li profile along the normal: %.1f -> %.1f at.%%, 10-90 %% width %.2f nm",
                                  -p.depth, i?["normal"]?[0]?.double ?? .nan, i?["normal"]?[2]?.double ?? .nan, p.width,
                                  e?["low_at_pct"]?.double ?? .nan, e?["high_at_pct"]?.double ?? .nan, e?["width_10_90_nm"]?.double ?? .nan)]
        }
    }
}
