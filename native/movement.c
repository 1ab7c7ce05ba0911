/* Data movement over strided views: N-d copy (with float32 <-> float64 conversion), gather and
 * its adjoint scatter-add, where, and arg-max/arg-min and reductions along a middle axis. The
 * views arrive coalesced (adjacent dims merged), so the loops walk few, long rows. */
#include <math.h>
#include <string.h>
#include "movement.h"

#define GRAIN_ELEMS (1L << 15)
#define INNER_BLOCK 256

size_t nb_msize(nb_mtype t) {
  return t == M_F64 ? 8 : t == M_U8 ? 1 : 4;
}

/* Element offset of the start of row `row` (rows = every dim but the last) in a view. */
static long row_offset(long row, const long *shape, const long *strides, int nd) {
  long off = 0;
  for (int d = nd - 2; d >= 0; d--) {
    off += (row % shape[d]) * strides[d];
    row /= shape[d];
  }
  return off;
}

/* ---- copy ---- */

typedef struct {
  nb_mtype st, dt;
  const char *src;
  char *dst;
  const long *ss, *ds, *shape;
  int nd;
} copy_job;

static void copy_rows(void *arg, long begin, long end) {
  const copy_job *j = arg;
  const int nd = j->nd;
  const long n = j->shape[nd - 1], si = j->ss[nd - 1], di = j->ds[nd - 1];
  const size_t ssz = nb_msize(j->st), dsz = nb_msize(j->dt);
  for (long r = begin; r < end; r++) {
    const char *s = j->src + ssz * row_offset(r, j->shape, j->ss, nd);
    char *d = j->dst + dsz * row_offset(r, j->shape, j->ds, nd);
    if (j->st != j->dt && j->st != M_F32 && j->st != M_F64) {
      /* int32 or bool to a float type: every value is exact in double */
      for (long i = 0; i < n; i++) {
        double v = j->st == M_I32 ? ((const int32_t *)s)[i * si] : ((const uint8_t *)s)[i * si];
        if (j->dt == M_F32) ((float *)d)[i * di] = (float)v;
        else ((double *)d)[i * di] = v;
      }
    } else if (j->st == M_F32 && j->dt == M_F64) {
      const float *a = (const float *)s;
      double *b = (double *)d;
      for (long i = 0; i < n; i++) b[i * di] = a[i * si];
    } else if (j->st == M_F64 && j->dt == M_F32) {
      const double *a = (const double *)s;
      float *b = (float *)d;
      for (long i = 0; i < n; i++) b[i * di] = (float)a[i * si];
    } else if (si == 1 && di == 1) {
      memcpy(d, s, ssz * (size_t)n);
    } else if (ssz == 4) {
      const uint32_t *a = (const uint32_t *)s;
      uint32_t *b = (uint32_t *)d;
      if (di == 1) for (long i = 0; i < n; i++) b[i] = a[i * si];
      else for (long i = 0; i < n; i++) b[i * di] = a[i * si];
    } else if (ssz == 8) {
      const uint64_t *a = (const uint64_t *)s;
      uint64_t *b = (uint64_t *)d;
      if (di == 1) for (long i = 0; i < n; i++) b[i] = a[i * si];
      else for (long i = 0; i < n; i++) b[i * di] = a[i * si];
    } else {
      const uint8_t *a = (const uint8_t *)s;
      uint8_t *b = (uint8_t *)d;
      for (long i = 0; i < n; i++) b[i * di] = a[i * si];
    }
  }
}

void nb_copy(nb_mtype st, const void *src, const long *ss, nb_mtype dt, void *dst, const long *ds, const long *shape, int nd) {
  static const long one = 1, unit = 1;
  if (nd == 0) {
    shape = &one;
    ss = ds = &unit;
    nd = 1;
  }
  long rows = 1;
  for (int d = 0; d < nd - 1; d++) rows *= shape[d];
  copy_job j = {st, dt, src, dst, ss, ds, shape, nd};
  nb_parallel_for(copy_rows, &j, rows, nb_grain(rows, shape[nd - 1], GRAIN_ELEMS, 0));
}

/* ---- gather / scatter-add ---- */

