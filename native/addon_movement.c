/* N-API wrappers of the movement kernels (movement.c, im2col.c). As in addon.c, each checks its
 * arguments and that every element it will touch lies inside its typed array, then runs the
 * kernel on the arrays' own memory. Strided views arrive as (array, offset, strides[]) with a
 * shared shape[] (plain JS arrays of integers). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "movement.h"

#define MAX_ARGS 12

typedef struct {
  napi_env env;
  const char *fn;
  napi_value argv[MAX_ARGS];
  int failed;
} mcall;

static void mfail(mcall *c, const char *what) {
  if (c->failed) return;
  char msg[256];
  snprintf(msg, sizeof msg, "nabla native %s: %s", c->fn, what);
  napi_throw_type_error(c->env, NULL, msg);
  c->failed = 1;
}

static int margs(mcall *c, napi_callback_info info, size_t want) {
  size_t argc = MAX_ARGS;
  if (napi_get_cb_info(c->env, info, &argc, c->argv, NULL, NULL) != napi_ok || argc != want) {
    char msg[64];
    snprintf(msg, sizeof msg, "expected %zu arguments", want);
    mfail(c, msg);
    return 0;
  }
  return 1;
}

static long mlong_value(mcall *c, napi_value v, const char *name) {
  double d;
  if (napi_get_value_double(c->env, v, &d) != napi_ok || d != floor(d) || fabs(d) > 9007199254740991.0) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be an integer", name);
    mfail(c, msg);
    return 0;
  }
  return (long)d;
}

static long mlong(mcall *c, int i, const char *name) {
  return mlong_value(c, c->argv[i], name);
}

static long mcount(mcall *c, int i, const char *name) {
  long v = mlong(c, i, name);
  if (v < 0) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be non-negative, got %ld", name, v);
    mfail(c, msg);
  }
  return v;
}

/* A JS array of at most `max` integers into `out`; returns its length (-1 on failure). */
static int mlongs(mcall *c, int i, const char *name, long *out, int max) {
  uint32_t len = 0;
  bool is = false;
  if (napi_is_array(c->env, c->argv[i], &is) != napi_ok || !is || napi_get_array_length(c->env, c->argv[i], &len) != napi_ok ||
      len > (uint32_t)max) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be an array of at most %d integers", name, max);
    mfail(c, msg);
    return -1;
  }
  for (uint32_t k = 0; k < len; k++) {
    napi_value v;
    if (napi_get_element(c->env, c->argv[i], k, &v) != napi_ok) return mfail(c, name), -1;
    out[k] = mlong_value(c, v, name);
  }
  return c->failed ? -1 : (int)len;
}

typedef struct {
  nb_mtype type;
  char *data;
  double length;
} marray;

/* A Float32Array, Float64Array, Int32Array or Uint8Array argument. */
static marray marr(mcall *c, int i, const char *name) {
  marray a = {M_F32, NULL, 0};
  bool is = false;
  napi_typedarray_type t;
  size_t len = 0;
  void *data = NULL;
  if (napi_is_typedarray(c->env, c->argv[i], &is) == napi_ok && is &&
      napi_get_typedarray_info(c->env, c->argv[i], &t, &len, &data, NULL, NULL) == napi_ok) {
    a.data = data;
    a.length = (double)len;
    if (t == napi_float32_array) return a;
    if (t == napi_float64_array) return (a.type = M_F64, a);
    if (t == napi_int32_array) return (a.type = M_I32, a);
    if (t == napi_uint8_array) return (a.type = M_U8, a);
  }
  char msg[128];
  snprintf(msg, sizeof msg, "%s must be a Float32Array, Float64Array, Int32Array or Uint8Array", name);
  mfail(c, msg);
  return a;
}

static void mfloat(mcall *c, const marray *a, const char *name) {
  if (c->failed || a->type == M_F32 || a->type == M_F64) return;
  char msg[96];
  snprintf(msg, sizeof msg, "%s must be a Float32Array or Float64Array", name);
  mfail(c, msg);
}

static nb_type ftype(const marray *a) {
  return a->type == M_F64 ? T_F64 : T_F32;
}

/* Checks that a view (offset, strides over shape) stays inside `a`; empty views always do. */
static void mview(mcall *c, const marray *a, const char *name, long off, const long *shape, const long *strides, int nd) {
  if (c->failed) return;
  double lo = (double)off, hi = (double)off;
  for (int d = 0; d < nd; d++) {
    if (shape[d] < 0) {
      mfail(c, "shape must be non-negative");
      return;
    }
    if (shape[d] == 0) return;
    double span = (double)(shape[d] - 1) * (double)strides[d];
    if (span < 0) lo += span;
    else hi += span;
  }
  if (off < 0 || lo < 0 || hi >= a->length) {
    char msg[160];
    snprintf(msg, sizeof msg, "%s: the view at offset %ld reaches elements %.0f..%.0f of %.0f", name, off, lo, hi, a->length);
    mfail(c, msg);
  }
}

