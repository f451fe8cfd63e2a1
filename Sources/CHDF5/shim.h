// C shim for HDF5 (serial, Debian's libhdf5-dev).
//
// HDF5 is loaded on first use (`dlopen`), not linked: the library pulls in about 25 shared
// objects (curl, TLS, LDAP, Kerberos...) whose loading cost every command about 6 ms of start,
// although only the commands that read or write .h5 files need it. The header gives the types and
// constants; `apk_h5_load` fills a table of the routines HDF5Kit calls, and reads the type and
// property-list ids that HDF5's macros (`H5T_NATIVE_*`, `H5P_DATASET_CREATE`, ...) stand for.
#ifndef ATOMPROBEKIT_CHDF5_SHIM_H
#define ATOMPROBEKIT_CHDF5_SHIM_H
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
// Debian keeps the serial headers in hdf5/serial/ (its pkg-config file is not used: it would link
// the library); other systems in the include path's root.
#if __has_include(<hdf5/serial/hdf5.h>)
#include <hdf5/serial/hdf5.h>
#else
#include <hdf5.h>
#endif

// Every routine HDF5Kit calls, once: X(name) for each.
#define APK_H5_ROUTINES(X) \
    X(H5dont_atexit) X(H5open) X(H5get_libversion) X(H5Eset_auto2) X(H5Ewalk2) \
    X(H5Fcreate) X(H5Fopen) X(H5Fclose) X(H5Fflush) X(H5Fis_hdf5) \
    X(H5Gcreate2) X(H5Gopen2) X(H5Gclose) X(H5Gget_info) \
    X(H5Lexists) X(H5Lget_name_by_idx) \
    X(H5Pcreate) X(H5Pclose) X(H5Pset_chunk) X(H5Pset_deflate) X(H5Pset_create_intermediate_group) \
    X(H5Screate) X(H5Screate_simple) X(H5Sclose) \
    X(H5Sget_simple_extent_ndims) X(H5Sget_simple_extent_dims) X(H5Sget_simple_extent_npoints) \
    X(H5Dcreate2) X(H5Dopen2) X(H5Dclose) X(H5Dwrite) X(H5Dread) X(H5Dget_space) \
    X(H5Acreate2) X(H5Aopen) X(H5Aclose) X(H5Awrite) X(H5Aread) X(H5Aexists) X(H5Adelete) X(H5Aget_space) \
    X(H5Tcopy) X(H5Tclose) X(H5Tset_size) X(H5Tset_cset) X(H5Tenum_create) X(H5Tenum_insert)

// Library variables behind HDF5's macros: X(field, symbol).
#define APK_H5_IDS(X) \
    X(native_float, H5T_NATIVE_FLOAT_g) X(native_double, H5T_NATIVE_DOUBLE_g) \
    X(native_int32, H5T_NATIVE_INT32_g) X(native_int64, H5T_NATIVE_INT64_g) \
    X(native_uint32, H5T_NATIVE_UINT32_g) X(native_uint16, H5T_NATIVE_UINT16_g) \
    X(native_uint8, H5T_NATIVE_UINT8_g) X(native_int8, H5T_NATIVE_INT8_g) \
    X(c_s1, H5T_C_S1_g) X(dataset_create, H5P_CLS_DATASET_CREATE_ID_g) X(link_create, H5P_CLS_LINK_CREATE_ID_g)

/// The loaded library: one field a routine (named as in HDF5) and one a type or class id.
typedef struct {
#define APK_H5_FIELD(name) __typeof__(name) *name;
    APK_H5_ROUTINES(APK_H5_FIELD)
#undef APK_H5_FIELD
#define APK_H5_ID_FIELD(field, symbol) hid_t field;
    APK_H5_IDS(APK_H5_ID_FIELD)
#undef APK_H5_ID_FIELD
} apk_h5_api;

#define APK_H5_STRINGIFY_(x) #x
#define APK_H5_STRINGIFY(x) APK_H5_STRINGIFY_(x)