typedef struct {
  size_t esize;
  nb_type type;
  const char *x;
  long outer, axis, inner, m;
  const int32_t *idx;
  char *out;
} gather_job;

static void gather_rows(void *arg, long begin, long end) {
  const gather_job *j = arg;
  const size_t row = j->esize * (size_t)j->inner;
  for (long t = begin; t < end; t++) {
    long o = t / j->m, k = t % j->m;
    const char *s = j->x + row * (size_t)(o * j->axis + j->idx[k]);
    char *d = j->out + row * (size_t)t;
    if (j->inner == 1 && j->esize == 4) *(uint32_t *)d = *(const uint32_t *)s;
    else if (j->inner == 1 && j->esize == 8) *(uint64_t *)d = *(const uint64_t *)s;
    else memcpy(d, s, row);
  }
}

void nb_gather(size_t esize, const void *x, long outer, long axis, long inner, const int32_t *idx, long m, void *out) {
  gather_job j = {esize, T_F32, x, outer, axis, inner, m, idx, out};
  nb_parallel_for(gather_rows, &j, outer * m, nb_grain(outer * m, inner, GRAIN_ELEMS, 0));
}

/* Each task owns whole `outer` slices of the output, so no two threads add to one element. */
static void scatter_slices(void *arg, long begin, long end) {
  const gather_job *j = arg;
  const long inner = j->inner, m = j->m;
  for (long o = begin; o < end; o++) {
    for (long k = 0; k < m; k++) {
      long dst = (o * j->axis + j->idx[k]) * inner, src = (o * m + k) * inner;
      if (j->type == T_F32) {
        float *restrict d = (float *)j->out + dst;
        const float *restrict s = (const float *)j->x + src;
        for (long i = 0; i < inner; i++) d[i] += s[i];
      } else {
        double *restrict d = (double *)j->out + dst;
        const double *restrict s = (const double *)j->x + src;
        for (long i = 0; i < inner; i++) d[i] += s[i];
      }
    }
  }
}

void nb_scatter_add(nb_type type, const void *g, long outer, long axis, long inner, const int32_t *idx, long m, void *out) {
  gather_job j = {type == T_F64 ? 8 : 4, type, g, outer, axis, inner, m, idx, out};
  nb_parallel_for(scatter_slices, &j, outer, nb_grain(outer, m * inner, GRAIN_ELEMS, 0));
}

/* ---- where ---- */

typedef struct {
  size_t esize;
  const uint8_t *cond;
  const char *a, *b;
  const long *cs, *as, *bs, *shape;
  int nd;
  char *out;
} where_job;

