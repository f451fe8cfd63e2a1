import Workflows

/// Progress and notes on standard error; results go to standard output.
enum Progress {
    static let reporter = RunReporter.standardError("atomprobe")
    /// Opens inputs for every command: HDF5 files are read in a child process first (`check-hdf5`).
    static let opener = IonSourceOpener(isolation: .thisProgram, reporter: reporter)
}
