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

const nb_sgemm_desc nb_sgemm_portable = {"portable 4x8", MR, NR, 64, 256, 2048, sgemm_4x8, NULL};
const nb_dgemm_desc nb_dgemm_portable = {"portable 4x8", MR, NR, 64, 256, 1024, dgemm_4x8, NULL};
