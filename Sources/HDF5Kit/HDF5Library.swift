import CHDF5

/// The HDF5 library, loaded once, when the first file is created or opened (see `apk_h5_load` in
/// the CHDF5 shim for why it is not linked). A missing or mismatched library is a one-line error.
struct HDF5Library: @unchecked Sendable {
    let api: apk_h5_api

    /// Swift initializes a static constant once, under a lock.
    static let loaded: Result<HDF5Library, HDF5Error> = {
        var api = apk_h5_api()
        var message = [CChar](repeating: 0, count: 256)
        if apk_h5_load(&api, &message, message.count) != nil {
            return .failure(HDF5Error(message: "the library could not be loaded: " + String(nulTerminated: message)))
        }
        return .success(HDF5Library(api: api))
    }()

    static func load() throws -> apk_h5_api { try loaded.get().api }
}
