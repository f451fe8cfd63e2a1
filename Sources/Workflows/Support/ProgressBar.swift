import Foundation

/// A percentage of long work as a user sees it: redrawn in place on a terminal (every 5 %), one
/// line per 25 % otherwise (logs, CI). `write` takes the text as it is (with its "\r" or "\n").
public final class ProgressBar: @unchecked Sendable {
    let label: String
    let terminal: Bool
    let write: @Sendable (String) -> Void
    private var last = -1
    private let lock = NSLock()

    public init(_ label: String, terminal: Bool, write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.terminal = terminal
        self.write = write
    }

    public func update(_ fraction: Double) {
        let pct = min(100, max(0, Int(fraction.isFinite ? fraction * 100 : 0)))
        let step = terminal ? 5 : 25
        lock.lock(); defer { lock.unlock() }
        guard pct / step != last / step else { return }
        last = pct
        write(terminal ? "\r\(label) \(pct)%\(pct >= 100 ? "\n" : "")" : "\(label) \(pct)%\n")
    }
}

extension RunReporter {
    /// What a command-line program reports: notes and stages on standard error after `name: `
    /// (stages with the seconds since `start`), percentage bars (`ProgressBar`), nothing from a
    /// distributed run's processes other than rank 0 (Open MPI names each process's rank).
    public static func standardError(_ name: String, start: Date = Date()) -> RunReporter {
        let silent = (ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_RANK"] ?? "0") != "0"
        @Sendable func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
        @Sendable func note(_ message: String) { if !silent { write(name + ": " + message + "\n") } }
        @Sendable func step(_ message: String) { note(String(format: "[%.1f s] ", Date().timeIntervalSince(start)) + message) }
        @Sendable func bar(_ label: String) -> ((Double) -> Void)? {
            if silent { return nil }
            let bar = ProgressBar(name + ": " + label, terminal: isatty(2) != 0, write: write)
            return { bar.update($0) }
        }
        return RunReporter(note: note, step: step, bar: bar)
    }
}
