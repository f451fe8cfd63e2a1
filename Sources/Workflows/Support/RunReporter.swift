import Foundation

/// Where a run's progress goes while it works: stage lines (`step`), notes and warnings (`note`).
/// The command line prints both on standard error; the Python package hands them to a callback;
/// tests keep them or drop them. Results are never reported here: runs return them.
public struct RunReporter: Sendable {
    public let note: @Sendable (String) -> Void
    public let step: @Sendable (String) -> Void
    /// A percentage reporter for work labelled so (nil: none).
    public let bar: @Sendable (String) -> ((Double) -> Void)?

    public init(note: @escaping @Sendable (String) -> Void, step: @escaping @Sendable (String) -> Void,
                bar: @escaping @Sendable (String) -> ((Double) -> Void)? = { _ in nil }) {
        self.note = note
        self.step = step
        self.bar = bar
    }

    /// Reports nothing.
    public static let silent = RunReporter(note: { _ in }, step: { _ in })

    /// Runs `body`, noting its duration when it takes more than half a second.
    public func timed<T>(_ what: String, _ body: () throws -> T) rethrows -> T {
        let start = Date()
        let r = try body()
        let dt = Date().timeIntervalSince(start)
        if dt > 0.5 { note(String(format: "%@ took %.1f s", what, dt)) }
        return r
    }
}
