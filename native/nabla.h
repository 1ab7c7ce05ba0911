/* Shared declarations of the nabla native addon: CPU features, the thread pool and the kernels.
 * The kernels trust their arguments and only compute: addon.c validates every call, and every
 * shape, stride and dtype decision was made in TypeScript before it. */
#ifndef NABLA_H
#define NABLA_H

#include <stddef.h>
#include <stdint.h>

/* x86 SIMD kernels are compiled on x86 (NB_NO_X86 builds the portable addon only, for tests). */
#if (defined(__x86_64__) || defined(__i386__)) && !defined(NB_NO_X86)
#define NB_X86 1
#endif

/* ---- CPU features and kernel choice (cpu.c) ---- */

typedef enum { ISA_PORTABLE = 0, ISA_AVX2 = 1, ISA_AVX512 = 2 } nb_isa;

/* A GEMM micro-kernel: C[0:mr, 0:nr] (row stride ldc) = (accumulate ? C : 0) + Apanel·Bpanel,
 * where Apanel holds kc columns of mr values and Bpanel kc rows of nr values, both packed. */
typedef void (*nb_sgemm_kernel)(long kc, const float *a, const float *b, float *c, long ldc, int accumulate);
typedef void (*nb_dgemm_kernel)(long kc, const double *a, const double *b, double *c, long ldc, int accumulate);
/* Optional packing helper: dst[p*rows + r] = src[r*ld + p] for r < rows, p < kc (rows = mr or nr:
 * a row-major A block or a transposed B block); NULL where plain loops are used. */
typedef void (*nb_spack_fn)(const float *src, long ld, int rows, long kc, float *dst);
typedef void (*nb_dpack_fn)(const double *src, long ld, int rows, long kc, double *dst);
/* c[j0:j1] = a[0:k]·B[0:k, j0:j1] (B row-major, ldb), summed in kc blocks as the micro-kernel
 * sums an edge tile (gemv.inc): the m = 1 product without packing B. */
typedef void (*nb_sgemv_fn)(long k, long kc, long j0, long j1, const float *a, const float *b, long ldb, float *c);
typedef void (*nb_dgemv_fn)(long k, long kc, long j0, long j1, const double *a, const double *b, long ldb, double *c);

typedef struct {
  const char *name; /* e.g. "avx2-fma 6x16" */
  int mr, nr;       /* register block */
  int mc, kc, nc;   /* cache blocks: A is packed mc×kc (L2), B kc×nc (L3) */
  nb_sgemm_kernel kernel;
  nb_spack_fn pack_rows; /* may be NULL */
  nb_sgemv_fn row;
} nb_sgemm_desc;

typedef struct {
  const char *name;
  int mr, nr;
  int mc, kc, nc;
  nb_dgemm_kernel kernel;
  nb_dpack_fn pack_rows; /* may be NULL */
  nb_dgemv_fn row;
} nb_dgemm_desc;

/* Detects the CPU once; `request` ("avx512", "avx2", "portable" or NULL) may only lower the ISA. */
void nb_cpu_init(const char *request);
nb_isa nb_cpu_isa(void);
const char *nb_isa_name(nb_isa isa);
/* Whether the CPU itself supports `isa` (independently of what was requested). */
int nb_cpu_has(nb_isa isa);
const nb_sgemm_desc *nb_sgemm_active(void);
const nb_dgemm_desc *nb_dgemm_active(void);

/* The micro-kernels of each ISA (gemm_portable.c, gemm_avx2.c, gemm_avx512.c). The AVX ones
 * exist only where NB_X86 is defined; elsewhere the portable one is used. */
extern const nb_sgemm_desc nb_sgemm_portable, nb_sgemm_avx2, nb_sgemm_avx512;
extern const nb_dgemm_desc nb_dgemm_portable, nb_dgemm_avx2, nb_dgemm_avx512;

/* ---- Thread pool (pool.c) ---- */

/* Calls fn(ctx, begin, end) over [0, n) in chunks of `grain`, claimed by the pool's threads and
 * the caller as they come free; returns when all are done. With one thread, or when the pool is
 * busy (another JS thread uses it), the caller runs fn(ctx, 0, n) alone. */
typedef void (*nb_range_fn)(void *ctx, long begin, long end);
void nb_parallel_for(nb_range_fn fn, void *ctx, long n, long grain);
/* Number of threads parallel work may use: NABLA_NUM_THREADS, else the number of cores. */
int nb_pool_threads(void);
void nb_pool_set_threads(int n);
/* Waits (spinning, then yielding) until *counter >= target. */
void nb_wait_at_least(_Atomic long *counter, long target);

