/* N-API wrappers of the fused attention kernels (attention.c). Sizes, offsets and strides come
 * in one Float64Array `dims` (the layout of src/backend/native/attention.ts):
 *   [batch, heads, kvHeads, queries, keys, depth, valueDepth, scale, causal,
 *    qOffset, qStrides x3, kOffset, kStrides x3, vOffset, vStrides x3,
 *    maskOffset, maskStrides x4, dOutOffset, dOutStrides x3]
 * Each wrapper checks the element types, that the sizes are non-negative integers, and that
 * every element a kernel can touch lies inside its typed array, then computes in place. */
#include <math.h>
#include "attention.h"
#include "napi_args.h"

#define DIMS 30
#define ARRAY (NB_F32 | NB_F64 | NB_U8)

static int is_count(double v) {
  return v >= 0 && v == floor(v) && v <= 9007199254740991.0;
}

/* Checks that the 4-D strided block (sizes n, strides s) at `off` lies inside `a`; returns the
 * data pointer at `off`. */
static const void *block(nb_call *c, const nb_array *a, const char *name, double off, const long *n, const double *s) {
  if (c->failed) return NULL;
  double hi = off;
  int empty = 0;
  for (int d = 0; d < 4; d++) {
    if (!is_count(s[d])) {
      nb_fail(c, "strides must be non-negative integers");
      return NULL;
    }
    if (n[d] == 0) empty = 1;
    else hi += (double)(n[d] - 1) * s[d];
  }
  if (!is_count(off) || (!empty && hi >= a->length)) {
    nb_fail(c, "%s: the block at offset %.0f reaches element %.0f of %.0f", name, off, hi, a->length);
    return NULL;
  }
  return nb_at(a, (long)off);
}

static void *output(nb_call *c, const nb_array *a, nb_kind kind, const char *name, double count) {
  if (c->failed) return NULL;
  if (a->kind != kind || a->length < count) {
    nb_fail(c, "%s must be an array of the inputs' type with at least %.0f elements", name, count);
    return NULL;
  }
  return a->data;
}

/* Reads dims, checks q, k, v and the mask, and fills the geometry; returns q's kind and sets
 * *dims to the 30 numbers. */
