import CHDF5

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

extension Float: HDF5Scalar { public static var hdf5Kind: HDF5ScalarKind { .float32 } }
extension Double: HDF5Scalar { public static var hdf5Kind: HDF5ScalarKind { .float64 } }
extension Int32: HDF5Scalar { public static var hdf5Kind: HDF5ScalarKind { .int32 } }
extension Int64: HDF5Scalar { public static var hdf5Kind: HDF5ScalarKind { .int64 } }
extension UInt32: HDF5Scalar { public static var hdf5Kind: HDF5ScalarKind { .uint32 } }
extension UInt16: HDF5Scalar { public static var hdf5Kind: HDF5ScalarKind { .uint16 } }
extension UInt8: HDF5Scalar { public static var hdf5Kind: HDF5ScalarKind { .uint8 } }
extension Int8: HDF5Scalar { public static var hdf5Kind: HDF5ScalarKind { .int8 } }
