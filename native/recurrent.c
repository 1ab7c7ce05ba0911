/* The fused recurrent step kernels (recurrent.h). Float math uses vec_math.h's exp (relative
 * error < 3e-9 before rounding) in float arithmetic, so float results may differ from the JS
 * reference (double, one rounding) by a few float roundings; double math uses libm.
 * Single-threaded: one step of a batch is a few thousand elements, less than a thread hand-off
 * costs. Without trapping math the loops have no branches and vectorize (AVX2 where the CPU has it). */
#include <math.h>
#include "fused.h"
#include "recurrent.h"
#include "vec_math.h"

#pragma GCC push_options
#pragma GCC optimize("no-trapping-math")

/* Selects only (no branches), so that loops over them vectorize. */
static inline float sigmoid_f(float x) {
  float e = nb_exp_nonpos_f(x >= 0 ? -x : x); /* e^−|x| */
  return (x >= 0 ? 1.0f : e) / (1.0f + e);
}
static inline float tanh_f(float x) {
  float e = nb_exp_nonpos_f(x >= 0 ? -2.0f * x : 2.0f * x); /* e^−2|x| */
  float t = (1.0f - e) / (1.0f + e);
  return x >= 0 ? t : -t;
}
static inline double sigmoid_d(double x) { return 1.0 / (1.0 + exp(-x)); }

static inline float act_f(int a, float x) {
  switch (a) {
    case A_RELU: return x > 0 ? x : 0;
    case A_SIGMOID: return sigmoid_f(x);
    case A_TANH: return tanh_f(x);
    default: return x;
  }
}
static inline double act_d(int a, double x) {
  switch (a) {
    case A_RELU: return x > 0 ? x : 0;
    case A_SIGMOID: return sigmoid_d(x);
    case A_TANH: return tanh(x);
    default: return x;
  }
}
/* The derivative from the output y. */
static inline double dact(int a, double y) {
  switch (a) {
    case A_RELU: return y > 0 ? 1 : 0;
    case A_SIGMOID: return y * (1 - y);
    case A_TANH: return 1 - y * y;
    default: return 1;
  }
}

#define TARGET
#define T float
#define ACT act_f
#define FN(name) name##_f32
#include "recurrent.inc"
#undef T
#undef ACT
#undef FN
#define T double
#define ACT act_d
#define FN(name) name##_f64
#include "recurrent.inc"
#undef T
#undef ACT
#undef FN
#undef TARGET

#ifdef NB_X86
#define T float
#define ACT act_f
#define FN(name) name##_f32_avx2
#define TARGET __attribute__((target("avx2")))
#include "recurrent.inc"
#undef T
#undef ACT
#undef FN
#undef TARGET
#define WIDE (nb_cpu_isa() >= ISA_AVX2)
#else
#define WIDE 0
#define step_forward_f32_avx2 step_forward_f32
#define step_backward_f32_avx2 step_backward_f32
#endif

#pragma GCC pop_options

void nb_rnn_step_forward(nb_type t, const nb_rnn_geometry *g, const void *xp, const void *rec, const void *rec_bias,
                         const void *prev, const void *mask, void *next, void *saved) {
  if (t == T_F32) (WIDE ? step_forward_f32_avx2 : step_forward_f32)(g, xp, rec, rec_bias, prev, mask, next, saved);
  else step_forward_f64(g, xp, rec, rec_bias, prev, mask, next, saved);
}

void nb_rnn_step_backward(nb_type t, const nb_rnn_geometry *g, void *d_state, const void *saved, const void *prev,
                          const void *mask, void *dxp, void *d_rec) {
  if (t == T_F32) (WIDE ? step_backward_f32_avx2 : step_backward_f32)(g, d_state, saved, prev, mask, dxp, d_rec);
  else step_backward_f64(g, d_state, saved, prev, mask, dxp, d_rec);
}