static nb_kind setup(nb_call *c, nb_attention_geom *g, const double **dims_out, const void **q, const void **k, const void **v) {
  nb_array da = nb_get_array(c, 0, "dims", NB_F64);
  if (!c->failed && da.length != DIMS) nb_fail(c, "dims must be a Float64Array of 30 numbers");
  if (c->failed) return NB_F32;
  const double *dims = da.data;
  *dims_out = dims;
  for (int i = 0; i < DIMS; i++)
    if (i != 7 && !is_count(dims[i])) {
      nb_fail(c, "sizes, offsets and strides must be non-negative integers");
      return NB_F32;
    }
  g->batch = (long)dims[0], g->heads = (long)dims[1], g->kv_heads = (long)dims[2], g->queries = (long)dims[3];
  g->keys = (long)dims[4], g->depth = (long)dims[5], g->vdepth = (long)dims[6];
  g->scale = dims[7], g->causal = dims[8] != 0;
  if (g->kv_heads < 1 || g->heads % g->kv_heads != 0 || !isfinite(g->scale)) {
    nb_fail(c, "heads must be a multiple of kvHeads >= 1 and scale finite");
    return NB_F32;
  }
  nb_array qa = nb_get_array(c, 1, "q", ARRAY), ka = nb_get_array(c, 2, "k", ARRAY), va = nb_get_array(c, 3, "v", ARRAY);
  int masked = !nb_is_null(c, 4);
  nb_array ma = nb_get_optional_array(c, 4, "mask", ARRAY);
  if (c->failed) return NB_F32;
  if (qa.kind == NB_U8 || ka.kind != qa.kind || va.kind != qa.kind || (masked && ma.kind != NB_U8 && ma.kind != qa.kind)) {
    nb_fail(c, "q, k and v must be all Float32Array or all Float64Array, and mask a Uint8Array or of their type");
    return NB_F32;
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
  g->mask_bool = masked && ma.kind == NB_U8;
  if (masked) {
    g->mask = block(c, &ma, "mask", dims[21], mn, dims + 22);
    for (int d = 0; d < 4; d++) g->ms[d] = (long)dims[22 + d];
  }
  return qa.kind;
}

/* attentionForward(dims, q, k, v, mask | null, out, lse) */
static napi_value js_attention_forward(napi_env env, napi_callback_info info) {
  nb_call c = {env, "attentionForward", {0}, 0};
  if (!nb_get_args(&c, info, 7)) return NULL;
  nb_attention_geom g;
  const double *dims = NULL;
  const void *q = NULL, *k = NULL, *v = NULL;
  nb_kind kind = setup(&c, &g, &dims, &q, &k, &v);
  if (c.failed) return NULL;
  nb_array oa = nb_get_array(&c, 5, "out", ARRAY), la = nb_get_array(&c, 6, "lse", ARRAY);
  const double rows = (double)g.batch * g.heads * g.queries;
  void *out = output(&c, &oa, kind, "out", rows * g.vdepth);
  void *lse = output(&c, &la, kind, "lse", rows);
  if (c.failed) return NULL;
  if (nb_attention_forward(nb_kind_type(kind), &g, q, k, v, out, lse) != 0)
    napi_throw_error(env, NULL, "nabla native attentionForward: out of memory");
  return NULL;
}

/* attentionBackward(dims, q, k, v, mask | null, out, lse, dOut, dq, dk, dv) */
static napi_value js_attention_backward(napi_env env, napi_callback_info info) {
  nb_call c = {env, "attentionBackward", {0}, 0};
  if (!nb_get_args(&c, info, 11)) return NULL;
  nb_attention_geom g;
  const double *dims = NULL;
  const void *q = NULL, *k = NULL, *v = NULL;
  nb_kind kind = setup(&c, &g, &dims, &q, &k, &v);
  if (c.failed) return NULL;
  nb_array oa = nb_get_array(&c, 5, "out", ARRAY), la = nb_get_array(&c, 6, "lse", ARRAY), ga = nb_get_array(&c, 7, "dOut", ARRAY);
  nb_array qa = nb_get_array(&c, 8, "dq", ARRAY), ka = nb_get_array(&c, 9, "dk", ARRAY), va = nb_get_array(&c, 10, "dv", ARRAY);
  const double rows = (double)g.batch * g.heads * g.queries, kvrows = (double)g.batch * g.kv_heads * g.keys;
  const void *out = output(&c, &oa, kind, "out", rows * g.vdepth);
  const void *lse = output(&c, &la, kind, "lse", rows);
  void *dq = output(&c, &qa, kind, "dq", rows * g.depth);
  void *dk = output(&c, &ka, kind, "dk", kvrows * g.depth);
  void *dv = output(&c, &va, kind, "dv", kvrows * g.vdepth);
  if (!c.failed && ga.kind != kind) nb_fail(&c, "dOut must have the inputs' type");
  const long gn[4] = {g.batch, g.heads, g.queries, g.vdepth};
  const double gs[4] = {dims[27], dims[28], dims[29], 1};
  const void *dout = block(&c, &ga, "dOut", dims[26], gn, gs);
  if (c.failed) return NULL;
  if (nb_attention_backward(nb_kind_type(kind), &g, q, k, v, out, lse, dout, dq, dk, dv) != 0)
    napi_throw_error(env, NULL, "nabla native attentionBackward: out of memory");
  return NULL;
}

napi_value nb_attention_register(napi_env env, napi_value exports) {
  static const nb_export fns[] = {{"attentionForward", js_attention_forward}, {"attentionBackward", js_attention_backward}};
  return nb_export_all(env, exports, fns, sizeof fns / sizeof fns[0]) ? exports : NULL;
}
