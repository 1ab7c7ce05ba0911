/* The N-API surface of the fused kernels (fused.h). Each wrapper checks its arguments: integer
 * sizes, that every array is a Float32Array or Float64Array of one element type (labels an
 * Int32Array) and long enough, that labels are valid classes; then it calls the kernel on the
 * arrays' own memory. A failed check throws and means a bug in src/backend/native/fused.ts. */
#include <math.h>
#include <stdio.h>
#include "fused.h"

#define MAX_ARGS 12

typedef struct {
  napi_env env;
  const char *fn;
  napi_value argv[MAX_ARGS];
  int failed;
  nb_type type; /* element type of the first float array */
  int typed;
} fcall;

static void fail(fcall *c, const char *what, const char *name) {
  if (c->failed) return;
  char msg[200];
  snprintf(msg, sizeof msg, "nabla native %s: %s %s", c->fn, name, what);
  napi_throw_type_error(c->env, NULL, msg);
  c->failed = 1;
}

static int get_args(fcall *c, napi_callback_info info, size_t want) {
  size_t argc = MAX_ARGS;
  if (napi_get_cb_info(c->env, info, &argc, c->argv, NULL, NULL) != napi_ok || argc != want) fail(c, "count is wrong", "argument");
  return !c->failed;
}

static double get_num(fcall *c, int i, const char *name) {
  double v = 0;
  if (napi_get_value_double(c->env, c->argv[i], &v) != napi_ok) fail(c, "must be a number", name);
  return v;
}

/* A non-negative integer below 2^53. */
static long get_count(fcall *c, int i, const char *name) {
  double v = get_num(c, i, name);
  if (!c->failed && (v != floor(v) || v < 0 || v > 9007199254740991.0)) fail(c, "must be a non-negative integer", name);
  return (long)v;
}

static int get_flag(fcall *c, int i, const char *name) {
  bool v = false;
  if (napi_get_value_bool(c->env, c->argv[i], &v) != napi_ok) fail(c, "must be a boolean", name);
  return v;
}

static int is_null(fcall *c, int i) {
  napi_valuetype t;
  return napi_typeof(c->env, c->argv[i], &t) == napi_ok && (t == napi_null || t == napi_undefined);
}

/* A float array of at least `need` elements, of the same type as the others (NULL if optional and null). */
static void *get_floats(fcall *c, int i, const char *name, double need, int optional) {
  if (c->failed || (optional && is_null(c, i))) return NULL;
  bool is = false;
  napi_typedarray_type t;
  size_t len = 0;
  void *data = NULL;
  if (napi_is_typedarray(c->env, c->argv[i], &is) != napi_ok || !is ||
      napi_get_typedarray_info(c->env, c->argv[i], &t, &len, &data, NULL, NULL) != napi_ok ||
      (t != napi_float32_array && t != napi_float64_array)) {
    fail(c, optional ? "must be a Float32Array, a Float64Array or null" : "must be a Float32Array or Float64Array", name);
    return NULL;
  }
  nb_type type = t == napi_float32_array ? T_F32 : T_F64;
  if (c->typed && type != c->type) fail(c, "has a different element type from the first array", name);
  else if ((double)len < need) fail(c, "is too short", name);
  c->type = type;
  c->typed = 1;
  return data;
}

/* Int32Array labels, each in [0, classes) (NULL if null). */
static const int32_t *get_labels(fcall *c, int i, long rows, long classes) {
  if (c->failed || is_null(c, i)) return NULL;
  bool is = false;
  napi_typedarray_type t;
  size_t len = 0;
  void *data = NULL;
  if (napi_is_typedarray(c->env, c->argv[i], &is) != napi_ok || !is ||
      napi_get_typedarray_info(c->env, c->argv[i], &t, &len, &data, NULL, NULL) != napi_ok || t != napi_int32_array) {
    fail(c, "must be an Int32Array or null", "labels");
    return NULL;
  }
  if ((double)len < (double)rows) fail(c, "is too short", "labels");
  const int32_t *l = data;
  for (long r = 0; r < rows && !c->failed; r++)
    if (l[r] < 0 || l[r] >= classes) fail(c, "holds a class outside [0, cols)", "labels");
  return l;
}

#define BEGIN(name, n)                      \
  fcall c = {env, name, {0}, 0, T_F32, 0}; \
  if (!get_args(&c, info, n)) return NULL

