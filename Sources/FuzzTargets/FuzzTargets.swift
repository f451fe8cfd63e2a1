import Foundation
import KitFoundation
import AtomProbe
import AtomProbeIO
import AtomProbeAnalysis
import SegregationFEM
import ProfileComparison
import ResultsBundle

/// What the fuzzer and the corpus replay test feed each reader. A reader may throw an
/// AtomProbeError (the expected answer to a bad file); anything that stops the process (a Swift
/// trap, a sanitizer report, a broken invariant checked here) is a finding.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case pos, epos, apt, rrng, rng, env, params, csv, hdf5
    /// Structure-aware: shapes and values of a fields.h5 and of an NXapm file (`HDF5ShapeTargets`).
    case fields, nxs

    /// Runs one input; `scratch` is a folder for readers that need a file.
    public func run(_ bytes: UnsafeRawBufferPointer, scratch: String) {
        switch self {
        case .pos, .epos, .apt:
            let format = ReconstructionFormat(rawValue: rawValue)!
            guard let r = try? ReconstructionIO.decode(bytes, format: format, path: "fuzz." + rawValue) else { return }
            _ = r.bounds; _ = r.massRange; _ = r.nonFiniteCount
            // A decoded reconstruction goes through the analysis entry points a user reaches next.
            _ = try? MassSpectrum(r.mass, binWidth: 0.5, memory: MemoryBudget(gigabytes: 0.5))
            _ = SpecimenBounds.of(r)
        case .rrng, .rng, .env:
            let text = String(decoding: bytes, as: UTF8.self)
            guard let t = try? RangeFileIO.parse(text, format: RangeFormat(rawValue: rawValue)!, path: "fuzz." + rawValue) else { return }
            // Whatever parses must convert both ways and read back with the same ranges.
            for (out, format) in [(RangeFileIO.rrngText(t), RangeFormat.rrng), (RangeFileIO.rngText(t), RangeFormat.rng)] {
                do {
                    let back = try RangeFileIO.parse(out, format: format, path: "converted", allowOverlaps: true)
                    guard back.ranges.count == t.ranges.count else {
                        fatalError("\(format): \(t.ranges.count) ranges became \(back.ranges.count) after conversion")
                    }
                } catch { fatalError("\(format) written from a file that parsed does not parse: \(error)") }
            }
            let recon = Reconstruction(x: [0, 1], y: [0, 1], z: [0, 1], mass: [Float(t.ranges.first?.low ?? 1), 7])
            _ = try? CompositionAnalysis.composition(recon, table: t)
        case .params:
            _ = try? ParameterFile.parse(String(decoding: bytes, as: UTF8.self), path: "fuzz.json")
        case .csv:
            _ = try? ProfileCSV.parse(String(decoding: bytes, as: UTF8.self), path: "fuzz.csv", distance: "distance_nm", value: "Li_at_pct", sigma: "Li_sigma_at_pct")
        case .fields: HDF5ShapeTargets.fields(bytes, scratch: scratch)
        case .nxs: HDF5ShapeTargets.nxapm(bytes, scratch: scratch)
        case .hdf5:
            let path = scratch + "/fuzz.h5"
            guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return }
            _ = try? ResultsBundle.readProfile(path + ":/analysis/proxigram/object1", distance: "distance_nm", value: "Li_at_pct", sigma: "Li_sigma_at_pct")
        }
    }
}
