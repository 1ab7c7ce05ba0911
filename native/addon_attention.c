/* N-API wrappers of the fused attention kernels (attention.c). Sizes, offsets and strides come
 * in one Float64Array `dims` (the layout of src/backend/native/attention.ts):
 *   [batch, heads, kvHeads, queries, keys, depth, valueDepth, scale, causal,
 *    qOffset, qStrides x3, kOffset, kStrides x3, vOffset, vStrides x3,
 *    maskOffset, maskStrides x4, dOutOffset, dOutStrides x3]
 * Each wrapper checks the element types, that the sizes are non-negative integers, and that
 * every element a kernel can touch lies inside its typed array, then computes in place. */
#include <math.h>
#include <stdio.h>
#include "attention.h"

#define DIMS 30
#define MAX_ARGS 11

typedef struct {
  napi_env env;
  const char *fn;
  napi_value argv[MAX_ARGS];
  int failed;
} call_t;

typedef struct {
  nb_type type; /* T_F32, T_F64 or T_U8 */
  void *data;
  double length;
} arr_t;

static void fail(call_t *c, const char *what) {
  if (c->failed) return;
  char msg[256];
  snprintf(msg, sizeof msg, "nabla native %s: %s", c->fn, what);
  napi_throw_type_error(c->env, NULL, msg);
  c->failed = 1;
}

static int get_args(call_t *c, napi_callback_info info, size_t want) {
  size_t argc = MAX_ARGS;
  if (napi_get_cb_info(c->env, info, &argc, c->argv, NULL, NULL) != napi_ok || argc != want) {
    fail(c, want == 7 ? "expected 7 arguments" : "expected 11 arguments");
    return 0;
  }
  return 1;
}

/* A Float32Array, Float64Array or Uint8Array; with `optional`, null gives data NULL. */
static arr_t get_arr(call_t *c, int i, const char *name, int optional) {
  arr_t a = {T_F32, NULL, 0};
  napi_valuetype vt;
  if (optional && napi_typeof(c->env, c->argv[i], &vt) == napi_ok && vt == napi_null) return a;
  bool is = false;
  napi_typedarray_type t;
  size_t len = 0;
  if (napi_is_typedarray(c->env, c->argv[i], &is) == napi_ok && is &&
      napi_get_typedarray_info(c->env, c->argv[i], &t, &len, &a.data, NULL, NULL) == napi_ok) {
    a.length = (double)len;
    if (t == napi_float32_array) return a;
    if (t == napi_float64_array) return (a.type = T_F64, a);
    if (t == napi_uint8_array) return (a.type = T_U8, a);
  }
  char msg[96];
  snprintf(msg, sizeof msg, "%s must be a Float32Array, Float64Array or Uint8Array", name);
  fail(c, msg);
  return a;
}

static int is_count(double v) {
  return v >= 0 && v == floor(v) && v <= 9007199254740991.0;
}

/* Checks that the 4-D strided block (sizes n, strides s) at `off` lies inside `a`; returns the
 * data pointer at `off`. */
static const void *block(call_t *c, const arr_t *a, const char *name, double off, const long *n, const double *s) {
  if (c->failed) return NULL;
  double hi = off;
  int empty = 0;
  for (int d = 0; d < 4; d++) {
    if (!is_count(s[d])) {
      fail(c, "strides must be non-negative integers");
      return NULL;
    }
    if (n[d] == 0) empty = 1;
    else hi += (double)(n[d] - 1) * s[d];
  }
  if (!is_count(off) || (!empty && hi >= a->length)) {
    char msg[128];
    snprintf(msg, sizeof msg, "%s: the block at offset %.0f reaches element %.0f of %.0f", name, off, hi, a->length);
    fail(c, msg);
    return NULL;
  }
  return (const char *)a->data + (size_t)off * (a->type == T_F64 ? 8 : a->type == T_F32 ? 4 : 1);
}

static void *output(call_t *c, const arr_t *a, nb_type type, const char *name, double count) {
  if (c->failed) return NULL;
  if (a->type != type || a->length < count) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be an array of the inputs' type with at least %.0f elements", name, count);
    fail(c, msg);
    return NULL;
  }
  return a->data;
}