/// Fills `api` from the first HDF5 found whose major.minor version is the header's, and turns
/// HDF5's automatic error printing off (HDF5Kit reports errors itself). Returns NULL, or a
/// message (in `message`, `size` bytes) saying what could not be loaded.
///
/// HDF5's own clean-up at exit is turned off (`H5dont_atexit`, before the library starts): when
/// closing a file fails (its metadata could not be written, e.g. on a full disk), HDF5 1.10 frees
/// the file but keeps its id, and the clean-up at exit then closes that id again and crashes.
/// HDF5Kit closes every object it opens itself (and flushes files explicitly), so nothing is
/// left for the exit clean-up to do.
static inline const char *apk_h5_load(apk_h5_api *api, char *message, size_t size) {
    // Debian's development links first (libhdf5-dev), then the run-time sonames of Debian 12
    // (HDF5 1.10) and 13 (1.14), then other systems' names.
    static const char *const names[] = {
        "libhdf5_serial.so", "libhdf5_serial.so.103", "libhdf5_serial.so.310", "libhdf5.so",
        "libhdf5.so.103", "libhdf5.so.310", "libhdf5.dylib", "/opt/homebrew/lib/libhdf5.dylib",
    };
    void *handle = NULL;
    for (unsigned k = 0; k < sizeof names / sizeof names[0] && handle == NULL; k++) {
        handle = dlopen(names[k], RTLD_NOW | RTLD_LOCAL);
    }
    if (handle == NULL) {
        snprintf(message, size, "libhdf5 not found (install libhdf5-dev)");
        return message;
    }
#define APK_H5_LOOKUP(name) \
    if ((api->name = (__typeof__(api->name))dlsym(handle, #name)) == NULL) { \
        snprintf(message, size, "libhdf5 lacks %s", #name); \
        return message; \
    }
    APK_H5_ROUTINES(APK_H5_LOOKUP)
#undef APK_H5_LOOKUP
    // No effect when another user of the library in this process started it first (it then keeps
    // its clean-up at exit): nothing to report.
    (void)api->H5dont_atexit();
    unsigned major = 0, minor = 0, release = 0;
    if (api->H5open() < 0 || api->H5get_libversion(&major, &minor, &release) < 0) {
        snprintf(message, size, "libhdf5 failed to start");
        return message;
    }
    if (major != H5_VERS_MAJOR || minor != H5_VERS_MINOR) {
        snprintf(message, size, "libhdf5 %u.%u.%u does not match the headers AtomProbeKit was built with (%s)",
                 major, minor, release, APK_H5_STRINGIFY(H5_VERS_MAJOR) "." APK_H5_STRINGIFY(H5_VERS_MINOR));
        return message;
    }
#define APK_H5_READ_ID(field, symbol) \
    { \
        const hid_t *id = (const hid_t *)dlsym(handle, #symbol); \
        if (id == NULL) { \
            snprintf(message, size, "libhdf5 lacks %s", #symbol); \
            return message; \
        } \
        api->field = *id; \
    }
    APK_H5_IDS(APK_H5_READ_ID)
#undef APK_H5_READ_ID
    api->H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    return NULL;
}

/// h5py's boolean: an 8-bit enum FALSE = 0, TRUE = 1 (what NeXus tools read as NX_BOOLEAN).
/// Returns the new type's id, or a negative value (nothing left open) when HDF5 fails.
static inline hid_t apk_h5t_bool_enum(const apk_h5_api *api) {
    hid_t t = api->H5Tenum_create(api->native_int8);
    if (t < 0) return t;
    signed char f = 0, v = 1;
    if (api->H5Tenum_insert(t, "FALSE", &f) < 0 || api->H5Tenum_insert(t, "TRUE", &v) < 0) {
        (void)api->H5Tclose(t);
        return -1;
    }
    return t;
}

typedef struct {
    char *text;
    size_t size;
} apk_h5_reason;

/// One entry of the error stack, for `apk_h5_os_reason`: keeps the first reason found.
static inline herr_t apk_h5_reason_step(unsigned n, const H5E_error2_t *error, void *data) {
    (void)n;
    apk_h5_reason *reason = (apk_h5_reason *)data;
    static const char key[] = "error message = '";
    const char *at = (reason->text[0] == 0 && error->desc != NULL) ? strstr(error->desc, key) : NULL;
    if (at != NULL) {
        at += sizeof key - 1;
        const char *end = strchr(at, '\'');
        size_t length = end != NULL ? (size_t)(end - at) : strlen(at);
        if (length >= reason->size) length = reason->size - 1;
        memcpy(reason->text, at, length);
        reason->text[length] = 0;
    }
    return 0;
}

/// The operating system's reason for the failure on HDF5's current error stack (the
/// `error message = '...'` of a failed open, read or write: "No space left on device"), copied
/// into `text` (`size` bytes, at least 1); empty when the stack holds none. Read it right after
/// the failing call: the next HDF5 call clears the stack.
static inline void apk_h5_os_reason(const apk_h5_api *api, char *text, size_t size) {
    text[0] = 0;
    apk_h5_reason reason = {text, size};
    (void)api->H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, apk_h5_reason_step, &reason);
}

// Constants that are plain numbers (no library call): wrapped because some are macros Swift
// cannot import.
static inline hid_t apk_h5p_default(void)       { return H5P_DEFAULT; }
static inline hid_t apk_h5s_all(void)           { return H5S_ALL; }
// H5F_ACC_* expand to calls (H5check, H5open) before their values: the values are written out.
static inline unsigned apk_h5f_acc_trunc(void)  { return 0x0002u; }
static inline unsigned apk_h5f_acc_rdonly(void) { return 0x0000u; }
static inline unsigned apk_h5f_acc_rdwr(void)   { return 0x0001u; }
static inline size_t apk_h5t_variable(void)     { return H5T_VARIABLE; }
static inline int apk_h5t_str_nullterm(void)    { return H5T_STR_NULLTERM; }
static inline int apk_h5t_cset_utf8(void)       { return H5T_CSET_UTF8; }

#endif
