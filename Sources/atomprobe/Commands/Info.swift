import ArgumentParser
import Workflows
import Foundation
import AtomProbe
import AtomProbeIO
import KitFoundation
import NXapm

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Describe a reconstruction: kind, ion count, bounds, m/n range, non-finite values.")

    @Argument(help: "Reconstruction file (.pos, .epos or .apt).")
    var file: String

    @Flag(help: "Print JSON (keys: kind, ions, bounds_nm, mass_to_charge_da, non_finite).")
    var json = false

    func run() throws {
        let nexus = ReconstructionInput.isNeXus(file)
        let fmt: ReconstructionFormat? = nexus ? nil : try ReconstructionFormat.from(path: file)
        let kind = fmt?.rawValue ?? "nxapm"
        // POS, EPOS and APT in one streamed pass (any size); NXapm read whole.
        let summary: StreamedCounts.Summary, available: Set<PulseDetail.Column>
        if nexus {
            let r = try Progress.timed("reading \(file)") { () throws -> Reconstruction in try Progress.opener.isolation.isolateNXapm(file); return try NXapmFile.read(file).0 }
            summary = StreamedCounts.Summary(ions: r.count, nonFinite: r.nonFiniteCount, bounds: r.bounds, massRange: r.massRange)
            available = r.detail?.available ?? []
        } else {
            let stream = try IonStream(path: file, format: fmt)
            summary = try Progress.timed("reading \(file) (streamed)") { try StreamedCounts.summary(stream) }
            switch fmt {
            case .epos: available = Set(PulseDetail.Column.allCases)
            case .apt: available = try APTFormat.detectorColumns(path: file)
            default: available = []
            }
        }
        let b = summary.bounds, m = summary.massRange
        let columns = PulseDetail.Column.allCases.filter { available.contains($0) }.map(\.rawValue)
        if json {
            func v(_ s: SIMD3<Float>?) -> JSONValue { s.map { .numbers([Double($0.x), Double($0.y), Double($0.z)]) } ?? .null }
            let out: JSONValue = .object([
                ("kind", .string(kind)),
                ("ions", .int(summary.ions)),
                ("bounds_nm", .object([("min", v(b?.min)), ("max", v(b?.max))])),
                ("mass_to_charge_da", .object([("min", m.map { .number(Double($0.min)) } ?? .null), ("max", m.map { .number(Double($0.max)) } ?? .null)])),
                ("non_finite", .int(summary.nonFinite)),
                ("detector_columns", .array(columns.map { .string($0) })),
            ])
            print(out.serialized(), terminator: "")
            return
        }
        print("file:        \(file)")
        print("kind:        \(kind)")
        print("ions:        \(summary.ions)")
        if let b {
            print(String(format: "x (nm):      %.4f to %.4f", b.min.x, b.max.x))
            print(String(format: "y (nm):      %.4f to %.4f", b.min.y, b.max.y))
            print(String(format: "z (nm):      %.4f to %.4f", b.min.z, b.max.z))
        }
        if let m { print(String(format: "m/n (Da):    %.4f to %.4f", m.min, m.max)) }
        print("non-finite:  \(summary.nonFinite)")
        if !columns.isEmpty { print("detector:    \(columns.joined(separator: ", "))") }
        if fmt == .apt {
            let data = try Data(contentsOf: URL(fileURLWithPath: file), options: .alwaysMapped)
            let secs = try data.withUnsafeBytes { try APTFormat.sections($0, path: file).sections }
            print("sections:    " + secs.map { "\($0.name) [\($0.unit)]" }.joined(separator: ", "))
        }
    }
}
