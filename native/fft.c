/* Batched float32 FFTs (the fft/rfft/stftPower kernels of src/backend/fft-kernels.ts) and their
 * N-API surface. Rows are transformed LANES at a time: sample j of the LANES rows sits in one run
 * of LANES floats, so every butterfly works on whole SIMD vectors (fft_transform.inc; a
 * spectrogram is hundreds of short transforms of one length, never one long one). Mixed radix
 * 4, 2, 3, 5 and any prime up to MAX_RADIX, decimation in time after a digit-reversal permutation,
 * as src/backend/js/fft-plan.ts; lengths with a larger prime factor stay on the JS kernel
 * (Bluestein), and so does float64, which the JS kernel computes in double. Twiddles are
 * computed in double and rounded once; sums run in float (the error of an n-point transform
 * grows like log n, about 1e-6 of the peak for the spectrogram's lengths). */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "nabla.h"
#include "napi_args.h"

#define LANES 8
#define MAX_RADIX 31
#define MAX_FACTORS 64
#define MAX_PLANS 16

typedef struct {
  long n;
  int nf;
  int f[MAX_FACTORS]; /* radices, outermost first */
  int *perm;          /* slot i of the permuted array reads input perm[i] */
  int *inv;           /* and input j goes to slot inv[j] (the same allocation as perm) */
  float *wr, *wi;     /* e^{-2πik/n} = wr[k] + i·wi[k], k < n */
} fft_plan;

static fft_plan *plans[MAX_PLANS];
static int plan_count;
static pthread_mutex_t plan_lock = PTHREAD_MUTEX_INITIALIZER;

/* The radices of n (4s, then 2, then odd primes); 0 when a prime factor exceeds MAX_RADIX. */
static int factorize(long n, int *f) {
  int k = 0;
  long r = n;
  while (r % 4 == 0) f[k++] = 4, r /= 4;
  while (r % 2 == 0) f[k++] = 2, r /= 2;
  for (long p = 3; p * p <= r; p += 2)
    while (r % p == 0) f[k++] = (int)p, r /= p;
  if (r > 1) {
    if (r > MAX_RADIX) return 0;
    f[k++] = (int)r;
  }
  return k;
}

static fft_plan *plan_new(long n) {
  fft_plan *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->n = n;
  p->nf = factorize(n, p->f);
  p->perm = malloc(sizeof(int) * 2 * n);
  int *next = malloc(sizeof(int) * n);
  p->wr = malloc(sizeof(float) * n);
  p->wi = malloc(sizeof(float) * n);
  if ((p->nf == 0 && n > 1) || !p->perm || !next || !p->wr || !p->wi) {
    free(p->perm), free(next), free(p->wr), free(p->wi), free(p);
    return NULL;
  }
  /* the digit reversal, built from the innermost radix out (as digitReversal in fft-plan.ts) */
  long len = 1;
  p->perm[0] = 0;
  for (int s = p->nf - 1; s >= 0; s--) {
    int r = p->f[s];
    for (int q = 0; q < r; q++)
      for (long i = 0; i < len; i++) next[q * len + i] = q + r * p->perm[i];
    len *= r;
    memcpy(p->perm, next, sizeof(int) * len);
  }
  free(next);
  p->inv = p->perm + n;
  for (long i = 0; i < n; i++) p->inv[p->perm[i]] = (int)i;
  for (long k = 0; k < n; k++) {
    double a = 2.0 * M_PI * (double)k / (double)n;
    p->wr[k] = (float)cos(a);
    p->wi[k] = (float)-sin(a);
  }
  return p;
}

