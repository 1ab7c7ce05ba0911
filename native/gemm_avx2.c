/* AVX2 + FMA micro-kernels: 6×16 floats and 6×8 doubles, i.e. twelve 256-bit accumulators, two
 * vectors of B and one broadcast of A live per step (15 of the 16 ymm registers). Compiled with a
 * per-function target so that the rest of the addon runs on any x86-64. The accumulators are
 * named variables, not an array: compilers keep those in registers reliably. */
#include "nabla.h"

#ifdef NB_X86
#include <immintrin.h>

#define TARGET __attribute__((target("avx2,fma")))

/* One row i of the tile: broadcast A[i], multiply-add with both B vectors. */
#define ROW_STEP(V, FMA, BCAST, i) \
  { V ai = BCAST(a + i); c##i##0 = FMA(ai, b0, c##i##0); c##i##1 = FMA(ai, b1, c##i##1); }

/* Stores (or adds into) row i of C: two vectors at ci and ci + W. */
#define ROW_STORE(LOADU, STOREU, ADD, W, i)                              \
  {                                                                      \
    if (accumulate) {                                                    \
      c##i##0 = ADD(c##i##0, LOADU(c + i * ldc));                        \
      c##i##1 = ADD(c##i##1, LOADU(c + i * ldc + W));                    \
    }                                                                    \
    STOREU(c + i * ldc, c##i##0);                                        \
    STOREU(c + i * ldc + W, c##i##1);                                    \
  }

#define KERNEL_6(NAME, REAL, V, ZERO, LOAD, LOADU, STOREU, BCAST, FMA, ADD, W)                      \
  TARGET static void NAME(long kc, const REAL *a, const REAL *b, REAL *c, long ldc, int accumulate) { \
    V c00 = ZERO(), c01 = ZERO(), c10 = ZERO(), c11 = ZERO(), c20 = ZERO(), c21 = ZERO();          \
    V c30 = ZERO(), c31 = ZERO(), c40 = ZERO(), c41 = ZERO(), c50 = ZERO(), c51 = ZERO();          \
    for (int i = 0; i < 6; i++) _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0);            \
    _Pragma("GCC unroll 4") for (long p = 0; p < kc; p++) {                                          \
      V b0 = LOAD(b), b1 = LOAD(b + W);                                                             \
      ROW_STEP(V, FMA, BCAST, 0) ROW_STEP(V, FMA, BCAST, 1) ROW_STEP(V, FMA, BCAST, 2)              \
      ROW_STEP(V, FMA, BCAST, 3) ROW_STEP(V, FMA, BCAST, 4) ROW_STEP(V, FMA, BCAST, 5)              \
      a += 6;                                                                                       \
      b += 2 * W;                                                                                   \
    }                                                                                               \
    ROW_STORE(LOADU, STOREU, ADD, W, 0) ROW_STORE(LOADU, STOREU, ADD, W, 1)                         \
    ROW_STORE(LOADU, STOREU, ADD, W, 2) ROW_STORE(LOADU, STOREU, ADD, W, 3)                         \
    ROW_STORE(LOADU, STOREU, ADD, W, 4) ROW_STORE(LOADU, STOREU, ADD, W, 5)                         \
  }

KERNEL_6(sgemm_6x16, float, __m256, _mm256_setzero_ps, _mm256_load_ps, _mm256_loadu_ps, _mm256_storeu_ps,
         _mm256_broadcast_ss, _mm256_fmadd_ps, _mm256_add_ps, 8)
KERNEL_6(dgemm_6x8, double, __m256d, _mm256_setzero_pd, _mm256_load_pd, _mm256_loadu_pd, _mm256_storeu_pd,
         _mm256_broadcast_sd, _mm256_fmadd_pd, _mm256_add_pd, 4)

/* Blocking for a 32–48 KiB L1 and ≥ 512 KiB L2: a kc×nr panel of B (16 KiB) stays in L1, an
 * mc×kc block of A (~150–200 KiB) in L2, a kc×nc panel of B in L3. */
const nb_sgemm_desc nb_sgemm_avx2 = {"avx2-fma 6x16", 6, 16, 144, 256, 4096, sgemm_6x16};
const nb_dgemm_desc nb_dgemm_avx2 = {"avx2-fma 6x8", 6, 8, 96, 256, 2048, dgemm_6x8};

#endif
