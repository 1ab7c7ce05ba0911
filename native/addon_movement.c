/* N-API wrappers of the movement kernels (movement.c, im2col.c). As in addon.c, each checks its
 * arguments and that every element it will touch lies inside its typed array, then runs the
 * kernel on the arrays' own memory. Strided views arrive as (array, offset, strides[]) with a
 * shared shape[] (plain JS arrays of integers). */
#include <string.h>
#include "movement.h"
#include "napi_args.h"

/* Every typed array the movement kernels take. */
#define ANY (NB_F32 | NB_F64 | NB_I32 | NB_U8)

/* The movement kernels' element type of an array. */
static nb_mtype mtype(const nb_array *a) {
  return a->kind == NB_F64 ? M_F64 : a->kind == NB_I32 ? M_I32 : a->kind == NB_U8 ? M_U8 : M_F32;
}

/* copy(src, srcOffset, srcStrides, dst, dstOffset, dstStrides, shape) */
static napi_value m_copy(napi_env env, napi_callback_info info) {
  nb_call c = {env, "copy", {0}, 0};
  if (!nb_get_args(&c, info, 7)) return NULL;
  long ss[NB_MAX_DIMS], ds[NB_MAX_DIMS], shape[NB_MAX_DIMS];
  nb_array s = nb_get_array(&c, 0, "src", ANY), d = nb_get_array(&c, 3, "dst", ANY);
  long so = nb_get_count(&c, 1, "srcOffset"), dof = nb_get_count(&c, 4, "dstOffset");
  int n1 = nb_get_longs(&c, 2, "srcStrides", ss, NB_MAX_DIMS), n2 = nb_get_longs(&c, 5, "dstStrides", ds, NB_MAX_DIMS);
  int nd = nb_get_longs(&c, 6, "shape", shape, NB_MAX_DIMS);
  if (c.failed) return NULL;
  if (n1 != nd || n2 != nd) return nb_fail(&c, "shape and strides differ in length"), NULL;
  int toFloat = nb_is_float(&d);
  if (s.kind != d.kind && !toFloat) return nb_fail(&c, "src and dst must have the same type, or dst be float"), NULL;
  nb_check_view(&c, &s, "src", so, shape, ss, nd);
  nb_check_view(&c, &d, "dst", dof, shape, ds, nd);
  if (c.failed) return NULL;
  for (int k = 0; k < nd; k++) if (shape[k] == 0) return NULL;
  nb_copy(mtype(&s), nb_at(&s, so), ss, mtype(&d), nb_at(&d, dof), ds, shape, nd);
  return NULL;
}

/* Checks that every index lies in [0, axis). */
static void mindices(nb_call *c, const nb_array *idx, long axis) {
  if (c->failed) return;
  if (idx->kind != NB_I32) {
    nb_fail(c, "indices must be an Int32Array");
    return;
  }
  const int32_t *p = (const int32_t *)idx->data;
  for (size_t k = 0; k < (size_t)idx->length; k++) {
    if (p[k] < 0 || p[k] >= axis) {
      nb_fail(c, "index %d is out of range [0, %ld)", p[k], axis);
      return;
    }
  }
}

/* gather(x, outer, axisSize, inner, indices, out) and scatterAdd(g, outer, axisSize, inner, indices, out) */
static napi_value m_gather_or_scatter(napi_env env, napi_callback_info info, int scatter) {
  nb_call c = {env, scatter ? "scatterAdd" : "gather", {0}, 0};
  if (!nb_get_args(&c, info, 6)) return NULL;
  nb_array x = nb_get_array(&c, 0, scatter ? "g" : "x", ANY), idx = nb_get_array(&c, 4, "indices", ANY);
  nb_array out = nb_get_array(&c, 5, "out", ANY);
  long outer = nb_get_count(&c, 1, "outer"), axis = nb_get_count(&c, 2, "axisSize"), inner = nb_get_count(&c, 3, "inner");
  if (c.failed) return NULL;
  long m = (long)idx.length;
  if (x.kind != out.kind) return nb_fail(&c, "input and out must have the same type"), NULL;
  if (scatter) nb_require_float(&c, &x, "g");
  mindices(&c, &idx, axis);
  nb_check_range(&c, &x, scatter ? "g" : "x", 0, (double)outer * (double)(scatter ? m : axis) * (double)inner);
  nb_check_range(&c, &out, "out", 0, (double)outer * (double)(scatter ? axis : m) * (double)inner);
  if (c.failed || outer == 0 || m == 0 || inner == 0) return NULL;
  if (scatter) nb_scatter_add(nb_array_type(&x), x.data, outer, axis, inner, (const int32_t *)idx.data, m, out.data);
  else nb_gather(nb_esize(&x), x.data, outer, axis, inner, (const int32_t *)idx.data, m, out.data);
  return NULL;
}

