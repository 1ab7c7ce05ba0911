/* Row kernels fused for speed: softmax / logSoftmax and their backward, cross-entropy from
 * logits or probabilities (forward and backward), bias plus activation (forward, and backward
 * with the bias gradient), layer norm (forward and backward). Rows are shared out among the
 * pool's threads; column sums are shared out by columns (gamma, beta gradients) or taken over fixed
 * row chunks (bias gradient). */
#include <math.h>
#include <stdlib.h>
#include "fused.h"
#include "vec_math.h"

#define GRAIN (1L << 15) /* elements per piece of work handed to a thread */
#define BLOCK 128        /* columns summed at once in the column passes */
#define CE_EPS 1e-7      /* Keras' clip of probabilities */

typedef struct {
  const void *g, *out;
  long chunk;   /* rows per chunk of the bias-gradient sums */
  double *part; /* [chunks, cols] their column sums, or NULL */
} bias_back;

typedef struct {
  const void *gamma, *beta;
  double eps;
  double *stats; /* [rows, 2]: μ and rstd (backward) */
  void *dx, *dgamma, *dbeta;
} ln_args;

typedef struct {
  nb_type type;
  const void *a, *b; /* the main input, and a second one (g, or bias) */
  long rows, cols;
  int flag; /* log softmax, or the activation */
  void *out;
  const nb_ce_target *tg;
  const bias_back *bb;
  const ln_args *ln;
} rows_job;

static double sigmoid_d(double x) {
  if (x >= 0) return 1 / (1 + exp(-x));
  double e = exp(x);
  return e / (1 + e);
}

/* ---- exact GELU on floats, vectorisable (see vec_math.h): z·Φ(z) and Φ(z) + z·φ(z), in
 * float arithmetic (within a few float roundings of the exact values; doubles use libm). ---- */
#pragma GCC push_options
#pragma GCC optimize("no-trapping-math")
/* Φ(z) + z·φ(z), φ(z) = e^(−z²/2)/√(2π), with Φ(z) read off the forward's output gelu(z) = z·Φ(z)
 * (one division instead of a second erfc; near 0, where that quotient loses digits, Φ's Taylor
 * polynomial 1/2 + z·φ(0)·(1 − z²/6), whose error there is below 1e-9). */
static inline __attribute__((always_inline)) float gelu_grad(float z, float out) {
  const float c = 0.3989422804014327f;
  float cdf = fabsf(z) > 1e-2f ? out / z : 0.5f + z * c * (1.0f - z * z * (1.0f / 6));
  return cdf + z * (nb_exp_nonpos_f(-0.5f * z * z) * c);
}

static inline __attribute__((always_inline)) void gelu_row_body(const float *restrict y, const float *restrict bias,
                                                                 float *restrict o, long n) {
  if (bias)
    for (long c = 0; c < n; c++) {
      float z = y[c] + bias[c];
      o[c] = z * nb_normal_cdf_f(z);
    }
  else
    for (long c = 0; c < n; c++) o[c] = y[c] * nb_normal_cdf_f(y[c]);
}

/* dz = g·gelu'(z), from z and out = gelu(z) */
static inline __attribute__((always_inline)) void gelu_back_body(const float *restrict y, const float *restrict bias, const float *restrict out,
                                                                  const float *restrict g, float *restrict dz, long n) {
  if (bias)
    for (long c = 0; c < n; c++) dz[c] = g[c] * gelu_grad(y[c] + bias[c], out[c]);
  else
    for (long c = 0; c < n; c++) dz[c] = g[c] * gelu_grad(y[c], out[c]);
}

static void gelu_row_portable(const float *y, const float *bias, float *o, long n) { gelu_row_body(y, bias, o, n); }
static void gelu_back_portable(const float *y, const float *bias, const float *out, const float *g, float *dz, long n) {
  gelu_back_body(y, bias, out, g, dz, n);
}
#ifdef NB_X86
__attribute__((target("avx2"))) static void gelu_row_avx2(const float *y, const float *bias, float *o, long n) {
  gelu_row_body(y, bias, o, n);
}
__attribute__((target("avx2"))) static void gelu_back_avx2(const float *y, const float *bias, const float *out, const float *g, float *dz, long n) {
  gelu_back_body(y, bias, out, g, dz, n);
}
#define GELU_WIDE (nb_cpu_isa() >= ISA_AVX2)
#else
#define GELU_WIDE 0
#define gelu_row_avx2 gelu_row_portable
#define gelu_back_avx2 gelu_back_portable
#endif

#pragma GCC pop_options

static void gelu_row_f32(const float *y, const float *bias, float *o, long n) {
  (GELU_WIDE ? gelu_row_avx2 : gelu_row_portable)(y, bias, o, n);
}
static void gelu_back_f32(const float *y, const float *bias, const float *out, const float *g, float *dz, long n) {
  (GELU_WIDE ? gelu_back_avx2 : gelu_back_portable)(y, bias, out, g, dz, n);
}

/* Doubles: libm's erf and exp, as the JS reference. */
static void gelu_row_f64(const double *y, const double *bias, double *o, long n) {
  for (long c = 0; c < n; c++) {
    double z = bias ? y[c] + bias[c] : y[c];
    o[c] = 0.5 * z * (1 + erf(z * M_SQRT1_2));
  }
}
static void gelu_back_f64(const double *y, const double *bias, const double *out, const double *g, double *dz, long n) {
  for (long c = 0; c < n; c++) {
    double z = bias ? y[c] + bias[c] : y[c];
    dz[c] = g[c] * (0.5 * (1 + erf(z * M_SQRT1_2)) + z * exp(-0.5 * z * z) * 0.3989422804014327);
  }
}

