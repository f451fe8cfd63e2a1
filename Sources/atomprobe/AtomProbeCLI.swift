import ArgumentParser
import Foundation
import KitFoundation

/// The `atomprobe` command line (its `main` is the executable; the Python ABI parses through it too).
public struct AtomProbeCLI: ParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "atomprobe",
        abstract: "Atom probe tomography analysis: reconstructions, ranging, compositions with errors, iso-surfaces and proxigrams, synthetic data, and a FEM model of Li segregation.",
        discussion: "Start with `atomprobe demo` on the bundled sample; every command has --help.",
        version: Toolkit.version,
        subcommands: [Info.self, Ranges.self, Spectrum.self, Autorange.self, CompositionCommand.self, Synth.self, Convert.self,
                      IsoSurfaceCommand.self, ProxigramCommand.self, TableCommand.self, Analyze.self, ClustersCommand.self, Stats.self, Multihit.self, ExportNexus.self, ProfileCommand.self, Simulate.self, Virtualize.self, Compare.self, Demo.self, CheckHDF5.self]
    )

    /// Runs a command; a library error's remedy is worded as this command line's option.
    public static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            guard let (code, text) = failure(error) else { exit(withError: error) }
            FileHandle.standardError.write(Data(("Error: " + text + "\n").utf8))
            Foundation.exit(code)
        }
    }

    /// An error as one line (escaped: a key holding newlines reads \n) with its exit code; nil
    /// for help and version requests, which print in full.
    static func failure(_ error: Error) -> (code: Int32, text: String)? {
        let code = error is AtomProbeError ? .failure : exitCode(for: error)
        guard code != .success else { return nil }
        let text = (error as? AtomProbeError).map { CLIError($0).description } ?? (error is ValidationError ? message(for: error)
            : message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)")
        return (code.rawValue, text.escapedForOneLine)
    }
}

/// A library error as the command line says it: one line, with the option that gets round it.
struct CLIError: Error, CustomStringConvertible {
    let error: AtomProbeError
    init(_ e: AtomProbeError) { error = e }
    /// A parameter's documented name as this command line's option: bin_width -> --bin-width.
    static func option(_ parameter: String) -> String { "--" + parameter.replacingOccurrences(of: "_", with: "-") }

    var description: String { error.described(naming: Self.option) + error.advice(naming: Self.option) }
}

/// Runs the library's checks of a request inside a command's `validate()`: a refused parameter
/// comes out as a usage error naming this command line's option.
func validating(_ check: () throws -> Void) throws {
    do { try check() } catch let e as AtomProbeError { throw ValidationError(CLIError(e).description) }
}
