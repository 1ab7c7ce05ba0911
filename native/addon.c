/* The N-API surface of the addon. Every function here checks its arguments (types, integer
 * ranges, and that each access stays inside its typed array) and then calls a kernel on the
 * arrays' own memory, without copying. Shapes, strides and dtypes were decided in TypeScript
 * (src/backend/native/); a failed check throws, and means a bug there. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <node_api.h>
#include "nabla.h"
#include "movement.h"
#include "attention.h"
#include "fused.h"

#define MAX_ARGS 16

typedef struct {
  napi_env env;
  const char *fn;
  napi_value argv[MAX_ARGS];
  int failed;
} call_t;

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
    char msg[64];
    snprintf(msg, sizeof msg, "expected %zu arguments", want);
    fail(c, msg);
    return 0;
  }
  return 1;
}

/* An integer argument (a JS number with no fraction, |x| < 2^53). */
static long get_long(call_t *c, int i, const char *name) {
  double v;
  if (napi_get_value_double(c->env, c->argv[i], &v) != napi_ok || v != floor(v) || fabs(v) > 9007199254740991.0) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be an integer", name);
    fail(c, msg);
    return 0;
  }
  return (long)v;
}

static long get_count(call_t *c, int i, const char *name) {
  long v = get_long(c, i, name);
  if (v < 0) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be non-negative, got %ld", name, v);
    fail(c, msg);
  }
  return v;
}

static int get_flag(call_t *c, int i, const char *name) {
  bool v = false;
  if (napi_get_value_bool(c->env, c->argv[i], &v) != napi_ok) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be a boolean", name);
    fail(c, msg);
  }
  return v;
}

typedef struct {
  nb_type type;
  void *data;
  double length;
} array_t;

