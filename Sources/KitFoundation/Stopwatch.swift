#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The toolkit's one clock: monotonic, in seconds, unaffected by changes of the wall clock.
public struct Stopwatch: Sendable {
    private let start: UInt64

    /// Starts timing now.
    public init() { start = Stopwatch.nanoseconds() }

    /// Seconds since `init`.
    public var elapsed: Double { Double(Stopwatch.nanoseconds() &- start) / 1e9 }

    /// Nanoseconds of the monotonic clock (an arbitrary origin).
    public static func nanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}