/* adamUpdate(param, grad, m, v, vHat|null, lrT, beta1, beta2, epsilon, decay) */
static napi_value js_adam(napi_env env, napi_callback_info info) {
  BEGIN("adamUpdate", 10);
  void *p = get_floats(&c, 0, "param", 0, 0);
  size_t n = 0;
  napi_get_typedarray_info(env, c.argv[0], NULL, &n, NULL, NULL, NULL);
  const void *g = get_floats(&c, 1, "grad", (double)n, 0);
  void *m = get_floats(&c, 2, "m", (double)n, 0), *v = get_floats(&c, 3, "v", (double)n, 0);
  void *vh = get_floats(&c, 4, "vHat", (double)n, 1);
  nb_adam_hyper h = {get_num(&c, 5, "lrT"), get_num(&c, 6, "beta1"), get_num(&c, 7, "beta2"), get_num(&c, 8, "epsilon"),
                     get_num(&c, 9, "decay")};
  if (!c.failed) nb_adam_update(c.type, p, g, m, v, vh, (long)n, &h);
  return NULL;
}

/* sgdUpdate(param, grad, velocity|null, lr, momentum, nesterov, weightDecay) */
static napi_value js_sgd(napi_env env, napi_callback_info info) {
  BEGIN("sgdUpdate", 7);
  void *p = get_floats(&c, 0, "param", 0, 0);
  size_t n = 0;
  napi_get_typedarray_info(env, c.argv[0], NULL, &n, NULL, NULL, NULL);
  const void *g = get_floats(&c, 1, "grad", (double)n, 0);
  void *vel = get_floats(&c, 2, "velocity", (double)n, 1);
  nb_sgd_hyper h = {get_num(&c, 3, "lr"), get_num(&c, 4, "momentum"), get_num(&c, 6, "weightDecay"), get_flag(&c, 5, "nesterov")};
  if (!c.failed) nb_sgd_update(c.type, p, g, vel, (long)n, &h);
  return NULL;
}

/* softmax(x, rows, cols, log, out) */
static napi_value js_softmax(napi_env env, napi_callback_info info) {
  BEGIN("softmax", 5);
  long rows = get_count(&c, 1, "rows"), cols = get_count(&c, 2, "cols");
  double size = (double)rows * cols;
  const void *x = get_floats(&c, 0, "x", size, 0);
  int log = get_flag(&c, 3, "log");
  void *out = get_floats(&c, 4, "out", size, 0);
  if (!c.failed) nb_softmax(c.type, x, rows, cols, log, out);
  return NULL;
}

/* softmaxBackward(y, g, rows, cols, log, dx) */
static napi_value js_softmax_back(napi_env env, napi_callback_info info) {
  BEGIN("softmaxBackward", 6);
  long rows = get_count(&c, 2, "rows"), cols = get_count(&c, 3, "cols");
  double size = (double)rows * cols;
  const void *y = get_floats(&c, 0, "y", size, 0), *g = get_floats(&c, 1, "g", size, 0);
  int log = get_flag(&c, 4, "log");
  void *dx = get_floats(&c, 5, "dx", size, 0);
  if (!c.failed) nb_softmax_backward(c.type, y, g, rows, cols, log, dx);
  return NULL;
}

/* The shared head of crossEntropy(x, rows, cols, labels|null, targets|null, smoothing, fromLogits, …) */
static const void *ce_head(fcall *c, long *rows, long *cols, nb_ce_target *tg) {
  *rows = get_count(c, 1, "rows");
  *cols = get_count(c, 2, "cols");
  double size = (double)*rows * *cols;
  const void *x = get_floats(c, 0, "x", size, 0);
  tg->labels = get_labels(c, 3, *rows, *cols);
  tg->targets = get_floats(c, 4, "targets", size, 1);
  tg->smoothing = get_num(c, 5, "smoothing");
  tg->from_logits = get_flag(c, 6, "fromLogits");
  if (!c->failed && is_null(c, 3) == is_null(c, 4)) fail(c, "must be given, exactly one of the two", "labels or targets");
  return x;
}

/* crossEntropy(x, rows, cols, labels, targets, smoothing, fromLogits, loss) */
static napi_value js_ce(napi_env env, napi_callback_info info) {
  BEGIN("crossEntropy", 8);
  long rows, cols;
  nb_ce_target tg;
  const void *x = ce_head(&c, &rows, &cols, &tg);
  void *loss = get_floats(&c, 7, "loss", (double)rows, 0);
  if (!c.failed) nb_cross_entropy(c.type, x, rows, cols, &tg, loss);
  return NULL;
}

/* crossEntropyBackward(x, rows, cols, labels, targets, smoothing, fromLogits, g, dx) */
static napi_value js_ce_back(napi_env env, napi_callback_info info) {
  BEGIN("crossEntropyBackward", 9);
  long rows, cols;
  nb_ce_target tg;
  const void *x = ce_head(&c, &rows, &cols, &tg);
  const void *g = get_floats(&c, 7, "g", (double)rows, 0);
  void *dx = get_floats(&c, 8, "dx", (double)rows * cols, 0);
  if (!c.failed) nb_cross_entropy_backward(c.type, x, rows, cols, &tg, g, dx);
  return NULL;
}

