#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CHDF5

/// Datasets: numeric arrays, booleans and strings, written and read whole.
extension HDF5Location {
    /// Writes an n-dimensional dataset (row-major `shape`), compressed with deflate when large.
    public func write<T: HDF5Scalar>(_ name: String, _ values: [T], shape: [Int]? = nil) throws {
        let id = try liveID(), p = child(name)
        let dims = (shape ?? [values.count]).map { hsize_t(Swift.max(0, $0)) }
        guard (shape ?? [values.count]).allSatisfy({ $0 >= 0 }), dims.reduce(1, *) == hsize_t(values.count) else {
            throw HDF5Error(message: "dataset \(p): shape \(shape ?? [values.count]) does not hold \(values.count) values")
        }
        let type = T.hdf5Kind.typeID(h5)
        try h5.withOpenedIDs { ids in
            let space = try ids.created(h5.H5Screate_simple(Int32(dims.count), dims, nil), "the dataspace of \(p)", closedBy: h5.H5Sclose)
            let dcpl = try ids.created(h5.H5Pcreate(h5.dataset_create), "the creation properties of \(p)", closedBy: h5.H5Pclose)
            if values.count >= 4096 {
                var chunk = dims
                chunk[0] = Swift.min(dims[0], Swift.max(1, hsize_t(1 << 16) / Swift.max(1, dims.dropFirst().reduce(1, *))))
                try h5.check(h5.H5Pset_chunk(dcpl, Int32(chunk.count), chunk), "cannot set the chunks of \(p)")
                try h5.check(h5.H5Pset_deflate(dcpl, 4), "cannot set the compression of \(p)")
            }
            let ds = try ids.created(h5.H5Dcreate2(id, name, type, space, apk_h5p_default(), dcpl, apk_h5p_default()),
                                     "dataset \(p)", closedBy: h5.H5Dclose)
            try values.withUnsafeBufferPointer { buf -> Void in
                try h5.check(h5.H5Dwrite(ds, type, apk_h5s_all(), apk_h5s_all(), apk_h5p_default(), buf.baseAddress), "cannot write dataset \(p)")
            }
        }
    }

    /// Writes a scalar boolean as h5py does (an 8-bit FALSE/TRUE enum).
    public func writeBool(_ name: String, _ value: Bool) throws {
        let id = try liveID(), p = child(name)
        try h5.withOpenedIDs { ids in
            let type = try ids.created(withUnsafePointer(to: h5) { apk_h5t_bool_enum($0) }, "the boolean type of \(p)", closedBy: h5.H5Tclose)
            let space = try ids.created(h5.H5Screate(H5S_SCALAR), "the dataspace of \(p)", closedBy: h5.H5Sclose)
            let ds = try ids.created(h5.H5Dcreate2(id, name, type, space, apk_h5p_default(), apk_h5p_default(), apk_h5p_default()),
                                     "dataset \(p)", closedBy: h5.H5Dclose)
            var v: Int8 = value ? 1 : 0
            try h5.check(h5.H5Dwrite(ds, type, apk_h5s_all(), apk_h5s_all(), apk_h5p_default(), &v), "cannot write dataset \(p)")
        }
    }

    /// Declares a dataset of `shape` without writing it: chunked and allocated lazily (nothing is
    /// stored until written), for data written in parts.
    public func createEmpty<T: HDF5Scalar>(_ name: String, as: T.Type, shape: [Int]) throws {
        let id = try liveID(), p = child(name)
        let dims = shape.map { hsize_t(Swift.max(0, $0)) }
        try h5.withOpenedIDs { ids in
            let space = try ids.created(h5.H5Screate_simple(Int32(dims.count), dims, nil), "the dataspace of \(p)", closedBy: h5.H5Sclose)
            let dcpl = try ids.created(h5.H5Pcreate(h5.dataset_create), "the creation properties of \(p)", closedBy: h5.H5Pclose)
            let chunk = dims.map { Swift.min(Swift.max($0, 1), dims.count == 1 ? 1 << 16 : 256) }
            try h5.check(h5.H5Pset_chunk(dcpl, Int32(chunk.count), chunk), "cannot set the chunks of \(p)")
            _ = try ids.created(h5.H5Dcreate2(id, name, T.hdf5Kind.typeID(h5), space, apk_h5p_default(), dcpl, apk_h5p_default()),
                                "dataset \(p)", closedBy: h5.H5Dclose)
        }
    }

