// C shim for UMFPACK (SuiteSparse, Debian's libsuitesparse-dev). No pkg-config file: the header
// lives in /usr/include/suitesparse. Only the 64-bit-index "dl" routines are used (the 32-bit "di"
// ones failed at about a million unknowns here).
#ifndef ATOMPROBEKIT_CUMFPACK_SHIM_H
#define ATOMPROBEKIT_CUMFPACK_SHIM_H
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

/// OpenBLAS (the BLAS behind UMFPACK on Debian with libopenblas-dev): its worker threads only
/// busy-wait on the small dense blocks of 2D finite element factorizations (measured here: one
/// thread 48 s, two threads 59 s for the same run), so UMFPACKSolver runs it single-threaded.
extern void openblas_set_num_threads(int num_threads);
static inline void apk_blas_single_thread(void) { openblas_set_num_threads(1); }

#endif
