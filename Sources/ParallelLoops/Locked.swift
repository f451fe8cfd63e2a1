import Foundation

/// A progress callback that workers may call concurrently: calls go one at a time.
public final class SerializedProgress: @unchecked Sendable {
    private let body: (String) -> Void
    private let lock = NSLock()
    public init(_ body: @escaping (String) -> Void) { self.body = body }
    public func callAsFunction(_ line: String) { lock.lock(); defer { lock.unlock() }; body(line) }
}

/// A value shared between workers, behind a lock.
public final class Locked<T>: @unchecked Sendable {
    private var stored: T
    private let lock = NSLock()
    public init(_ v: T) { stored = v }
    public var value: T { lock.lock(); defer { lock.unlock() }; return stored }
    public func update<R>(_ body: (inout T) -> R) -> R { lock.lock(); defer { lock.unlock() }; return body(&stored) }
}
