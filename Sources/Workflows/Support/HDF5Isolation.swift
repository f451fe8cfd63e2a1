import Foundation
import KitFoundation
import NXapm
import ResultsBundle

/// Reads an HDF5 input in a child process before the real read, because the HDF5 library (1.10
/// on Debian 12) can crash on a damaged file: a crash of the child becomes a one-line error
/// instead of taking the run down. The child is this program started with `arguments(...)`;
/// the entry point that owns the executable routes those arguments to `check(_:)`.
public struct HDF5Isolation: Sendable {
    /// The program that re-runs the read (nil: read in this process, without isolation, as
    /// a library embedded in another program must).
    public let executable: URL?

    public init(executable: URL?) { self.executable = executable }

    /// This program, as the command line is started.
    public static let thisProgram = HDF5Isolation(executable: Bundle.main.executableURL ?? URL(fileURLWithPath: "/proc/self/exe"))
    public static let none = HDF5Isolation(executable: nil)

    /// The hidden subcommand's name and arguments for each check.
    public static let subcommand = "check-hdf5"
    public enum Check: Sendable {
        case nxapm(path: String)
        case profile(spec: String, columns: [String])
        /// A simulation's fields.h5 (what `virtualize` reads).
        case fields(path: String)
    }

    /// Runs the read of `check` in this process (what the child does); throws its error.
    public static func check(_ check: Check) throws {
        switch check {
        case .nxapm(let path): _ = try NXapmFile.read(path)
        case .fields(let path): _ = try SimulatedFieldFile.read(path)
        case .profile(let spec, let c):
            guard c.count == 3 else { throw AtomProbeError.invalid("a profile check needs distance, value and sigma columns") }
            _ = try ResultsBundle.readProfile(spec, distance: c[0], value: c[1], sigma: c[2])
        }
    }

    /// Reads an NXapm file in a child process first; throws when the child crashed (its other
    /// errors are left for the real read to report).
    public func isolateNXapm(_ path: String) throws {
        try isolate([Self.subcommand, path, "--nxapm"], spec: path, file: path)
    }

    /// Reads a simulation's fields.h5 in a child process first.
    public func isolateFields(_ path: String) throws {
        try isolate([Self.subcommand, path, "--fields"], spec: path, file: path)
    }

    /// Reads a profile from a bundle group (`FILE.h5:/group`) in a child process first.
    public func isolateProfile(_ spec: String, columns: [String], file: String) throws {
        try isolate([Self.subcommand, spec, columns.joined(separator: ",")], spec: spec, file: file)
    }

    private func isolate(_ arguments: [String], spec: String, file: String) throws {
        guard let executable else { return }
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        if p.terminationReason == .uncaughtSignal {
            throw AtomProbeError(.format, "damaged HDF5 file: the HDF5 library crashed reading \(spec) (signal \(p.terminationStatus))", file: file)
        }
    }
}
