/* Fused scaled dot-product attention, one query row at a time (see attention.inc). For each
 * (batch, head) the keys (and, in the backward, the values) are first packed transposed
 * ([depth][keys], rows padded to whole tiles) so that a row's scores accumulate in register tiles
 * over contiguous memory, which the compiler vectorises without reassociating any sum; the
 * softmax is never stored, only its row log-sum-exp, from which the backward recomputes it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "attention.h"
#include "vec_math.h"

/* Query rows per forward task: enough to amortise packing the keys, few enough to spread a long
 * sequence over threads. */
#define ROW_BLOCK 64

/* Accumulators of a register tile (128 bytes of floats: four AVX2 vectors, eight SSE ones; enough
 * independent sums to hide the adds' latency). */
#define TILE 32

/* Key rows of the packed (transposed) keys and values, rounded up to whole tiles. */
static long padded_keys(long keys) {
  return (keys + TILE - 1) / TILE * TILE;
}

/* The number of keys query i may see. */
static long visible_keys(const nb_attention_geom *g, long i) {
  if (!g->causal) return g->keys;
  long n = i + g->keys - g->queries + 1;
  return n < 0 ? 0 : n > g->keys ? g->keys : n;
}

/* s[j] = e^(s[j] − shift) for j < n (shift ≥ every s[j], up to rounding): float rows through
 * vec_math.h's vectorisable exponential (relative error a few float roundings, exactly 0 for
 * masked −∞ scores), double rows through libm. */
#pragma GCC push_options
#pragma GCC optimize("no-trapping-math")
static void exp_row_f32(float *restrict s, long n, float shift) {
  for (long j = 0; j < n; j++) s[j] = nb_exp_nonpos_f(s[j] - shift);
}
#ifdef NB_X86
__attribute__((target("avx2"))) static void exp_row_f32_avx2(float *restrict s, long n, float shift) {
  for (long j = 0; j < n; j++) s[j] = nb_exp_nonpos_f(s[j] - shift);
}
#endif
#pragma GCC pop_options
static void exp_row_f64(double *restrict s, long n, double shift) {
  for (long j = 0; j < n; j++) s[j] = exp(s[j] - shift);
}
#define exp_row_f64_avx2 exp_row_f64

#define ATTR
#define T float
#define FN(name) name##_f32
#include "attention.inc"
#undef T
#undef FN

#define T double
#define FN(name) name##_f64
#include "attention.inc"
#undef T
#undef FN
#undef ATTR

#ifdef NB_X86
/* The same kernels compiled for AVX2 (8 floats a step instead of 4), chosen at run time. */
#define ATTR __attribute__((target("avx2")))
#define T float
#define FN(name) name##_f32_avx2
#include "attention.inc"
#undef T
#undef FN

#define T double
#define FN(name) name##_f64_avx2
#include "attention.inc"
#undef T
#undef FN
#undef ATTR
#define WIDE (nb_cpu_isa() >= ISA_AVX2)
#else
#define WIDE 0
#define attention_forward_f32_avx2 attention_forward_f32
#define attention_forward_f64_avx2 attention_forward_f64
#define attention_backward_f32_avx2 attention_backward_f32
#define attention_backward_f64_avx2 attention_backward_f64
#endif

int nb_attention_forward(nb_type type, const nb_attention_geom *g, const void *q, const void *k, const void *v,
                         void *out, void *lse) {
  if (type == T_F32) return WIDE ? attention_forward_f32_avx2(g, q, k, v, out, lse) : attention_forward_f32(g, q, k, v, out, lse);
  return WIDE ? attention_forward_f64_avx2(g, q, k, v, out, lse) : attention_forward_f64(g, q, k, v, out, lse);
}

int nb_attention_backward(nb_type type, const nb_attention_geom *g, const void *q, const void *k, const void *v,
                          const void *out, const void *lse, const void *dout, void *dq, void *dk, void *dv) {
  if (type == T_F32)
    return WIDE ? attention_backward_f32_avx2(g, q, k, v, out, lse, dout, dq, dk, dv)
                : attention_backward_f32(g, q, k, v, out, lse, dout, dq, dk, dv);
  return WIDE ? attention_backward_f64_avx2(g, q, k, v, out, lse, dout, dq, dk, dv)
              : attention_backward_f64(g, q, k, v, out, lse, dout, dq, dk, dv);
}
