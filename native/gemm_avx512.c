/* AVX-512F micro-kernels: 12×32 floats and 12×16 doubles, i.e. 24 zmm accumulators, two vectors
 * of B and one broadcast of A per step (27 of the 32 zmm registers). Selected at run time only
 * when the CPU and the OS support AVX-512F. */
#include "nabla.h"

#ifdef NB_X86
#include <immintrin.h>

#define TARGET __attribute__((target("avx512f")))

TARGET static void sgemm_12x32(long kc, const float *a, const float *b, float *c, long ldc, int accumulate) {
  __m512 acc[12][2];
  for (int i = 0; i < 12; i++) {
    _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0);
    _mm_prefetch((const char *)(c + i * ldc + 31), _MM_HINT_T0);
    acc[i][0] = _mm512_setzero_ps();
    acc[i][1] = _mm512_setzero_ps();
  }
#pragma GCC unroll 2
  for (long p = 0; p < kc; p++) {
    __m512 b0 = _mm512_load_ps(b);
    __m512 b1 = _mm512_load_ps(b + 16);
#pragma GCC unroll 12
    for (int i = 0; i < 12; i++) {
      __m512 ai = _mm512_set1_ps(a[i]);
      acc[i][0] = _mm512_fmadd_ps(ai, b0, acc[i][0]);
      acc[i][1] = _mm512_fmadd_ps(ai, b1, acc[i][1]);
    }
    a += 12;
    b += 32;
  }
  for (int i = 0; i < 12; i++) {
    float *ci = c + i * ldc;
    if (accumulate) {
      acc[i][0] = _mm512_add_ps(acc[i][0], _mm512_loadu_ps(ci));
      acc[i][1] = _mm512_add_ps(acc[i][1], _mm512_loadu_ps(ci + 16));
    }
    _mm512_storeu_ps(ci, acc[i][0]);
    _mm512_storeu_ps(ci + 16, acc[i][1]);
  }
}

TARGET static void dgemm_12x16(long kc, const double *a, const double *b, double *c, long ldc, int accumulate) {
  __m512d acc[12][2];
  for (int i = 0; i < 12; i++) {
    _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0);
    _mm_prefetch((const char *)(c + i * ldc + 15), _MM_HINT_T0);
    acc[i][0] = _mm512_setzero_pd();
    acc[i][1] = _mm512_setzero_pd();
  }
#pragma GCC unroll 2
  for (long p = 0; p < kc; p++) {
    __m512d b0 = _mm512_load_pd(b);
    __m512d b1 = _mm512_load_pd(b + 8);
#pragma GCC unroll 12
    for (int i = 0; i < 12; i++) {
      __m512d ai = _mm512_set1_pd(a[i]);
      acc[i][0] = _mm512_fmadd_pd(ai, b0, acc[i][0]);
      acc[i][1] = _mm512_fmadd_pd(ai, b1, acc[i][1]);
    }
    a += 12;
    b += 16;
  }
  for (int i = 0; i < 12; i++) {
    double *ci = c + i * ldc;
    if (accumulate) {
      acc[i][0] = _mm512_add_pd(acc[i][0], _mm512_loadu_pd(ci));
      acc[i][1] = _mm512_add_pd(acc[i][1], _mm512_loadu_pd(ci + 8));
    }
    _mm512_storeu_pd(ci, acc[i][0]);
    _mm512_storeu_pd(ci + 8, acc[i][1]);
  }
}

/* kc×nr panels of B are 24 KiB (fits a 32–48 KiB L1); mc×kc blocks of A ~110–220 KiB (L2). */
#include "gemv.inc"
#define SFMA_S(a, b, acc) _mm512_cvtss_f32(_mm512_fmadd_ps(_mm512_set1_ps(a), _mm512_set1_ps(b), _mm512_set1_ps(acc)))
#define SFMA_D(a, b, acc) _mm512_cvtsd_f64(_mm512_fmadd_pd(_mm512_set1_pd(a), _mm512_set1_pd(b), _mm512_set1_pd(acc)))
NB_GEMV_ROW(TARGET, sgemv_avx512, float, __m512, _mm512_setzero_ps, _mm512_loadu_ps, _mm512_storeu_ps, _mm512_set1_ps,
            _mm512_fmadd_ps, _mm512_add_ps, 16, SFMA_S)
NB_GEMV_ROW(TARGET, dgemv_avx512, double, __m512d, _mm512_setzero_pd, _mm512_loadu_pd, _mm512_storeu_pd, _mm512_set1_pd,
            _mm512_fmadd_pd, _mm512_add_pd, 8, SFMA_D)

const nb_sgemm_desc nb_sgemm_avx512 = {"avx512f 12x32", 12, 32, 144, 192, 4096, sgemm_12x32, NULL, sgemv_avx512};
const nb_dgemm_desc nb_dgemm_avx512 = {"avx512f 12x16", 12, 16, 144, 192, 2048, dgemm_12x16, NULL, dgemv_avx512};

#endif