/* The cached plan of length n, or NULL (a prime factor above MAX_RADIX, or out of memory). */
static const fft_plan *plan_of(long n) {
  pthread_mutex_lock(&plan_lock);
  fft_plan *found = NULL;
  for (int i = 0; i < plan_count && !found; i++)
    if (plans[i]->n == n) found = plans[i];
  if (!found && (found = plan_new(n)) != NULL) {
    if (plan_count == MAX_PLANS) { /* a program uses a handful of lengths: recycle the oldest */
      free(plans[0]->perm), free(plans[0]->wr), free(plans[0]->wi), free(plans[0]);
      memmove(plans, plans + 1, sizeof plans[0] * (MAX_PLANS - 1));
      plan_count--;
    }
    plans[plan_count++] = found;
  }
  pthread_mutex_unlock(&plan_lock);
  return found;
}

int nb_fft_supported(long n) {
  int f[MAX_FACTORS];
  return n >= 1 && (n == 1 || factorize(n, f) > 0);
}

/* The transform at two vector widths (fft_transform.inc): 4 floats, which any x86-64 (SSE2) and
 * ARM (NEON) has, and 8 under AVX2 where the CPU has it; transform() runs the widest. Both do the
 * same operations in the same order, so they give the same bits. */
#define W 4
#define VF vf4
#define FN(name) name##_w4
#define ATTR
#include "fft_transform.inc"
#undef W
#undef VF
#undef FN
#undef ATTR
#ifdef NB_X86
#define W 8
#define VF vf8
#define FN(name) name##_w8
#define ATTR __attribute__((target("avx2")))
#include "fft_transform.inc"
#undef W
#undef VF
#undef FN
#undef ATTR
#endif

static void transform(const fft_plan *p, float *re, float *im) {
#ifdef NB_X86
  if (nb_cpu_isa() >= ISA_AVX2) {
    transform_w8(p, re, im);
    return;
  }
#endif
  transform_w4(p, re, im);
}

typedef struct {
  const float *x;
  float *out;
  long batch, n;
  int inverse;
  float scale;
  const fft_plan *plan; /* of n (complex) or n/2 (real, even n) */
  const fft_plan *full; /* of n: the twiddles that finish an even real transform */
  int failed;
} fft_job;

/* Complex rows: out = scale·DFT(x), the inverse as conj(DFT(conj x)). */
static void complex_range(void *ctx, long g0, long g1) {
  fft_job *j = ctx;
  long n = j->n;
  float *re = malloc(sizeof(float) * 2 * n * LANES);
  if (!re) { j->failed = 1; return; }
  float *im = re + n * LANES;
  float sign = j->inverse ? -1.0f : 1.0f;
  for (long g = g0; g < g1; g++) {
    long r0 = g * LANES, rows = j->batch - r0 < LANES ? j->batch - r0 : LANES;
    for (long i = 0; i < n; i++) {
      long src = 2 * j->plan->perm[i];
      for (int l = 0; l < LANES; l++) {
        const float *row = j->x + 2 * n * (r0 + (l < rows ? l : 0));
        re[i * LANES + l] = row[src], im[i * LANES + l] = sign * row[src + 1];
      }
    }
    transform(j->plan, re, im);
    for (long l = 0; l < rows; l++) {
      float *o = j->out + 2 * n * (r0 + l);
      for (long k = 0; k < n; k++) o[2 * k] = j->scale * re[k * LANES + l], o[2 * k + 1] = sign * j->scale * im[k * LANES + l];
    }
  }
  free(re);
}

/* Real rows of odd length: the complex transform with zero imaginary parts, first ⌊n/2⌋+1 bins. */
static void real_odd_range(void *ctx, long g0, long g1) {
  fft_job *j = ctx;
  long n = j->n, bins = n / 2 + 1;
  float *re = malloc(sizeof(float) * 2 * n * LANES);
  if (!re) { j->failed = 1; return; }
  float *im = re + n * LANES;
  for (long g = g0; g < g1; g++) {
    long r0 = g * LANES, rows = j->batch - r0 < LANES ? j->batch - r0 : LANES;
    for (long i = 0; i < n; i++)
      for (int l = 0; l < LANES; l++) re[i * LANES + l] = j->x[n * (r0 + (l < rows ? l : 0)) + j->plan->perm[i]], im[i * LANES + l] = 0;
    transform(j->plan, re, im);
    for (long l = 0; l < rows; l++) {
      float *o = j->out + 2 * bins * (r0 + l);
      for (long k = 0; k < bins; k++) o[2 * k] = re[k * LANES + l], o[2 * k + 1] = im[k * LANES + l];
    }
  }
  free(re);
}