/* Checks that [off, off + count) lies inside `a`. */
static void mrange(mcall *c, const marray *a, const char *name, long off, double count) {
  if (c->failed) return;
  if (off < 0 || (double)off + count > a->length) {
    char msg[160];
    snprintf(msg, sizeof msg, "%s: %.0f elements at offset %ld exceed its %.0f", name, count, off, a->length);
    mfail(c, msg);
  }
}

static char *at(const marray *a, long off) {
  return a->data + nb_msize(a->type) * (size_t)off;
}

/* copy(src, srcOffset, srcStrides, dst, dstOffset, dstStrides, shape) */
static napi_value m_copy(napi_env env, napi_callback_info info) {
  mcall c = {env, "copy", {0}, 0};
  if (!margs(&c, info, 7)) return NULL;
  long ss[NB_MAX_DIMS], ds[NB_MAX_DIMS], shape[NB_MAX_DIMS];
  marray s = marr(&c, 0, "src"), d = marr(&c, 3, "dst");
  long so = mcount(&c, 1, "srcOffset"), dof = mcount(&c, 4, "dstOffset");
  int n1 = mlongs(&c, 2, "srcStrides", ss, NB_MAX_DIMS), n2 = mlongs(&c, 5, "dstStrides", ds, NB_MAX_DIMS);
  int nd = mlongs(&c, 6, "shape", shape, NB_MAX_DIMS);
  if (c.failed) return NULL;
  if (n1 != nd || n2 != nd) return mfail(&c, "shape and strides differ in length"), NULL;
  int toFloat = d.type == M_F32 || d.type == M_F64;
  if (s.type != d.type && !toFloat) return mfail(&c, "src and dst must have the same type, or dst be float"), NULL;
  mview(&c, &s, "src", so, shape, ss, nd);
  mview(&c, &d, "dst", dof, shape, ds, nd);
  if (c.failed) return NULL;
  for (int k = 0; k < nd; k++) if (shape[k] == 0) return NULL;
  nb_copy(s.type, at(&s, so), ss, d.type, at(&d, dof), ds, shape, nd);
  return NULL;
}

/* Checks that every index lies in [0, axis). */
static void mindices(mcall *c, const marray *idx, long axis) {
  if (c->failed) return;
  if (idx->type != M_I32) {
    mfail(c, "indices must be an Int32Array");
    return;
  }
  const int32_t *p = (const int32_t *)idx->data;
  for (size_t k = 0; k < (size_t)idx->length; k++) {
    if (p[k] < 0 || p[k] >= axis) {
      char msg[96];
      snprintf(msg, sizeof msg, "index %d is out of range [0, %ld)", p[k], axis);
      mfail(c, msg);
      return;
    }
  }
}

