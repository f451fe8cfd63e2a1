import Foundation
import KitFoundation

enum Output {
    /// Writes text to `path` atomically, or to stdout when nil.
    static func emit(_ text: String, to path: String?, inputs: [String] = []) throws {
        guard let path else { print(text, terminator: ""); return }
        try Folders.refuseOverwrite(path, inputs: inputs)
        try AtomicFile.write(text, to: path)
    }
}
