import Foundation
import KitFoundation
import AtomProbe
import AtomProbeIO
import NXapm

/// What a reconstruction holds (`atomprobe info`): its kind, ion count, bounds, m/n range,
/// non-finite values and detector columns; POS, EPOS and APT in one streamed pass (any size),
/// NXapm read whole.
public struct InfoRun: Sendable {
    public var file: String

    public init(file: String) { self.file = file }

    public struct Result: Sendable {
        public var file: String
        public var kind: String
        public var summary: StreamedCounts.Summary
        /// The detector columns present, in their documented order.
        public var detectorColumns: [String]
        /// An APT file's sections ("name [unit]").
        public var sections: [String]?

        /// Keys: kind, ions, bounds_nm, mass_to_charge_da, non_finite, detector_columns.
        public var json: JSONValue {
            let b = summary.bounds, m = summary.massRange
            func v(_ s: SIMD3<Float>?) -> JSONValue { s.map { .numbers([Double($0.x), Double($0.y), Double($0.z)]) } ?? .null }
            return .object([
                ("kind", .string(kind)),
                ("ions", .int(summary.ions)),
                ("bounds_nm", .object([("min", v(b?.min)), ("max", v(b?.max))])),
                ("mass_to_charge_da", .object([("min", m.map { .number(Double($0.min)) } ?? .null), ("max", m.map { .number(Double($0.max)) } ?? .null)])),
                ("non_finite", .int(summary.nonFinite)),
                ("detector_columns", .array(detectorColumns.map { .string($0) })),
            ])
        }

        public var text: String {
            var lines = ["file:        \(file)", "kind:        \(kind)", "ions:        \(summary.ions)"]
            if let b = summary.bounds {
                lines.append(String(format: "x (nm):      %.4f to %.4f", b.min.x, b.max.x))
                lines.append(String(format: "y (nm):      %.4f to %.4f", b.min.y, b.max.y))
                lines.append(String(format: "z (nm):      %.4f to %.4f", b.min.z, b.max.z))
            }
            if let m = summary.massRange { lines.append(String(format: "m/n (Da):    %.4f to %.4f", m.min, m.max)) }
            lines.append("non-finite:  \(summary.nonFinite)")
            if !detectorColumns.isEmpty { lines.append("detector:    \(detectorColumns.joined(separator: ", "))") }
            if let sections { lines.append("sections:    " + sections.joined(separator: ", ")) }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    public func run(_ opener: IonSourceOpener) throws -> Result {
        let nexus = ReconstructionInput.isNeXus(file)
        let fmt: ReconstructionFormat? = nexus ? nil : try ReconstructionFormat.from(path: file)
        let summary: StreamedCounts.Summary, available: Set<PulseDetail.Column>
        var sections: [String]?
        if nexus {
            let r = try opener.reporter.timed("reading \(file)") { () throws -> Reconstruction in
                try opener.isolation.isolateNXapm(file)
                return try NXapmFile.read(file).0
            }
            summary = StreamedCounts.Summary(ions: r.count, nonFinite: r.nonFiniteCount, bounds: r.bounds, massRange: r.massRange)
            available = r.detail?.available ?? []
        } else {
            let stream = try IonStream(path: file, format: fmt)
            summary = try opener.reporter.timed("reading \(file) (streamed)") { try StreamedCounts.summary(stream) }
            switch fmt {
            case .epos: available = Set(PulseDetail.Column.allCases)
            case .apt: available = try APTFormat.detectorColumns(path: file)
            default: available = []
            }
        }
        if fmt == .apt {
            sections = try APTFormat.sections(path: file).sections.map { "\($0.name) [\($0.unit)]" }
        }
        return Result(file: file, kind: fmt?.rawValue ?? "nxapm", summary: summary,
                      detectorColumns: PulseDetail.Column.allCases.filter { available.contains($0) }.map(\.rawValue), sections: sections)
    }
}