/* gather(x, outer, axisSize, inner, indices, out) and scatterAdd(g, outer, axisSize, inner, indices, out) */
static napi_value m_gather_or_scatter(napi_env env, napi_callback_info info, int scatter) {
  mcall c = {env, scatter ? "scatterAdd" : "gather", {0}, 0};
  if (!margs(&c, info, 6)) return NULL;
  marray x = marr(&c, 0, scatter ? "g" : "x"), idx = marr(&c, 4, "indices"), out = marr(&c, 5, "out");
  long outer = mcount(&c, 1, "outer"), axis = mcount(&c, 2, "axisSize"), inner = mcount(&c, 3, "inner");
  if (c.failed) return NULL;
  long m = (long)idx.length;
  if (x.type != out.type) return mfail(&c, "input and out must have the same type"), NULL;
  if (scatter) mfloat(&c, &x, "g");
  mindices(&c, &idx, axis);
  mrange(&c, &x, scatter ? "g" : "x", 0, (double)outer * (double)(scatter ? m : axis) * (double)inner);
  mrange(&c, &out, "out", 0, (double)outer * (double)(scatter ? axis : m) * (double)inner);
  if (c.failed || outer == 0 || m == 0 || inner == 0) return NULL;
  if (scatter) nb_scatter_add(ftype(&x), x.data, outer, axis, inner, (const int32_t *)idx.data, m, out.data);
  else nb_gather(nb_msize(x.type), x.data, outer, axis, inner, (const int32_t *)idx.data, m, out.data);
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
  mcall c = {env, "where", {0}, 0};
  if (!margs(&c, info, 11)) return NULL;
  long cs[NB_MAX_DIMS], as[NB_MAX_DIMS], bs[NB_MAX_DIMS], shape[NB_MAX_DIMS];
  marray cd = marr(&c, 0, "cond"), a = marr(&c, 3, "a"), b = marr(&c, 6, "b"), out = marr(&c, 10, "out");
  long co = mcount(&c, 1, "cOffset"), ao = mcount(&c, 4, "aOffset"), bo = mcount(&c, 7, "bOffset");
  int n1 = mlongs(&c, 2, "cStrides", cs, NB_MAX_DIMS), n2 = mlongs(&c, 5, "aStrides", as, NB_MAX_DIMS);
  int n3 = mlongs(&c, 8, "bStrides", bs, NB_MAX_DIMS), nd = mlongs(&c, 9, "shape", shape, NB_MAX_DIMS);
  if (c.failed) return NULL;
  if (n1 != nd || n2 != nd || n3 != nd) return mfail(&c, "shape and strides differ in length"), NULL;
  if (cd.type != M_U8) return mfail(&c, "cond must be a Uint8Array"), NULL;
  if (a.type != b.type || a.type != out.type) return mfail(&c, "a, b and out must have the same type"), NULL;
  double count = 1;
  for (int k = 0; k < nd; k++) count *= (double)shape[k];
  mview(&c, &cd, "cond", co, shape, cs, nd);
  mview(&c, &a, "a", ao, shape, as, nd);
  mview(&c, &b, "b", bo, shape, bs, nd);
  mrange(&c, &out, "out", 0, count);
  if (c.failed || count == 0) return NULL;
  nb_where(nb_msize(a.type), (const uint8_t *)at(&cd, co), cs, at(&a, ao), as, at(&b, bo), bs, shape, nd, out.data);
  return NULL;
}

/* argReduce(op, x, offset, outer, n, inner, out) and reduceMiddle(op, x, offset, outer, n, inner, out) */
static napi_value m_axis(napi_env env, napi_callback_info info, int arg) {
  mcall c = {env, arg ? "argReduce" : "reduceMiddle", {0}, 0};
  if (!margs(&c, info, 7)) return NULL;
  long op = mlong(&c, 0, "op");
  marray x = marr(&c, 1, "x"), out = marr(&c, 6, "out");
  long off = mcount(&c, 2, "offset"), outer = mcount(&c, 3, "outer"), n = mcount(&c, 4, "n"), inner = mcount(&c, 5, "inner");
  if (c.failed) return NULL;
  if (op < 0 || op >= (arg ? 2 : R_COUNT)) return mfail(&c, "unknown op"), NULL;
  mfloat(&c, &x, "x");
  if (!c.failed && (arg ? out.type != M_I32 : out.type != x.type)) return mfail(&c, arg ? "out must be an Int32Array" : "out must have x's type"), NULL;
  if (arg && n == 0 && outer * inner > 0) return mfail(&c, "n must be positive"), NULL;
  mrange(&c, &x, "x", off, (double)outer * (double)n * (double)inner);
  mrange(&c, &out, "out", 0, (double)outer * (double)inner);
  if (c.failed || outer == 0 || inner == 0) return NULL;
  if (arg) nb_arg_reduce((int)op, ftype(&x), at(&x, off), outer, n, inner, (int32_t *)out.data);
  else nb_reduce_middle((int)op, ftype(&x), at(&x, off), outer, n, inner, out.data);
  return NULL;
}

static napi_value m_arg_reduce(napi_env env, napi_callback_info info) {
  return m_axis(env, info, 1);
}

static napi_value m_reduce_middle(napi_env env, napi_callback_info info) {
  return m_axis(env, info, 0);
}

