/* The N-API surface of the addon. Every function here checks its arguments (types, integer
 * ranges, and that each access stays inside its typed array) and then calls a kernel on the
 * arrays' own memory, without copying. Shapes, strides and dtypes were decided in TypeScript
 * (src/backend/native/); a failed check throws, and means a bug there. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <node_api.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include "nabla.h"
#include "movement.h"
#include "attention.h"
#include "fused.h"
#include "recurrent.h"
#include "napi_args.h"

napi_value nb_fft_register(napi_env env, napi_value exports); /* fft.c */

/* The typed arrays the core kernels take. */
#define ARRAY (NB_F32 | NB_F64 | NB_U8)

/* gemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc) */
static napi_value js_gemm(napi_env env, napi_callback_info info) {
  nb_call c = {env, "gemm", {0}, 0};
  if (!nb_get_args(&c, info, 14)) return NULL;
  int ta = nb_get_flag(&c, 0, "transA"), tb = nb_get_flag(&c, 1, "transB");
  long m = nb_get_count(&c, 2, "m"), n = nb_get_count(&c, 3, "n"), k = nb_get_count(&c, 4, "k");
  nb_array a = nb_get_array(&c, 5, "a", ARRAY), b = nb_get_array(&c, 8, "b", ARRAY), cc = nb_get_array(&c, 11, "c", ARRAY);
  long ao = nb_get_count(&c, 6, "aOffset"), lda = nb_get_count(&c, 7, "lda");
  long bo = nb_get_count(&c, 9, "bOffset"), ldb = nb_get_count(&c, 10, "ldb");
  long co = nb_get_count(&c, 12, "cOffset"), ldc = nb_get_count(&c, 13, "ldc");
  if (c.failed) return NULL;
  if (a.kind == NB_U8 || a.kind != b.kind || a.kind != cc.kind) {
    nb_fail(&c, "a, b and c must all be Float32Array or all Float64Array");
    return NULL;
  }
  long ar = ta ? k : m, ac = ta ? m : k, br = tb ? n : k, bc = tb ? k : n;
  if ((ar > 0 && ac > 0 && lda < ac) || (br > 0 && bc > 0 && ldb < bc) || (m > 0 && n > 0 && ldc < n)) {
    nb_fail(&c, "a leading dimension is smaller than its row length");
    return NULL;
  }
  nb_check_block(&c, &a, "a", ao, ar, ac, lda, 1);
  nb_check_block(&c, &b, "b", bo, br, bc, ldb, 1);
  nb_check_block(&c, &cc, "c", co, m, n, ldc, 1);
  if (c.failed) return NULL;
  int rc = a.kind == NB_F32
               ? nb_sgemm(ta, tb, m, n, k, nb_at(&a, ao), lda, nb_at(&b, bo), ldb, nb_at(&cc, co), ldc)
               : nb_dgemm(ta, tb, m, n, k, nb_at(&a, ao), lda, nb_at(&b, bo), ldb, nb_at(&cc, co), ldc);
  if (rc != 0) napi_throw_error(env, NULL, "nabla native gemm: out of memory for packing buffers");
  return NULL;
}

/* A 3-D strided operand from (array, offset, depthStride, rowStride, colStride), its type checked. */
static nb_operand get_operand(nb_call *c, int i, const char *name, const long shape[3], nb_type *type) {
  nb_array a = nb_get_array(c, i, name, ARRAY);
  long off = nb_get_count(c, i + 1, "offset"), ds = nb_get_long(c, i + 2, "depthStride");
  long rs = nb_get_long(c, i + 3, "rowStride"), cs = nb_get_long(c, i + 4, "colStride");
  nb_operand o = {NULL, ds, rs, cs};
  if (c->failed) return o;
  if (a.kind == NB_U8) nb_fail(c, "inputs must be Float32Array or Float64Array");
  *type = nb_array_type(&a);
  const long strides[3] = {ds, rs, cs};
  nb_check_view(c, &a, name, off, shape, strides, 3);
  o.data = nb_at(&a, off);
  return o;
}

