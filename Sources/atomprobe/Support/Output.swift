import Foundation
import AtomProbe
import AtomProbeIO
import KitFoundation

enum Output {
    /// Writes text to `path` atomically, or to stdout when nil.
    static func emit(_ text: String, to path: String?, inputs: [String] = []) throws {
        guard let path else { print(text, terminator: ""); return }
        try refuseOverwrite(path, inputs: inputs)
        try AtomicFile.write(text, to: path)
    }

    /// Refuses to write over one of the command's input files.
    static func refuseOverwrite(_ path: String, inputs: [String]) throws {
        let target = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        for i in inputs where URL(fileURLWithPath: i).standardizedFileURL.resolvingSymlinksInPath().path == target {
            throw AtomProbeError(.invalidInput, "refusing to overwrite the input file", file: path)
        }
    }

    /// Creates an output folder (and parents).
    static func makeFolder(_ path: String) throws {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        catch { throw AtomProbeError(.io, "cannot create folder: \(error.localizedDescription)", file: path) }
    }
}