static napi_value m_gather(napi_env env, napi_callback_info info) {
  return m_gather_or_scatter(env, info, 0);
}

static napi_value m_scatter_add(napi_env env, napi_callback_info info) {
  return m_gather_or_scatter(env, info, 1);
}

/* where(cond, cOffset, cStrides, a, aOffset, aStrides, b, bOffset, bStrides, shape, out) */
static napi_value m_where(napi_env env, napi_callback_info info) {
  nb_call c = {env, "where", {0}, 0};
  if (!nb_get_args(&c, info, 11)) return NULL;
  long cs[NB_MAX_DIMS], as[NB_MAX_DIMS], bs[NB_MAX_DIMS], shape[NB_MAX_DIMS];
  nb_array cd = nb_get_array(&c, 0, "cond", ANY), a = nb_get_array(&c, 3, "a", ANY), b = nb_get_array(&c, 6, "b", ANY);
  nb_array out = nb_get_array(&c, 10, "out", ANY);
  long co = nb_get_count(&c, 1, "cOffset"), ao = nb_get_count(&c, 4, "aOffset"), bo = nb_get_count(&c, 7, "bOffset");
  int n1 = nb_get_longs(&c, 2, "cStrides", cs, NB_MAX_DIMS), n2 = nb_get_longs(&c, 5, "aStrides", as, NB_MAX_DIMS);
  int n3 = nb_get_longs(&c, 8, "bStrides", bs, NB_MAX_DIMS), nd = nb_get_longs(&c, 9, "shape", shape, NB_MAX_DIMS);
  if (c.failed) return NULL;
  if (n1 != nd || n2 != nd || n3 != nd) return nb_fail(&c, "shape and strides differ in length"), NULL;
  if (cd.kind != NB_U8) return nb_fail(&c, "cond must be a Uint8Array"), NULL;
  if (a.kind != b.kind || a.kind != out.kind) return nb_fail(&c, "a, b and out must have the same type"), NULL;
  double count = 1;
  for (int k = 0; k < nd; k++) count *= (double)shape[k];
  nb_check_view(&c, &cd, "cond", co, shape, cs, nd);
  nb_check_view(&c, &a, "a", ao, shape, as, nd);
  nb_check_view(&c, &b, "b", bo, shape, bs, nd);
  nb_check_range(&c, &out, "out", 0, count);
  if (c.failed || count == 0) return NULL;
  nb_where(nb_esize(&a), (const uint8_t *)nb_at(&cd, co), cs, nb_at(&a, ao), as, nb_at(&b, bo), bs, shape, nd, out.data);
  return NULL;
}

