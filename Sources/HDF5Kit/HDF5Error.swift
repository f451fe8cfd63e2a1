import CHDF5

/// An error from the HDF5 library, with the operation and object it concerned.
public struct HDF5Error: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { "HDF5: " + message }
}

extension apk_h5_api {
    /// Returns `result` (a status, an id, a count) unless it is negative, HDF5's failure; then
    /// throws `what` with the operating system's reason HDF5 recorded ("No space left on device").
    @discardableResult
    func check<N: BinaryInteger>(_ result: N, _ what: @autoclosure () -> String) throws -> N {
        if result < 0 { throw failure(what()) }
        return result
    }

    /// `what`, and the reason on HDF5's error stack; call right after the failed call (the next
    /// HDF5 call clears the stack).
    func failure(_ what: String) -> HDF5Error {
        var text = [CChar](repeating: 0, count: 160)
        withUnsafePointer(to: self) { apk_h5_os_reason($0, &text, text.count) }
        let reason = String(nulTerminated: text)
        return HDF5Error(message: reason.isEmpty ? what : what + ": " + reason)
    }
}

extension String {
    /// The UTF-8 text of a C buffer up to its first NUL (or its end).
    init(nulTerminated chars: [CChar]) {
        self.init(decoding: chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