/* The 14 numbers of a Window2d, in its field order, validated. */
static nb_window mwindow(mcall *c, int i) {
  nb_window w;
  long v[14];
  memset(&w, 0, sizeof w);
  int n = mlongs(c, i, "window", v, 14);
  if (c->failed) return w;
  if (n != 14) return mfail(c, "window must have 14 numbers"), w;
  for (int k = 0; k < 14; k++) {
    if (v[k] < 0 || (k >= 6 && k < 12 && v[k] < 1)) return mfail(c, "window sizes must be non-negative, kernel, strides and dilation positive"), w;
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
  mcall c = {env, "im2col", {0}, 0};
  if (!margs(&c, info, 6)) return NULL;
  long xs[NB_MAX_DIMS];
  marray x = marr(&c, 0, "x"), out = marr(&c, 5, "out");
  long off = mcount(&c, 1, "offset");
  int nd = mlongs(&c, 2, "strides", xs, NB_MAX_DIMS);
  nb_window w = mwindow(&c, 3);
  double pad = 0;
  if (!c.failed && napi_get_value_double(env, c.argv[4], &pad) != napi_ok) mfail(&c, "padValue must be a number");
  if (c.failed) return NULL;
  if (nd != 4) return mfail(&c, "strides must have 4 entries"), NULL;
  mfloat(&c, &x, "x");
  if (!c.failed && out.type != x.type) return mfail(&c, "out must have x's type"), NULL;
  long shape[4] = {w.batch, w.height, w.width, w.channels};
  mview(&c, &x, "x", off, shape, xs, 4);
  mrange(&c, &out, "out", 0, cols_size(&w));
  if (c.failed || cols_size(&w) == 0) return NULL;
  nb_im2col(ftype(&x), at(&x, off), xs, &w, pad, out.data);
  return NULL;
}

/* col2im(cols, offset, window, out) */
static napi_value m_col2im(napi_env env, napi_callback_info info) {
  mcall c = {env, "col2im", {0}, 0};
  if (!margs(&c, info, 4)) return NULL;
  marray cols = marr(&c, 0, "cols"), out = marr(&c, 3, "out");
  long off = mcount(&c, 1, "offset");
  nb_window w = mwindow(&c, 2);
  if (c.failed) return NULL;
  mfloat(&c, &cols, "cols");
  if (!c.failed && out.type != cols.type) return mfail(&c, "out must have cols' type"), NULL;
  mrange(&c, &cols, "cols", off, cols_size(&w));
  mrange(&c, &out, "out", 0, image_size(&w));
  if (c.failed || cols_size(&w) == 0) return NULL;
  nb_col2im(ftype(&cols), at(&cols, off), &w, out.data);
  return NULL;
}

/* maxPoolIndices(x, offset, window, out, values|null): x contiguous [N, H, W, C] from offset */
static napi_value m_maxpool_indices(napi_env env, napi_callback_info info) {
  mcall c = {env, "maxPoolIndices", {0}, 0};
  if (!margs(&c, info, 5)) return NULL;
  marray x = marr(&c, 0, "x"), out = marr(&c, 3, "out");
  napi_valuetype vt = napi_undefined;
  napi_typeof(env, c.argv[4], &vt);
  marray values = {M_F32, NULL, 0};
  const int has_values = vt != napi_null && vt != napi_undefined;
  if (has_values) {
    values = marr(&c, 4, "values");
    if (!c.failed && values.type != x.type) return mfail(&c, "values must have x's type"), NULL;
  }
  long off = mcount(&c, 1, "offset");
  nb_window w = mwindow(&c, 2);
  if (c.failed) return NULL;
  mfloat(&c, &x, "x");
  if (!c.failed && out.type != M_I32) return mfail(&c, "out must be an Int32Array"), NULL;
  if (image_size(&w) > 2147483647.0) return mfail(&c, "the image has more than 2^31 - 1 elements"), NULL;
  double count = (double)w.batch * (double)w.outH * (double)w.outW * (double)w.channels;
  mrange(&c, &x, "x", off, image_size(&w));
  mrange(&c, &out, "out", 0, count);
  if (has_values) mrange(&c, &values, "values", 0, count);
  if (c.failed || count == 0) return NULL;
  nb_maxpool_indices(ftype(&x), at(&x, off), &w, (int32_t *)out.data, values.data);
  const int32_t *o = (const int32_t *)out.data;
  for (long k = 0; k < (long)count; k++) {
    if (o[k] < 0) return mfail(&c, "a pooling window lies entirely in the padding"), NULL;
  }
  return NULL;
}

/* A Float64Array argument of at least `count` elements. */
static double *mdoubles(mcall *c, int i, const char *name, long count) {
  marray a = marr(c, i, name);
  if (c->failed) return NULL;
  if (a.type != M_F64 || a.length < (double)count) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be a Float64Array of at least %ld elements", name, count);
    mfail(c, msg);
    return NULL;
  }
  return (double *)a.data;
}

/* A float [rows, cols] block argument (from index 0) of type `type` (or any float type when *type < 0). */
static void *mblock(mcall *c, int i, const char *name, long rows, long cols, int *type) {
  marray a = marr(c, i, name);
  mfloat(c, &a, name);
  if (c->failed) return NULL;
  if (*type >= 0 && (int)a.type != *type) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must have x's type", name);
    mfail(c, msg);
    return NULL;
  }
  *type = (int)a.type;
  mrange(c, &a, name, 0, (double)rows * (double)cols);
  return c->failed ? NULL : a.data;
}

