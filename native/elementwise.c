/* Elementwise kernels over 3-D strided operands: dense arrays, a row repeated down the rows
 * (bias), a value repeated along each row (per-row scalar), a block repeated along a middle
 * axis, or a single value. The loops are
 * written once over an element type in elementwise.inc and instantiated for float and double.
 *
 * Results match the JS kernels: float32 + − × ÷, sqrt, min/max and comparisons are exact in
 * float, which equals JS's double computation rounded once; everything else is computed in
 * double from the float value and rounded once, as JS does. NaN rules are the JS kernels'. */
#include <math.h>
#include <stdint.h>
#include "nabla.h"

/* The smallest piece of work handed to another thread, in elements: below twice this a call
 * stays on the calling thread. */
#define GRAIN_CHEAP (1L << 15)
#define GRAIN_COSTLY (1L << 11)

static double sigmoid_d(double x) {
  /* two branches so that exp never overflows */
  if (x >= 0) return 1 / (1 + exp(-x));
  double e = exp(x);
  return e / (1 + e);
}

/* JavaScript's Math.pow, which differs from C's pow where the base is ±1 and the exponent NaN
 * or infinite: JS gives NaN, C gives 1. */
static double pow_js(double x, double y) {
  if (y != y) return NAN;
  if ((x == 1 || x == -1) && isinf(y)) return NAN;
  return pow(x, y);
}

#define T float
#define FN(name) name##_f32
#define SQRT sqrtf
#define FABS fabsf
#include "elementwise.inc"
#undef T
#undef FN
#undef SQRT
#undef FABS

#define T double
#define FN(name) name##_f64
#define SQRT sqrt
#define FABS fabs
#include "elementwise.inc"

typedef struct {
  int op;
  nb_type type;
  nb_operand a, b;
  long depth, rows, cols;
  void *out;
  int binary;
} ew_job;

/* Elements [begin, end) of the flattened [depth, rows, cols] range, walked row by row. */
static void ew_range(void *arg, long begin, long end) {
  const ew_job *j = arg;
  while (begin < end) {
    long row = begin / j->cols, c = begin % j->cols;
    long d = row / j->rows, r = row % j->rows;
    long len = j->cols - c;
    if (len > end - begin) len = end - begin;
    long ia = d * j->a.ds + r * j->a.rs + c * j->a.cs, ib = d * j->b.ds + r * j->b.rs + c * j->b.cs;
    if (j->type == T_F32) {
      const float *a = (const float *)j->a.data + ia;
      if (!j->binary) unary_segment_f32(j->op, a, j->a.cs, (float *)j->out + begin, len);
      else binary_segment_f32(j->op, a, j->a.cs, (const float *)j->b.data + ib, j->b.cs, j->out, begin, len);
    } else {
      const double *a = (const double *)j->a.data + ia;
      if (!j->binary) unary_segment_f64(j->op, a, j->a.cs, (double *)j->out + begin, len);
      else binary_segment_f64(j->op, a, j->a.cs, (const double *)j->b.data + ib, j->b.cs, j->out, begin, len);
    }
    begin += len;
  }
}

static int costly_unary(int op) {
  return !(op == U_NEG || op == U_ABS || op == U_SIGN || op == U_RELU || op == U_SQRT);
}

static void ew_run(ew_job *j, int costly) {
  long n = j->depth * j->rows * j->cols;
  nb_parallel_for(ew_range, j, n, nb_grain(n, 1, costly ? GRAIN_COSTLY : GRAIN_CHEAP, 4));
}

void nb_unary(int op, nb_type type, nb_operand x, long depth, long rows, long cols, void *out) {
  ew_job j = {op, type, x, x, depth, rows, cols, out, 0};
  ew_run(&j, costly_unary(op));
}

void nb_binary(int op, nb_type type, nb_operand a, nb_operand b, long depth, long rows, long cols, void *out) {
  ew_job j = {op, type, a, b, depth, rows, cols, out, 1};
  ew_run(&j, op == B_POW);
}