/* Real rows of even length n = 2h: z[j] = x[2j] + i·x[2j+1], Z its h-point DFT, then
 * E[k] = (Z[k] + conj Z[h−k])/2, O[k] = (Z[k] − conj Z[h−k])/2i and X[k] = E[k] + e^{−2πik/n}·O[k]. */
static void real_even_range(void *ctx, long g0, long g1) {
  fft_job *j = ctx;
  long n = j->n, h = n / 2, bins = h + 1;
  float *re = malloc(sizeof(float) * 2 * h * LANES);
  if (!re) { j->failed = 1; return; }
  float *im = re + h * LANES;
  const float *wr = j->full->wr, *wi = j->full->wi;
  for (long g = g0; g < g1; g++) {
    long r0 = g * LANES, rows = j->batch - r0 < LANES ? j->batch - r0 : LANES;
    for (long i = 0; i < h; i++) {
      long src = 2 * j->plan->perm[i];
      for (int l = 0; l < LANES; l++) {
        const float *row = j->x + n * (r0 + (l < rows ? l : 0));
        re[i * LANES + l] = row[src], im[i * LANES + l] = row[src + 1];
      }
    }
    transform(j->plan, re, im);
    for (long k = 0; k <= h; k++) {
      long a = (k == h ? 0 : k) * LANES, c = (k == 0 ? 0 : h - k) * LANES;
      float tr = wr[k], ti = wi[k];
      for (long l = 0; l < rows; l++) {
        float er = 0.5f * (re[a + l] + re[c + l]), ei = 0.5f * (im[a + l] - im[c + l]);
        float orr = 0.5f * (im[a + l] + im[c + l]), oi = -0.5f * (re[a + l] - re[c + l]);
        float *o = j->out + 2 * bins * (r0 + l) + 2 * k;
        o[0] = er + tr * orr - ti * oi;
        o[1] = ei + tr * oi + ti * orr;
      }
    }
  }
  free(re);
}

/* Runs `fn` over the groups of LANES rows on the pool; 0, or -1 when a thread ran out of memory. */
static int run_groups(nb_range_fn fn, fft_job *job, long work_per_row) {
  long groups = (job->batch + LANES - 1) / LANES;
  nb_parallel_for(fn, job, groups, nb_grain(groups, LANES * work_per_row, 1 << 15, 2));
  return job->failed ? -1 : 0;
}

int nb_fft_f32(const float *x, long batch, long n, int inverse, float scale, float *out) {
  fft_job job = {x, out, batch, n, inverse, scale, plan_of(n), NULL, 0};
  if (!job.plan) return -1;
  return run_groups(complex_range, &job, 2 * n);
}

int nb_rfft_f32(const float *x, long batch, long n, float *out) {
  if (n % 2 == 1) {
    fft_job job = {x, out, batch, n, 0, 1, plan_of(n), NULL, 0};
    return job.plan ? run_groups(real_odd_range, &job, n) : -1;
  }
  fft_job job = {x, out, batch, n, 0, 1, plan_of(n / 2), plan_of(n), 0};
  if (!job.plan || !job.full) return -1;
  return run_groups(real_even_range, &job, n);
}

/* ---- the power spectrogram in one pass ---- */

typedef struct {
  const float *x;      /* [batch, length] */
  const int *idx;      /* [frames, n]: where frame t's sample s comes from */
  const long *start;   /* [frames]: idx[t·n] when frame t reads consecutive samples, else −1 */
  const float *win;    /* [n]: the window, zero outside winLength */
  float *out;          /* [batch, frames, ⌊n/2⌋+1] */
  long batch, length, frames, n;
  float power, scale;
  const float *projT;  /* [cols, bins]: the projection transposed, or NULL for the powers themselves */
  const long *lo, *hi; /* [cols]: the bins [lo, hi) where column m of the projection is non-zero */
  long cols;
  const fft_plan *plan; /* of n/2 (even n) or n (odd n) */
  const fft_plan *full; /* of n (even n): the twiddles that finish the real transform */
  int failed;
} stft_job;

