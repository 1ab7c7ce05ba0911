/* Reductions along the last axis of a contiguous [outer, n] block. Sums and products accumulate
 * in double whatever the storage type (as the JS kernels do); sums use eight partial sums, so
 * they may differ from the JS kernel's four by rounding only. max/min give NaN when a NaN is
 * present. Long rows are split across threads and the partial results combined. */
#include <math.h>
#include <stdlib.h>
#include "nabla.h"

/* The smallest piece of work handed to another thread, in elements. */
#define GRAIN (1L << 14)

#define T float
#define FN(name) name##_f32
#include "reduce.inc"
#undef T
#undef FN

#define T double
#define FN(name) name##_f64
#include "reduce.inc"

static double combine(int op, double acc, double v) {
  switch (op) {
    case R_SUM: return acc + v;
    case R_PROD: return acc * v;
    case R_MAX: return (acc != acc || v != v) ? NAN : v > acc ? v : acc;
    default: return (acc != acc || v != v) ? NAN : v < acc ? v : acc;
  }
}

static double identity(int op) {
  switch (op) {
    case R_SUM: return 0;
    case R_PROD: return 1;
    case R_MAX: return -INFINITY;
    default: return INFINITY;
  }
}

typedef struct {
  int op;
  nb_type type;
  const void *x;
  long outer, n;
  long chunks;      /* pieces each row is cut into */
  double *partial;  /* [outer, chunks] when chunks > 1 */
  void *out;
} reduce_job;

static double reduce_piece(const reduce_job *j, long row, long begin, long end) {
  if (j->type == T_F32) return reduce_range_f32(j->op, (const float *)j->x + row * j->n + begin, end - begin);
  return reduce_range_f64(j->op, (const double *)j->x + row * j->n + begin, end - begin);
}

/* Tasks [begin, end): task t is piece t % chunks of row t / chunks. */
static void reduce_tasks(void *arg, long begin, long end) {
  const reduce_job *j = arg;
  for (long t = begin; t < end; t++) {
    long row = t / j->chunks, piece = t % j->chunks;
    long b, e;
    nb_split(j->n, (int)piece, (int)j->chunks, &b, &e);
    double v = reduce_piece(j, row, b, e);
    if (j->chunks > 1) j->partial[t] = v;
    else if (j->type == T_F32) ((float *)j->out)[row] = (float)v;
    else ((double *)j->out)[row] = v;
  }
}

void nb_reduce_last(int op, nb_type type, const void *x, long outer, long n, void *out) {
  reduce_job j = {op, type, x, outer, n, 1, NULL, out};
  if (outer <= 0) return;
  int nth = nb_pool_threads();
  /* Rows too few to share out but long enough are cut into pieces, one per thread. The number
   * of pieces depends only on the thread count, so results are reproducible run to run. */
  if (nth > 1 && outer < 2L * nth && n >= 2 * GRAIN) {
    j.chunks = nth;
    j.partial = malloc(sizeof(double) * (size_t)(outer * j.chunks));
    if (!j.partial) j.chunks = 1;
  }
  long per_task = n / j.chunks + 1;
  long tasks = outer * j.chunks;
  nb_parallel_for(reduce_tasks, &j, tasks, nb_grain(tasks, per_task, GRAIN, 4));
  if (j.chunks > 1) {
    for (long r = 0; r < outer; r++) {
      double acc = identity(op);
      for (long c = 0; c < j.chunks; c++) acc = combine(op, acc, j.partial[r * j.chunks + c]);
      if (type == T_F32) ((float *)out)[r] = (float)acc;
      else ((double *)out)[r] = acc;
    }
    free(j.partial);
  }
}