static int get_act(fcall *c, int i) {
  long a = get_count(c, i, "activation");
  if (!c->failed && a >= A_COUNT) fail(c, "is an unknown code", "activation");
  return (int)a;
}

/* biasActivation(act, y, bias|null, rows, cols, out) */
static napi_value js_bias_act(napi_env env, napi_callback_info info) {
  BEGIN("biasActivation", 6);
  int act = get_act(&c, 0);
  long rows = get_count(&c, 3, "rows"), cols = get_count(&c, 4, "cols");
  double size = (double)rows * cols;
  const void *y = get_floats(&c, 1, "y", size, 0), *bias = get_floats(&c, 2, "bias", (double)cols, 1);
  void *out = get_floats(&c, 5, "out", size, 0);
  if (!c.failed) nb_bias_act(c.type, act, y, bias, rows, cols, out);
  return NULL;
}

/* biasActivationBackward(act, y, bias|null, out, g, rows, cols, dz, dbias|null) */
static napi_value js_bias_act_back(napi_env env, napi_callback_info info) {
  BEGIN("biasActivationBackward", 9);
  int act = get_act(&c, 0);
  long rows = get_count(&c, 5, "rows"), cols = get_count(&c, 6, "cols");
  double size = (double)rows * cols;
  const void *y = get_floats(&c, 1, "y", size, 0), *bias = get_floats(&c, 2, "bias", (double)cols, 1);
  const void *out = get_floats(&c, 3, "out", size, 0), *g = get_floats(&c, 4, "g", size, 0);
  void *dz = get_floats(&c, 7, "dz", size, 0), *dbias = get_floats(&c, 8, "dbias", (double)cols, 1);
  if (!c.failed && nb_bias_act_backward(c.type, act, y, bias, out, g, rows, cols, dz, dbias) != 0)
    napi_throw_error(env, NULL, "nabla native biasActivationBackward: out of memory for the bias-gradient sums");
  return NULL;
}

/* layerNorm(x, gamma|null, beta|null, rows, cols, eps, out) */
static napi_value js_ln(napi_env env, napi_callback_info info) {
  BEGIN("layerNorm", 7);
  long rows = get_count(&c, 3, "rows"), cols = get_count(&c, 4, "cols");
  double size = (double)rows * cols;
  const void *x = get_floats(&c, 0, "x", size, 0);
  const void *gamma = get_floats(&c, 1, "gamma", (double)cols, 1), *beta = get_floats(&c, 2, "beta", (double)cols, 1);
  double eps = get_num(&c, 5, "eps");
  void *out = get_floats(&c, 6, "out", size, 0);
  if (!c.failed) nb_layer_norm(c.type, x, gamma, beta, rows, cols, eps, out);
  return NULL;
}

/* layerNormBackward(x, gamma|null, g, rows, cols, eps, dx|null, dgamma|null, dbeta|null) */
static napi_value js_ln_back(napi_env env, napi_callback_info info) {
  BEGIN("layerNormBackward", 9);
  long rows = get_count(&c, 3, "rows"), cols = get_count(&c, 4, "cols");
  double size = (double)rows * cols;
  const void *x = get_floats(&c, 0, "x", size, 0), *gamma = get_floats(&c, 1, "gamma", (double)cols, 1);
  const void *g = get_floats(&c, 2, "g", size, 0);
  double eps = get_num(&c, 5, "eps");
  void *dx = get_floats(&c, 6, "dx", size, 1), *dgamma = get_floats(&c, 7, "dgamma", (double)cols, 1);
  void *dbeta = get_floats(&c, 8, "dbeta", (double)cols, 1);
  if (c.failed) return NULL;
  if (nb_layer_norm_backward(c.type, x, gamma, g, rows, cols, eps, dx, dgamma, dbeta) != 0)
    napi_throw_error(env, NULL, "nabla native layerNormBackward: out of memory for the row statistics");
  return NULL;
}

napi_value nb_fused_register(napi_env env, napi_value exports) {
  static const struct {
    const char *name;
    napi_callback fn;
  } fns[] = {{"adamUpdate", js_adam},       {"sgdUpdate", js_sgd},         {"softmax", js_softmax},
             {"softmaxBackward", js_softmax_back}, {"crossEntropy", js_ce}, {"crossEntropyBackward", js_ce_back},
             {"biasActivation", js_bias_act}, {"biasActivationBackward", js_bias_act_back},
             {"layerNorm", js_ln},          {"layerNormBackward", js_ln_back}};
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    napi_value f;
    if (napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &f) != napi_ok) return NULL;
    if (napi_set_named_property(env, exports, fns[i].name, f) != napi_ok) return NULL;
  }
  return exports;
}
