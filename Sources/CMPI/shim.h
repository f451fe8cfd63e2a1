// C shim for Open MPI (Debian's libopenmpi-dev). MPI's handles (MPI_COMM_WORLD, MPI_DOUBLE,
// MPI_SUM, ...) are macros over library symbols that Swift cannot import; every call MPIKit
// makes is wrapped here in a static inline function on MPI_COMM_WORLD.
#ifndef ATOMPROBEKIT_CMPI_SHIM_H
#define ATOMPROBEKIT_CMPI_SHIM_H
#include <mpi.h>
#include <stdint.h>

static inline int apk_mpi_init(void) {
    int done = 0;
    MPI_Initialized(&done);
    if (done) return MPI_SUCCESS;
    int provided = 0;
    return MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
}
static inline int apk_mpi_finalize(void) {
    int done = 0;
    MPI_Finalized(&done);
    return done ? MPI_SUCCESS : MPI_Finalize();
}
static inline void apk_mpi_abort(int code) { MPI_Abort(MPI_COMM_WORLD, code); }
static inline int apk_mpi_rank(void) { int r = 0; MPI_Comm_rank(MPI_COMM_WORLD, &r); return r; }
static inline int apk_mpi_size(void) { int s = 1; MPI_Comm_size(MPI_COMM_WORLD, &s); return s; }
static inline int apk_mpi_sum_int64(int64_t *values, int count) {
    return MPI_Allreduce(MPI_IN_PLACE, values, count, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
}
static inline int apk_mpi_max_uint8(uint8_t *values, int count) {
    return MPI_Allreduce(MPI_IN_PLACE, values, count, MPI_UINT8_T, MPI_MAX, MPI_COMM_WORLD);
}
static inline int apk_mpi_min_double(double *values, int count) {
    return MPI_Allreduce(MPI_IN_PLACE, values, count, MPI_DOUBLE, MPI_MIN, MPI_COMM_WORLD);
}
static inline int apk_mpi_max_double(double *values, int count) {
    return MPI_Allreduce(MPI_IN_PLACE, values, count, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
}
static inline int apk_mpi_allgather_int(int value, int *all) {
    return MPI_Allgather(&value, 1, MPI_INT, all, 1, MPI_INT, MPI_COMM_WORLD);
}
static inline int apk_mpi_allgatherv_float(const float *mine, int count, float *all, const int *counts, const int *offsets) {
    return MPI_Allgatherv(mine, count, MPI_FLOAT, all, counts, offsets, MPI_FLOAT, MPI_COMM_WORLD);
}
#endif
