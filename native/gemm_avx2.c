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

/* Transposes an 8×8 block held in r0..r7 (rows) into columns, in place. */
#define TRANSPOSE8(r0, r1, r2, r3, r4, r5, r6, r7)                                               \
  {                                                                                             \
    __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);                    \
    __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);                    \
    __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);                    \
    __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);                    \
    __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);          \
    __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);          \
    __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);          \
    __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);          \
    r0 = _mm256_permute2f128_ps(u0, u4, 0x20); r1 = _mm256_permute2f128_ps(u1, u5, 0x20);       \
    r2 = _mm256_permute2f128_ps(u2, u6, 0x20); r3 = _mm256_permute2f128_ps(u3, u7, 0x20);       \
    r4 = _mm256_permute2f128_ps(u0, u4, 0x31); r5 = _mm256_permute2f128_ps(u1, u5, 0x31);       \
    r6 = _mm256_permute2f128_ps(u2, u6, 0x31); r7 = _mm256_permute2f128_ps(u3, u7, 0x31);       \
  }

/* Stores the first n (≤ 8) floats of v at dst. */
TARGET static inline void store_first(float *dst, __m256 v, int n) {
  if (n == 8) {
    _mm256_storeu_ps(dst, v);
  } else if (n == 6) {
    _mm_storeu_ps(dst, _mm256_castps256_ps128(v));
    _mm_storel_pi((__m64 *)(dst + 4), _mm256_extractf128_ps(v, 1));
  } else {
    float tmp[8];
    _mm256_storeu_ps(tmp, v);
    for (int i = 0; i < n; i++) dst[i] = tmp[i];
  }
}

/* Packing by 8×8 transposes in registers: a row-major A block (rows = 6) or a transposed B block
 * (rows = 16) read as rows of kc contiguous floats, written p-major. The plain loops move one
 * float at a time; this moves eight, which matters when k is small and packing is a tenth of
 * the work. */
TARGET static void spack_rows(const float *src, long ld, int rows, long kc, float *dst) {
  long p8 = kc & ~7L;
  for (int g = 0; g < rows; g += 8) {
    int h = rows - g < 8 ? rows - g : 8;
    const float *s = src + g * ld;
    for (long p = 0; p < p8; p += 8) {
      __m256 z = _mm256_setzero_ps();
      __m256 r0 = _mm256_loadu_ps(s + p), r1 = h > 1 ? _mm256_loadu_ps(s + ld + p) : z;
      __m256 r2 = h > 2 ? _mm256_loadu_ps(s + 2 * ld + p) : z, r3 = h > 3 ? _mm256_loadu_ps(s + 3 * ld + p) : z;
      __m256 r4 = h > 4 ? _mm256_loadu_ps(s + 4 * ld + p) : z, r5 = h > 5 ? _mm256_loadu_ps(s + 5 * ld + p) : z;
      __m256 r6 = h > 6 ? _mm256_loadu_ps(s + 6 * ld + p) : z, r7 = h > 7 ? _mm256_loadu_ps(s + 7 * ld + p) : z;
      TRANSPOSE8(r0, r1, r2, r3, r4, r5, r6, r7)
      float *d = dst + p * rows + g;
      store_first(d, r0, h); store_first(d + rows, r1, h); store_first(d + 2 * rows, r2, h);
      store_first(d + 3 * rows, r3, h); store_first(d + 4 * rows, r4, h); store_first(d + 5 * rows, r5, h);
      store_first(d + 6 * rows, r6, h); store_first(d + 7 * rows, r7, h);
    }
    for (long p = p8; p < kc; p++)
      for (int r = 0; r < h; r++) dst[p * rows + g + r] = s[r * ld + p];
  }
}

#include "gemv.inc"
#define SFMA_S(a, b, acc) _mm_cvtss_f32(_mm_fmadd_ss(_mm_set_ss(a), _mm_set_ss(b), _mm_set_ss(acc)))
#define SFMA_D(a, b, acc) _mm_cvtsd_f64(_mm_fmadd_sd(_mm_set_sd(a), _mm_set_sd(b), _mm_set_sd(acc)))
NB_GEMV_ROW(TARGET, sgemv_avx2, float, __m256, _mm256_setzero_ps, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_set1_ps,
            _mm256_fmadd_ps, _mm256_add_ps, 8, SFMA_S)
NB_GEMV_ROW(TARGET, dgemv_avx2, double, __m256d, _mm256_setzero_pd, _mm256_loadu_pd, _mm256_storeu_pd, _mm256_set1_pd,
            _mm256_fmadd_pd, _mm256_add_pd, 4, SFMA_D)

/* Blocking for a 32–48 KiB L1 and ≥ 512 KiB L2: a kc×nr panel of B (16 KiB) stays in L1, an
 * mc×kc block of A (~150–200 KiB) in L2, a kc×nc panel of B in L3. */
const nb_sgemm_desc nb_sgemm_avx2 = {"avx2-fma 6x16", 6, 16, 144, 256, 4096, sgemm_6x16, spack_rows, sgemv_avx2};
const nb_dgemm_desc nb_dgemm_avx2 = {"avx2-fma 6x8", 6, 8, 96, 256, 2048, dgemm_6x8, NULL, dgemv_avx2};

#endif