/* Frames [g0·LANES, g1·LANES) of all batch·frames: each gathered and windowed straight into the
 * lanes in digit-reversed order, transformed, turned into powers in a [bins, LANES] block and
 * written out row by row — no framed copy, no complex spectrum in memory. Row r is frame
 * r mod frames of signal r / frames; a frame that reads consecutive samples (all but the padded
 * ends) is read through a pointer, without its positions. */
static void stft_range(void *ctx, long g0, long g1) {
  stft_job *j = ctx;
  long n = j->n, even = n % 2 == 0, h = even ? n / 2 : n, bins = n / 2 + 1, rows_all = j->batch * j->frames;
  float *re = malloc(sizeof(float) * (2 * h + bins) * LANES);
  if (!re) { j->failed = 1; return; }
  float *im = re + h * LANES, *pw = im + h * LANES;
  const float *xs[LANES];
  const int *is[LANES];
  for (long g = g0; g < g1; g++) {
    long r0 = g * LANES, rows = rows_all - r0 < LANES ? rows_all - r0 : LANES;
    long ts[LANES];
    int contiguous = 1;
    for (int l = 0; l < LANES; l++) {
      long r = r0 + (l < rows ? l : 0), b = r / j->frames;
      ts[l] = r - b * j->frames;
      xs[l] = j->x + b * j->length, is[l] = j->idx + ts[l] * n;
      if (j->start[ts[l]] < 0) contiguous = 0;
    }
    if (contiguous) /* every lane reads consecutive samples: from its frame's first, without positions */
      for (int l = 0; l < LANES; l++) xs[l] += j->start[ts[l]];
    const int *perm = j->plan->perm;
#ifdef NB_X86
    if (even && contiguous && n % 16 == 0 && nb_cpu_isa() >= ISA_AVX2) {
      gather_even_w8(re, im, xs, j->win, j->plan->inv, n);
    } else
#endif
    if (even && contiguous) {
      for (long i = 0; i < h; i++) {
        long s = 2 * perm[i];
        float w0 = j->win[s], w1 = j->win[s + 1];
        for (int l = 0; l < LANES; l++) re[i * LANES + l] = xs[l][s] * w0, im[i * LANES + l] = xs[l][s + 1] * w1;
      }
    } else if (even) {
      for (long i = 0; i < h; i++) {
        long s = 2 * perm[i];
        float w0 = j->win[s], w1 = j->win[s + 1];
        for (int l = 0; l < LANES; l++) re[i * LANES + l] = xs[l][is[l][s]] * w0, im[i * LANES + l] = xs[l][is[l][s + 1]] * w1;
      }
    } else {
      for (long i = 0; i < h; i++) {
        long s = perm[i];
        float w = j->win[s];
        for (int l = 0; l < LANES; l++) re[i * LANES + l] = (contiguous ? xs[l][s] : xs[l][is[l][s]]) * w, im[i * LANES + l] = 0;
      }
    }
    transform(j->plan, re, im);
    for (long k = 0; k < bins; k++) {
      float *sq = pw + k * LANES;
      if (even) { /* as real_even_range: X[k] = E[k] + e^{−2πik/n}·O[k] */
        long a = (k == h ? 0 : k) * LANES, c = (k == 0 ? 0 : h - k) * LANES;
        float tr = j->full->wr[k], ti = j->full->wi[k];
        for (int l = 0; l < LANES; l++) {
          float er = 0.5f * (re[a + l] + re[c + l]), ei = 0.5f * (im[a + l] - im[c + l]);
          float orr = 0.5f * (im[a + l] + im[c + l]), oi = -0.5f * (re[a + l] - re[c + l]);
          float xr = er + tr * orr - ti * oi, xi = ei + tr * oi + ti * orr;
          sq[l] = xr * xr + xi * xi;
        }
      } else {
        for (int l = 0; l < LANES; l++) sq[l] = re[k * LANES + l] * re[k * LANES + l] + im[k * LANES + l] * im[k * LANES + l];
      }
    }
    /* |scale·X|^power from |X|² (power 2 stays a product: no square root) */
    if (j->power == 2.0f) {
      float s2 = j->scale * j->scale;
      if (s2 != 1.0f)
        for (long i = 0; i < bins * LANES; i++) pw[i] *= s2;
    } else {
      for (long i = 0; i < bins * LANES; i++) {
        float mag = j->scale * sqrtf(pw[i]);
        pw[i] = j->power == 1.0f ? mag : powf(mag, j->power);
      }
    }
    if (j->projT) { /* out[r, m] = Σₖ proj[k, m]·power[r, k] over the bins where column m is non-zero */
      for (long m = 0; m < j->cols; m++) {
        float acc[LANES] = {0};
        const float *f = j->projT + m * bins;
        for (long k = j->lo[m]; k < j->hi[m]; k++) {
          float w = f[k];
          for (int l = 0; l < LANES; l++) acc[l] += w * pw[k * LANES + l];
        }
        for (long l = 0; l < rows; l++) j->out[(r0 + l) * j->cols + m] = acc[l];
      }
    } else {
      for (long l = 0; l < rows; l++) {
        float *o = j->out + (r0 + l) * bins;
        for (long k = 0; k < bins; k++) o[k] = pw[k * LANES + l];
      }
    }
  }
  free(re);
}