    /// Reads a whole dataset, converting to `T`; returns the values and the shape. A dataset of
    /// more than `maxElements` values (or whose shape overflows) is refused before any allocation.
    public func read<T: HDF5Scalar>(_ name: String, as: T.Type = T.self, maxElements: Int = 1 << 28) throws -> (values: [T], shape: [Int]) {
        let id = try liveID(), p = child(name)
        return try h5.withOpenedIDs { ids in
            let ds = try ids.opened(h5.H5Dopen2(id, name, apk_h5p_default()), "dataset \(p)", failure: "no dataset \(p)", closedBy: h5.H5Dclose)
            let space = try ids.opened(h5.H5Dget_space(ds), "the dataspace of \(p)", failure: "cannot read the shape of \(p)", closedBy: h5.H5Sclose)
            let rank = Int(try h5.check(h5.H5Sget_simple_extent_ndims(space), "cannot read the shape of \(p)"))
            guard rank <= 32 else { throw HDF5Error(message: "\(p) has an unreadable shape") }
            var dims = [hsize_t](repeating: 0, count: Swift.max(rank, 1))
            try h5.check(h5.H5Sget_simple_extent_dims(space, &dims, nil), "cannot read the shape of \(p)")
            var shape: [Int] = []
            var n = 1
            for d in (rank == 0 ? [1] : dims) {
                guard let k = Int(exactly: d) else { throw HDF5Error(message: "\(p) is too large to read (\(dims) values)") }
                let (product, overflow) = n.multipliedReportingOverflow(by: k)
                guard !overflow, product <= maxElements else {
                    throw HDF5Error(message: "\(p) has \(dims.map(String.init).joined(separator: " x ")) values, more than the \(maxElements) read at once")
                }
                shape.append(k); n = product
            }
            var values = [T](unsafeUninitializedCapacity: n) { _, c in c = n }
            try values.withUnsafeMutableBufferPointer { buf -> Void in
                try h5.check(h5.H5Dread(ds, T.hdf5Kind.typeID(h5), apk_h5s_all(), apk_h5s_all(), apk_h5p_default(), buf.baseAddress),
                             "cannot read dataset \(p)")
            }
            return (values, shape)
        }
    }

    /// Writes a variable-length UTF-8 string dataset (e.g. a command line or a JSON document).
    public func writeString(_ name: String, _ value: String) throws {
        let id = try liveID(), p = child(name)
        try h5.withOpenedIDs { ids in
            let type = try stringType(&ids, for: p)
            let space = try ids.created(h5.H5Screate(H5S_SCALAR), "the dataspace of \(p)", closedBy: h5.H5Sclose)
            let ds = try ids.created(h5.H5Dcreate2(id, name, type, space, apk_h5p_default(), apk_h5p_default(), apk_h5p_default()),
                                     "dataset \(p)", closedBy: h5.H5Dclose)
            try value.withCString { cs in
                var s: UnsafePointer<CChar>? = cs
                try h5.check(h5.H5Dwrite(ds, type, apk_h5s_all(), apk_h5s_all(), apk_h5p_default(), &s), "cannot write dataset \(p)")
            }
        }
    }

    /// Reads a string dataset of one value.
    public func readString(_ name: String) throws -> String {
        let id = try liveID(), p = child(name)
        return try h5.withOpenedIDs { ids in
            let ds = try ids.opened(h5.H5Dopen2(id, name, apk_h5p_default()), "dataset \(p)", failure: "no dataset \(p)", closedBy: h5.H5Dclose)
            let space = try ids.opened(h5.H5Dget_space(ds), "the dataspace of \(p)", failure: "cannot read the shape of \(p)", closedBy: h5.H5Sclose)
            try requireOneValue(space, of: "dataset \(p)")
            let type = try stringType(&ids, for: p)
            var s: UnsafeMutablePointer<CChar>? = nil
            try h5.check(h5.H5Dread(ds, type, apk_h5s_all(), apk_h5s_all(), apk_h5p_default(), &s), "cannot read dataset \(p)")
            defer { free(s) }
            return s.map { String(cString: $0) } ?? ""
        }
    }
}
