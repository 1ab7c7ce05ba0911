/* The N-API surface of the fused kernels (fused.h). Each wrapper reads its arguments with
 * napi_args.h: integer sizes, every array a Float32Array or Float64Array of one element type
 * (labels an Int32Array) and long enough, labels valid classes; then it calls the kernel on the
 * arrays' own memory. A failed check throws and means a bug in src/backend/native/fused.ts. */
#include "fused.h"
#include "napi_args.h"

#define FLOATS (NB_F32 | NB_F64)

/* Argument i as a float array of at least `need` elements and of the kind `*kind` (any float
 * kind while *kind is 0: the call's first array sets it); NULL when `optional` and null. */
static void *floats(nb_call *c, int i, const char *name, double need, int optional, nb_kind *kind) {
  if (c->failed || (optional && nb_is_null(c, i))) return NULL;
  nb_array a = optional ? nb_get_optional_array(c, i, name, FLOATS) : nb_get_array(c, i, name, FLOATS);
  if (c->failed) return NULL;
  if (*kind && a.kind != *kind) nb_fail(c, "%s has a different element type from the first array", name);
  else if (a.length < need) nb_fail(c, "%s is too short", name);
  *kind = a.kind;
  return a.data;
}

/* Int32Array labels, each in [0, classes) (NULL if null). */
static const int32_t *get_labels(nb_call *c, int i, long rows, long classes) {
  if (c->failed || nb_is_null(c, i)) return NULL;
  nb_array a = nb_get_optional_array(c, i, "labels", NB_I32);
  if (c->failed) return NULL;
  if (a.length < (double)rows) nb_fail(c, "labels is too short");
  const int32_t *l = a.data;
  for (long r = 0; r < rows && !c->failed; r++)
    if (l[r] < 0 || l[r] >= classes) nb_fail(c, "labels holds a class outside [0, cols)");
  return l;
}

/* adamUpdate(param, grad, m, v, vHat|null, lrT, beta1, beta2, epsilon, decay) */
static napi_value js_adam(napi_env env, napi_callback_info info) {
  nb_call c = {env, "adamUpdate", {0}, 0};
  if (!nb_get_args(&c, info, 10)) return NULL;
  nb_array p = nb_get_array(&c, 0, "param", FLOATS);
  nb_kind kind = p.kind;
  const void *g = floats(&c, 1, "grad", p.length, 0, &kind);
  void *m = floats(&c, 2, "m", p.length, 0, &kind), *v = floats(&c, 3, "v", p.length, 0, &kind);
  void *vh = floats(&c, 4, "vHat", p.length, 1, &kind);
  nb_adam_hyper h = {nb_get_number(&c, 5, "lrT"), nb_get_number(&c, 6, "beta1"), nb_get_number(&c, 7, "beta2"),
                     nb_get_number(&c, 8, "epsilon"), nb_get_number(&c, 9, "decay")};
  if (!c.failed) nb_adam_update(nb_kind_type(kind), p.data, g, m, v, vh, (long)p.length, &h);
  return NULL;
}

/* sgdUpdate(param, grad, velocity|null, lr, momentum, nesterov, weightDecay) */
static napi_value js_sgd(napi_env env, napi_callback_info info) {
  nb_call c = {env, "sgdUpdate", {0}, 0};
  if (!nb_get_args(&c, info, 7)) return NULL;
  nb_array p = nb_get_array(&c, 0, "param", FLOATS);
  nb_kind kind = p.kind;
  const void *g = floats(&c, 1, "grad", p.length, 0, &kind);
  void *vel = floats(&c, 2, "velocity", p.length, 1, &kind);
  nb_sgd_hyper h = {nb_get_number(&c, 3, "lr"), nb_get_number(&c, 4, "momentum"), nb_get_number(&c, 6, "weightDecay"),
                    nb_get_flag(&c, 5, "nesterov")};
  if (!c.failed) nb_sgd_update(nb_kind_type(kind), p.data, g, vel, (long)p.length, &h);
  return NULL;
}

/* softmax(x, rows, cols, log, out) */
static napi_value js_softmax(napi_env env, napi_callback_info info) {
  nb_call c = {env, "softmax", {0}, 0};
  if (!nb_get_args(&c, info, 5)) return NULL;
  long rows = nb_get_count(&c, 1, "rows"), cols = nb_get_count(&c, 2, "cols");
  double size = (double)rows * cols;
  nb_kind kind = 0;
  const void *x = floats(&c, 0, "x", size, 0, &kind);
  int log = nb_get_flag(&c, 3, "log");
  void *out = floats(&c, 4, "out", size, 0, &kind);
  if (!c.failed) nb_softmax(nb_kind_type(kind), x, rows, cols, log, out);
  return NULL;
}

