import CHDF5

/// A group of a file.
public final class HDF5Group: HDF5Location {
    init(id: hid_t, path: String, parent: HDF5Location) {
        super.init(id: id, path: path, h5: parent.h5, parent: parent, closer: parent.h5.H5Gclose)
    }
}