int nb_stft_power_f32(const float *x, long batch, long length, long frames, long n, const int *idx, const float *window,
                      float power, float scale, const float *proj, long cols, float *out) {
  int even = n % 2 == 0;
  long bins = n / 2 + 1;
  long *start = malloc(sizeof(long) * (frames + (proj ? 2 * cols : 0)));
  float *projT = proj ? malloc(sizeof(float) * cols * bins) : NULL;
  if (!start || (proj && !projT)) {
    free(start), free(projT);
    return -1;
  }
  long *lo = start + frames, *hi = lo + cols;
  for (long m = 0; proj && m < cols; m++) { /* column m transposed, and where it is non-zero */
    lo[m] = bins, hi[m] = 0;
    for (long k = 0; k < bins; k++) {
      projT[m * bins + k] = proj[k * cols + m];
      if (proj[k * cols + m] != 0.0f) {
        if (k < lo[m]) lo[m] = k;
        hi[m] = k + 1;
      }
    }
  }
  for (long t = 0; t < frames; t++) { /* the first position of a frame of consecutive samples, else −1 */
    const int *f = idx + t * n;
    start[t] = f[0];
    for (long s = 1; s < n && start[t] >= 0; s++)
      if (f[s] != f[0] + s) start[t] = -1;
  }
  stft_job job = {x, idx, start, window, out, batch, length, frames, n, power, scale, projT, lo, hi, proj ? cols : 0,
                  plan_of(even ? n / 2 : n), even ? plan_of(n) : NULL, 0};
  int failed = !job.plan || (even && !job.full);
  if (!failed) {
    long groups = (batch * frames + LANES - 1) / LANES;
    nb_parallel_for(stft_range, &job, groups, nb_grain(groups, LANES * 4 * n, 1 << 15, 2));
    failed = job.failed;
  }
  free(start), free(projT);
  return failed ? -1 : 0;
}

/* ---- decibels ---- */

/* db_range at two vector widths (db_log.inc): 2 doubles (SSE2, NEON) and 4 under AVX2; both do
 * the same double operations in the same order, so they give the same bits. */
#define W 2
#define VD vd2
#define VI vi2
#define FN(name) name##_w2
#define ATTR
#include "db_log.inc"
#undef W
#undef VD
#undef VI
#undef FN
#undef ATTR
#ifdef NB_X86
#define W 4
#define VD vd4
#define VI vi4
#define FN(name) name##_w4
#define ATTR __attribute__((target("avx2")))
#include "db_log.inc"
#undef W
#undef VD
#undef VI
#undef FN
#undef ATTR
#endif

