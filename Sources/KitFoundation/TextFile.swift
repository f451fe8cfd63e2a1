import Foundation

/// Reads a text file (a range file, a CSV, a parameter file), accepting UTF-8 or, failing that, Latin-1 (old range
/// files). Only regular files of at most `maxBytes` are read: a device such as /dev/zero or a
/// huge file given by mistake gets a clear error, not an endless read.
public enum TextFile {
    public static func read(_ path: String, maxBytes: Int = 64 << 20) throws -> String {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw AtomProbeError(.io, "cannot read: \(String(cString: strerror(errno)))", file: path)
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw AtomProbeError(.io, "not a regular file", file: path) }
        guard Int(st.st_size) <= maxBytes else {
            throw AtomProbeError(.format, "\(st.st_size) bytes is too large for a text file of this kind (at most \(maxBytes))", file: path)
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) }
        catch { throw AtomProbeError(.io, "cannot read: \(error.localizedDescription)", file: path) }
        if let s = String(data: data, encoding: .utf8) { return s }
        return String(data.map { Character(Unicode.Scalar($0)) })  // Latin-1
    }
}
