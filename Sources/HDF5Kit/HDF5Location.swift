import CHDF5

/// A group or a file (or a dataset, for its attributes): something that holds datasets, groups and
/// attributes. Its HDF5 id is closed exactly once: by `close()`, or when the last reference goes.
public class HDF5Location {
    typealias Closer = @convention(c) (hid_t) -> herr_t

    /// The id, or -1 once closed.
    private var openID: hid_t
    /// The library's routines (every object of a file shares the table loaded when it opened).
    let h5: apk_h5_api
    let closer: Closer
    /// The object this one was opened from (nil for a file): kept alive, so that a file closes
    /// only after everything opened in it, whatever order the references go in.
    let parent: HDF5Location?
    /// The path of this object inside its file ("/" for the file).
    public let path: String

    init(id: hid_t, path: String, h5: apk_h5_api, parent: HDF5Location?, closer: Closer) {
        self.openID = id; self.path = path; self.h5 = h5; self.parent = parent; self.closer = closer
    }

    /// A failed close here has no one to tell: `close()` is the way to learn of it.
    deinit { if openID >= 0 { _ = closer(openID) } }

    /// The id, unless this object was closed.
    func liveID() throws -> hid_t {
        guard openID >= 0 else { throw HDF5Error(message: "\(what) is closed") }
        return openID
    }

    /// How messages name this object.
    var what: String { "group \(path)" }

    /// Closes this object now (later calls do nothing); using it afterwards throws. Objects opened
    /// from it stay usable.
    public func close() throws {
        guard openID >= 0 else { return }
        let id = openID
        openID = -1
        try h5.check(closer(id), "cannot close \(what)")
    }

    func child(_ name: String) -> String { path == "/" ? "/" + name : path + "/" + name }

    /// Creates a group (intermediate groups too).
    public func createGroup(_ name: String) throws -> HDF5Group {
        let id = try liveID(), p = child(name)
        return try h5.withOpenedIDs { ids in
            let lcpl = try ids.created(h5.H5Pcreate(h5.link_create), "the link properties of group \(p)", closedBy: h5.H5Pclose)
            try h5.check(h5.H5Pset_create_intermediate_group(lcpl, 1), "cannot set up the link properties of group \(p)")
            let gid = try h5.check(h5.H5Gcreate2(id, name, lcpl, apk_h5p_default(), apk_h5p_default()), "cannot create group \(p)")
            return HDF5Group(id: gid, path: p, parent: self)  // closed by its deinit if closing lcpl fails
        }
    }

    public func openGroup(_ name: String) throws -> HDF5Group {
        let id = try liveID(), p = child(name)
        let gid = try h5.check(h5.H5Gopen2(id, name, apk_h5p_default()), "no group \(p)")
        return HDF5Group(id: gid, path: p, parent: self)
    }

    /// Opens a dataset of this group (for its attributes).
    public func dataset(_ name: String) throws -> HDF5Dataset {
        let id = try liveID(), p = child(name)
        return HDF5Dataset(id: try h5.check(h5.H5Dopen2(id, name, apk_h5p_default()), "no dataset \(p)"), path: p, parent: self)
    }

    /// Whether `name` is a member; false too when HDF5 cannot tell (a missing intermediate group).
    public func exists(_ name: String) -> Bool {
        guard let id = try? liveID() else { return false }
        return h5.H5Lexists(id, name, apk_h5p_default()) > 0
    }

    /// Names of the direct members (groups and datasets), in name order.
    public func memberNames() throws -> [String] {
        let id = try liveID()
        var info = H5G_info_t()
        try h5.check(h5.H5Gget_info(id, &info), "cannot list \(what)")
        var names: [String] = []
        for k in 0..<info.nlinks {
            let n = try h5.check(h5.H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, k, nil, 0, apk_h5p_default()),
                                 "cannot read the name of member \(k) of \(what)")
            var buf = [CChar](repeating: 0, count: n + 1)
            try h5.check(h5.H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, k, &buf, n + 1, apk_h5p_default()),
                         "cannot read the name of member \(k) of \(what)")
            names.append(String(nulTerminated: buf))
        }
        return names
    }

    /// A variable-length UTF-8 string type, closed with the operation's other ids.
    func stringType(_ ids: inout OpenedIDs, for object: String) throws -> hid_t {
        let t = try ids.created(h5.H5Tcopy(h5.c_s1), "the string type of \(object)", closedBy: h5.H5Tclose)
        try h5.check(h5.H5Tset_size(t, apk_h5t_variable()), "cannot set up the string type of \(object)")
        try h5.check(h5.H5Tset_cset(t, H5T_cset_t(rawValue: apk_h5t_cset_utf8())), "cannot set up the string type of \(object)")
        return t
    }

    /// Checks that `space` holds one value (a string dataset or attribute read into one pointer).
    func requireOneValue(_ space: hid_t, of object: String) throws {
        let n = try h5.check(h5.H5Sget_simple_extent_npoints(space), "cannot read the shape of \(object)")
        guard n == 1 else { throw HDF5Error(message: "\(object) holds \(n) values, not one string") }
    }
}