static void *get_output(nb_call *c, int i, nb_type type, long count) {
  nb_array o = nb_get_array(c, i, "out", ARRAY);
  if (c->failed) return NULL;
  if (nb_array_type(&o) != type) nb_fail(c, "out has the wrong element type");
  else if (o.length < (double)count) nb_fail(c, "out is too short");
  return o.data;
}

/* unary(op, x, xOffset, xDepthStride, xRowStride, xColStride, depth, rows, cols, out) */
static napi_value js_unary(napi_env env, napi_callback_info info) {
  nb_call c = {env, "unary", {0}, 0};
  if (!nb_get_args(&c, info, 10)) return NULL;
  long op = nb_get_long(&c, 0, "op");
  const long shape[3] = {nb_get_count(&c, 6, "depth"), nb_get_count(&c, 7, "rows"), nb_get_count(&c, 8, "cols")};
  if (c.failed) return NULL;
  if (op < 0 || op >= U_COUNT) nb_fail(&c, "unknown op");
  nb_type type = T_F32;
  nb_operand x = get_operand(&c, 1, "x", shape, &type);
  void *out = get_output(&c, 9, type, shape[0] * shape[1] * shape[2]);
  if (c.failed) return NULL;
  nb_unary((int)op, type, x, shape[0], shape[1], shape[2], out);
  return NULL;
}

/* binary(op, a, aOffset, aDepthStride, aRowStride, aColStride, b, bOffset, bDepthStride, bRowStride, bColStride,
 *        depth, rows, cols, out) */
static napi_value js_binary(napi_env env, napi_callback_info info) {
  nb_call c = {env, "binary", {0}, 0};
  if (!nb_get_args(&c, info, 15)) return NULL;
  long op = nb_get_long(&c, 0, "op");
  const long shape[3] = {nb_get_count(&c, 11, "depth"), nb_get_count(&c, 12, "rows"), nb_get_count(&c, 13, "cols")};
  if (c.failed) return NULL;
  if (op < 0 || op >= B_COUNT) nb_fail(&c, "unknown op");
  nb_type ta = T_F32, tb = T_F32;
  nb_operand a = get_operand(&c, 1, "a", shape, &ta);
  nb_operand b = get_operand(&c, 6, "b", shape, &tb);
  if (!c.failed && ta != tb) nb_fail(&c, "a and b must have the same element type");
  void *out = get_output(&c, 14, op >= B_EQ ? T_U8 : ta, shape[0] * shape[1] * shape[2]);
  if (c.failed) return NULL;
  nb_binary((int)op, ta, a, b, shape[0], shape[1], shape[2], out);
  return NULL;
}

/* reduce(op, x, offset, outer, n, out): out[o] = op over r of x[offset + o*n + r] */
static napi_value js_reduce(napi_env env, napi_callback_info info) {
  nb_call c = {env, "reduce", {0}, 0};
  if (!nb_get_args(&c, info, 6)) return NULL;
  long op = nb_get_long(&c, 0, "op");
  nb_array x = nb_get_array(&c, 1, "x", ARRAY);
  long off = nb_get_count(&c, 2, "offset"), outer = nb_get_count(&c, 3, "outer"), n = nb_get_count(&c, 4, "n");
  if (c.failed) return NULL;
  if (op < 0 || op >= R_COUNT) nb_fail(&c, "unknown op");
  nb_require_float(&c, &x, "x");
  nb_check_block(&c, &x, "x", off, outer, n, n, 1);
  void *out = get_output(&c, 5, nb_array_type(&x), outer);
  if (c.failed) return NULL;
  nb_reduce_last((int)op, nb_array_type(&x), nb_at(&x, off), outer, n, out);
  return NULL;
}

