import CHDF5

/// A dataset, opened to read or set its attributes (e.g. `units`).
public final class HDF5Dataset: HDF5Location {
    init(id: hid_t, path: String, parent: HDF5Location) {
        super.init(id: id, path: path, h5: parent.h5, parent: parent, closer: parent.h5.H5Dclose)
    }

    override var what: String { "dataset \(path)" }
}
