import Foundation

/// Output folders, and the rule that a run never writes over one of its inputs.
public enum Folders {
    /// Creates a folder (and its parents).
    public static func make(_ path: String) throws {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        catch { throw AtomProbeError(.io, "cannot create folder: \(error.localizedDescription)", file: path) }
    }

    /// The absolute path with symbolic links resolved, for comparing paths.
    public static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Refuses to write `path` when it is one of the inputs.
    public static func refuseOverwrite(_ path: String, inputs: [String]) throws {
        let target = canonical(path)
        for i in inputs where canonical(i) == target {
            throw AtomProbeError(.invalidInput, "refusing to overwrite the input file", file: path)
        }
    }

    /// Refuses a file prefix (PREFIX.csv, PREFIX.svg) that names no file of its own: empty, or a
    /// folder ("out/", ".", "..").
    public static func requireFilePrefix(_ prefix: String, parameter: String) throws {
        let last = prefix.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        guard !last.isEmpty, last != ".", last != ".." else {
            throw AtomProbeError.invalid(parameter, "must be a file prefix such as out/spectrum (PREFIX.csv, PREFIX.svg), not a folder, got \"\(prefix)\"")
        }
    }
}
