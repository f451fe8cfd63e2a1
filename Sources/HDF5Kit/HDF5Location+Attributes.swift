#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CHDF5

/// Attributes of a file, group or dataset: strings and numeric arrays.
extension HDF5Location {
    /// Sets a string attribute on this object.
    public func setAttribute(_ name: String, _ value: String) throws {
        let id = try liveID(), a = "attribute \(name) of \(what)"
        try h5.withOpenedIDs { ids in
            let type = try stringType(&ids, for: a)
            let space = try ids.created(h5.H5Screate(H5S_SCALAR), "the dataspace of \(a)", closedBy: h5.H5Sclose)
            try removeAttribute(id, name)
            let attr = try ids.created(h5.H5Acreate2(id, name, type, space, apk_h5p_default(), apk_h5p_default()), a, closedBy: h5.H5Aclose)
            try value.withCString { cs in
                var s: UnsafePointer<CChar>? = cs
                try h5.check(h5.H5Awrite(attr, type, &s), "cannot write \(a)")
            }
        }
    }

    /// Sets a numeric attribute (scalar or 1-D array) on this object.
    public func setAttribute<T: HDF5Scalar>(_ name: String, _ values: [T]) throws {
        let id = try liveID(), a = "attribute \(name) of \(what)"
        var dims = [hsize_t(values.count)]
        let type = T.hdf5Kind.typeID(h5)
        try h5.withOpenedIDs { ids in
            let space = try ids.created(h5.H5Screate_simple(1, &dims, nil), "the dataspace of \(a)", closedBy: h5.H5Sclose)
            try removeAttribute(id, name)
            let attr = try ids.created(h5.H5Acreate2(id, name, type, space, apk_h5p_default(), apk_h5p_default()), a, closedBy: h5.H5Aclose)
            try values.withUnsafeBufferPointer { buf -> Void in try h5.check(h5.H5Awrite(attr, type, buf.baseAddress), "cannot write \(a)") }
        }
    }

    /// Sets a 1-D string-array attribute (NeXus `@axes` of several axes).
    public func setAttribute(_ name: String, strings values: [String]) throws {
        let id = try liveID(), a = "attribute \(name) of \(what)"
        var dims = [hsize_t(values.count)]
        try h5.withOpenedIDs { ids in
            let type = try stringType(&ids, for: a)
            let space = try ids.created(h5.H5Screate_simple(1, &dims, nil), "the dataspace of \(a)", closedBy: h5.H5Sclose)
            try removeAttribute(id, name)
            let attr = try ids.created(h5.H5Acreate2(id, name, type, space, apk_h5p_default(), apk_h5p_default()), a, closedBy: h5.H5Aclose)
            var pointers: [UnsafePointer<CChar>?] = values.map { UnsafePointer(strdup($0)) }
            defer { for p in pointers { free(UnsafeMutableRawPointer(mutating: p)) } }
            try h5.check(h5.H5Awrite(attr, type, &pointers), "cannot write \(a)")
        }
    }

    /// Sets a numeric attribute of one value with a scalar dataspace (NeXus `@AXIS_indices`).
    public func setAttribute<T: HDF5Scalar>(_ name: String, scalar value: T) throws {
        let id = try liveID(), a = "attribute \(name) of \(what)"
        let type = T.hdf5Kind.typeID(h5)
        try h5.withOpenedIDs { ids in
            let space = try ids.created(h5.H5Screate(H5S_SCALAR), "the dataspace of \(a)", closedBy: h5.H5Sclose)
            try removeAttribute(id, name)
            let attr = try ids.created(h5.H5Acreate2(id, name, type, space, apk_h5p_default(), apk_h5p_default()), a, closedBy: h5.H5Aclose)
            try [value].withUnsafeBufferPointer { buf -> Void in try h5.check(h5.H5Awrite(attr, type, buf.baseAddress), "cannot write \(a)") }
        }
    }

    /// Deletes the attribute `name` if there is one (before it is written anew).
    private func removeAttribute(_ id: hid_t, _ name: String) throws {
        let a = "attribute \(name) of \(what)"
        if try h5.check(h5.H5Aexists(id, name), "cannot look up \(a)") > 0 {
            try h5.check(h5.H5Adelete(id, name), "cannot replace \(a)")
        }
    }

    /// Reads a string attribute of one value.
    public func stringAttribute(_ name: String) throws -> String {
        let id = try liveID(), a = "attribute \(name) of \(what)"
        return try h5.withOpenedIDs { ids in
            let attr = try ids.opened(h5.H5Aopen(id, name, apk_h5p_default()), a, failure: "no \(a)", closedBy: h5.H5Aclose)
            let space = try ids.opened(h5.H5Aget_space(attr), "the dataspace of \(a)", failure: "cannot read the shape of \(a)", closedBy: h5.H5Sclose)
            try requireOneValue(space, of: a)
            let type = try stringType(&ids, for: a)
            var s: UnsafeMutablePointer<CChar>? = nil
            try h5.check(h5.H5Aread(attr, type, &s), "cannot read \(a)")
            defer { free(s) }
            return s.map { String(cString: $0) } ?? ""
        }
    }

    /// Reads a numeric attribute (all its values), converting to `T`.
    public func numericAttribute<T: HDF5Scalar>(_ name: String, as: T.Type = T.self) throws -> [T] {
        let id = try liveID(), a = "attribute \(name) of \(what)"
        return try h5.withOpenedIDs { ids in
            let attr = try ids.opened(h5.H5Aopen(id, name, apk_h5p_default()), a, failure: "no \(a)", closedBy: h5.H5Aclose)
            let space = try ids.opened(h5.H5Aget_space(attr), "the dataspace of \(a)", failure: "cannot read the shape of \(a)", closedBy: h5.H5Sclose)
            let n = Int(try h5.check(h5.H5Sget_simple_extent_npoints(space), "cannot read the shape of \(a)"))
            var out = [T](unsafeUninitializedCapacity: n) { _, c in c = n }
            try out.withUnsafeMutableBufferPointer { buf -> Void in try h5.check(h5.H5Aread(attr, T.hdf5Kind.typeID(h5), buf.baseAddress), "cannot read \(a)") }
            return out
        }
    }
}