static void where_rows(void *arg, long begin, long end) {
  const where_job *j = arg;
  const int nd = j->nd;
  const long n = j->shape[nd - 1], ci = j->cs[nd - 1], ai = j->as[nd - 1], bi = j->bs[nd - 1];
  const size_t sz = j->esize;
  for (long r = begin; r < end; r++) {
    const uint8_t *c = j->cond + row_offset(r, j->shape, j->cs, nd);
    const char *a = j->a + sz * row_offset(r, j->shape, j->as, nd);
    const char *b = j->b + sz * row_offset(r, j->shape, j->bs, nd);
    char *o = j->out + sz * (size_t)(r * n);
    if (ci == 0) { /* one condition for the whole row (a mask over steps, broadcast over features): a copy */
      const char *src = c[0] ? a : b;
      long si = c[0] ? ai : bi;
      if (si == 1) memcpy(o, src, sz * (size_t)n);
      else if (sz == 4)
        for (long i = 0; i < n; i++) ((uint32_t *)o)[i] = ((const uint32_t *)src)[i * si];
      else if (sz == 8)
        for (long i = 0; i < n; i++) ((uint64_t *)o)[i] = ((const uint64_t *)src)[i * si];
      else
        for (long i = 0; i < n; i++) ((uint8_t *)o)[i] = ((const uint8_t *)src)[i * si];
      continue;
    }
    if (sz == 4 && ci == 1 && (ai | bi) <= 1 && ai >= 0 && bi >= 0) { /* dense rows, or one side a scalar: selects the compiler vectorises */
      const uint32_t *pa = (const uint32_t *)a, *pb = (const uint32_t *)b;
      uint32_t *po = (uint32_t *)o;
      if (ai == 1 && bi == 1)
        for (long i = 0; i < n; i++) po[i] = c[i] ? pa[i] : pb[i];
      else if (ai == 1) {
        uint32_t vb = pb[0];
        for (long i = 0; i < n; i++) po[i] = c[i] ? pa[i] : vb;
      } else if (bi == 1) {
        uint32_t va = pa[0];
        for (long i = 0; i < n; i++) po[i] = c[i] ? va : pb[i];
      } else {
        uint32_t va = pa[0], vb = pb[0];
        for (long i = 0; i < n; i++) po[i] = c[i] ? va : vb;
      }
      continue;
    }
    if (sz == 4) {
      const uint32_t *pa = (const uint32_t *)a, *pb = (const uint32_t *)b;
      uint32_t *po = (uint32_t *)o;
      for (long i = 0; i < n; i++) po[i] = c[i * ci] ? pa[i * ai] : pb[i * bi];
    } else if (sz == 8) {
      const uint64_t *pa = (const uint64_t *)a, *pb = (const uint64_t *)b;
      uint64_t *po = (uint64_t *)o;
      for (long i = 0; i < n; i++) po[i] = c[i * ci] ? pa[i * ai] : pb[i * bi];
    } else {
      const uint8_t *pa = (const uint8_t *)a, *pb = (const uint8_t *)b;
      uint8_t *po = (uint8_t *)o;
      for (long i = 0; i < n; i++) po[i] = c[i * ci] ? pa[i * ai] : pb[i * bi];
    }
  }
}

void nb_where(size_t esize, const uint8_t *cond, const long *cs, const void *a, const long *as, const void *b,
              const long *bs, const long *shape, int nd, void *out) {
  static const long one = 1, zero = 0;
  if (nd == 0) {
    shape = &one;
    cs = as = bs = &zero;
    nd = 1;
  }
  long rows = 1;
  for (int d = 0; d < nd - 1; d++) rows *= shape[d];
  where_job j = {esize, cond, a, b, cs, as, bs, shape, nd, out};
  nb_parallel_for(where_rows, &j, rows, nb_grain(rows, shape[nd - 1], GRAIN_ELEMS, 0));
}

/* ---- arg-reduce and middle-axis reductions over [outer, n, inner] ---- */

typedef struct {
  int op;
  nb_type type;
  const void *x;
  long outer, n, inner;
  void *out;
} axis_job;

#define T float
#define FN(name) name##_f32
#include "movement.inc"
#undef T
#undef FN

#define T double
#define FN(name) name##_f64
#include "movement.inc"
#undef T
#undef FN

static void arg_task(void *arg, long b, long e) {
  const axis_job *j = arg;
  if (j->type == T_F32) arg_slices_f32(j, b, e);
  else arg_slices_f64(j, b, e);
}

void nb_arg_reduce(int op, nb_type type, const void *x, long outer, long n, long inner, int32_t *out) {
  axis_job j = {op, type, x, outer, n, inner, out};
  long tasks = outer * ((inner + INNER_BLOCK - 1) / INNER_BLOCK);
  nb_parallel_for(arg_task, &j, tasks, nb_grain(tasks, n * (inner < INNER_BLOCK ? inner : INNER_BLOCK), GRAIN_ELEMS, 0));
}

static void middle_task(void *arg, long b, long e) {
  const axis_job *j = arg;
  if (j->type == T_F32) middle_slices_f32(j, b, e);
  else middle_slices_f64(j, b, e);
}

void nb_reduce_middle(int op, nb_type type, const void *x, long outer, long n, long inner, void *out) {
  axis_job j = {op, type, x, outer, n, inner, out};
  long tasks = outer * ((inner + INNER_BLOCK - 1) / INNER_BLOCK);
  nb_parallel_for(middle_task, &j, tasks, nb_grain(tasks, n * (inner < INNER_BLOCK ? inner : INNER_BLOCK), GRAIN_ELEMS, 0));
}
