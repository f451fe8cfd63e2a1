import ArgumentParser
import Foundation
import KitFoundation
import NXapm
import ResultsBundle
import Workflows

/// Hidden: reads a profile from an HDF5 group and reports only success or failure. `compare`
/// runs it in a child process before reading the same group itself, because the HDF5 library
/// (1.10 on Debian 12) can crash on a damaged file; a crash of the child becomes a clear error.
/// With `--nxapm` it reads an NXapm file whole the same way (`info`, `composition`, `analyze`
/// and `--ranges FILE.nxs` isolate their reads with it).
struct CheckHDF5: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check-hdf5", shouldDisplay: false)

    @Argument var spec: String
    @Argument var columns: String = ""
    @Flag var nxapm = false

    func run() throws {
        if nxapm { _ = try NXapmFile.read(spec); return }
        let c = columns.split(separator: ",").map(String.init)
        guard c.count == 3 else { throw ValidationError("columns: distance,value,sigma") }
        _ = try ResultsBundle.readProfile(spec, distance: c[0], value: c[1], sigma: c[2])
    }

    /// Runs the check in a child process; throws when the child crashed.
    static func isolate(_ spec: String, columns: [String], file: String) throws {
        try isolate(["check-hdf5", spec, columns.joined(separator: ",")], spec: spec, file: file)
    }

    /// Reads an NXapm file in a child process first; throws when the child crashed (its other
    /// errors are left for the real read to report).
    static func isolateNXapm(_ path: String) throws {
        try isolate(["check-hdf5", path, "--nxapm"], spec: path, file: path)
    }

    static func isolate(_ arguments: [String], spec: String, file: String) throws {
        let p = Process()
        p.executableURL = Bundle.main.executableURL ?? URL(fileURLWithPath: "/proc/self/exe")
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