/* The grain of nb_parallel_for over n units of `unit_elems` elements each: pieces of at least
 * `min_elems` elements (a piece must pay for handing it to a thread), and with `spread` > 0 no
 * more than about `spread` pieces a thread (fewer, larger pieces where that is enough to keep
 * every thread busy). How work is cut never changes what a kernel computes, only how fast. */
long nb_grain(long n, long unit_elems, long min_elems, int spread);

/* Splits [0, n) into nth near-equal ranges; thread tid gets [*begin, *end). */
void nb_split(long n, int tid, int nth, long *begin, long *end);

/* ---- GEMM (gemm.c): C = op(A)·op(B), row-major, C overwritten; -1 when out of memory ---- */

int nb_sgemm(int transA, int transB, long m, long n, long k,
             const float *a, long lda, const float *b, long ldb, float *c, long ldc);
int nb_dgemm(int transA, int transB, long m, long n, long k,
             const double *a, long lda, const double *b, long ldb, double *c, long ldc);

/* ---- Elementwise (elementwise.c) and reductions (reduce.c) ---- */

/* Op codes: the order of the lists in src/backend/native/ops.ts. */
enum {
  U_NEG, U_EXP, U_LOG, U_SQRT, U_RSQRT, U_ABS, U_SIGN, U_SIN, U_COS, U_TANH, U_SIGMOID, U_ERF,
  U_RELU, U_LOG1P, U_EXPM1, U_COUNT
};
enum {
  B_ADD, B_SUB, B_MUL, B_DIV, B_POW, B_MAXIMUM, B_MINIMUM, B_EQ, B_NE, B_LT, B_LE, B_GT, B_GE, B_COUNT
};
enum { R_SUM, R_MAX, R_MIN, R_PROD, R_COUNT };

typedef enum { T_F32 = 0, T_F64 = 1, T_U8 = 2 } nb_type;

/* A 3-D strided operand: element (d, r, c) at data[d*ds + r*rs + c*cs]. Three dimensions cover
 * a broadcast along a middle axis ([B, T, C] against [B, 1, C]), which does not merge to 2-D. */
typedef struct {
  const void *data;
  long ds, rs, cs;
} nb_operand;

/* out[(d*rows + r)*cols + c] = op(x(d, r, c)); x and out have element type `type`. */
void nb_unary(int op, nb_type type, nb_operand x, long depth, long rows, long cols, void *out);
/* out[(d*rows + r)*cols + c] = a(d, r, c) op b(d, r, c); comparisons write bytes (0/1), the rest `type`. */
void nb_binary(int op, nb_type type, nb_operand a, nb_operand b, long depth, long rows, long cols, void *out);
/* out[o] = op over r < n of x[o*n + r]; sums and products accumulate in double. */
void nb_reduce_last(int op, nb_type type, const void *x, long outer, long n, void *out);

/* ---- FFT (fft.c): float32 rows, LANES at a time; 0, or -1 for an unsupported length or no memory ---- */

/* Whether length n has no prime factor above the kernels' largest radix (others run in JS). */
int nb_fft_supported(long n);
/* out[b] = scale·DFT(x[b]) (the + sign when inverse) for `batch` complex rows [n, 2]. */
int nb_fft_f32(const float *x, long batch, long n, int inverse, float scale, float *out);
/* The first ⌊n/2⌋+1 bins [.., 2] of the DFT of each of `batch` real rows of n samples. */
int nb_rfft_f32(const float *x, long batch, long n, float *out);
/* |scale·rfft(window · frame)|^power of every frame: frame t of signal b reads x[b·length + idx[t·n + s]]
 * for s < n; out [batch, frames, ⌊n/2⌋+1], or with proj ([⌊n/2⌋+1, cols], else NULL) those powers
 * times proj, [batch, frames, cols] (a mel filterbank's zeros skipped). idx must lie in [0, length). */
int nb_stft_power_f32(const float *x, long batch, long length, long frames, long n, const int *idx, const float *window,
                      float power, float scale, const float *proj, long cols, float *out);
/* out[i] = scale·ln(max(x[i], amin)) − sub, in double, rounded once; NaN stays NaN. */
void nb_decibels_f32(const float *x, long n, double scale, double amin, double sub, float *out);

#endif
