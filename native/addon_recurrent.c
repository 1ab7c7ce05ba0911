/* The N-API surface of the recurrent step kernels (recurrent.h). Each wrapper reads the geometry
 * [cell, act, ract, rows, units], checks every array (one float type, each block inside its
 * array), then calls the kernel at the given offsets. A failed check throws and means a bug in
 * src/backend/native/recurrent.ts. */
#include "fused.h"
#include "napi_args.h"
#include "recurrent.h"

#define FLOATS (NB_F32 | NB_F64)

/* The geometry from argument i, checked. */
static nb_rnn_geometry get_geometry(nb_call *c, int i) {
  long v[5] = {0};
  nb_rnn_geometry g = {0, 0, 0, 0, 0};
  if (nb_get_longs(c, i, "geometry", v, 5) != 5) {
    nb_fail(c, "geometry must be [cell, act, ract, rows, units]");
    return g;
  }
  if (v[0] < RNN_SIMPLE || v[0] > RNN_GRU) nb_fail(c, "unknown cell %ld", v[0]);
  if (v[1] < A_LINEAR || v[1] > A_TANH || v[2] < A_LINEAR || v[2] > A_TANH) nb_fail(c, "unknown activation");
  if (v[3] < 0 || v[4] < 1) nb_fail(c, "rows and units must be positive");
  g.cell = (int)v[0], g.act = (int)v[1], g.ract = (int)v[2], g.rows = v[3], g.units = v[4];
  return g;
}

/* Argument i (array) and i + 1 (offset, or none when off < 0) as a pointer to a block of
 * `count` elements of the call's one float kind; NULL when optional and null. */
static void *block(nb_call *c, int i, int off_arg, const char *name, double count, int optional, nb_kind *kind) {
  if (c->failed || (optional && nb_is_null(c, i))) return NULL;
  nb_array a = nb_get_array(c, i, name, FLOATS);
  long off = off_arg >= 0 ? nb_get_count(c, off_arg, name) : 0;
  if (c->failed) return NULL;
  if (*kind && a.kind != *kind) nb_fail(c, "%s has a different element type from the first array", name);
  *kind = a.kind;
  nb_check_range(c, &a, name, off, count);
  return c->failed ? NULL : nb_at(&a, off);
}

#define WIDTHS(g)                                                                  \
  const double G = (double)(g.cell == RNN_LSTM ? 4 : g.cell == RNN_GRU ? 3 : 1) * g.units; \
  const double K = (double)(g.cell == RNN_LSTM ? 2 : 1) * g.units;                \
  const double S = (double)(g.cell == RNN_SIMPLE ? 1 : 4) * g.units;              \
  const double R = (double)g.rows;

/* recurrentStepForward(geometry, xp, xpOff, rec, recBias|null, prev, prevOff, mask|null, maskOff,
 *                      next, nextOff, saved, savedOff) */
static napi_value js_step_forward(napi_env env, napi_callback_info info) {
  nb_call c = {env, "recurrentStepForward", {0}, 0};
  if (!nb_get_args(&c, info, 13)) return NULL;
  nb_rnn_geometry g = get_geometry(&c, 0);
  WIDTHS(g)
  nb_kind kind = 0;
  const void *xp = block(&c, 1, 2, "xp", R * G, 0, &kind);
  const void *rec = block(&c, 3, -1, "rec", R * G, 0, &kind);
  const void *rb = block(&c, 4, -1, "recBias", G, 1, &kind);
  const void *prev = block(&c, 5, 6, "prev", R * K, 0, &kind);
  const void *mask = block(&c, 7, 8, "mask", R, 1, &kind);
  void *next = block(&c, 9, 10, "next", R * K, 0, &kind);
  void *saved = block(&c, 11, 12, "saved", R * S, 0, &kind);
  (void)S;
  if (!c.failed && g.cell == RNN_GRU && rb == NULL) nb_fail(&c, "recBias is required for a GRU (zeros without a bias)");
  if (!c.failed) nb_rnn_step_forward(nb_kind_type(kind), &g, xp, rec, rb, prev, mask, next, saved);
  return NULL;
}

/* recurrentStepBackward(geometry, dState, saved, savedOff, prev, prevOff, mask|null, maskOff,
 *                       dxp, dxpOff, dRec|null, dRecOff) */
static napi_value js_step_backward(napi_env env, napi_callback_info info) {
  nb_call c = {env, "recurrentStepBackward", {0}, 0};
  if (!nb_get_args(&c, info, 12)) return NULL;
  nb_rnn_geometry g = get_geometry(&c, 0);
  WIDTHS(g)
  nb_kind kind = 0;
  void *ds = block(&c, 1, -1, "dState", R * K, 0, &kind);
  const void *saved = block(&c, 2, 3, "saved", R * S, 0, &kind);
  const void *prev = block(&c, 4, 5, "prev", R * K, 0, &kind);
  const void *mask = block(&c, 6, 7, "mask", R, 1, &kind);
  void *dxp = block(&c, 8, 9, "dxp", R * G, 0, &kind);
  void *d_rec = block(&c, 10, 11, "dRec", R * G, 1, &kind);
  if (!c.failed && g.cell == RNN_GRU && d_rec == NULL) nb_fail(&c, "dRec is required for a GRU");
  if (!c.failed) nb_rnn_step_backward(nb_kind_type(kind), &g, ds, saved, prev, mask, dxp, d_rec);
  return NULL;
}

napi_value nb_recurrent_register(napi_env env, napi_value exports) {
  static const nb_export fns[] = {{"recurrentStepForward", js_step_forward}, {"recurrentStepBackward", js_step_backward}};
  return nb_export_all(env, exports, fns, sizeof fns / sizeof fns[0]) ? exports : NULL;
}
