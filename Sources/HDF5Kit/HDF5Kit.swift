import KitFoundation
#if canImport(Glibc)
import Glibc
#endif
import CHDF5

/// An error from the HDF5 library, with the operation and object it concerned.
public struct HDF5Error: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { "HDF5: " + message }
}

/// Element types HDF5Kit can store.
public protocol HDF5Scalar {
    static var hdf5Kind: HDF5ScalarKind { get }
}

/// The numeric element types the wrapper reads and writes (native byte order).
public enum HDF5ScalarKind: Sendable {
    case float32, float64, int32, int64, uint32, uint16, uint8, int8

    /// The HDF5 library's type id; C types stay inside this module.
    func typeID(_ h5: apk_h5_api) -> hid_t {
        switch self {
        case .float32: return h5.native_float
        case .float64: return h5.native_double
        case .int32: return h5.native_int32
        case .int64: return h5.native_int64
        case .uint32: return h5.native_uint32
        case .uint16: return h5.native_uint16
        case .uint8: return h5.native_uint8
        case .int8: return h5.native_int8
        }
    }
}

/// The HDF5 library, loaded once, when the first file is created or opened (see `apk_h5_load` in
/// the CHDF5 shim for why it is not linked). A missing or mismatched library is a one-line error.
struct HDF5Library: @unchecked Sendable {
    let api: apk_h5_api

    /// Swift initializes a static constant once, under a lock.
    static let loaded: Result<HDF5Library, HDF5Error> = {
        var api = apk_h5_api()
        var message = [CChar](repeating: 0, count: 256)
        if let why = apk_h5_load(&api, &message, message.count) {
            return .failure(HDF5Error(message: "the library could not be loaded: " + String(cString: why)))
        }
        return .success(HDF5Library(api: api))
    }()

    static func load() throws -> apk_h5_api { try loaded.get().api }
}

extension Float: HDF5Scalar { public static var hdf5Kind: HDF5ScalarKind { .float32 } }
extension Double: HDF5Scalar { public static var hdf5Kind: HDF5ScalarKind { .float64 } }
extension Int32: HDF5Scalar { public static var hdf5Kind: HDF5ScalarKind { .int32 } }
extension Int64: HDF5Scalar { public static var hdf5Kind: HDF5ScalarKind { .int64 } }
extension UInt32: HDF5Scalar { public static var hdf5Kind: HDF5ScalarKind { .uint32 } }
extension UInt16: HDF5Scalar { public static var hdf5Kind: HDF5ScalarKind { .uint16 } }
extension UInt8: HDF5Scalar { public static var hdf5Kind: HDF5ScalarKind { .uint8 } }
extension Int8: HDF5Scalar { public static var hdf5Kind: HDF5ScalarKind { .int8 } }

@inline(__always) func check(_ status: herr_t, _ what: @autoclosure () -> String) throws {
    if status < 0 { throw HDF5Error(message: what()) }
}
@inline(__always) func checkID(_ id: hid_t, _ what: @autoclosure () -> String) throws -> hid_t {
    if id < 0 { throw HDF5Error(message: what()) }
    return id
}

/// A dataset, opened to read or set its attributes (e.g. `units`).
public final class HDF5Dataset: HDF5Location {
    init(id: hid_t, path: String, h5: apk_h5_api) { super.init(id: id, path: path, h5: h5, closer: h5.H5Dclose) }
}

/// A group or a file: something that holds datasets, groups and attributes.
public class HDF5Location {
    let id: hid_t
    /// The library's routines (every object of a file shares the table loaded when it opened).
    let h5: apk_h5_api
    let closer: @convention(c) (hid_t) -> herr_t
    /// The path of this object inside its file ("/" for the file).
    public let path: String

    init(id: hid_t, path: String, h5: apk_h5_api, closer: @convention(c) (hid_t) -> herr_t) {
        self.id = id; self.path = path; self.h5 = h5; self.closer = closer
    }
    deinit { _ = closer(id) }

    func child(_ name: String) -> String { path == "/" ? "/" + name : path + "/" + name }

    /// Creates a group (intermediate groups too).
    public func createGroup(_ name: String) throws -> HDF5Group {
        let lcpl = try checkID(h5.H5Pcreate(h5.link_create), "property list")
        defer { h5.H5Pclose(lcpl) }
        h5.H5Pset_create_intermediate_group(lcpl, 1)
        let gid = try checkID(h5.H5Gcreate2(id, name, lcpl, apk_h5p_default(), apk_h5p_default()), "cannot create group \(child(name))")
        return HDF5Group(id: gid, path: child(name), h5: h5)
    }