/* softmaxBackward(y, g, rows, cols, log, dx) */
static napi_value js_softmax_back(napi_env env, napi_callback_info info) {
  nb_call c = {env, "softmaxBackward", {0}, 0};
  if (!nb_get_args(&c, info, 6)) return NULL;
  long rows = nb_get_count(&c, 2, "rows"), cols = nb_get_count(&c, 3, "cols");
  double size = (double)rows * cols;
  nb_kind kind = 0;
  const void *y = floats(&c, 0, "y", size, 0, &kind), *g = floats(&c, 1, "g", size, 0, &kind);
  int log = nb_get_flag(&c, 4, "log");
  void *dx = floats(&c, 5, "dx", size, 0, &kind);
  if (!c.failed) nb_softmax_backward(nb_kind_type(kind), y, g, rows, cols, log, dx);
  return NULL;
}

/* The shared head of crossEntropy(x, rows, cols, labels|null, targets|null, smoothing, fromLogits, …) */
static const void *ce_head(nb_call *c, long *rows, long *cols, nb_ce_target *tg, nb_kind *kind) {
  *rows = nb_get_count(c, 1, "rows");
  *cols = nb_get_count(c, 2, "cols");
  double size = (double)*rows * *cols;
  const void *x = floats(c, 0, "x", size, 0, kind);
  tg->labels = get_labels(c, 3, *rows, *cols);
  tg->targets = floats(c, 4, "targets", size, 1, kind);
  tg->smoothing = nb_get_number(c, 5, "smoothing");
  tg->from_logits = nb_get_flag(c, 6, "fromLogits");
  if (!c->failed && nb_is_null(c, 3) == nb_is_null(c, 4)) nb_fail(c, "labels or targets must be given, exactly one of the two");
  return x;
}

/* crossEntropy(x, rows, cols, labels, targets, smoothing, fromLogits, loss) */
static napi_value js_ce(napi_env env, napi_callback_info info) {
  nb_call c = {env, "crossEntropy", {0}, 0};
  if (!nb_get_args(&c, info, 8)) return NULL;
  long rows, cols;
  nb_ce_target tg;
  nb_kind kind = 0;
  const void *x = ce_head(&c, &rows, &cols, &tg, &kind);
  void *loss = floats(&c, 7, "loss", (double)rows, 0, &kind);
  if (!c.failed) nb_cross_entropy(nb_kind_type(kind), x, rows, cols, &tg, loss);
  return NULL;
}

/* crossEntropyBackward(x, rows, cols, labels, targets, smoothing, fromLogits, g, dx) */
static napi_value js_ce_back(napi_env env, napi_callback_info info) {
  nb_call c = {env, "crossEntropyBackward", {0}, 0};
  if (!nb_get_args(&c, info, 9)) return NULL;
  long rows, cols;
  nb_ce_target tg;
  nb_kind kind = 0;
  const void *x = ce_head(&c, &rows, &cols, &tg, &kind);
  const void *g = floats(&c, 7, "g", (double)rows, 0, &kind);
  void *dx = floats(&c, 8, "dx", (double)rows * cols, 0, &kind);
  if (!c.failed) nb_cross_entropy_backward(nb_kind_type(kind), x, rows, cols, &tg, g, dx);
  return NULL;
}

static int get_act(nb_call *c, int i) {
  long a = nb_get_count(c, i, "activation");
  if (!c->failed && a >= A_COUNT) nb_fail(c, "activation is an unknown code");
  return (int)a;
}

/* biasActivation(act, y, bias|null, rows, cols, out) */
static napi_value js_bias_act(napi_env env, napi_callback_info info) {
  nb_call c = {env, "biasActivation", {0}, 0};
  if (!nb_get_args(&c, info, 6)) return NULL;
  int act = get_act(&c, 0);
  long rows = nb_get_count(&c, 3, "rows"), cols = nb_get_count(&c, 4, "cols");
  double size = (double)rows * cols;
  nb_kind kind = 0;
  const void *y = floats(&c, 1, "y", size, 0, &kind), *bias = floats(&c, 2, "bias", (double)cols, 1, &kind);
  void *out = floats(&c, 5, "out", size, 0, &kind);
  if (!c.failed) nb_bias_act(nb_kind_type(kind), act, y, bias, rows, cols, out);
  return NULL;
}

