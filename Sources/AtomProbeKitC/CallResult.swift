import Foundation
import AtomProbeCommands
import KitFoundation

/// How every function of the C ABI ends: 0 on success; otherwise the command line's exit code
/// for the error (1 for a refused input, 64 for a refused option) with its one-line message in
/// `*error` (malloc'd: free it with `apk_free`). Nothing thrown crosses the boundary, and no
/// input makes the library trap where a check can refuse it first.
enum CallResult {
    static func run(_ message: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ body: () throws -> Void) -> Int32 {
        do {
            try body()
            return 0
        } catch {
            let (code, text) = EmbeddedCommand.failure(error) ?? (0, "")
            if code != 0 { message.set(text) }
            return code
        }
    }
}

extension Optional where Wrapped == UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
    /// Stores a malloc'd copy of `text` where the caller asked for it.
    func set(_ text: String) { self?.pointee = strdup(text) }
}

/// Reads a C string argument, naming it when it is missing.
func string(_ p: UnsafePointer<CChar>?, _ name: String) throws -> String {
    guard let p else { throw CArgumentError(name: name) }
    return String(cString: p)
}

/// A null pointer where the ABI needs a value (a defect of the caller, reported, not trapped).
struct CArgumentError: Error, CustomStringConvertible {
    let name: String
    var description: String { "\(name) is a null pointer" }
}

/// The toolkit's version (malloc'd).
@_cdecl("apk_version")
public func apk_version() -> UnsafeMutablePointer<CChar>? { strdup(Toolkit.version) }

/// Frees memory the ABI returned (strings).
@_cdecl("apk_free")
public func apk_free(_ p: UnsafeMutableRawPointer?) { free(p) }