/* Reads dims, checks q, k, v and the mask, and fills the geometry; returns q's element type. */
static nb_type setup(call_t *c, nb_attention_geom *g, const void **q, const void **k, const void **v) {
  bool is = false;
  napi_typedarray_type t;
  size_t len = 0;
  double *dims = NULL;
  if (napi_is_typedarray(c->env, c->argv[0], &is) != napi_ok || !is ||
      napi_get_typedarray_info(c->env, c->argv[0], &t, &len, (void **)&dims, NULL, NULL) != napi_ok ||
      t != napi_float64_array || len != DIMS) {
    fail(c, "dims must be a Float64Array of 30 numbers");
    return T_F32;
  }
  for (int i = 0; i < DIMS; i++)
    if (i != 7 && !is_count(dims[i])) {
      fail(c, "sizes, offsets and strides must be non-negative integers");
      return T_F32;
    }
  g->batch = (long)dims[0], g->heads = (long)dims[1], g->kv_heads = (long)dims[2], g->queries = (long)dims[3];
  g->keys = (long)dims[4], g->depth = (long)dims[5], g->vdepth = (long)dims[6];
  g->scale = dims[7], g->causal = dims[8] != 0;
  if (g->kv_heads < 1 || g->heads % g->kv_heads != 0 || !isfinite(g->scale)) {
    fail(c, "heads must be a multiple of kvHeads >= 1 and scale finite");
    return T_F32;
  }
  arr_t qa = get_arr(c, 1, "q", 0), ka = get_arr(c, 2, "k", 0), va = get_arr(c, 3, "v", 0), ma = get_arr(c, 4, "mask", 1);
  if (c->failed) return T_F32;
  if (qa.type == T_U8 || ka.type != qa.type || va.type != qa.type || (ma.data && ma.type != T_U8 && ma.type != qa.type)) {
    fail(c, "q, k and v must be all Float32Array or all Float64Array, and mask a Uint8Array or of their type");
    return T_F32;
  }
  const long qn[4] = {g->batch, g->heads, g->queries, g->depth}, kn[4] = {g->batch, g->kv_heads, g->keys, g->depth};
  const long vn[4] = {g->batch, g->kv_heads, g->keys, g->vdepth}, mn[4] = {g->batch, g->heads, g->queries, g->keys};
  const double qs[4] = {dims[10], dims[11], dims[12], 1}, ks[4] = {dims[14], dims[15], dims[16], 1};
  const double vs[4] = {dims[18], dims[19], dims[20], 1};
  *q = block(c, &qa, "q", dims[9], qn, qs);
  *k = block(c, &ka, "k", dims[13], kn, ks);
  *v = block(c, &va, "v", dims[17], vn, vs);
  for (int d = 0; d < 3; d++) g->qs[d] = (long)qs[d], g->ks[d] = (long)ks[d], g->vs[d] = (long)vs[d];
  for (int d = 0; d < 3; d++) g->dos[d] = (long)dims[27 + d];
  g->mask = NULL;
  g->mask_bool = ma.type == T_U8;
  if (ma.data) {
    g->mask = block(c, &ma, "mask", dims[21], mn, dims + 22);
    for (int d = 0; d < 4; d++) g->ms[d] = (long)dims[22 + d];
  }
  return qa.type;
}

/* attentionForward(dims, q, k, v, mask | null, out, lse) */
static napi_value js_attention_forward(napi_env env, napi_callback_info info) {
  call_t c = {env, "attentionForward", {0}, 0};
  if (!get_args(&c, info, 7)) return NULL;
  nb_attention_geom g;
  const void *q = NULL, *k = NULL, *v = NULL;
  nb_type type = setup(&c, &g, &q, &k, &v);
  if (c.failed) return NULL;
  arr_t oa = get_arr(&c, 5, "out", 0), la = get_arr(&c, 6, "lse", 0);
  const double rows = (double)g.batch * g.heads * g.queries;
  void *out = output(&c, &oa, type, "out", rows * g.vdepth);
  void *lse = output(&c, &la, type, "lse", rows);
  if (c.failed) return NULL;
  if (nb_attention_forward(type, &g, q, k, v, out, lse) != 0) napi_throw_error(env, NULL, "nabla native attentionForward: out of memory");
  return NULL;
}

/* attentionBackward(dims, q, k, v, mask | null, out, lse, dOut, dq, dk, dv) */
static napi_value js_attention_backward(napi_env env, napi_callback_info info) {
  call_t c = {env, "attentionBackward", {0}, 0};
  if (!get_args(&c, info, 11)) return NULL;
  nb_attention_geom g;
  const void *q = NULL, *k = NULL, *v = NULL;
  nb_type type = setup(&c, &g, &q, &k, &v);
  if (c.failed) return NULL;
  bool is = false;
  double *dims = NULL;
  size_t len = 0;
  napi_typedarray_type t;
  napi_is_typedarray(env, c.argv[0], &is);
  napi_get_typedarray_info(env, c.argv[0], &t, &len, (void **)&dims, NULL, NULL);
  arr_t oa = get_arr(&c, 5, "out", 0), la = get_arr(&c, 6, "lse", 0), ga = get_arr(&c, 7, "dOut", 0);
  arr_t qa = get_arr(&c, 8, "dq", 0), ka = get_arr(&c, 9, "dk", 0), va = get_arr(&c, 10, "dv", 0);
  const double rows = (double)g.batch * g.heads * g.queries, kvrows = (double)g.batch * g.kv_heads * g.keys;
  const void *out = output(&c, &oa, type, "out", rows * g.vdepth);
  const void *lse = output(&c, &la, type, "lse", rows);
  void *dq = output(&c, &qa, type, "dq", rows * g.depth);
  void *dk = output(&c, &ka, type, "dk", kvrows * g.depth);
  void *dv = output(&c, &va, type, "dv", kvrows * g.vdepth);
  if (!c.failed && ga.type != type) fail(&c, "dOut must have the inputs' type");
  const long gn[4] = {g.batch, g.heads, g.queries, g.vdepth};
  const double gs[4] = {dims[27], dims[28], dims[29], 1};
  const void *dout = block(&c, &ga, "dOut", dims[26], gn, gs);
  if (c.failed) return NULL;
  if (nb_attention_backward(type, &g, q, k, v, out, lse, dout, dq, dk, dv) != 0)
    napi_throw_error(env, NULL, "nabla native attentionBackward: out of memory");
  return NULL;
}

napi_value nb_attention_register(napi_env env, napi_value exports) {
  static const struct {
    const char *name;
    napi_callback fn;
  } fns[] = {{"attentionForward", js_attention_forward}, {"attentionBackward", js_attention_backward}};
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    napi_value f;
    if (napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &f) != napi_ok) return NULL;
    if (napi_set_named_property(env, exports, fns[i].name, f) != napi_ok) return NULL;
  }
  return exports;
}