typedef struct {
  const float *x;
  float *out;
  double scale, amin, sub;
} db_job;

static void db_range(void *ctx, long i0, long i1) {
  const db_job *j = ctx;
#ifdef NB_X86
  if (nb_cpu_isa() >= ISA_AVX2) {
    db_range_w4(j->x, j->out, i0, i1, j->scale, j->amin, j->sub);
    return;
  }
#endif
  db_range_w2(j->x, j->out, i0, i1, j->scale, j->amin, j->sub);
}

void nb_decibels_f32(const float *x, long n, double scale, double amin, double sub, float *out) {
  db_job job = {x, out, scale, amin, sub};
  nb_parallel_for(db_range, &job, n, nb_grain(n, 1, 1L << 11, 0));
}

/* ---- N-API ---- */

/* fftSupported(n): whether these kernels take length n (else the JS kernel's Bluestein does). */
static napi_value js_fft_supported(napi_env env, napi_callback_info info) {
  nb_call c = {env, "fftSupported", {0}, 0};
  if (!nb_get_args(&c, info, 1)) return NULL;
  long n = nb_get_count(&c, 0, "n");
  if (c.failed) return NULL;
  napi_value v;
  napi_get_boolean(env, nb_fft_supported(n), &v);
  return v;
}

/* fft(x, offset, batch, n, inverse, scale, out): Float32Arrays, x's [batch, n, 2] block at offset. */
static napi_value js_fft(napi_env env, napi_callback_info info) {
  nb_call c = {env, "fft", {0}, 0};
  if (!nb_get_args(&c, info, 7)) return NULL;
  nb_array x = nb_get_array(&c, 0, "x", NB_F32), out = nb_get_array(&c, 6, "out", NB_F32);
  long off = nb_get_count(&c, 1, "offset"), batch = nb_get_count(&c, 2, "batch"), n = nb_get_count(&c, 3, "n");
  int inverse = nb_get_flag(&c, 4, "inverse");
  double scale = nb_get_number(&c, 5, "scale");
  if (c.failed) return NULL;
  nb_check_range(&c, &x, "x", off, 2.0 * batch * n);
  nb_check_range(&c, &out, "out", 0, 2.0 * batch * n);
  if (c.failed || batch == 0 || n == 0) return NULL;
  if (nb_fft_f32((const float *)nb_at(&x, off), batch, n, inverse, (float)scale, out.data) != 0)
    nb_fail(&c, "length %ld is not supported (fftSupported) or out of memory", n);
  return NULL;
}

/* rfft(x, offset, batch, n, out): Float32Arrays, x's [batch, n] block at offset → out [batch, ⌊n/2⌋+1, 2]. */
static napi_value js_rfft(napi_env env, napi_callback_info info) {
  nb_call c = {env, "rfft", {0}, 0};
  if (!nb_get_args(&c, info, 5)) return NULL;
  nb_array x = nb_get_array(&c, 0, "x", NB_F32), out = nb_get_array(&c, 4, "out", NB_F32);
  long off = nb_get_count(&c, 1, "offset"), batch = nb_get_count(&c, 2, "batch"), n = nb_get_count(&c, 3, "n");
  if (c.failed) return NULL;
  nb_check_range(&c, &x, "x", off, (double)batch * n);
  nb_check_range(&c, &out, "out", 0, 2.0 * batch * (n / 2 + 1));
  if (c.failed || batch == 0 || n == 0) return NULL;
  if (nb_rfft_f32((const float *)nb_at(&x, off), batch, n, out.data) != 0)
    nb_fail(&c, "length %ld is not supported (fftSupported) or out of memory", n);
  return NULL;
}

