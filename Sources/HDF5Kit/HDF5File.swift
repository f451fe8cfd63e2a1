#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CHDF5

/// An HDF5 file. Closed by `close()` or when the last reference to it, or to an object opened in
/// it, goes.
public final class HDF5File: HDF5Location {
    public let filePath: String

    private init(id: hid_t, filePath: String, h5: apk_h5_api) {
        self.filePath = filePath
        super.init(id: id, path: "/", h5: h5, parent: nil, closer: h5.H5Fclose)
    }

    override var what: String { filePath }

    /// Creates (or truncates) a file.
    public static func create(_ filePath: String) throws -> HDF5File {
        let h5 = try HDF5Library.load()
        let id = try h5.check(h5.H5Fcreate(filePath, apk_h5f_acc_trunc(), apk_h5p_default(), apk_h5p_default()), "cannot create \(filePath)")
        return HDF5File(id: id, filePath: filePath, h5: h5)
    }

    public static func open(_ filePath: String, writable: Bool = false) throws -> HDF5File {
        let h5 = try HDF5Library.load()
        guard access(filePath, R_OK) == 0 else { throw HDF5Error(message: "cannot open \(filePath): \(String(cString: strerror(errno)))") }
        guard try h5.check(h5.H5Fis_hdf5(filePath), "cannot open \(filePath)") > 0 else { throw HDF5Error(message: "\(filePath) is not an HDF5 file") }
        let id = try h5.check(h5.H5Fopen(filePath, writable ? apk_h5f_acc_rdwr() : apk_h5f_acc_rdonly(), apk_h5p_default()), "cannot open \(filePath)")
        return HDF5File(id: id, filePath: filePath, h5: h5)
    }

    /// Flushes everything to disk.
    public func flush() throws { try h5.check(h5.H5Fflush(try liveID(), H5F_SCOPE_GLOBAL), "cannot flush \(filePath)") }

    /// Flushes and closes the file now (once; it is closed even when the flush fails, whose error
    /// is then the one thrown). Objects still open in it keep it open in HDF5 until they go.
    public override func close() throws {
        guard let id = try? liveID() else { return }
        let flushed = h5.H5Fflush(id, H5F_SCOPE_GLOBAL) < 0 ? h5.failure("cannot flush \(filePath)") : nil
        let closing: Error?
        do { try super.close(); closing = nil } catch { closing = error }
        if let error = flushed ?? closing { throw error }
    }
}