/* argReduce(op, x, offset, outer, n, inner, out) and reduceMiddle(op, x, offset, outer, n, inner, out) */
static napi_value m_axis(napi_env env, napi_callback_info info, int arg) {
  nb_call c = {env, arg ? "argReduce" : "reduceMiddle", {0}, 0};
  if (!nb_get_args(&c, info, 7)) return NULL;
  long op = nb_get_long(&c, 0, "op");
  nb_array x = nb_get_array(&c, 1, "x", ANY), out = nb_get_array(&c, 6, "out", ANY);
  long off = nb_get_count(&c, 2, "offset"), outer = nb_get_count(&c, 3, "outer");
  long n = nb_get_count(&c, 4, "n"), inner = nb_get_count(&c, 5, "inner");
  if (c.failed) return NULL;
  if (op < 0 || op >= (arg ? 2 : R_COUNT)) return nb_fail(&c, "unknown op"), NULL;
  nb_require_float(&c, &x, "x");
  if (!c.failed && (arg ? out.kind != NB_I32 : out.kind != x.kind))
    return nb_fail(&c, arg ? "out must be an Int32Array" : "out must have x's type"), NULL;
  if (arg && n == 0 && outer * inner > 0) return nb_fail(&c, "n must be positive"), NULL;
  nb_check_range(&c, &x, "x", off, (double)outer * (double)n * (double)inner);
  nb_check_range(&c, &out, "out", 0, (double)outer * (double)inner);
  if (c.failed || outer == 0 || inner == 0) return NULL;
  if (arg) nb_arg_reduce((int)op, nb_array_type(&x), nb_at(&x, off), outer, n, inner, (int32_t *)out.data);
  else nb_reduce_middle((int)op, nb_array_type(&x), nb_at(&x, off), outer, n, inner, out.data);
  return NULL;
}

static napi_value m_arg_reduce(napi_env env, napi_callback_info info) {
  return m_axis(env, info, 1);
}

static napi_value m_reduce_middle(napi_env env, napi_callback_info info) {
  return m_axis(env, info, 0);
}

/* The 14 numbers of a Window2d, in its field order, validated. */
static nb_window mwindow(nb_call *c, int i) {
  nb_window w;
  long v[14];
  memset(&w, 0, sizeof w);
  int n = nb_get_longs(c, i, "window", v, 14);
  if (c->failed) return w;
  if (n != 14) return nb_fail(c, "window must have 14 numbers"), w;
  for (int k = 0; k < 14; k++) {
    if (v[k] < 0 || (k >= 6 && k < 12 && v[k] < 1))
      return nb_fail(c, "window sizes must be non-negative, kernel, strides and dilation positive"), w;
  }
  w = (nb_window){v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13]};
  return w;
}

static double image_size(const nb_window *w) {
  return (double)w->batch * (double)w->height * (double)w->width * (double)w->channels;
}

static double cols_size(const nb_window *w) {
  return (double)w->batch * (double)w->outH * (double)w->outW * (double)w->kernelH * (double)w->kernelW * (double)w->channels;
}

/* im2col(x, offset, strides[4], window, padValue, out) */
static napi_value m_im2col(napi_env env, napi_callback_info info) {
  nb_call c = {env, "im2col", {0}, 0};
  if (!nb_get_args(&c, info, 6)) return NULL;
  long xs[NB_MAX_DIMS];
  nb_array x = nb_get_array(&c, 0, "x", ANY), out = nb_get_array(&c, 5, "out", ANY);
  long off = nb_get_count(&c, 1, "offset");
  int nd = nb_get_longs(&c, 2, "strides", xs, NB_MAX_DIMS);
  nb_window w = mwindow(&c, 3);
  double pad = nb_get_number(&c, 4, "padValue");
  if (c.failed) return NULL;
  if (nd != 4) return nb_fail(&c, "strides must have 4 entries"), NULL;
  nb_require_float(&c, &x, "x");
  if (!c.failed && out.kind != x.kind) return nb_fail(&c, "out must have x's type"), NULL;
  long shape[4] = {w.batch, w.height, w.width, w.channels};
  nb_check_view(&c, &x, "x", off, shape, xs, 4);
  nb_check_range(&c, &out, "out", 0, cols_size(&w));
  if (c.failed || cols_size(&w) == 0) return NULL;
  nb_im2col(nb_array_type(&x), nb_at(&x, off), xs, &w, pad, out.data);
  return NULL;
}