/* A Float32Array, Float64Array or Uint8Array argument. */
static array_t get_array(call_t *c, int i, const char *name) {
  array_t a = {T_F32, NULL, 0};
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

/* Checks that the rows×cols strided block at `off` lies inside `a` (nothing to check if empty). */
static void check_block(call_t *c, const array_t *a, const char *name, long off, long rows, long cols, long rs, long cs) {
  if (rows == 0 || cols == 0) return;
  double lo = (double)off + fmin(0, (double)(rows - 1) * rs) + fmin(0, (double)(cols - 1) * cs);
  double hi = (double)off + fmax(0, (double)(rows - 1) * rs) + fmax(0, (double)(cols - 1) * cs);
  if (lo < 0 || hi >= a->length) {
    char msg[160];
    snprintf(msg, sizeof msg, "%s: a %ldx%ld block at offset %ld (strides %ld, %ld) exceeds its %.0f elements",
             name, rows, cols, off, rs, cs, a->length);
    fail(c, msg);
  }
}

static void *element(const array_t *a, long index) {
  size_t size = a->type == T_F64 ? 8 : a->type == T_F32 ? 4 : 1;
  return (char *)a->data + (size_t)index * size;
}

/* gemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc) */
static napi_value js_gemm(napi_env env, napi_callback_info info) {
  call_t c = {env, "gemm", {0}, 0};
  if (!get_args(&c, info, 14)) return NULL;
  int ta = get_flag(&c, 0, "transA"), tb = get_flag(&c, 1, "transB");
  long m = get_count(&c, 2, "m"), n = get_count(&c, 3, "n"), k = get_count(&c, 4, "k");
  array_t a = get_array(&c, 5, "a"), b = get_array(&c, 8, "b"), cc = get_array(&c, 11, "c");
  long ao = get_count(&c, 6, "aOffset"), lda = get_count(&c, 7, "lda");
  long bo = get_count(&c, 9, "bOffset"), ldb = get_count(&c, 10, "ldb");
  long co = get_count(&c, 12, "cOffset"), ldc = get_count(&c, 13, "ldc");
  if (c.failed) return NULL;
  if (a.type == T_U8 || a.type != b.type || a.type != cc.type) {
    fail(&c, "a, b and c must all be Float32Array or all Float64Array");
    return NULL;
  }
  long ar = ta ? k : m, ac = ta ? m : k, br = tb ? n : k, bc = tb ? k : n;
  if ((ar > 0 && ac > 0 && lda < ac) || (br > 0 && bc > 0 && ldb < bc) || (m > 0 && n > 0 && ldc < n)) {
    fail(&c, "a leading dimension is smaller than its row length");
    return NULL;
  }
  check_block(&c, &a, "a", ao, ar, ac, lda, 1);
  check_block(&c, &b, "b", bo, br, bc, ldb, 1);
  check_block(&c, &cc, "c", co, m, n, ldc, 1);
  if (c.failed) return NULL;
  int rc = a.type == T_F32
               ? nb_sgemm(ta, tb, m, n, k, element(&a, ao), lda, element(&b, bo), ldb, element(&cc, co), ldc)
               : nb_dgemm(ta, tb, m, n, k, element(&a, ao), lda, element(&b, bo), ldb, element(&cc, co), ldc);
  if (rc != 0) napi_throw_error(env, NULL, "nabla native gemm: out of memory for packing buffers");
  return NULL;
}

/* A 2-D strided operand from (array, offset, rowStride, colStride), its type checked. */
static nb_operand get_operand(call_t *c, int i, const char *name, long rows, long cols, nb_type *type) {
  array_t a = get_array(c, i, name);
  long off = get_count(c, i + 1, "offset"), rs = get_long(c, i + 2, "rowStride"), cs = get_long(c, i + 3, "colStride");
  nb_operand o = {NULL, rs, cs};
  if (c->failed) return o;
  if (a.type == T_U8) fail(c, "inputs must be Float32Array or Float64Array");
  *type = a.type;
  check_block(c, &a, name, off, rows, cols, rs, cs);
  o.data = element(&a, off);
  return o;
}

static void *get_output(call_t *c, int i, nb_type type, long count) {
  array_t o = get_array(c, i, "out");
  if (c->failed) return NULL;
  if (o.type != type) fail(c, "out has the wrong element type");
  else if (o.length < (double)count) fail(c, "out is too short");
  return o.data;
}

/* unary(op, x, xOffset, xRowStride, xColStride, rows, cols, out) */
static napi_value js_unary(napi_env env, napi_callback_info info) {
  call_t c = {env, "unary", {0}, 0};
  if (!get_args(&c, info, 8)) return NULL;
  long op = get_long(&c, 0, "op"), rows = get_count(&c, 5, "rows"), cols = get_count(&c, 6, "cols");
  if (c.failed) return NULL;
  if (op < 0 || op >= U_COUNT) fail(&c, "unknown op");
  nb_type type = T_F32;
  nb_operand x = get_operand(&c, 1, "x", rows, cols, &type);
  void *out = get_output(&c, 7, type, rows * cols);
  if (c.failed) return NULL;
  nb_unary((int)op, type, x, rows, cols, out);
  return NULL;
}

/* binary(op, a, aOffset, aRowStride, aColStride, b, bOffset, bRowStride, bColStride, rows, cols, out) */
static napi_value js_binary(napi_env env, napi_callback_info info) {
  call_t c = {env, "binary", {0}, 0};
  if (!get_args(&c, info, 12)) return NULL;
  long op = get_long(&c, 0, "op"), rows = get_count(&c, 9, "rows"), cols = get_count(&c, 10, "cols");
  if (c.failed) return NULL;
  if (op < 0 || op >= B_COUNT) fail(&c, "unknown op");
  nb_type ta = T_F32, tb = T_F32;
  nb_operand a = get_operand(&c, 1, "a", rows, cols, &ta);
  nb_operand b = get_operand(&c, 5, "b", rows, cols, &tb);
  if (!c.failed && ta != tb) fail(&c, "a and b must have the same element type");
  void *out = get_output(&c, 11, op >= B_EQ ? T_U8 : ta, rows * cols);
  if (c.failed) return NULL;
  nb_binary((int)op, ta, a, b, rows, cols, out);
  return NULL;
}

/* reduce(op, x, offset, outer, n, out): out[o] = op over r of x[offset + o*n + r] */
static napi_value js_reduce(napi_env env, napi_callback_info info) {
  call_t c = {env, "reduce", {0}, 0};
  if (!get_args(&c, info, 6)) return NULL;
  long op = get_long(&c, 0, "op");
  array_t x = get_array(&c, 1, "x");
  long off = get_count(&c, 2, "offset"), outer = get_count(&c, 3, "outer"), n = get_count(&c, 4, "n");
  if (c.failed) return NULL;
  if (op < 0 || op >= R_COUNT) fail(&c, "unknown op");
  if (x.type == T_U8) fail(&c, "x must be a Float32Array or Float64Array");
  check_block(&c, &x, "x", off, outer, n, n, 1);
  void *out = get_output(&c, 5, x.type, outer);
  if (c.failed) return NULL;
  nb_reduce_last((int)op, x.type, element(&x, off), outer, n, out);
  return NULL;
}

static void set_string(napi_env env, napi_value obj, const char *key, const char *value) {
  napi_value v;
  napi_create_string_utf8(env, value, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, obj, key, v);
}

static void set_number(napi_env env, napi_value obj, const char *key, double value) {
  napi_value v;
  napi_create_double(env, value, &v);
  napi_set_named_property(env, obj, key, v);
}

/* info(): { simd, cpuSimd, sgemm, dgemm, threads } */
static napi_value js_info(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value obj;
  napi_create_object(env, &obj);
  set_string(env, obj, "simd", nb_isa_name(nb_cpu_isa()));
  set_string(env, obj, "cpuSimd", nb_isa_name(nb_cpu_has(ISA_AVX512) ? ISA_AVX512 : nb_cpu_has(ISA_AVX2) ? ISA_AVX2 : ISA_PORTABLE));
  set_string(env, obj, "sgemm", nb_sgemm_active()->name);
  set_string(env, obj, "dgemm", nb_dgemm_active()->name);
  set_number(env, obj, "threads", nb_pool_threads());
  return obj;
}

/* setThreads(n): the number of threads parallel kernels may use from now on (≥ 1). */
static napi_value js_set_threads(napi_env env, napi_callback_info info) {
  call_t c = {env, "setThreads", {0}, 0};
  if (!get_args(&c, info, 1)) return NULL;
  long n = get_long(&c, 0, "threads");
  if (c.failed) return NULL;
  if (n < 1) {
    fail(&c, "threads must be at least 1");
    return NULL;
  }
  nb_pool_set_threads((int)n);
  return NULL;
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_cpu(void) {
  nb_cpu_init(getenv("NABLA_KERNEL"));
}

NAPI_MODULE_INIT() {
  pthread_once(&init_once, init_cpu);
  static const struct {
    const char *name;
    napi_callback fn;
  } fns[] = {{"gemm", js_gemm}, {"unary", js_unary}, {"binary", js_binary}, {"reduce", js_reduce},
             {"info", js_info}, {"setThreads", js_set_threads}};
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    napi_value f;
    if (napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &f) != napi_ok) return NULL;
    if (napi_set_named_property(env, exports, fns[i].name, f) != napi_ok) return NULL;
  }
  if (!nb_movement_register(env, exports)) return NULL;
  if (!nb_attention_register(env, exports)) return NULL;
  if (!nb_fused_register(env, exports)) return NULL;
  return exports;
}
