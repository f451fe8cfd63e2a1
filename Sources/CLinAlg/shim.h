// C shim for CBLAS (OpenBLAS) and LAPACKE (Debian's libopenblas-dev, liblapacke-dev).
// lapack_int is a macro invisible to Swift; Debian's LAPACKE uses 32-bit ints.
#ifndef ATOMPROBEKIT_CLINALG_SHIM_H
#define ATOMPROBEKIT_CLINALG_SHIM_H
#include <cblas.h>
#include <lapacke.h>

static inline int apk_lapack_row_major(void) { return LAPACK_ROW_MAJOR; }
static inline int apk_lapack_col_major(void) { return LAPACK_COL_MAJOR; }

#endif
