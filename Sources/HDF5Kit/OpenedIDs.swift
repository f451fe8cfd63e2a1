import CHDF5

/// The ids one operation opens (dataspaces, property lists, types, datasets, attributes), closed
/// in reverse order, each exactly once, when the operation ends (`apk_h5_api.withOpenedIDs`).
struct OpenedIDs {
    typealias Closer = @convention(c) (hid_t) -> herr_t
    let h5: apk_h5_api
    private var opened: [(id: hid_t, object: String, close: Closer)] = []

    init(_ h5: apk_h5_api) { self.h5 = h5 }

    /// Checks the id a create call returned (failure: "cannot create `object`") and keeps it to be
    /// closed by `close`.
    mutating func created(_ id: hid_t, _ object: @autoclosure () -> String, closedBy close: Closer) throws -> hid_t {
        try kept(id, object(), "cannot create " + object(), close)
    }

    /// Checks the id an open call returned (failure: `failure`) and keeps it to be closed by `close`.
    mutating func opened(_ id: hid_t, _ object: @autoclosure () -> String, failure: @autoclosure () -> String,
                         closedBy close: Closer) throws -> hid_t {
        try kept(id, object(), failure(), close)
    }

    private mutating func kept(_ id: hid_t, _ object: @autoclosure () -> String, _ failure: @autoclosure () -> String,
                               _ close: Closer) throws -> hid_t {
        try h5.check(id, failure())
        opened.append((id, object(), close))
        return id
    }

    /// Closes everything, last opened first. The first failed close is thrown once all are closed
    /// (closing a chunked dataset writes its last chunks: it can fail on a full disk).
    mutating func closeAll() throws {
        var first: HDF5Error?
        while let (id, object, close) = opened.popLast() {
            if close(id) < 0, first == nil { first = h5.failure("cannot close " + object) }
        }
        if let first { throw first }
    }

    /// Closes everything, last opened first, after another error (the one reported).
    mutating func closeAllAfterError() {
        while let (id, _, close) = opened.popLast() { _ = close(id) }
    }
}

extension apk_h5_api {
    /// Runs `body` with a fresh `OpenedIDs` and closes what it opened, whether it returns or throws.
    func withOpenedIDs<R>(_ body: (inout OpenedIDs) throws -> R) throws -> R {
        var ids = OpenedIDs(self)
        let result: R
        do { result = try body(&ids) } catch { ids.closeAllAfterError(); throw error }
        try ids.closeAll()
        return result
    }
}
