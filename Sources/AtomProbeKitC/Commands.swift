import Foundation
import KitFoundation
import AtomProbe
import Workflows
import AtomProbeCommands

/// What the caller's progress function receives: 0 a note, 1 a stage, 2 a fraction done of
/// the work `text` names (`fraction` 0-1). It runs on the library's threads.
public typealias ProgressFunction = @convention(c) (Int32, UnsafePointer<CChar>?, Double, UnsafeMutableRawPointer?) -> Void

/// The caller's progress function and its context, handed to the library's threads.
struct ProgressSink: @unchecked Sendable {
    let function: ProgressFunction?
    let context: UnsafeMutableRawPointer?

    func send(_ kind: Int32, _ text: String, _ fraction: Double = 0) {
        guard let function else { return }
        text.withCString { function(kind, $0, fraction, context) }
    }

    var reporter: RunReporter {
        RunReporter(note: { send(0, $0) }, step: { send(1, $0) }, bar: { label in
            function == nil ? nil : { send(2, label, $0) }
        })
    }
}

func isolation(_ checker: UnsafePointer<CChar>?) -> HDF5Isolation {
    checker.map { HDF5Isolation(executable: URL(fileURLWithPath: String(cString: $0))) } ?? .none
}

/// Runs a command of the command line: `argv` holds `argc` arguments as typed after `atomprobe`
/// (the subcommand first). The same options, checks and one-line errors as the command line;
/// `*output` gets what it would print (malloc'd). With `count` >= 0 the ions in `xyz`, `mass`
/// (and the optional detector columns, as `apk_read_fill` lays them out) are the reconstruction
/// of a `composition`. Progress goes to `progress` (may be NULL) with `context`.
@_cdecl("apk_run")
public func apk_run(_ argc: Int32, _ argv: UnsafePointer<UnsafePointer<CChar>?>?, _ count: Int64,
                    _ xyz: UnsafePointer<Float>?, _ mass: UnsafePointer<Float>?, _ detail: UnsafePointer<Float>?, _ pulses: UnsafePointer<Int32>?,
                    _ hdf5Checker: UnsafePointer<CChar>?, _ progress: ProgressFunction?, _ context: UnsafeMutableRawPointer?,
                    _ output: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                    _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    CallResult.run(error) {
        guard let output else { throw CArgumentError(name: "output") }
        guard argc >= 1, argc <= 10_000, let argv else { throw AtomProbeError.invalid("argv", "needs a command and its options") }
        let arguments = try (0..<Int(argc)).map { try string(argv[$0], "argv[\($0)]") }
        let ions = count >= 0 ? try reconstruction(count, xyz, mass, detail, pulses) : nil
        let opener = IonSourceOpener(isolation: isolation(hdf5Checker), reporter: ProgressSink(function: progress, context: context).reporter)
        output.pointee = strdup(try EmbeddedCommand.run(arguments, opener: opener, ions: ions))
    }
}
