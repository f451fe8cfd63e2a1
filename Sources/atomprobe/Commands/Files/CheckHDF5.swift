import ArgumentParser
import Workflows

/// Hidden: the child process of `HDF5Isolation`. Reads a profile from an HDF5 group (or, with
/// `--nxapm`, an NXapm file whole; with `--fields`, a simulation's fields.h5) and reports only success or failure, so that a crash of the
/// HDF5 library on a damaged file becomes a clear error in the parent.
struct CheckHDF5: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: HDF5Isolation.subcommand, shouldDisplay: false)

    @Argument var spec: String
    @Argument var columns: String = ""
    @Flag var nxapm = false
    @Flag var fields = false

    func run() throws {
        try HDF5Isolation.check(nxapm ? .nxapm(path: spec) : fields ? .fields(path: spec)
            : .profile(spec: spec, columns: columns.split(separator: ",").map(String.init)))
    }
}