/* stftPower(x, offset, batch, length, frames, n, idx, window, power, scale, proj, cols, out): x's
 * [batch, length] float32 block at offset, idx Int32Array [frames, n] of positions in [0, length),
 * window [n] → out [batch, frames, ⌊n/2⌋+1] of |scale·rfft(window · frame)|^power, or with proj
 * (a [⌊n/2⌋+1, cols] matrix; null for none) those powers times proj, [batch, frames, cols]. */
static napi_value js_stft_power(napi_env env, napi_callback_info info) {
  nb_call c = {env, "stftPower", {0}, 0};
  if (!nb_get_args(&c, info, 13)) return NULL;
  nb_array x = nb_get_array(&c, 0, "x", NB_F32), idx = nb_get_array(&c, 6, "idx", NB_I32);
  nb_array win = nb_get_array(&c, 7, "window", NB_F32), out = nb_get_array(&c, 12, "out", NB_F32);
  nb_array proj = nb_get_optional_array(&c, 10, "proj", NB_F32);
  long off = nb_get_count(&c, 1, "offset"), batch = nb_get_count(&c, 2, "batch"), length = nb_get_count(&c, 3, "length");
  long frames = nb_get_count(&c, 4, "frames"), n = nb_get_count(&c, 5, "n"), cols = nb_get_count(&c, 11, "cols");
  double power = nb_get_number(&c, 8, "power"), scale = nb_get_number(&c, 9, "scale");
  if (c.failed) return NULL;
  long width = proj.data ? cols : n / 2 + 1;
  nb_check_range(&c, &x, "x", off, (double)batch * length);
  nb_check_range(&c, &idx, "idx", 0, (double)frames * n);
  nb_check_range(&c, &win, "window", 0, (double)n);
  if (proj.data) nb_check_range(&c, &proj, "proj", 0, (double)(n / 2 + 1) * cols);
  nb_check_range(&c, &out, "out", 0, (double)batch * frames * width);
  if (c.failed || batch == 0 || frames == 0 || n == 0) return NULL;
  const int *ix = idx.data;
  for (long i = 0; i < frames * n; i++)
    if (ix[i] < 0 || ix[i] >= length) {
      nb_fail(&c, "idx[%ld] = %d is outside the signal's %ld samples", i, ix[i], length);
      return NULL;
    }
  if (proj.data && cols == 0) return NULL;
  if (nb_stft_power_f32((const float *)nb_at(&x, off), batch, length, frames, n, ix, win.data, (float)power, (float)scale, proj.data, cols, out.data) != 0)
    nb_fail(&c, "length %ld is not supported (fftSupported) or out of memory", n);
  return NULL;
}

/* decibels(x, offset, n, scale, amin, sub, out): Float32Arrays; out[i] = scale·ln(max(x[offset + i], amin)) − sub. */
static napi_value js_decibels(napi_env env, napi_callback_info info) {
  nb_call c = {env, "decibels", {0}, 0};
  if (!nb_get_args(&c, info, 7)) return NULL;
  nb_array x = nb_get_array(&c, 0, "x", NB_F32), out = nb_get_array(&c, 6, "out", NB_F32);
  long off = nb_get_count(&c, 1, "offset"), n = nb_get_count(&c, 2, "n");
  double scale = nb_get_number(&c, 3, "scale"), amin = nb_get_number(&c, 4, "amin"), sub = nb_get_number(&c, 5, "sub");
  if (c.failed) return NULL;
  nb_check_range(&c, &x, "x", off, (double)n);
  nb_check_range(&c, &out, "out", 0, (double)n);
  if (c.failed || n == 0) return NULL;
  nb_decibels_f32((const float *)nb_at(&x, off), n, scale, amin, sub, out.data);
  return NULL;
}

napi_value nb_fft_register(napi_env env, napi_value exports) {
  static const nb_export fns[] = {{"fftSupported", js_fft_supported}, {"fft", js_fft}, {"rfft", js_rfft}, {"stftPower", js_stft_power}, {"decibels", js_decibels}};
  return nb_export_all(env, exports, fns, sizeof fns / sizeof fns[0]) ? exports : NULL;
}
