/* Row kernels fused for speed: softmax / logSoftmax and their backward, cross-entropy from
 * logits or probabilities (forward and backward), bias plus activation (forward, and backward
 * with the bias gradient), layer norm (forward and backward). Rows are shared out among the
 * pool's threads; column sums are shared out by columns (gamma, beta gradients) or taken over fixed
 * row chunks (bias gradient). */
#include <math.h>
#include <stdlib.h>
#include "fused.h"

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
  long grain = GRAIN / (per_unit > 0 ? per_unit : 1) + 1;
  long nth = nb_pool_threads();
  long balanced = (units + 2 * nth - 1) / (2 * nth);
  nb_parallel_for(run_task, t, units, balanced > grain ? balanced : grain);
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