/* col2im(cols, offset, window, out) */
static napi_value m_col2im(napi_env env, napi_callback_info info) {
  nb_call c = {env, "col2im", {0}, 0};
  if (!nb_get_args(&c, info, 4)) return NULL;
  nb_array cols = nb_get_array(&c, 0, "cols", ANY), out = nb_get_array(&c, 3, "out", ANY);
  long off = nb_get_count(&c, 1, "offset");
  nb_window w = mwindow(&c, 2);
  if (c.failed) return NULL;
  nb_require_float(&c, &cols, "cols");
  if (!c.failed && out.kind != cols.kind) return nb_fail(&c, "out must have cols' type"), NULL;
  nb_check_range(&c, &cols, "cols", off, cols_size(&w));
  nb_check_range(&c, &out, "out", 0, image_size(&w));
  if (c.failed || cols_size(&w) == 0) return NULL;
  nb_col2im(nb_array_type(&cols), nb_at(&cols, off), &w, out.data);
  return NULL;
}

/* maxPoolIndices(x, offset, window, out, values|null): x contiguous [N, H, W, C] from offset */
static napi_value m_maxpool_indices(napi_env env, napi_callback_info info) {
  nb_call c = {env, "maxPoolIndices", {0}, 0};
  if (!nb_get_args(&c, info, 5)) return NULL;
  nb_array x = nb_get_array(&c, 0, "x", ANY), out = nb_get_array(&c, 3, "out", ANY);
  nb_array values = {NB_F32, NULL, 0};
  const int has_values = !nb_is_null(&c, 4);
  if (has_values) {
    values = nb_get_array(&c, 4, "values", ANY);
    if (!c.failed && values.kind != x.kind) return nb_fail(&c, "values must have x's type"), NULL;
  }
  long off = nb_get_count(&c, 1, "offset");
  nb_window w = mwindow(&c, 2);
  if (c.failed) return NULL;
  nb_require_float(&c, &x, "x");
  if (!c.failed && out.kind != NB_I32) return nb_fail(&c, "out must be an Int32Array"), NULL;
  if (image_size(&w) > 2147483647.0) return nb_fail(&c, "the image has more than 2^31 - 1 elements"), NULL;
  double count = (double)w.batch * (double)w.outH * (double)w.outW * (double)w.channels;
  nb_check_range(&c, &x, "x", off, image_size(&w));
  nb_check_range(&c, &out, "out", 0, count);
  if (has_values) nb_check_range(&c, &values, "values", 0, count);
  if (c.failed || count == 0) return NULL;
  nb_maxpool_indices(nb_array_type(&x), nb_at(&x, off), &w, (int32_t *)out.data, values.data);
  const int32_t *o = (const int32_t *)out.data;
  for (long k = 0; k < (long)count; k++) {
    if (o[k] < 0) return nb_fail(&c, "a pooling window lies entirely in the padding"), NULL;
  }
  return NULL;
}

/* A Float64Array argument of at least `count` elements. */
static double *mdoubles(nb_call *c, int i, const char *name, long count) {
  nb_array a = nb_get_array(c, i, name, ANY);
  if (c->failed) return NULL;
  if (a.kind != NB_F64 || a.length < (double)count) {
    nb_fail(c, "%s must be a Float64Array of at least %ld elements", name, count);
    return NULL;
  }
  return (double *)a.data;
}

/* A float [rows, cols] block argument (from index 0) of kind *kind (or any float kind when *kind is 0). */
static void *mblock(nb_call *c, int i, const char *name, long rows, long cols, nb_kind *kind) {
  nb_array a = nb_get_array(c, i, name, ANY);
  nb_require_float(c, &a, name);
  if (c->failed) return NULL;
  if (*kind && a.kind != *kind) {
    nb_fail(c, "%s must have x's type", name);
    return NULL;
  }
  *kind = a.kind;
  nb_check_range(c, &a, name, 0, (double)rows * (double)cols);
  return c->failed ? NULL : a.data;
}

static void mout_of_memory(nb_call *c, int rc) {
  if (rc != 0) nb_fail(c, "out of memory");
}

