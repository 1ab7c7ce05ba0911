/* Argument checking shared by the N-API wrappers (addon*.c). A wrapper declares one nb_call,
 * reads its arguments with the nb_get_* functions and checks array accesses with nb_check_*,
 * then tests `c.failed` once before running a kernel:
 *
 *   nb_call c = {env, "reduce", {0}, 0};
 *   if (!nb_get_args(&c, info, 6)) return NULL;
 *   long n = nb_get_count(&c, 4, "n");
 *   nb_array x = nb_get_array(&c, 1, "x", NB_F32 | NB_F64);
 *   if (c.failed) return NULL;
 *
 * Every failed check throws a TypeError "nabla native <fn>: <what>" (fn is the call's name) and
 * sets `failed`; only the first failure of a call throws, later ones are ignored, so a wrapper
 * may read all its arguments before looking at `failed`. After a failure the getters return
 * zeros / empty arrays, which every later check accepts silently. A failed check means a bug in
 * src/backend/native/, which decided every shape, stride and dtype before calling. */
#ifndef NABLA_NAPI_ARGS_H
#define NABLA_NAPI_ARGS_H

#include <stddef.h>
#include <node_api.h>
#include "nabla.h"

/* The most arguments a wrapper can take. */
#define NB_MAX_ARGS 16

/* One call of a wrapper: its environment, its JS name (for messages), its arguments, and
 * whether a check has failed (and thrown) yet. */
typedef struct {
  napi_env env;
  const char *fn;
  napi_value argv[NB_MAX_ARGS];
  int failed;
} nb_call;

/* Throws "nabla native <fn>: <printf(fmt, ...)>" as a TypeError, unless the call already failed. */
void nb_fail(nb_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reads the arguments into c->argv; exactly `want` (≤ NB_MAX_ARGS) must have been passed, else
 * "expected <want> arguments". Returns 0 on failure. */
int nb_get_args(nb_call *c, napi_callback_info info, size_t want);

/* Argument i as a number (any double): "<name> must be a number". */
double nb_get_number(nb_call *c, int i, const char *name);
/* A value that must be an integer-valued number with |v| ≤ 2^53 − 1: "<name> must be an integer". */
long nb_int_value(nb_call *c, napi_value v, const char *name);
/* Argument i as an integer (nb_int_value). */
long nb_get_long(nb_call *c, int i, const char *name);
/* Argument i as an integer ≥ 0: "<name> must be an integer", "<name> must be a non-negative integer, got <v>". */
long nb_get_count(nb_call *c, int i, const char *name);
/* Argument i as a boolean: "<name> must be a boolean". */
int nb_get_flag(nb_call *c, int i, const char *name);
/* Argument i as a JS array of at most `max` integers, stored in out[]; returns its length, or -1
 * on failure: "<name> must be an array of at most <max> integers", "<name> must be an integer". */
int nb_get_longs(nb_call *c, int i, const char *name, long *out, int max);
/* Whether argument i is null or undefined (never fails). */
int nb_is_null(nb_call *c, int i);

/* Element types of typed-array arguments; the `accept` mask of nb_get_array ORs them. */
typedef enum { NB_F32 = 1, NB_F64 = 2, NB_I32 = 4, NB_U8 = 8 } nb_kind;

/* A typed-array argument: its element type, its memory (owned by JS, written in place), and its
 * length in elements (a double, so that bounds arithmetic cannot overflow). */
typedef struct {
  nb_kind kind;
  void *data;
  double length;
} nb_array;

/* Argument i as a typed array of one of the `accept` kinds, e.g. with NB_F32 | NB_F64 | NB_U8:
 * "<name> must be a Float32Array, Float64Array or Uint8Array" (the kinds in that order:
 * Float32Array, Float64Array, Int32Array, Uint8Array). On failure: kind NB_F32, no data, length 0. */
nb_array nb_get_array(nb_call *c, int i, const char *name, unsigned accept);
/* Argument i as nb_get_array, or null / undefined (then kind NB_F32, no data, length 0):
 * "<name> must be a Float32Array, Float64Array or null". */
nb_array nb_get_optional_array(nb_call *c, int i, const char *name, unsigned accept);
/* Checks that `a` holds floats: "<name> must be a Float32Array or Float64Array". */
void nb_require_float(nb_call *c, const nb_array *a, const char *name);
/* Whether `a` holds Float32 or Float64 elements. */
int nb_is_float(const nb_array *a);
/* The kernels' element type of a float or Uint8 kind (T_F32, T_F64, T_U8). */
nb_type nb_kind_type(nb_kind kind);
/* The kernels' element type of a float or Uint8 array: nb_kind_type(a->kind). */
nb_type nb_array_type(const nb_array *a);
/* Bytes per element of `a`. */
size_t nb_esize(const nb_array *a);
/* The address of element `index` of `a`. */
void *nb_at(const nb_array *a, long index);

/* Bounds checks, in elements; each is a no-op after a failure. */

/* The rows×cols block at `off` with row stride rs and column stride cs (either may be negative)
 * lies inside `a` (an empty block always does): "<name>: a <rows>x<cols> block at offset <off>
 * (strides <rs>, <cs>) exceeds its <length> elements". */
void nb_check_block(nb_call *c, const nb_array *a, const char *name, long off, long rows, long cols, long rs, long cs);
/* The nd-dimensional view at `off` (strides of any sign) lies inside `a`; an empty view always
 * does. "shape must be non-negative", "<name>: the view at offset <off> reaches elements
 * <lo>..<hi> of <length>". */
void nb_check_view(nb_call *c, const nb_array *a, const char *name, long off, const long *shape, const long *strides, int nd);
/* The `count` elements from `off` (≥ 0) lie inside `a`: "<name>: <count> elements at offset
 * <off> exceed its <length>". */
void nb_check_range(nb_call *c, const nb_array *a, const char *name, long off, double count);

/* One function of the addon's exports. */
typedef struct {
  const char *name;
  napi_callback fn;
} nb_export;

/* Sets exports[fns[k].name] to a JS function calling fns[k].fn, for the n entries; 0 on failure. */
int nb_export_all(napi_env env, napi_value exports, const nb_export *fns, size_t n);

#endif
