import ArgumentParser
import AtomProbe
import Workflows
import KitFoundation

/// A command whose work is a library run over inputs an opener reads: the command line prints
/// its text, a program embedding the toolkit (the Python package) gets it back.
protocol OpenerCommand: ParsableCommand {
    /// What the command prints on standard output.
    func execute(_ opener: IonSourceOpener) throws -> String
}

extension OpenerCommand {
    func run() throws { print(try execute(Progress.opener), terminator: "") }
}

extension Array where Element == String {
    /// Lines as printed, each ending in a newline.
    var printed: String { map { $0 + "\n" }.joined() }
}

/// The commands for a program that embeds the toolkit: the same options, checks and one-line
/// errors as the command line, progress through the caller's reporter.
public enum EmbeddedCommand {
    /// Runs `arguments` (a subcommand and its options, as typed after `atomprobe`) and returns
    /// what the command line would print. With `ions`, a composition is of those ions (the
    /// reconstruction argument then only names them); other commands read their files.
    public static func run(_ arguments: [String], opener: IonSourceOpener, ions: Reconstruction? = nil) throws -> String {
        let command = try AtomProbeCLI.parseAsRoot(arguments)
        if let c = command as? CompositionCommand { return try c.execute(opener, ions: ions) }
        guard ions == nil else { throw AtomProbeError.invalid("only a composition takes ions in memory; write them to a file first") }
        guard let c = command as? any OpenerCommand else {
            throw AtomProbeError.invalid("\(arguments.first ?? "this command") is not available from an embedding program; run it with the atomprobe command")
        }
        return try c.execute(opener)
    }

    /// An error as the command line reports it: its exit code and one line; nil for a help or
    /// version request.
    public static func failure(_ error: Error) -> (code: Int32, text: String)? { AtomProbeCLI.failure(error) }
}

/// A command whose options map to a library request: `validate()` runs the request's checks
/// (naming the option) before anything is read.
protocol RequestCommand: ParsableCommand {
    associatedtype Request
    func request() throws -> Request
}

extension RequestCommand {
    func validate() throws { try validating { _ = try request() } }
}