/* batchNormStats(x, rows, cols, mean, var) */
static napi_value m_bn_stats(napi_env env, napi_callback_info info) {
  nb_call c = {env, "batchNormStats", {0}, 0};
  if (!nb_get_args(&c, info, 5)) return NULL;
  long rows = nb_get_count(&c, 1, "rows"), cols = nb_get_count(&c, 2, "cols");
  nb_kind kind = 0;
  const void *x = c.failed ? NULL : mblock(&c, 0, "x", rows, cols, &kind);
  double *mean = mdoubles(&c, 3, "mean", cols), *var = mdoubles(&c, 4, "var", cols);
  if (c.failed || cols == 0) return NULL;
  if (rows == 0) return nb_fail(&c, "rows must be positive"), NULL;
  mout_of_memory(&c, nb_bn_stats(nb_kind_type(kind), x, rows, cols, mean, var));
  return NULL;
}

/* batchNormForward(x, rows, cols, mean, scale, beta | null, out) */
static napi_value m_bn_forward(napi_env env, napi_callback_info info) {
  nb_call c = {env, "batchNormForward", {0}, 0};
  if (!nb_get_args(&c, info, 7)) return NULL;
  long rows = nb_get_count(&c, 1, "rows"), cols = nb_get_count(&c, 2, "cols");
  nb_kind kind = 0;
  const void *x = c.failed ? NULL : mblock(&c, 0, "x", rows, cols, &kind);
  double *mean = mdoubles(&c, 3, "mean", cols), *scale = mdoubles(&c, 4, "scale", cols);
  napi_valuetype bt = napi_null;
  if (!c.failed) napi_typeof(env, c.argv[5], &bt);
  const void *beta = c.failed || bt == napi_null ? NULL : mblock(&c, 5, "beta", 1, cols, &kind);
  void *out = c.failed ? NULL : mblock(&c, 6, "out", rows, cols, &kind);
  if (c.failed || rows == 0 || cols == 0) return NULL;
  mout_of_memory(&c, nb_bn_forward(nb_kind_type(kind), x, rows, cols, mean, scale, beta, out));
  return NULL;
}

/* batchNormBackward(x, g, rows, cols, mean, rstd, gamma, dx, dgamma, dbeta) */
static napi_value m_bn_backward(napi_env env, napi_callback_info info) {
  nb_call c = {env, "batchNormBackward", {0}, 0};
  if (!nb_get_args(&c, info, 10)) return NULL;
  long rows = nb_get_count(&c, 2, "rows"), cols = nb_get_count(&c, 3, "cols");
  nb_kind kind = 0;
  const void *x = c.failed ? NULL : mblock(&c, 0, "x", rows, cols, &kind);
  const void *g = c.failed ? NULL : mblock(&c, 1, "g", rows, cols, &kind);
  double *mean = mdoubles(&c, 4, "mean", cols), *rstd = mdoubles(&c, 5, "rstd", cols), *gamma = mdoubles(&c, 6, "gamma", cols);
  void *dx = c.failed ? NULL : mblock(&c, 7, "dx", rows, cols, &kind);
  double *dgamma = mdoubles(&c, 8, "dgamma", cols), *dbeta = mdoubles(&c, 9, "dbeta", cols);
  if (c.failed || cols == 0) return NULL;
  if (rows == 0) return nb_fail(&c, "rows must be positive"), NULL;
  mout_of_memory(&c, nb_bn_backward(nb_kind_type(kind), x, g, rows, cols, mean, rstd, gamma, dx, dgamma, dbeta));
  return NULL;
}

napi_value nb_movement_register(napi_env env, napi_value exports) {
  static const nb_export fns[] = {{"copy", m_copy}, {"gather", m_gather}, {"scatterAdd", m_scatter_add}, {"where", m_where},
                                  {"argReduce", m_arg_reduce}, {"reduceMiddle", m_reduce_middle}, {"im2col", m_im2col},
                                  {"col2im", m_col2im}, {"maxPoolIndices", m_maxpool_indices}, {"batchNormStats", m_bn_stats},
                                  {"batchNormForward", m_bn_forward}, {"batchNormBackward", m_bn_backward}};
  return nb_export_all(env, exports, fns, sizeof fns / sizeof fns[0]) ? exports : NULL;
}
