import Foundation

/// The output folder of one run, written all together. Files are first written into a hidden
/// staging folder inside it; `commit` then checks that no output would replace one of the run's
/// inputs, removes the files of the previous run of the same kind into this folder (listed in
/// its manifest, `.atomprobe-<kind>.json`) that this run did not make again, moves the new
/// files into place and writes the new manifest. Runs of other kinds (an `analyze` and a
/// `compare` sharing a folder) keep their files. A run that fails or is killed leaves the previous results as they
/// were; its staging folder and temporary files are removed by the next run into the folder.
/// Files the toolkit did not write are never touched.
public final class RunFolder {
    public let path: String
    /// Where the run writes its files (same layout as in `path`).
    public let staging: String
    let inputs: [String]
    let manifestName: String
    /// Whether this run made the folder (a failed run then leaves no empty folder behind).
    let madeFolder: Bool
    static let stagingPrefix = ".atomprobe-staging-"
    /// A program embedding the toolkit abandons its runs into a folder (the Python package on
    /// Ctrl-C) by putting the file `<folder>/.atomprobe-cancel-<pid>` there, before or during the
    /// run: the run then publishes nothing (`init` or `commit` refuses). The embedding program
    /// removes the marker once its run has ended; markers of processes no longer alive are removed
    /// by the next run into the folder.
    public static let cancelPrefix = ".atomprobe-cancel-"

    /// Whether this process has abandoned its runs into `path` (see `cancelPrefix`).
    public static func isCancelled(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path + "/" + cancelPrefix + "\(getpid())")
    }

    /// - Parameter kind: what writes the folder (a command name), naming its manifest.
    public init(_ path: String, kind: String, inputs: [String]) throws {
        self.path = path
        self.inputs = inputs
        manifestName = ".atomprobe-\(kind).json"
        madeFolder = !FileManager.default.fileExists(atPath: path)
        try Folders.make(path)
        Self.removeLeftovers(in: path)
        // Refuse at once (before any work) when an input is a file an earlier run wrote here: this
        // run would write it again. `commit` checks every file it actually writes.
        let earlier = Set(Self.manifest(path + "/" + manifestName).map { Folders.canonical(path + "/" + $0) })
        for i in inputs where earlier.contains(Folders.canonical(i)) {
            throw AtomProbeError(.invalidInput, "this input is an output of an earlier \(kind) into \(path), which this run would replace or remove; copy it elsewhere or choose another output folder", file: i)
        }
        staging = path + "/" + Self.stagingPrefix + "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        if Self.isCancelled(path) { throw Self.cancelled(path) }
        try Folders.make(staging)
    }

    static func cancelled(_ path: String) -> AtomProbeError {
        AtomProbeError.invalid("the run into \(path) was cancelled: nothing was published")
    }

    /// A sub-folder of the run (created in the staging folder, which must still exist: a
    /// cancelled run whose staging folder was removed does not make it again).
    public func folder(_ name: String) throws -> String {
        guard FileManager.default.fileExists(atPath: staging) else { throw Self.cancelled(path) }
        let p = staging + "/" + name
        try Folders.make(p)
        return p
    }

    /// Abandons the run: removes the staging folder, leaves the previous results.
    public func discard() { try? FileManager.default.removeItem(atPath: staging) }

    /// A run that ends without `commit` (an error) leaves the folder as it found it: its staging
    /// folder goes, and so does the folder itself when this run made it and nothing else is in it.
    deinit {
        discard()
        if madeFolder, (try? FileManager.default.contentsOfDirectory(atPath: path))?.isEmpty == true { rmdir(path) }
    }

    /// Moves the run's files into place (see the type's description); returns their relative paths.
    @discardableResult
    public func commit() throws -> [String] {
        defer { discard() }
        let fm = FileManager.default
        if Self.isCancelled(path) { throw Self.cancelled(path) }
        let files = (fm.enumerator(atPath: staging)?.compactMap { $0 as? String } ?? []).filter { rel in
            var isDir: ObjCBool = false
            return fm.fileExists(atPath: staging + "/" + rel, isDirectory: &isDir) && !isDir.boolValue
        }.sorted()
        let protected = Set(inputs.map(Folders.canonical))
        for rel in files where protected.contains(Folders.canonical(path + "/" + rel)) {
            throw AtomProbeError(.invalidInput, "the run would replace its input \(rel) in the output folder; choose another output folder", file: path + "/" + rel)
        }
        let previous = Self.manifest(path + "/" + manifestName)
        for rel in previous where !files.contains(rel) && !protected.contains(Folders.canonical(path + "/" + rel)) {
            try? fm.removeItem(atPath: path + "/" + rel)
        }
        for rel in files {
            let target = path + "/" + rel
            try Folders.make(URL(fileURLWithPath: target).deletingLastPathComponent().path)
            guard rename(staging + "/" + rel, target) == 0 else {
                throw AtomProbeError(.io, "cannot move \(rel) into place: \(String(cString: strerror(errno)))", file: target)
            }
        }
        let list = JSONValue.object([("files", .array(files.map { .string($0) }))])
        try AtomicFile.write(list.serialized(), to: path + "/" + manifestName)
        return files
    }

    /// The files a manifest lists.
    static func manifest(_ file: String) -> [String] {
        guard FileManager.default.fileExists(atPath: file) else { return [] }
        let j: JSONValue
        do { j = try JSONValue.parse(try TextFile.read(file, maxBytes: 16 << 20)) } catch { return [] }
        guard let files = j["files"]?.array else { return [] }
        // Only plain relative paths inside the folder.
        return files.compactMap(\.string).filter { !$0.hasPrefix("/") && !$0.split(separator: "/").contains("..") }
    }

    /// Staging folders, cancel markers and temporary files of processes that are no longer alive.
    static func removeLeftovers(in path: String) {
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: path)) ?? [] {
            for prefix in [stagingPrefix, cancelPrefix] where name.hasPrefix(prefix) {
                if let pid = Int32(name.dropFirst(prefix.count).split(separator: "-").first ?? ""), !alive(pid) {
                    try? fm.removeItem(atPath: path + "/" + name)
                }
            }
        }
        AtomicFile.removeStaleTemporaries(in: path)
    }

    static func alive(_ pid: Int32) -> Bool { pid == getpid() || kill(pid, 0) == 0 || errno != ESRCH }
}
