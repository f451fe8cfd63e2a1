/* Relaxed atomic adds and stores on plain memory, for grids that every worker deposits into at
   once (one shared grid instead of one per core). Header only: nothing to link. */
#ifndef APK_ATOMICS_SHIM_H
#define APK_ATOMICS_SHIM_H
#include <stdint.h>

static inline void apk_atomic_add_i64(int64_t *p, int64_t v) { __atomic_fetch_add(p, v, __ATOMIC_RELAXED); }
static inline void apk_atomic_store_u8(uint8_t *p, uint8_t v) { __atomic_store_n(p, v, __ATOMIC_RELAXED); }
static inline uint8_t apk_atomic_load_u8(const uint8_t *p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }

#endif
