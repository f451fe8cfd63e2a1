import Foundation

/// Progress and notes on standard error; results go to standard output.
enum Progress {
    static func note(_ message: String) {
        FileHandle.standardError.write(Data(("atomprobe: " + message + "\n").utf8))
    }

    /// Runs `body`, reporting its duration on stderr when it takes more than half a second.
    static func timed<T>(_ what: String, _ body: () throws -> T) rethrows -> T {
        let start = Date()
        let r = try body()
        let dt = Date().timeIntervalSince(start)
        if dt > 0.5 { note(String(format: "%@ took %.1f s", what, dt)) }
        return r
    }

    /// A reporter that prints a percentage at most every 5 %.
    final class Bar: @unchecked Sendable {
        let label: String
        private var last = -1
        private let lock = NSLock()
        init(_ label: String) { self.label = label }
        func update(_ fraction: Double) {
            let pct = Int(fraction * 100)
            lock.lock(); defer { lock.unlock() }
            guard pct / 5 != last / 5 || pct == 100 && last != 100 else { return }
            last = pct
            FileHandle.standardError.write(Data("\ratomprobe: \(label) \(pct)%\(pct >= 100 ? "\n" : "")".utf8))
        }
    }
}
