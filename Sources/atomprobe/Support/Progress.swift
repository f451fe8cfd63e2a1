import Foundation
import Workflows

/// Progress and notes on standard error; results go to standard output.
enum Progress {
    static let start = Date()

    /// In a distributed run only rank 0 reports (Open MPI names each process's rank).
    static let silent = (ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_RANK"] ?? "0") != "0"

    static func note(_ message: String) {
        guard !silent else { return }
        FileHandle.standardError.write(Data(("atomprobe: " + message + "\n").utf8))
    }

    /// A note prefixed with the seconds since the command started.
    static func step(_ message: String) {
        note(String(format: "[%.1f s] ", Date().timeIntervalSince(start)) + message)
    }

    /// Runs `body`, reporting its duration on stderr when it takes more than half a second.
    static func timed<T>(_ what: String, _ body: () throws -> T) rethrows -> T { try reporter.timed(what, body) }

    /// The library's runs report here.
    static let reporter = RunReporter(note: { note($0) }, step: { step($0) }, bar: bar)

    static func bar(_ label: String) -> ((Double) -> Void)? {
        guard !silent else { return nil }
        return ProgressBar("atomprobe: " + label, terminal: isatty(2) != 0, write: { FileHandle.standardError.write(Data($0.utf8)) }).update
    }
    /// Opens inputs for every command: HDF5 files are read in a child process first (`check-hdf5`).
    static let opener = IonSourceOpener(isolation: .thisProgram, reporter: reporter)
}
