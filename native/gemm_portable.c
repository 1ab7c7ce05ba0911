/* Portable C micro-kernels (4×8) for CPUs without AVX2 and for arm64: plain loops over a small
 * accumulator block that the compiler keeps in registers and vectorizes for the baseline ISA. */
#include "nabla.h"

#define MR 4
#define NR 8

#define PORTABLE_KERNEL(NAME, REAL)                                                                \
  static void NAME(long kc, const REAL *a, const REAL *b, REAL *c, long ldc, int accumulate) {    \
    REAL acc[MR][NR] = {{0}};                                                                      \
    for (long p = 0; p < kc; p++) {                                                                \
      for (int i = 0; i < MR; i++)                                                                 \
        for (int j = 0; j < NR; j++) acc[i][j] += a[i] * b[j];                                     \
      a += MR;                                                                                     \
      b += NR;                                                                                     \
    }                                                                                              \
    for (int i = 0; i < MR; i++)                                                               \
      for (int j = 0; j < NR; j++) c[i * ldc + j] = (accumulate ? c[i * ldc + j] : 0) + acc[i][j]; \
  }

PORTABLE_KERNEL(sgemm_4x8, float)
PORTABLE_KERNEL(dgemm_4x8, double)

/* The m = 1 product (see gemv.inc): each element summed as the kernel above sums it, acc += a·b in
 * order of p within a kc block, then c = (first block ? 0 : c) + acc; NR columns at a time. */
#define PORTABLE_GEMV(NAME, REAL)                                                                  \
  static void NAME(long k, long kc, long j0, long j1, const REAL *a, const REAL *b, long ldb, REAL *c) { \
    for (long pc = 0; pc < k; pc += kc) {                                                          \
      const long pe = pc + kc < k ? pc + kc : k;                                                   \
      const int first = pc == 0;                                                                   \
      for (long j = j0; j < j1; j += NR) {                                                         \
        const int w = j1 - j < NR ? (int)(j1 - j) : NR;                                            \
        REAL acc[NR] = {0};                                                                        \
        for (long p = pc; p < pe; p++)                                                             \
          for (int t = 0; t < w; t++) acc[t] += a[p] * b[p * ldb + j + t];                         \
        for (int t = 0; t < w; t++) c[j + t] = (first ? 0 : c[j + t]) + acc[t];                    \
      }                                                                                            \
    }                                                                                              \
  }

PORTABLE_GEMV(sgemv_portable, float)
PORTABLE_GEMV(dgemv_portable, double)

const nb_sgemm_desc nb_sgemm_portable = {"portable 4x8", MR, NR, 64, 256, 2048, sgemm_4x8, NULL, sgemv_portable};
const nb_dgemm_desc nb_dgemm_portable = {"portable 4x8", MR, NR, 64, 256, 1024, dgemm_4x8, NULL, dgemv_portable};
