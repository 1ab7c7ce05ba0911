/* Argument checking shared by the N-API wrappers; the contract of each function, and the text
 * of its errors, is in napi_args.h. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include "napi_args.h"

/* 2^53 − 1: beyond it a double no longer holds every integer. */
#define MAX_SAFE_INTEGER 9007199254740991.0

void nb_fail(nb_call *c, const char *fmt, ...) {
  if (c->failed) return;
  char what[224], msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  snprintf(msg, sizeof msg, "nabla native %s: %s", c->fn, what);
  napi_throw_type_error(c->env, NULL, msg);
  c->failed = 1;
}

int nb_get_args(nb_call *c, napi_callback_info info, size_t want) {
  size_t argc = NB_MAX_ARGS;
  if (napi_get_cb_info(c->env, info, &argc, c->argv, NULL, NULL) != napi_ok || argc != want) {
    nb_fail(c, "expected %zu arguments", want);
    return 0;
  }
  return 1;
}

double nb_get_number(nb_call *c, int i, const char *name) {
  double v = 0;
  if (napi_get_value_double(c->env, c->argv[i], &v) != napi_ok) nb_fail(c, "%s must be a number", name);
  return v;
}

long nb_int_value(nb_call *c, napi_value v, const char *name) {
  double d;
  if (napi_get_value_double(c->env, v, &d) != napi_ok || d != floor(d) || fabs(d) > MAX_SAFE_INTEGER) {
    nb_fail(c, "%s must be an integer", name);
    return 0;
  }
  return (long)d;
}

long nb_get_long(nb_call *c, int i, const char *name) {
  return nb_int_value(c, c->argv[i], name);
}

long nb_get_count(nb_call *c, int i, const char *name) {
  long v = nb_get_long(c, i, name);
  if (v < 0) nb_fail(c, "%s must be a non-negative integer, got %ld", name, v);
  return v;
}

int nb_get_flag(nb_call *c, int i, const char *name) {
  bool v = false;
  if (napi_get_value_bool(c->env, c->argv[i], &v) != napi_ok) nb_fail(c, "%s must be a boolean", name);
  return v;
}

int nb_get_longs(nb_call *c, int i, const char *name, long *out, int max) {
  uint32_t len = 0;
  bool is = false;
  if (napi_is_array(c->env, c->argv[i], &is) != napi_ok || !is || napi_get_array_length(c->env, c->argv[i], &len) != napi_ok ||
      len > (uint32_t)max) {
    nb_fail(c, "%s must be an array of at most %d integers", name, max);
    return -1;
  }
  for (uint32_t k = 0; k < len; k++) {
    napi_value v;
    if (napi_get_element(c->env, c->argv[i], k, &v) != napi_ok) return nb_fail(c, "%s", name), -1;
    out[k] = nb_int_value(c, v, name);
  }
  return c->failed ? -1 : (int)len;
}

int nb_is_null(nb_call *c, int i) {
  napi_valuetype t;
  return napi_typeof(c->env, c->argv[i], &t) == napi_ok && (t == napi_null || t == napi_undefined);
}

/* The JS names of the kinds, in mask-bit order. */
static const struct {
  nb_kind kind;
  napi_typedarray_type napi;
  const char *name;
} KINDS[] = {{NB_F32, napi_float32_array, "Float32Array"},
             {NB_F64, napi_float64_array, "Float64Array"},
             {NB_I32, napi_int32_array, "Int32Array"},
             {NB_U8, napi_uint8_array, "Uint8Array"}};
#define N_KINDS (sizeof KINDS / sizeof KINDS[0])

/* "<name> must be a Float32Array, Float64Array or Uint8Array" for the kinds in `accept`, with
 * "or null" last when `nullable`. */
static void fail_kinds(nb_call *c, const char *name, unsigned accept, int nullable) {
  const char *names[N_KINDS + 1];
  size_t n = 0, used = 0;
  for (size_t k = 0; k < N_KINDS; k++)
    if (accept & KINDS[k].kind) names[n++] = KINDS[k].name;
  if (nullable) names[n++] = "null";
  char list[112] = "";
  for (size_t k = 0; k < n; k++)
    used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", k == 0 ? "" : k + 1 == n ? " or " : ", ", names[k]);
  nb_fail(c, "%s must be %s %s", name, list[0] == 'I' ? "an" : "a", list);
}

