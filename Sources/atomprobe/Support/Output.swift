import KitFoundation

enum Output {
    /// Writes text to `path` atomically and returns nothing to print, or returns the text when nil.
    static func text(_ text: String, to path: String?, inputs: [String] = []) throws -> String {
        guard let path else { return text }
        try Folders.refuseOverwrite(path, inputs: inputs)
        try AtomicFile.write(text, to: path)
        return ""
    }
}
