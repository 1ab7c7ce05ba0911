/* Batch normalization (training mode) over the rows of a contiguous [rows, cols] block (cols = channels): the
 * per-column mean and biased variance, the normalization y = (x − μ)·γ/√(σ² + ε) + β, and its
 * backward. Column sums are accumulated in double over fixed row chunks that threads share, then
 * combined in chunk order, so results do not depend on the thread count. */
#include <math.h>
#include <stdlib.h>
#include "movement.h"

#define ROW_CHUNK 256       /* rows per partial sum */
#define APPLY_GRAIN (1L << 14) /* elements per piece of the normalization handed to a thread */

typedef struct {
  nb_type type;
  const void *x, *g;
  long rows, cols;
  double *coef;  /* [3, cols]: p, q, s of out = p·x + q·g + s */
  void *out;
  double *part;  /* [chunks, 2, cols] partial sums */
} bn_job;

static double at(nb_type t, const void *p, long i) {
  return t == T_F32 ? (double)((const float *)p)[i] : ((const double *)p)[i];
}

/* Partial Σx and Σx² (or, backward, Σg and Σg·x) of row chunks [b, e). */
static void bn_sums(void *arg, long b, long e) {
  const bn_job *j = arg;
  const long C = j->cols;
  for (long k = b; k < e; k++) {
    double *s1 = j->part + k * 2 * C, *s2 = s1 + C;
    for (long c = 0; c < C; c++) s1[c] = s2[c] = 0;
    long r1 = (k + 1) * ROW_CHUNK < j->rows ? (k + 1) * ROW_CHUNK : j->rows;
    for (long r = k * ROW_CHUNK; r < r1; r++) {
      if (j->type == T_F32) {
        const float *x = (const float *)j->x + r * C;
        const float *g = j->g ? (const float *)j->g + r * C : NULL;
        if (g) for (long c = 0; c < C; c++) s1[c] += g[c], s2[c] += (double)g[c] * x[c];
        else for (long c = 0; c < C; c++) s1[c] += x[c], s2[c] += (double)x[c] * x[c];
      } else {
        const double *x = (const double *)j->x + r * C;
        const double *g = j->g ? (const double *)j->g + r * C : NULL;
        if (g) for (long c = 0; c < C; c++) s1[c] += g[c], s2[c] += g[c] * x[c];
        else for (long c = 0; c < C; c++) s1[c] += x[c], s2[c] += x[c] * x[c];
      }
    }
  }
}

/* Column sums over all rows: out1[c] = Σ s1, out2[c] = Σ s2 (x, or g and g·x with g given). */
static int column_sums(bn_job *j, double *out1, double *out2) {
  long chunks = (j->rows + ROW_CHUNK - 1) / ROW_CHUNK;
  j->part = malloc(sizeof(double) * (size_t)(chunks * 2 * j->cols + 1));
  if (!j->part) return -1;
  nb_parallel_for(bn_sums, j, chunks, 1);
  for (long c = 0; c < j->cols; c++) out1[c] = out2[c] = 0;
  for (long k = 0; k < chunks; k++)
    for (long c = 0; c < j->cols; c++) out1[c] += j->part[k * 2 * j->cols + c], out2[c] += j->part[(k * 2 + 1) * j->cols + c];
  free(j->part);
  return 0;
}

int nb_bn_stats(nb_type type, const void *x, long rows, long cols, double *mean, double *var) {
  bn_job j = {type, x, NULL, rows, cols, NULL, NULL, NULL};
  if (column_sums(&j, mean, var) != 0) return -1;
  for (long c = 0; c < cols; c++) {
    double m = mean[c] / (double)rows;
    /* E[x²] − μ² in double from double sums; clamped at 0 against rounding */
    double v = var[c] / (double)rows - m * m;
    mean[c] = m;
    var[c] = v > 0 ? v : 0;
  }
  return 0;
}

/* y = (x − μ)·scale + β over rows [b, e); backward (coef given): dx = a·g + b·x + c. Both are
 * y = p·x + q·g + s per column, with per-column p, q, s in double. */
#define BN_APPLY(T)                                                                   \
  for (long r = b; r < e; r++) {                                                      \
    const T *x = (const T *)j->x + r * C, *g = j->g ? (const T *)j->g + r * C : NULL; \
    T *o = (T *)j->out + r * C;                                                       \
    if (g) for (long c = 0; c < C; c++) o[c] = (T)(p[c] * x[c] + q[c] * g[c] + s[c]); \
    else for (long c = 0; c < C; c++) o[c] = (T)(p[c] * x[c] + s[c]);                 \
  }

static void bn_apply(void *arg, long b, long e) {
  const bn_job *j = arg;
  const long C = j->cols;
  const double *p = j->coef, *q = j->coef + C, *s = j->coef + 2 * C;
  if (j->type == T_F32) BN_APPLY(float)
  else BN_APPLY(double)
}

int nb_bn_forward(nb_type type, const void *x, long rows, long cols, const double *mean, const double *scale, const void *beta, void *out) {
  double *coef = malloc(sizeof(double) * (size_t)(3 * cols + 1));
  if (!coef) return -1;
  for (long c = 0; c < cols; c++) {
    coef[c] = scale[c];
    coef[cols + c] = 0;
    coef[2 * cols + c] = (beta ? at(type, beta, c) : 0) - mean[c] * scale[c];
  }
  bn_job j = {type, x, NULL, rows, cols, coef, out, NULL};
  nb_parallel_for(bn_apply, &j, rows, nb_grain(rows, cols, APPLY_GRAIN, 0));
  free(coef);
  return 0;
}

int nb_bn_backward(nb_type type, const void *x, const void *g, long rows, long cols, const double *mean, const double *rstd,
                   const double *gamma, void *dx, double *dgamma, double *dbeta) {
  bn_job j = {type, x, g, rows, cols, NULL, dx, NULL};
  double *sgx = malloc(sizeof(double) * (size_t)(4 * cols + 1));
  if (!sgx) return -1;
  double *coef = sgx + cols;
  if (column_sums(&j, dbeta, sgx) != 0) return free(sgx), -1;
  const double n = (double)rows;
  for (long c = 0; c < cols; c++) {
    /* Σg·x̂ = rstd·(Σg·x − μ·Σg); dx = γ·rstd·(g − Σg/n − x̂·Σg·x̂/n) = a·g + b·x + c */
    double sgxhat = rstd[c] * (sgx[c] - mean[c] * dbeta[c]);
    dgamma[c] = sgxhat;
    double k = gamma[c] * rstd[c];
    coef[c] = -k * rstd[c] * sgxhat / n;                                  /* ·x */
    coef[cols + c] = k;                                                   /* ·g */
    coef[2 * cols + c] = -k * dbeta[c] / n + k * rstd[c] * mean[c] * sgxhat / n;
  }
  j.coef = coef;
  nb_parallel_for(bn_apply, &j, rows, nb_grain(rows, cols, APPLY_GRAIN, 0));
  free(sgx);
  return 0;
}
