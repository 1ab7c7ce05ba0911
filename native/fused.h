/* Fused kernels of the addon: optimizer updates (optim.c), softmax and cross-entropy, bias plus
 * activation, layer norm (fused.c), and their N-API registration (addon_fused.c). As everywhere
 * in the addon, the kernels trust their arguments: the wrappers check every array first. Arrays
 * are dense and start at the pointer given. Math is done in double and rounded once on store,
 * as the JS reference kernels (src/backend/js/fused-*.ts) do, so both backends agree to rounding —
 * except Adam on floats (in float, as the JS reference) and float GELU (vec_math.h's float exp and
 * normal CDF, relative error < 5e-8, so float results may differ from JS in the last bits). */
#ifndef NABLA_FUSED_H
#define NABLA_FUSED_H

#include <node_api.h>
#include "nabla.h"

/* Adds the fused functions to the addon's exports; NULL on failure. Called once from addon.c. */
napi_value nb_fused_register(napi_env env, napi_value exports);

/* ---- optimizer updates, in place over n elements (optim.c) ---- */

/* Keras Adam: m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; v̂ ← max(v̂, v) (if vhat);
 * w ← w − decay·w (AdamW, decay = lr·λ) then w ← w − lr_t·m/(√v (or √v̂) + ε). */
typedef struct {
  double lr_t, beta1, beta2, eps, decay;
} nb_adam_hyper;
void nb_adam_update(nb_type t, void *p, const void *g, void *m, void *v, void *vhat, long n, const nb_adam_hyper *h);

/* Keras SGD: g ← g + λ·w; plain: w ← w − lr·g; momentum: v ← μ·v − lr·g, w ← w + v (nesterov:
 * w ← w + μ·v − lr·g). vel is NULL when μ = 0. */
typedef struct {
  double lr, momentum, weight_decay;
  int nesterov;
} nb_sgd_hyper;
void nb_sgd_update(nb_type t, void *p, const void *g, void *vel, long n, const nb_sgd_hyper *h);

/* ---- row kernels over [rows, cols] (fused.c) ---- */

/* out = softmax(x) (log = 0) or logSoftmax(x) (log = 1) of each row. */
void nb_softmax(nb_type t, const void *x, long rows, long cols, int log, void *out);
/* From y = the forward output and g: softmax dx = y·(g − Σg·y); log dx = g − e^y·Σg. */
void nb_softmax_backward(nb_type t, const void *y, const void *g, long rows, long cols, int log, void *dx);

/* The target of each row of a cross-entropy: a label (labels != NULL) or a row of targets,
 * smoothed to (1 − ε)·target + ε/cols. x holds logits (from_logits) or probabilities, which are
 * normalised by their row sum and clipped to [1e-7, 1 − 1e-7] as in Keras. */
typedef struct {
  const int32_t *labels;
  const void *targets;
  double smoothing;
  int from_logits;
} nb_ce_target;
/* loss[r] = −Σ_c t_c·log q_c, q = softmax(x) or the clipped normalised probabilities. */
void nb_cross_entropy(nb_type t, const void *x, long rows, long cols, const nb_ce_target *tg, void *loss);
/* dx = ∂(Σ_r g[r]·loss[r]) / ∂x. */
void nb_cross_entropy_backward(nb_type t, const void *x, long rows, long cols, const nb_ce_target *tg, const void *g, void *dx);

/* Activations fused with a bias add: the order of FusedActivation in src/backend/fused-kernels.ts. */
enum { A_LINEAR, A_RELU, A_SIGMOID, A_TANH, A_GELU, A_COUNT };
/* out[r, c] = act(y[r, c] + bias[c]) (bias may be NULL); out does not overlap y. */
void nb_bias_act(nb_type t, int act, const void *y, const void *bias, long rows, long cols, void *out);
/* dz = g·act'(z) with z = y + bias (out = act(z)); dbias[c] = Σ_r dz[r, c] when dbias != NULL,
 * the same bits on any number of threads; dz does not overlap the inputs; −1 when out of memory
 * for the partial sums. */
int nb_bias_act_backward(nb_type t, int act, const void *y, const void *bias, const void *out, const void *g,
                         long rows, long cols, void *dz, void *dbias);

/* out = (x − μ)/√(σ² + ε)·gamma + beta per row (gamma, beta may be NULL). */
void nb_layer_norm(nb_type t, const void *x, const void *gamma, const void *beta, long rows, long cols, double eps, void *out);
/* Gradients of Σ g·out: dx, dgamma = Σ_r g·x̂, dbeta = Σ_r g (each may be NULL); −1 when out
 * of memory for the row statistics. */
int nb_layer_norm_backward(nb_type t, const void *x, const void *gamma, const void *g, long rows, long cols, double eps,
                           void *dx, void *dgamma, void *dbeta);

#endif
