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