/* How malloc was set up at load: "glibc: …" when tuned, else why not. */
static const char *malloc_setting = "default";

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

/* info(): { simd, cpuSimd, sgemm, dgemm, threads, malloc } */
static napi_value js_info(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value obj;
  napi_create_object(env, &obj);
  set_string(env, obj, "simd", nb_isa_name(nb_cpu_isa()));
  set_string(env, obj, "cpuSimd", nb_isa_name(nb_cpu_has(ISA_AVX512) ? ISA_AVX512 : nb_cpu_has(ISA_AVX2) ? ISA_AVX2 : ISA_PORTABLE));
  set_string(env, obj, "sgemm", nb_sgemm_active()->name);
  set_string(env, obj, "dgemm", nb_dgemm_active()->name);
  set_number(env, obj, "threads", nb_pool_threads());
  set_string(env, obj, "malloc", malloc_setting);
  return obj;
}

/* setThreads(n): the number of threads parallel kernels may use from now on (≥ 1). */
static napi_value js_set_threads(napi_env env, napi_callback_info info) {
  nb_call c = {env, "setThreads", {0}, 0};
  if (!nb_get_args(&c, info, 1)) return NULL;
  long n = nb_get_long(&c, 0, "threads");
  if (c.failed) return NULL;
  if (n < 1) {
    nb_fail(&c, "threads must be at least 1");
    return NULL;
  }
  nb_pool_set_threads((int)n);
  return NULL;
}

#if defined(__GLIBC__)
static int env_set(const char *name) {
  const char *v = getenv(name);
  return v && *v;
}
#endif

/* Training allocates and frees tensors of megabytes every step (an embedding's gradient is
 * vocabulary × width floats), and V8 takes their memory from calloc. glibc serves such blocks
 * with mmap, or trims them off the heap once freed, so every step pays fresh zero pages from the
 * kernel: a page fault per 4 KiB, a sixth of a text CNN's step. Blocks up to 32 MiB from the heap
 * and a heap kept up to 256 MiB above its use reuse that memory instead (PyTorch keeps its own
 * cache the same way). Left alone when the user tuned malloc already, or with
 * NABLA_MALLOC_TUNING=0. */
static void tune_malloc(void) {
#if defined(__GLIBC__)
  const char *off = getenv("NABLA_MALLOC_TUNING");
  const char *tunables = getenv("GLIBC_TUNABLES");
  if (off && strcmp(off, "0") == 0) malloc_setting = "default (NABLA_MALLOC_TUNING=0)";
  else if ((tunables && strstr(tunables, "glibc.malloc.")) || env_set("MALLOC_MMAP_THRESHOLD_") || env_set("MALLOC_TRIM_THRESHOLD_"))
    malloc_setting = "default (set by the environment)";
  else if (mallopt(M_MMAP_THRESHOLD, 32 << 20) && mallopt(M_TRIM_THRESHOLD, 256 << 20))
    malloc_setting = "glibc: mmap threshold 32 MiB, trim threshold 256 MiB";
#else
  malloc_setting = "default (not glibc)";
#endif
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_cpu(void) {
  nb_cpu_init(getenv("NABLA_KERNEL"));
  tune_malloc();
}

NAPI_MODULE_INIT() {
  pthread_once(&init_once, init_cpu);
  static const nb_export fns[] = {{"gemm", js_gemm}, {"unary", js_unary}, {"binary", js_binary}, {"reduce", js_reduce},
                                  {"info", js_info}, {"setThreads", js_set_threads}};
  if (!nb_export_all(env, exports, fns, sizeof fns / sizeof fns[0])) return NULL;
  if (!nb_movement_register(env, exports)) return NULL;
  if (!nb_attention_register(env, exports)) return NULL;
  if (!nb_fused_register(env, exports)) return NULL;
  if (!nb_recurrent_register(env, exports)) return NULL;
  if (!nb_fft_register(env, exports)) return NULL;
  return exports;
}
