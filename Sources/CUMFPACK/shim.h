// C shim for UMFPACK (SuiteSparse, Debian's libsuitesparse-dev). No pkg-config file: the header
// lives in /usr/include/suitesparse. Only the 64-bit-index "dl" routines are used (the 32-bit "di"
// ones failed at about a million unknowns here).
#ifndef ATOMPROBEKIT_CUMFPACK_SHIM_H
#define ATOMPROBEKIT_CUMFPACK_SHIM_H
#include <dlfcn.h>
#include <stdlib.h>
#include <suitesparse/umfpack.h>

static inline int apk_umfpack_sys_A(void) { return UMFPACK_A; }
static inline int apk_umfpack_info_size(void) { return UMFPACK_INFO; }
static inline int apk_umfpack_control_size(void) { return UMFPACK_CONTROL; }
static inline long apk_umfpack_ok(void) { return UMFPACK_OK; }
static inline long apk_umfpack_warning_singular(void) { return UMFPACK_WARNING_singular_matrix; }
static inline int apk_umfpack_strategy(void) { return UMFPACK_STRATEGY; }
static inline double apk_umfpack_strategy_symmetric(void) { return UMFPACK_STRATEGY_SYMMETRIC; }
static inline int apk_umfpack_lnz(void) { return UMFPACK_LNZ; }
static inline int apk_umfpack_unz(void) { return UMFPACK_UNZ; }
static inline int apk_umfpack_flops(void) { return UMFPACK_FLOPS; }
static inline int apk_umfpack_strategy_used(void) { return UMFPACK_STRATEGY_USED; }
static inline int apk_umfpack_ordering(void) { return UMFPACK_ORDERING; }
static inline int apk_umfpack_irstep(void) { return UMFPACK_IRSTEP; }

/// UMFPACK is loaded on first use (`dlopen`), not linked: linking it loads about 20 shared
/// objects (CHOLMOD, METIS, LAPACK, OpenBLAS...) into every command, about 7 ms of start, and
/// OpenBLAS's initializer starts worker threads that busy-wait for about 0.1 s on both cores of a
/// 2-core machine, which slowed `composition` of a 265 MB file from 0.09 to 0.12 s. Only the
/// finite element commands need it.
typedef struct {
    __typeof__(umfpack_dl_defaults) *defaults;
    __typeof__(umfpack_dl_symbolic) *symbolic;
    __typeof__(umfpack_dl_numeric) *numeric;
    __typeof__(umfpack_dl_solve) *solve;
    __typeof__(umfpack_dl_free_symbolic) *free_symbolic;
    __typeof__(umfpack_dl_free_numeric) *free_numeric;
} apk_umfpack_api;

#define APK_STRINGIFY_(x) #x
#define APK_STRINGIFY(x) APK_STRINGIFY_(x)

/// Fills `api` from the UMFPACK the header belongs to (the soname of its major version, then the
/// development link). Returns NULL, or a message saying what could not be loaded.
///
/// OpenBLAS (the BLAS behind UMFPACK on Debian with libopenblas-dev): its worker threads only
/// busy-wait on the small dense blocks of 2D finite element factorizations (measured here: one
/// thread 48 s, two threads 59 s for the same run), so it is loaded single-threaded: the
/// environment variable is set before loading (unless the user set it), so that no worker thread
/// starts, and `openblas_set_num_threads(1)` is called where the BLAS has it.
static inline const char *apk_umfpack_load(apk_umfpack_api *api) {
    static const char *const names[] = {
#if defined(__APPLE__)
        "libumfpack." APK_STRINGIFY(UMFPACK_MAIN_VERSION) ".dylib", "libumfpack.dylib",
#else
        "libumfpack.so." APK_STRINGIFY(UMFPACK_MAIN_VERSION), "libumfpack.so",
#endif
    };
    setenv("OPENBLAS_NUM_THREADS", "1", 0);
    void *handle = NULL;
    for (unsigned k = 0; k < sizeof names / sizeof names[0] && handle == NULL; k++) {
        handle = dlopen(names[k], RTLD_NOW | RTLD_LOCAL);
    }
    if (handle == NULL) {
        const char *why = dlerror();
        return why != NULL ? why : "libumfpack not found";
    }
    api->defaults = (__typeof__(api->defaults))dlsym(handle, "umfpack_dl_defaults");
    api->symbolic = (__typeof__(api->symbolic))dlsym(handle, "umfpack_dl_symbolic");
    api->numeric = (__typeof__(api->numeric))dlsym(handle, "umfpack_dl_numeric");
    api->solve = (__typeof__(api->solve))dlsym(handle, "umfpack_dl_solve");
    api->free_symbolic = (__typeof__(api->free_symbolic))dlsym(handle, "umfpack_dl_free_symbolic");
    api->free_numeric = (__typeof__(api->free_numeric))dlsym(handle, "umfpack_dl_free_numeric");
    if (!api->defaults || !api->symbolic || !api->numeric || !api->solve || !api->free_symbolic || !api->free_numeric) {
        return "libumfpack lacks the umfpack_dl_* routines";
    }
    void (*set_threads)(int) = (void (*)(int))dlsym(handle, "openblas_set_num_threads");
    if (set_threads != NULL) { set_threads(1); }
    return NULL;
}

#endif
