/* Fused scaled dot-product attention (attention.c) and its N-API registration
 * (addon_attention.c). The kernels trust their arguments: the wrappers check every array access
 * first. Strided operands are given as element strides with the offset already applied. */
#ifndef NABLA_ATTENTION_H
#define NABLA_ATTENTION_H

#include <node_api.h>
#include "nabla.h"

/* One attention call (AttentionGeometry in src/backend/backend.ts, plus strides): q
 * [batch, heads, queries, depth], k [batch, kv_heads, keys, depth], v [batch, kv_heads, keys,
 * vdepth], the last axis of each with stride 1; query head h reads kv head h / (heads/kv_heads).
 * With `causal`, query i sees keys j <= i + keys - queries. */
typedef struct {
  long batch, heads, kv_heads, queries, keys, depth, vdepth;
  double scale;
  int causal;
  long qs[3], ks[3], vs[3], dos[3]; /* strides of dims (batch, head, time) of q, k, v, dOut */
  const void *mask;                 /* NULL, or [batch, heads, queries, keys] with strides ms */
  int mask_bool;                    /* mask bytes (0 = may not attend), else floats added to scores */
  long ms[4];
} nb_attention_geom;

/* out (contiguous [batch, heads, queries, vdepth]) = softmax(scale*q*k^T + mask)*v; lse
 * ([batch, heads, queries]) = the row log-sum-exp of the scores, -inf (and a zero row) where a
 * query sees no key. Parallel over (batch, head, block of 64 query rows); -1 when out of memory. */
int nb_attention_forward(nb_type type, const nb_attention_geom *g, const void *q, const void *k, const void *v,
                         void *out, void *lse);
/* dq, dk, dv (contiguous, zero-filled by the caller) from out, lse and dOut (strides g->dos).
 * Parallel over (batch, kv head), so that no two threads add into the same dk/dv rows; -1 when
 * out of memory. */
int nb_attention_backward(nb_type type, const nb_attention_geom *g, const void *q, const void *k, const void *v,
                          const void *out, const void *lse, const void *dout, void *dq, void *dk, void *dv);

/* Adds attentionForward and attentionBackward to the addon's exports; NULL on failure. Called
 * once from addon.c's init. */
napi_value nb_attention_register(napi_env env, napi_value exports);

#endif
