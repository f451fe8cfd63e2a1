// C shim for HDF5 (serial, Debian's libhdf5-dev).
// HDF5's type and property-list names are macros that call H5open(); Swift cannot import
// them, so each one used by HDF5Kit is wrapped here in a static inline function.
#ifndef ATOMPROBEKIT_CHDF5_SHIM_H
#define ATOMPROBEKIT_CHDF5_SHIM_H
#include <hdf5.h>

static inline hid_t apk_h5t_native_float(void)  { return H5T_NATIVE_FLOAT; }
static inline hid_t apk_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t apk_h5t_native_int32(void)  { return H5T_NATIVE_INT32; }
static inline hid_t apk_h5t_native_int64(void)  { return H5T_NATIVE_INT64; }
static inline hid_t apk_h5t_native_uint32(void) { return H5T_NATIVE_UINT32; }
static inline hid_t apk_h5t_native_uint16(void) { return H5T_NATIVE_UINT16; }
static inline hid_t apk_h5t_native_uint8(void)  { return H5T_NATIVE_UINT8; }
static inline hid_t apk_h5t_native_int8(void)   { return H5T_NATIVE_INT8; }
/// h5py's boolean: an 8-bit enum FALSE = 0, TRUE = 1 (what NeXus tools read as NX_BOOLEAN).
static inline hid_t apk_h5t_bool_enum(void) {
    hid_t t = H5Tenum_create(H5T_NATIVE_INT8);
    signed char f = 0, v = 1;
    H5Tenum_insert(t, "FALSE", &f);
    H5Tenum_insert(t, "TRUE", &v);
    return t;
}
static inline hid_t apk_h5t_c_s1(void)          { return H5T_C_S1; }
static inline hid_t apk_h5p_default(void)       { return H5P_DEFAULT; }
static inline hid_t apk_h5p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t apk_h5p_link_create(void)   { return H5P_LINK_CREATE; }
static inline hid_t apk_h5s_all(void)           { return H5S_ALL; }
static inline unsigned apk_h5f_acc_trunc(void)  { return H5F_ACC_TRUNC; }
static inline unsigned apk_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned apk_h5f_acc_rdwr(void)   { return H5F_ACC_RDWR; }
static inline size_t apk_h5t_variable(void)     { return H5T_VARIABLE; }
static inline int apk_h5t_str_nullterm(void)    { return H5T_STR_NULLTERM; }
static inline int apk_h5t_cset_utf8(void)       { return H5T_CSET_UTF8; }

/// Silences HDF5's automatic error printing; HDF5Kit reports errors itself.
static inline void apk_h5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

#endif