static void mout_of_memory(mcall *c, int rc) {
  if (rc != 0) mfail(c, "out of memory");
}

/* batchNormStats(x, rows, cols, mean, var) */
static napi_value m_bn_stats(napi_env env, napi_callback_info info) {
  mcall c = {env, "batchNormStats", {0}, 0};
  if (!margs(&c, info, 5)) return NULL;
  long rows = mcount(&c, 1, "rows"), cols = mcount(&c, 2, "cols");
  int type = -1;
  const void *x = c.failed ? NULL : mblock(&c, 0, "x", rows, cols, &type);
  double *mean = mdoubles(&c, 3, "mean", cols), *var = mdoubles(&c, 4, "var", cols);
  if (c.failed || cols == 0) return NULL;
  if (rows == 0) return mfail(&c, "rows must be positive"), NULL;
  mout_of_memory(&c, nb_bn_stats(type == M_F64 ? T_F64 : T_F32, x, rows, cols, mean, var));
  return NULL;
}

/* batchNormForward(x, rows, cols, mean, scale, beta | null, out) */
static napi_value m_bn_forward(napi_env env, napi_callback_info info) {
  mcall c = {env, "batchNormForward", {0}, 0};
  if (!margs(&c, info, 7)) return NULL;
  long rows = mcount(&c, 1, "rows"), cols = mcount(&c, 2, "cols");
  int type = -1;
  const void *x = c.failed ? NULL : mblock(&c, 0, "x", rows, cols, &type);
  double *mean = mdoubles(&c, 3, "mean", cols), *scale = mdoubles(&c, 4, "scale", cols);
  napi_valuetype bt = napi_null;
  if (!c.failed) napi_typeof(env, c.argv[5], &bt);
  const void *beta = c.failed || bt == napi_null ? NULL : mblock(&c, 5, "beta", 1, cols, &type);
  void *out = c.failed ? NULL : mblock(&c, 6, "out", rows, cols, &type);
  if (c.failed || rows == 0 || cols == 0) return NULL;
  mout_of_memory(&c, nb_bn_forward(type == M_F64 ? T_F64 : T_F32, x, rows, cols, mean, scale, beta, out));
  return NULL;
}

/* batchNormBackward(x, g, rows, cols, mean, rstd, gamma, dx, dgamma, dbeta) */
static napi_value m_bn_backward(napi_env env, napi_callback_info info) {
  mcall c = {env, "batchNormBackward", {0}, 0};
  if (!margs(&c, info, 10)) return NULL;
  long rows = mcount(&c, 2, "rows"), cols = mcount(&c, 3, "cols");
  int type = -1;
  const void *x = c.failed ? NULL : mblock(&c, 0, "x", rows, cols, &type);
  const void *g = c.failed ? NULL : mblock(&c, 1, "g", rows, cols, &type);
  double *mean = mdoubles(&c, 4, "mean", cols), *rstd = mdoubles(&c, 5, "rstd", cols), *gamma = mdoubles(&c, 6, "gamma", cols);
  void *dx = c.failed ? NULL : mblock(&c, 7, "dx", rows, cols, &type);
  double *dgamma = mdoubles(&c, 8, "dgamma", cols), *dbeta = mdoubles(&c, 9, "dbeta", cols);
  if (c.failed || cols == 0) return NULL;
  if (rows == 0) return mfail(&c, "rows must be positive"), NULL;
  mout_of_memory(&c, nb_bn_backward(type == M_F64 ? T_F64 : T_F32, x, g, rows, cols, mean, rstd, gamma, dx, dgamma, dbeta));
  return NULL;
}

napi_value nb_movement_register(napi_env env, napi_value exports) {
  static const struct {
    const char *name;
    napi_callback fn;
  } fns[] = {{"copy", m_copy}, {"gather", m_gather}, {"scatterAdd", m_scatter_add}, {"where", m_where},
             {"argReduce", m_arg_reduce}, {"reduceMiddle", m_reduce_middle}, {"im2col", m_im2col},
             {"col2im", m_col2im}, {"maxPoolIndices", m_maxpool_indices}, {"batchNormStats", m_bn_stats},
             {"batchNormForward", m_bn_forward}, {"batchNormBackward", m_bn_backward}};
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    napi_value f;
    if (napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &f) != napi_ok) return NULL;
    if (napi_set_named_property(env, exports, fns[i].name, f) != napi_ok) return NULL;
  }
  return exports;
}
