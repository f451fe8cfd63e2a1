import Foundation

/// Writes files atomically: the data go to a temporary file beside the target, which is then
/// renamed over it, so a reader never sees half a file and a failed write leaves nothing behind.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        try produce(path) { tmp in
            guard FileManager.default.createFile(atPath: tmp, contents: data) else {
                throw AtomProbeError(.io, "cannot write (permissions or disk space?)", file: path)
            }
        }
    }

    /// Lets `body` write a file of its own making (HDF5, say) at a temporary path beside `path`,
    /// then renames it into place; on any error the temporary file is removed.
    public static func produce(_ path: String, _ body: (_ temporaryPath: String) throws -> Void) throws {
        let tmp = try temporaryPath(beside: path)
        do { try body(tmp) } catch { unlink(tmp); throw error }
        try moveIntoPlace(tmp, path)
    }

    /// A fresh hidden temporary name in the folder of `path` (which must exist), for a file that
    /// `moveIntoPlace` later renames to `path`.
    public static func temporaryPath(beside path: String) throws -> String {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir.isEmpty ? "." : dir, isDirectory: &isDir), isDir.boolValue else {
            throw AtomProbeError(.io, "folder does not exist", file: path)
        }
        removeStaleTemporaries(in: dir.isEmpty ? "." : dir)
        return (dir.isEmpty ? "." : dir) + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// The process id in the name of a temporary file made by `temporaryPath`, or nil.
    public static func writerOfTemporary(_ name: String) -> Int32? {
        guard name.hasPrefix("."), let r = name.range(of: ".tmp-", options: .backwards) else { return nil }
        let parts = name[r.upperBound...].split(separator: "-")
        guard parts.count == 2, UInt32(parts[1]) != nil else { return nil }
        return Int32(parts[0])
    }

    /// Removes temporary files in `folder` left by writers that are no longer running (a killed
    /// `convert`, say).
    public static func removeStaleTemporaries(in folder: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            if let pid = writerOfTemporary(name), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH {
                try? FileManager.default.removeItem(atPath: folder + "/" + name)
            }
        }
    }

    /// Renames a finished temporary file to `path` (atomic on one file system); removes it on failure.
    public static func moveIntoPlace(_ tmp: String, _ path: String) throws {
        guard rename(tmp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw AtomProbeError(.io, "cannot move the written file into place: \(reason)", file: path)
        }
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// Writes several files as one: every text goes to its temporary file first, and only when
    /// all are written are they renamed into place (a failed write leaves none of them).
    public static func writeTogether(_ files: [(text: String, path: String)]) throws {
        var written: [(String, String)] = []
        defer { for (tmp, _) in written { unlink(tmp) } }
        for (text, path) in files {
            let tmp = try temporaryPath(beside: path)
            written.append((tmp, path))
            guard FileManager.default.createFile(atPath: tmp, contents: Data(text.utf8)) else {
                throw AtomProbeError(.io, "cannot write (permissions or disk space?)", file: path)
            }
        }
        for (tmp, path) in written { try moveIntoPlace(tmp, path) }
    }

    /// Writes `count` bytes produced by `fill` into a fresh buffer, then atomically to `path`.
    public static func write(count: Int, to path: String, fill: (UnsafeMutableRawBufferPointer) throws -> Void) throws {
        var data = Data(count: count)
        try data.withUnsafeMutableBytes { try fill($0) }
        try write(data, to: path)
    }
}
