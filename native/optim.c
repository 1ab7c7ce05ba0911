/* Optimizer updates in one pass per parameter (Adam/AdamW with AMSGrad, SGD with momentum,
 * Nesterov and weight decay). Large parameters are shared out among the pool's threads. */
#include <math.h>
#include "fused.h"

/* The smallest piece of work handed to another thread, in elements. */
#define GRAIN (1L << 14)

typedef struct {
  nb_type type;
  void *p, *s0, *s1, *s2;
  const void *g;
  const nb_adam_hyper *adam;
  const nb_sgd_hyper *sgd;
  int avx2;
} optim_job;

#define TARGET
#define T float
#define A float
#define SQRT sqrtf
#define FN(name) name##_f32
#include "optim.inc"
#undef T
#undef A
#undef SQRT
#undef FN

#define T double
#define A double
#define SQRT sqrt
#define FN(name) name##_f64
#include "optim.inc"
#undef T
#undef A
#undef SQRT
#undef FN
#undef TARGET

/* The float loops compiled for AVX2 (eight floats per instruction), used where the CPU has it:
 * the arithmetic and its order are unchanged, so are the results. */
#ifdef NB_X86
#define TARGET __attribute__((target("avx2")))
#define T float
#define A float
#define SQRT sqrtf
#define FN(name) name##_f32_avx2
#include "optim.inc"
#undef T
#undef A
#undef SQRT
#undef FN
#undef TARGET
#else
#define adam_range_f32_avx2 adam_range_f32
#define sgd_range_f32_avx2 sgd_range_f32
#endif

static void adam_task(void *arg, long b, long e) {
  const optim_job *j = arg;
  if (j->type == T_F64) adam_range_f64(j, b, e);
  else if (j->avx2) adam_range_f32_avx2(j, b, e);
  else adam_range_f32(j, b, e);
}

static void sgd_task(void *arg, long b, long e) {
  const optim_job *j = arg;
  if (j->type == T_F64) sgd_range_f64(j, b, e);
  else if (j->avx2) sgd_range_f32_avx2(j, b, e);
  else sgd_range_f32(j, b, e);
}

void nb_adam_update(nb_type t, void *p, const void *g, void *m, void *v, void *vhat, long n, const nb_adam_hyper *h) {
  optim_job j = {t, p, m, v, vhat, g, h, NULL, nb_cpu_isa() >= ISA_AVX2};
  nb_parallel_for(adam_task, &j, n, nb_grain(n, 1, GRAIN, 2));
}

void nb_sgd_update(nb_type t, void *p, const void *g, void *vel, long n, const nb_sgd_hyper *h) {
  optim_job j = {t, p, vel, NULL, NULL, g, NULL, h, nb_cpu_isa() >= ISA_AVX2};
  nb_parallel_for(sgd_task, &j, n, nb_grain(n, 1, GRAIN, 2));
}
