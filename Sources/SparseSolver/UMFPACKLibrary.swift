import CUMFPACK

/// UMFPACK's routines, loaded once, on the first solver's creation (see `apk_umfpack_load` in the
/// CUMFPACK shim for why it is not linked). A missing library is a one-line error naming the
/// package to install, not a failure at program start.
struct UMFPACKLibrary: @unchecked Sendable {
    let api: apk_umfpack_api

    /// Loaded on first access; Swift initializes a static constant once, under a lock.
    static let loaded: Result<UMFPACKLibrary, SparseSolverError> = {
        var api = apk_umfpack_api()
        if let why = apk_umfpack_load(&api) {
            return .failure(SparseSolverError(description: "UMFPACK could not be loaded (\(String(cString: why))); install libsuitesparse-dev"))
        }
        return .success(UMFPACKLibrary(api: api))
    }()

    static func load() throws -> apk_umfpack_api { try loaded.get().api }
}