    public func openGroup(_ name: String) throws -> HDF5Group {
        let gid = try checkID(h5.H5Gopen2(id, name, apk_h5p_default()), "no group \(child(name))")
        return HDF5Group(id: gid, path: child(name), h5: h5)
    }

    public func exists(_ name: String) -> Bool { h5.H5Lexists(id, name, apk_h5p_default()) > 0 }

    /// Names of the direct members (groups and datasets), in creation or name order.
    public func memberNames() throws -> [String] {
        var info = H5G_info_t()
        try check(h5.H5Gget_info(id, &info), "cannot list \(path)")
        var names: [String] = []
        for k in 0..<info.nlinks {
            let n = h5.H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, k, nil, 0, apk_h5p_default())
            guard n >= 0 else { continue }
            var buf = [CChar](repeating: 0, count: Int(n) + 1)
            h5.H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, k, &buf, Int(n) + 1, apk_h5p_default())
            names.append(String(cString: buf))
        }
        return names
    }

    /// Writes an n-dimensional dataset (row-major `shape`), compressed with deflate when large.
    public func write<T: HDF5Scalar>(_ name: String, _ values: [T], shape: [Int]? = nil) throws {
        let dims = (shape ?? [values.count]).map { hsize_t($0) }
        guard dims.reduce(1, *) == hsize_t(values.count) else {
            throw HDF5Error(message: "dataset \(child(name)): shape \(dims) does not hold \(values.count) values")
        }
        let space = try checkID(h5.H5Screate_simple(Int32(dims.count), dims, nil), "dataspace")
        defer { h5.H5Sclose(space) }
        let dcpl = try checkID(h5.H5Pcreate(h5.dataset_create), "property list")
        defer { h5.H5Pclose(dcpl) }
        if values.count >= 4096 {
            var chunk = dims
            chunk[0] = Swift.min(dims[0], Swift.max(1, hsize_t(1 << 16) / Swift.max(1, dims.dropFirst().reduce(1, *))))
            h5.H5Pset_chunk(dcpl, Int32(chunk.count), chunk)
            h5.H5Pset_deflate(dcpl, 4)
        }
        let ds = try checkID(h5.H5Dcreate2(id, name, T.hdf5Kind.typeID(h5), space, apk_h5p_default(), dcpl, apk_h5p_default()),
                             "cannot create dataset \(child(name))")
        defer { h5.H5Dclose(ds) }
        try values.withUnsafeBufferPointer { buf in
            try check(h5.H5Dwrite(ds, T.hdf5Kind.typeID(h5), apk_h5s_all(), apk_h5s_all(), apk_h5p_default(), buf.baseAddress), "cannot write \(child(name))")
        }
    }

    /// Opens a dataset of this group (for its attributes).
    public func dataset(_ name: String) throws -> HDF5Dataset {
        HDF5Dataset(id: try checkID(h5.H5Dopen2(id, name, apk_h5p_default()), "no dataset \(child(name))"), path: child(name), h5: h5)
    }

    /// Writes a scalar boolean as h5py does (an 8-bit FALSE/TRUE enum).
    public func writeBool(_ name: String, _ value: Bool) throws {
        let type = withUnsafePointer(to: h5) { apk_h5t_bool_enum($0) }
        defer { h5.H5Tclose(type) }
        let space = try checkID(h5.H5Screate(H5S_SCALAR), "dataspace")
        defer { h5.H5Sclose(space) }
        let ds = try checkID(h5.H5Dcreate2(id, name, type, space, apk_h5p_default(), apk_h5p_default(), apk_h5p_default()), "cannot create \(child(name))")
        defer { h5.H5Dclose(ds) }
        var v: Int8 = value ? 1 : 0
        try check(h5.H5Dwrite(ds, type, apk_h5s_all(), apk_h5s_all(), apk_h5p_default(), &v), "cannot write \(child(name))")
    }

    /// Declares a dataset of `shape` without writing it: chunked and allocated lazily (nothing is
    /// stored until written), for data written in parts.
    public func createEmpty<T: HDF5Scalar>(_ name: String, as: T.Type, shape: [Int]) throws {
        let dims = shape.map { hsize_t(Swift.max(0, $0)) }
        let space = try checkID(h5.H5Screate_simple(Int32(dims.count), dims, nil), "dataspace")
        defer { h5.H5Sclose(space) }
        let dcpl = try checkID(h5.H5Pcreate(h5.dataset_create), "property list")
        defer { h5.H5Pclose(dcpl) }
        let chunk = dims.map { Swift.min(Swift.max($0, 1), dims.count == 1 ? 1 << 16 : 256) }
        h5.H5Pset_chunk(dcpl, Int32(chunk.count), chunk)
        let ds = try checkID(h5.H5Dcreate2(id, name, T.hdf5Kind.typeID(h5), space, apk_h5p_default(), dcpl, apk_h5p_default()),
                             "cannot create dataset \(child(name))")
        h5.H5Dclose(ds)
    }

    /// Reads a whole dataset, converting to `T`; returns the values and the shape. A dataset of
    /// more than `maxElements` values (or whose shape overflows) is refused before any allocation.
    public func read<T: HDF5Scalar>(_ name: String, as: T.Type = T.self, maxElements: Int = 1 << 28) throws -> (values: [T], shape: [Int]) {
        let ds = try checkID(h5.H5Dopen2(id, name, apk_h5p_default()), "no dataset \(child(name))")
        defer { h5.H5Dclose(ds) }
        let space = try checkID(h5.H5Dget_space(ds), "dataspace of \(child(name))")
        defer { h5.H5Sclose(space) }
        let rank = Int(h5.H5Sget_simple_extent_ndims(space))
        guard rank >= 0, rank <= 32 else { throw HDF5Error(message: "\(child(name)) has an unreadable shape") }
        var dims = [hsize_t](repeating: 0, count: Swift.max(rank, 1))
        h5.H5Sget_simple_extent_dims(space, &dims, nil)
        var shape: [Int] = []
        var n = 1
        for d in (rank == 0 ? [1] : dims) {
            guard let k = Int(exactly: d) else { throw HDF5Error(message: "\(child(name)) is too large to read (\(dims) values)") }
            let (product, overflow) = n.multipliedReportingOverflow(by: k)
            guard !overflow, product <= maxElements else {
                throw HDF5Error(message: "\(child(name)) has \(dims.map(String.init).joined(separator: " x ")) values, more than the \(maxElements) read at once")
            }
            shape.append(k); n = product
        }
        var values = [T](unsafeUninitializedCapacity: n) { _, c in c = n }
        try values.withUnsafeMutableBufferPointer { buf in
            try check(h5.H5Dread(ds, T.hdf5Kind.typeID(h5), apk_h5s_all(), apk_h5s_all(), apk_h5p_default(), buf.baseAddress), "cannot read \(child(name))")
        }
        return (values, shape)
    }

    /// Writes a variable-length UTF-8 string dataset (e.g. a command line or a JSON document).
    public func writeString(_ name: String, _ value: String) throws {
        let type = try stringType()
        defer { h5.H5Tclose(type) }
        let space = try checkID(h5.H5Screate(H5S_SCALAR), "dataspace")
        defer { h5.H5Sclose(space) }
        let ds = try checkID(h5.H5Dcreate2(id, name, type, space, apk_h5p_default(), apk_h5p_default(), apk_h5p_default()),
                             "cannot create dataset \(child(name))")
        defer { h5.H5Dclose(ds) }
        try value.withCString { cs in
            var p: UnsafePointer<CChar>? = cs
            try check(h5.H5Dwrite(ds, type, apk_h5s_all(), apk_h5s_all(), apk_h5p_default(), &p), "cannot write \(child(name))")
        }
    }

    public func readString(_ name: String) throws -> String {
        let ds = try checkID(h5.H5Dopen2(id, name, apk_h5p_default()), "no dataset \(child(name))")
        defer { h5.H5Dclose(ds) }
        let type = try stringType()
        defer { h5.H5Tclose(type) }
        var p: UnsafeMutablePointer<CChar>? = nil
        try check(h5.H5Dread(ds, type, apk_h5s_all(), apk_h5s_all(), apk_h5p_default(), &p), "cannot read \(child(name))")
        defer { free(p) }
        return p.map { String(cString: $0) } ?? ""
    }

    /// Sets a string attribute on this object.
    public func setAttribute(_ name: String, _ value: String) throws {
        let type = try stringType()
        defer { h5.H5Tclose(type) }
        let space = try checkID(h5.H5Screate(H5S_SCALAR), "dataspace")
        defer { h5.H5Sclose(space) }
        if h5.H5Aexists(id, name) > 0 { h5.H5Adelete(id, name) }
        let a = try checkID(h5.H5Acreate2(id, name, type, space, apk_h5p_default(), apk_h5p_default()), "cannot create attribute \(name) on \(path)")
        defer { h5.H5Aclose(a) }
        try value.withCString { cs in
            var p: UnsafePointer<CChar>? = cs
            try check(h5.H5Awrite(a, type, &p), "cannot write attribute \(name) on \(path)")
        }
    }

    /// Sets a numeric attribute (scalar or 1-D array) on this object.
    public func setAttribute<T: HDF5Scalar>(_ name: String, _ values: [T]) throws {
        var dims = [hsize_t(values.count)]
        let space = try checkID(h5.H5Screate_simple(1, &dims, nil), "dataspace")
        defer { h5.H5Sclose(space) }
        if h5.H5Aexists(id, name) > 0 { h5.H5Adelete(id, name) }
        let a = try checkID(h5.H5Acreate2(id, name, T.hdf5Kind.typeID(h5), space, apk_h5p_default(), apk_h5p_default()), "cannot create attribute \(name) on \(path)")
        defer { h5.H5Aclose(a) }
        try values.withUnsafeBufferPointer { try check(h5.H5Awrite(a, T.hdf5Kind.typeID(h5), $0.baseAddress), "cannot write attribute \(name)") }
    }

    public func stringAttribute(_ name: String) throws -> String {
        let a = try checkID(h5.H5Aopen(id, name, apk_h5p_default()), "no attribute \(name) on \(path)")
        defer { h5.H5Aclose(a) }
        let type = try stringType()
        defer { h5.H5Tclose(type) }
        var p: UnsafeMutablePointer<CChar>? = nil
        try check(h5.H5Aread(a, type, &p), "cannot read attribute \(name)")
        defer { free(p) }
        return p.map { String(cString: $0) } ?? ""
    }

    public func numericAttribute<T: HDF5Scalar>(_ name: String, as: T.Type = T.self) throws -> [T] {
        let a = try checkID(h5.H5Aopen(id, name, apk_h5p_default()), "no attribute \(name) on \(path)")
        defer { h5.H5Aclose(a) }
        let space = try checkID(h5.H5Aget_space(a), "dataspace")
        defer { h5.H5Sclose(space) }
        let n = Int(h5.H5Sget_simple_extent_npoints(space))
        var out = [T](unsafeUninitializedCapacity: n) { _, c in c = n }
        try out.withUnsafeMutableBufferPointer { try check(h5.H5Aread(a, T.hdf5Kind.typeID(h5), $0.baseAddress), "cannot read attribute \(name)") }
        return out
    }

    private func stringType() throws -> hid_t {
        let t = try checkID(h5.H5Tcopy(h5.c_s1), "string type")
        h5.H5Tset_size(t, apk_h5t_variable())
        h5.H5Tset_cset(t, H5T_cset_t(rawValue: apk_h5t_cset_utf8()))
        return t
    }
}