#define T float
#define FN(name) name##_f32
#include "fused.inc"
#undef T
#undef FN

#define T double
#define FN(name) name##_f64
#include "fused.inc"
#undef T
#undef FN

/* A task over rows (or columns) of one kernel: the float and double versions. */
typedef void (*range_fn)(const rows_job *, long, long);
typedef struct {
  rows_job job;
  range_fn f32, f64;
} task;

static void run_task(void *arg, long b, long e) {
  const task *t = arg;
  (t->job.type == T_F32 ? t->f32 : t->f64)(&t->job, b, e);
}

/* Runs over `units` (rows or columns) of `per_unit` elements each. */
static void run(task *t, long units, long per_unit) {
  nb_parallel_for(run_task, t, units, nb_grain(units, per_unit, GRAIN, 2));
}

void nb_softmax(nb_type type, const void *x, long rows, long cols, int log, void *out) {
  task t = {{type, x, NULL, rows, cols, log, out, NULL, NULL, NULL}, softmax_rows_f32, softmax_rows_f64};
  run(&t, rows, cols);
}

void nb_softmax_backward(nb_type type, const void *y, const void *g, long rows, long cols, int log, void *dx) {
  task t = {{type, y, g, rows, cols, log, dx, NULL, NULL, NULL}, softmax_back_rows_f32, softmax_back_rows_f64};
  run(&t, rows, cols);
}

void nb_cross_entropy(nb_type type, const void *x, long rows, long cols, const nb_ce_target *tg, void *loss) {
  task t = {{type, x, NULL, rows, cols, 0, loss, tg, NULL, NULL}, ce_rows_f32, ce_rows_f64};
  run(&t, rows, cols);
}

void nb_cross_entropy_backward(nb_type type, const void *x, long rows, long cols, const nb_ce_target *tg, const void *g, void *dx) {
  task t = {{type, x, g, rows, cols, 0, dx, tg, NULL, NULL}, ce_back_rows_f32, ce_back_rows_f64};
  run(&t, rows, cols);
}

void nb_bias_act(nb_type type, int act, const void *y, const void *bias, long rows, long cols, void *out) {
  task t = {{type, y, bias, rows, cols, act, out, NULL, NULL, NULL}, bias_act_rows_f32, bias_act_rows_f64};
  run(&t, rows, cols);
}

/* The bias gradient's column sums are taken over fixed chunks of rows (their size depends on
 * rows and cols only), shared out among the threads, then added up in chunk order: the result
 * does not depend on the thread count, and a few columns with many rows (conv outputs) still
 * use all threads. At least CHUNK_ELEMS elements per chunk, at most MAX_CHUNKS chunks (which
 * bounds the partial sums to MAX_CHUNKS rows of doubles). */
#define CHUNK_ELEMS 8192
#define MAX_CHUNKS 64

int nb_bias_act_backward(nb_type type, int act, const void *y, const void *bias, const void *out, const void *g,
                         long rows, long cols, void *dz, void *dbias) {
  const long by_size = cols > 0 && cols < CHUNK_ELEMS ? CHUNK_ELEMS / cols : 1, by_count = (rows + MAX_CHUNKS - 1) / MAX_CHUNKS;
  const long chunk = by_size > by_count ? by_size : by_count;
  const long chunks = (rows + chunk - 1) / chunk;
  bias_back bb = {g, out, chunk, NULL};
  if (dbias && chunks > 0) {
    bb.part = malloc(sizeof(double) * (size_t)chunks * (size_t)cols + 1);
    if (!bb.part) return -1;
  }
  task t = {{type, y, bias, rows, cols, act, dz, NULL, &bb, NULL}, bias_act_back_chunks_f32, bias_act_back_chunks_f64};
  run(&t, chunks, chunk * cols);
  if (dbias) {
    for (long c = 0; c < cols; c++) {
      double s = 0;
      for (long q = 0; q < chunks; q++) s += bb.part[q * cols + c];
      if (type == T_F32) ((float *)dbias)[c] = (float)s;
      else ((double *)dbias)[c] = s;
    }
  }
  free(bb.part);
  return 0;
}

void nb_layer_norm(nb_type type, const void *x, const void *gamma, const void *beta, long rows, long cols, double eps, void *out) {
  ln_args k = {gamma, beta, eps, NULL, NULL, NULL, NULL};
  task t = {{type, x, NULL, rows, cols, 0, out, NULL, NULL, &k}, ln_rows_f32, ln_rows_f64};
  run(&t, rows, cols);
}

int nb_layer_norm_backward(nb_type type, const void *x, const void *gamma, const void *g, long rows, long cols, double eps,
                           void *dx, void *dgamma, void *dbeta) {
  ln_args k = {gamma, NULL, eps, malloc(sizeof(double) * 2 * (size_t)(rows > 0 ? rows : 1)), dx, dgamma, dbeta};
  if (!k.stats) return -1;
  task rt = {{type, x, g, rows, cols, 0, NULL, NULL, NULL, &k}, ln_back_rows_f32, ln_back_rows_f64};
  run(&rt, rows, cols);
  if (dgamma || dbeta) {
    task ct = {{type, x, g, rows, cols, 0, NULL, NULL, NULL, &k}, ln_back_cols_f32, ln_back_cols_f64};
    run(&ct, cols, rows);
  }
  free(k.stats);
  return 0;
}