/* biasActivationBackward(act, y, bias|null, out, g, rows, cols, dz, dbias|null) */
static napi_value js_bias_act_back(napi_env env, napi_callback_info info) {
  nb_call c = {env, "biasActivationBackward", {0}, 0};
  if (!nb_get_args(&c, info, 9)) return NULL;
  int act = get_act(&c, 0);
  long rows = nb_get_count(&c, 5, "rows"), cols = nb_get_count(&c, 6, "cols");
  double size = (double)rows * cols;
  nb_kind kind = 0;
  const void *y = floats(&c, 1, "y", size, 0, &kind), *bias = floats(&c, 2, "bias", (double)cols, 1, &kind);
  const void *out = floats(&c, 3, "out", size, 0, &kind), *g = floats(&c, 4, "g", size, 0, &kind);
  void *dz = floats(&c, 7, "dz", size, 0, &kind), *dbias = floats(&c, 8, "dbias", (double)cols, 1, &kind);
  if (!c.failed && nb_bias_act_backward(nb_kind_type(kind), act, y, bias, out, g, rows, cols, dz, dbias) != 0)
    napi_throw_error(env, NULL, "nabla native biasActivationBackward: out of memory for the bias-gradient sums");
  return NULL;
}

/* layerNorm(x, gamma|null, beta|null, rows, cols, eps, out) */
static napi_value js_ln(napi_env env, napi_callback_info info) {
  nb_call c = {env, "layerNorm", {0}, 0};
  if (!nb_get_args(&c, info, 7)) return NULL;
  long rows = nb_get_count(&c, 3, "rows"), cols = nb_get_count(&c, 4, "cols");
  double size = (double)rows * cols;
  nb_kind kind = 0;
  const void *x = floats(&c, 0, "x", size, 0, &kind);
  const void *gamma = floats(&c, 1, "gamma", (double)cols, 1, &kind), *beta = floats(&c, 2, "beta", (double)cols, 1, &kind);
  double eps = nb_get_number(&c, 5, "eps");
  void *out = floats(&c, 6, "out", size, 0, &kind);
  if (!c.failed) nb_layer_norm(nb_kind_type(kind), x, gamma, beta, rows, cols, eps, out);
  return NULL;
}

/* layerNormBackward(x, gamma|null, g, rows, cols, eps, dx|null, dgamma|null, dbeta|null) */
static napi_value js_ln_back(napi_env env, napi_callback_info info) {
  nb_call c = {env, "layerNormBackward", {0}, 0};
  if (!nb_get_args(&c, info, 9)) return NULL;
  long rows = nb_get_count(&c, 3, "rows"), cols = nb_get_count(&c, 4, "cols");
  double size = (double)rows * cols;
  nb_kind kind = 0;
  const void *x = floats(&c, 0, "x", size, 0, &kind), *gamma = floats(&c, 1, "gamma", (double)cols, 1, &kind);
  const void *g = floats(&c, 2, "g", size, 0, &kind);
  double eps = nb_get_number(&c, 5, "eps");
  void *dx = floats(&c, 6, "dx", size, 1, &kind), *dgamma = floats(&c, 7, "dgamma", (double)cols, 1, &kind);
  void *dbeta = floats(&c, 8, "dbeta", (double)cols, 1, &kind);
  if (c.failed) return NULL;
  if (nb_layer_norm_backward(nb_kind_type(kind), x, gamma, g, rows, cols, eps, dx, dgamma, dbeta) != 0)
    napi_throw_error(env, NULL, "nabla native layerNormBackward: out of memory for the row statistics");
  return NULL;
}

napi_value nb_fused_register(napi_env env, napi_value exports) {
  static const nb_export fns[] = {{"adamUpdate", js_adam},       {"sgdUpdate", js_sgd},         {"softmax", js_softmax},
                                  {"softmaxBackward", js_softmax_back}, {"crossEntropy", js_ce}, {"crossEntropyBackward", js_ce_back},
                                  {"biasActivation", js_bias_act}, {"biasActivationBackward", js_bias_act_back},
                                  {"layerNorm", js_ln},          {"layerNormBackward", js_ln_back}};
  return nb_export_all(env, exports, fns, sizeof fns / sizeof fns[0]) ? exports : NULL;
}