public final class HDF5Group: HDF5Location {
    init(id: hid_t, path: String, h5: apk_h5_api) { super.init(id: id, path: path, h5: h5, closer: h5.H5Gclose) }
}

/// An HDF5 file. Closed when the last reference goes.
public final class HDF5File: HDF5Location {
    public let filePath: String

    private init(id: hid_t, filePath: String, h5: apk_h5_api) {
        self.filePath = filePath
        super.init(id: id, path: "/", h5: h5, closer: h5.H5Fclose)
    }

    /// Creates (or truncates) a file.
    public static func create(_ filePath: String) throws -> HDF5File {
        let h5 = try HDF5Library.load()
        let id = try checkID(h5.H5Fcreate(filePath, apk_h5f_acc_trunc(), apk_h5p_default(), apk_h5p_default()), "cannot create \(filePath)")
        return HDF5File(id: id, filePath: filePath, h5: h5)
    }

    public static func open(_ filePath: String, writable: Bool = false) throws -> HDF5File {
        let h5 = try HDF5Library.load()
        guard access(filePath, R_OK) == 0 else { throw HDF5Error(message: "cannot open \(filePath): \(String(cString: strerror(errno)))") }
        guard h5.H5Fis_hdf5(filePath) > 0 else { throw HDF5Error(message: "\(filePath) is not an HDF5 file") }
        let id = try checkID(h5.H5Fopen(filePath, writable ? apk_h5f_acc_rdwr() : apk_h5f_acc_rdonly(), apk_h5p_default()), "cannot open \(filePath)")
        return HDF5File(id: id, filePath: filePath, h5: h5)
    }

    /// Flushes everything to disk.
    public func flush() throws { try check(h5.H5Fflush(id, H5F_SCOPE_GLOBAL), "cannot flush \(filePath)") }
}