/* The typed array at argument i if it is one of the `accept` kinds; 0 (nothing thrown) if not. */
static int read_array(nb_call *c, int i, unsigned accept, nb_array *a) {
  bool is = false;
  napi_typedarray_type t;
  size_t len = 0;
  void *data = NULL;
  if (napi_is_typedarray(c->env, c->argv[i], &is) != napi_ok || !is ||
      napi_get_typedarray_info(c->env, c->argv[i], &t, &len, &data, NULL, NULL) != napi_ok)
    return 0;
  for (size_t k = 0; k < N_KINDS; k++) {
    if (KINDS[k].napi == t && (accept & KINDS[k].kind)) {
      a->kind = KINDS[k].kind;
      a->data = data;
      a->length = (double)len;
      return 1;
    }
  }
  return 0;
}

nb_array nb_get_array(nb_call *c, int i, const char *name, unsigned accept) {
  nb_array a = {NB_F32, NULL, 0};
  if (!read_array(c, i, accept, &a)) fail_kinds(c, name, accept, 0);
  return a;
}

nb_array nb_get_optional_array(nb_call *c, int i, const char *name, unsigned accept) {
  nb_array a = {NB_F32, NULL, 0};
  if (!nb_is_null(c, i) && !read_array(c, i, accept, &a)) fail_kinds(c, name, accept, 1);
  return a;
}

void nb_require_float(nb_call *c, const nb_array *a, const char *name) {
  if (c->failed || nb_is_float(a)) return;
  fail_kinds(c, name, NB_F32 | NB_F64, 0);
}

int nb_is_float(const nb_array *a) {
  return a->kind == NB_F32 || a->kind == NB_F64;
}

nb_type nb_kind_type(nb_kind kind) {
  return kind == NB_F64 ? T_F64 : kind == NB_U8 ? T_U8 : T_F32;
}

nb_type nb_array_type(const nb_array *a) {
  return nb_kind_type(a->kind);
}

size_t nb_esize(const nb_array *a) {
  return a->kind == NB_F64 ? 8 : a->kind == NB_U8 ? 1 : 4;
}

void *nb_at(const nb_array *a, long index) {
  return (char *)a->data + (size_t)index * nb_esize(a);
}

void nb_check_block(nb_call *c, const nb_array *a, const char *name, long off, long rows, long cols, long rs, long cs) {
  if (c->failed || rows == 0 || cols == 0) return;
  double lo = (double)off + fmin(0, (double)(rows - 1) * rs) + fmin(0, (double)(cols - 1) * cs);
  double hi = (double)off + fmax(0, (double)(rows - 1) * rs) + fmax(0, (double)(cols - 1) * cs);
  if (lo < 0 || hi >= a->length)
    nb_fail(c, "%s: a %ldx%ld block at offset %ld (strides %ld, %ld) exceeds its %.0f elements", name, rows, cols, off, rs, cs,
            a->length);
}

void nb_check_view(nb_call *c, const nb_array *a, const char *name, long off, const long *shape, const long *strides, int nd) {
  if (c->failed) return;
  double lo = (double)off, hi = (double)off;
  for (int d = 0; d < nd; d++) {
    if (shape[d] < 0) {
      nb_fail(c, "shape must be non-negative");
      return;
    }
    if (shape[d] == 0) return;
    double span = (double)(shape[d] - 1) * (double)strides[d];
    if (span < 0) lo += span;
    else hi += span;
  }
  if (off < 0 || lo < 0 || hi >= a->length)
    nb_fail(c, "%s: the view at offset %ld reaches elements %.0f..%.0f of %.0f", name, off, lo, hi, a->length);
}

void nb_check_range(nb_call *c, const nb_array *a, const char *name, long off, double count) {
  if (c->failed) return;
  if (off < 0 || (double)off + count > a->length)
    nb_fail(c, "%s: %.0f elements at offset %ld exceed its %.0f", name, count, off, a->length);
}

int nb_export_all(napi_env env, napi_value exports, const nb_export *fns, size_t n) {
  for (size_t k = 0; k < n; k++) {
    napi_value f;
    if (napi_create_function(env, fns[k].name, NAPI_AUTO_LENGTH, fns[k].fn, NULL, &f) != napi_ok) return 0;
    if (napi_set_named_property(env, exports, fns[k].name, f) != napi_ok) return 0;
  }
  return 1;
}
