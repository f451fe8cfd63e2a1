import ArgumentParser
import Workflows
import AtomProbe
import KitFoundation
import AtomProbeAnalysis

extension NonFinitePolicy: ExpressibleByArgument {}
extension Composition.Mode: ExpressibleByArgument {}

/// Options for reading a reconstruction.
struct ReconstructionOptions: ParsableArguments {
    @Argument(help: "Reconstruction file (.pos, .epos, .apt or NeXus .nxs).") var reconstruction: String
    @Option(name: .customLong("non-finite"), help: "What to do with NaN or infinite values: reject, drop or keep.") var nonFinite: NonFinitePolicy = .reject

    var request: ReconstructionInput { ReconstructionInput(reconstruction, nonFinite: nonFinite) }
}

/// Options for reading a range file.
struct RangeOptions: ParsableArguments {
    @Option(name: .long, help: "Range file (.rrng, .rng, .env, or an NXapm .nxs with its ranging), or auto (with --elements: see autorange).") var ranges: String
    @Option(help: "With --ranges auto: comma-separated elements of the specimen.") var elements: String?
    @Flag(name: .customLong("allow-overlaps"), help: "Accept overlapping ranges of different ions (the range starting higher takes the overlap).") var allowOverlaps = false

    var request: RangeInput { get throws { try RangeInput(ranges, allowOverlaps: allowOverlaps, elements: elements?.commaSeparated) } }

    func validate() throws { try validating { _ = try request } }

    func load() throws -> RangeTable { try Progress.opener.ranges(request) }
}

/// How much memory a command may take.
struct MemoryOptions: ParsableArguments {
    @Option(name: .customLong("memory-limit-gb"), help: "Refuse work estimated to need more memory than this (GB; default: 40 % of this machine's memory).") var memoryLimitGB: Double?

    func validate() throws { try validating { _ = try memoryLimitGB.map(MemoryBudget.checked) } }

    var budget: MemoryBudget { memoryLimitGB.map { MemoryBudget(gigabytes: $0) } ?? .standard }
}

/// Where results go.
struct OutputOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Write results to this file instead of standard output.") var output: String?
}

/// A comma-separated list of finite numbers, e.g. `--sphere -5,0,30,3`. Options of this type
/// are declared with `parsing: .unconditional`, so a value starting with "-" is read as the
/// value, not as an option; the library checks the count (`Validation.vector3`, `range`).
struct Numbers: ExpressibleByArgument, Sendable {
    let values: [Double]
    let text: String

    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0?.isFinite == true }) else { return nil }
        values = parts.map { $0! }
        text = argument
    }

    var defaultValueDescription: String { text }
}

extension Reports.Format: ExpressibleByArgument {}
