/* Batched float32 FFTs (the fft/rfft kernels of src/backend/fft-kernels.ts) and their N-API
 * surface. Rows are transformed LANES at a time: sample j of the LANES rows sits in one run of
 * LANES floats, so every butterfly is a short loop over lanes that the compiler turns into SIMD
 * (a spectrogram is hundreds of short transforms of one length, never one long one). Mixed radix
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
  p->perm = malloc(sizeof(int) * n);
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

/* (re, im) of lanes at slot i times the twiddle w: t = x·w, per lane. */
#define CMUL(tr, ti, re, im, i, w_r, w_i)                                   \
  for (int l = 0; l < LANES; l++) {                                         \
    (tr)[l] = (re)[(i) + l] * (w_r) - (im)[(i) + l] * (w_i);                \
    (ti)[l] = (re)[(i) + l] * (w_i) + (im)[(i) + l] * (w_r);                \
  }

static void radix2(const fft_plan *p, float *re, float *im, long m, long stride) {
  float tr[LANES], ti[LANES];
  for (long b = 0; b < p->n; b += 2 * m)
    for (long u = 0; u < m; u++) {
      long a = (b + u) * LANES, c = a + m * LANES;
      float wr = p->wr[u * stride], wi = p->wi[u * stride];
      CMUL(tr, ti, re, im, c, wr, wi)
      for (int l = 0; l < LANES; l++) {
        re[c + l] = re[a + l] - tr[l], im[c + l] = im[a + l] - ti[l];
        re[a + l] += tr[l], im[a + l] += ti[l];
      }
    }
}

/* y0 = s02 + s13, y2 = s02 − s13, y1 = d02 − i·d13, y3 = d02 + i·d13 (w₄ = −i) */
static void radix4(const fft_plan *p, float *re, float *im, long m, long stride) {
  float t1r[LANES], t1i[LANES], t2r[LANES], t2i[LANES], t3r[LANES], t3i[LANES];
  for (long b = 0; b < p->n; b += 4 * m)
    for (long u = 0; u < m; u++) {
      long i0 = (b + u) * LANES, i1 = i0 + m * LANES, i2 = i1 + m * LANES, i3 = i2 + m * LANES;
      long w1 = u * stride;
      CMUL(t1r, t1i, re, im, i1, p->wr[w1], p->wi[w1])
      CMUL(t2r, t2i, re, im, i2, p->wr[2 * w1], p->wi[2 * w1])
      CMUL(t3r, t3i, re, im, i3, p->wr[3 * w1], p->wi[3 * w1])
      for (int l = 0; l < LANES; l++) {
        float s02r = re[i0 + l] + t2r[l], s02i = im[i0 + l] + t2i[l];
        float d02r = re[i0 + l] - t2r[l], d02i = im[i0 + l] - t2i[l];
        float s13r = t1r[l] + t3r[l], s13i = t1i[l] + t3i[l];
        float d13r = t1r[l] - t3r[l], d13i = t1i[l] - t3i[l];
        re[i0 + l] = s02r + s13r, im[i0 + l] = s02i + s13i;
        re[i2 + l] = s02r - s13r, im[i2 + l] = s02i - s13i;
        re[i1 + l] = d02r + d13i, im[i1 + l] = d02i - d13r;
        re[i3 + l] = d02r - d13i, im[i3 + l] = d02i + d13r;
      }
    }
}

/* Any prime r: twiddle the r inputs, then a direct r-point DFT with w_r^k = table[k·n/r]. */
static void radix_p(const fft_plan *p, float *re, float *im, int r, long m, long stride) {
  float tr[MAX_RADIX][LANES], ti[MAX_RADIX][LANES];
  long step = p->n / r;
  for (long b = 0; b < p->n; b += r * m)
    for (long u = 0; u < m; u++) {
      for (int q = 0; q < r; q++) {
        long w = (long)q * u * stride;
        CMUL(tr[q], ti[q], re, im, (b + u + q * m) * LANES, p->wr[w], p->wi[w])
      }
      for (int q1 = 0; q1 < r; q1++) {
        float sr[LANES] = {0}, si[LANES] = {0};
        int k = 0; /* (q1·q2) mod r, stepped without a division */
        for (int q2 = 0; q2 < r; q2++) {
          float wr = p->wr[k * step], wi = p->wi[k * step];
          for (int l = 0; l < LANES; l++) {
            sr[l] += tr[q2][l] * wr - ti[q2][l] * wi;
            si[l] += tr[q2][l] * wi + ti[q2][l] * wr;
          }
          k += q1;
          if (k >= r) k -= r;
        }
        long o = (b + u + q1 * m) * LANES;
        memcpy(re + o, sr, sizeof sr), memcpy(im + o, si, sizeof si);
      }
    }
}

/* y0 = t0 + a, y1,2 = t0 − a/2 ∓ i·(√3/2)·b with a = t1 + t2, b = t1 − t2 (the 3-point DFT in 4
 * multiplications instead of radix_p's 9 complex ones). */
static void radix3(const fft_plan *p, float *re, float *im, long m, long stride) {
  const float s = 0.866025403784438646763723f; /* sin(2π/3) */
  float t1r[LANES], t1i[LANES], t2r[LANES], t2i[LANES];
  for (long b = 0; b < p->n; b += 3 * m)
    for (long u = 0; u < m; u++) {
      long i0 = (b + u) * LANES, i1 = i0 + m * LANES, i2 = i1 + m * LANES;
      long w1 = u * stride;
      CMUL(t1r, t1i, re, im, i1, p->wr[w1], p->wi[w1])
      CMUL(t2r, t2i, re, im, i2, p->wr[2 * w1], p->wi[2 * w1])
      for (int l = 0; l < LANES; l++) {
        float ar = t1r[l] + t2r[l], ai = t1i[l] + t2i[l];
        float br = s * (t1r[l] - t2r[l]), bi = s * (t1i[l] - t2i[l]);
        float rr = re[i0 + l] - 0.5f * ar, ri = im[i0 + l] - 0.5f * ai;
        re[i0 + l] += ar, im[i0 + l] += ai;
        re[i1 + l] = rr + bi, im[i1 + l] = ri - br;
        re[i2 + l] = rr - bi, im[i2 + l] = ri + br;
      }
    }
}

/* The 5-point DFT from the symmetric pairs a1 = t1 + t4, b1 = t1 − t4, a2 = t2 + t3, b2 = t2 − t3:
 * y1,4 = t0 + c1·a1 + c2·a2 ∓ i·(s1·b1 + s2·b2), y2,3 = t0 + c2·a1 + c1·a2 ∓ i·(s2·b1 − s1·b2),
 * cₖ = cos(2πk/5), sₖ = sin(2πk/5). */
static void radix5(const fft_plan *p, float *re, float *im, long m, long stride) {
  const float c1 = 0.309016994374947424102293f, c2 = -0.809016994374947424102293f;
  const float s1 = 0.951056516295153572116439f, s2 = 0.587785252292473129168706f;
  float tr[5][LANES], ti[5][LANES];
  for (long b = 0; b < p->n; b += 5 * m)
    for (long u = 0; u < m; u++) {
      long i0 = (b + u) * LANES, d = m * LANES;
      long w1 = u * stride;
      for (int q = 1; q < 5; q++) CMUL(tr[q], ti[q], re, im, i0 + q * d, p->wr[q * w1], p->wi[q * w1])
      for (int l = 0; l < LANES; l++) {
        float x0r = re[i0 + l], x0i = im[i0 + l];
        float a1r = tr[1][l] + tr[4][l], a1i = ti[1][l] + ti[4][l], b1r = tr[1][l] - tr[4][l], b1i = ti[1][l] - ti[4][l];
        float a2r = tr[2][l] + tr[3][l], a2i = ti[2][l] + ti[3][l], b2r = tr[2][l] - tr[3][l], b2i = ti[2][l] - ti[3][l];
        float r1r = x0r + c1 * a1r + c2 * a2r, r1i = x0i + c1 * a1i + c2 * a2i;
        float r2r = x0r + c2 * a1r + c1 * a2r, r2i = x0i + c2 * a1i + c1 * a2i;
        float u1r = s1 * b1r + s2 * b2r, u1i = s1 * b1i + s2 * b2i; /* y1 = r1 − i·u1 */
        float u2r = s2 * b1r - s1 * b2r, u2i = s2 * b1i - s1 * b2i; /* y2 = r2 − i·u2 */
        re[i0 + l] = x0r + a1r + a2r, im[i0 + l] = x0i + a1i + a2i;
        re[i0 + d + l] = r1r + u1i, im[i0 + d + l] = r1i - u1r;
        re[i0 + 4 * d + l] = r1r - u1i, im[i0 + 4 * d + l] = r1i + u1r;
        re[i0 + 2 * d + l] = r2r + u2i, im[i0 + 2 * d + l] = r2i - u2r;
        re[i0 + 3 * d + l] = r2r - u2i, im[i0 + 3 * d + l] = r2i + u2r;
      }
    }
}

/* The DFT, in place, of lanes already in digit-reversed order: stages from the innermost radix out. */
static void transform(const fft_plan *p, float *re, float *im) {
  long m = 1;
  for (int s = p->nf - 1; s >= 0; s--) {
    int r = p->f[s];
    long stride = p->n / (r * m);
    if (r == 4) radix4(p, re, im, m, stride);
    else if (r == 2) radix2(p, re, im, m, stride);
    else if (r == 3) radix3(p, re, im, m, stride);
    else if (r == 5) radix5(p, re, im, m, stride);
    else radix_p(p, re, im, r, m, stride);
    m *= r;
  }
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
  const float *win;    /* [n]: the window, zero outside winLength */
  float *out;          /* [batch, frames, ⌊n/2⌋+1] */
  long batch, length, frames, n;
  float power, scale;
  const fft_plan *plan; /* of n/2 (even n) or n (odd n) */
  const fft_plan *full; /* of n (even n): the twiddles that finish the real transform */
  int failed;
} stft_job;

/* |scale·X|^power of one bin, from |X|² (power 2 stays a product: no square root). */
static inline float stft_finish(const stft_job *j, float sq) {
  if (j->power == 2.0f) return (j->scale * j->scale) * sq;
  float mag = j->scale * sqrtf(sq);
  return j->power == 1.0f ? mag : powf(mag, j->power);
}

/* Frames [g0·LANES, g1·LANES) of all batch·frames: each gathered and windowed straight into the
 * lanes in digit-reversed order, transformed, and written out as powers — no framed copy, no
 * complex spectrum in memory. Row r is frame r mod frames of signal r / frames. */
static void stft_range(void *ctx, long g0, long g1) {
  stft_job *j = ctx;
  long n = j->n, even = n % 2 == 0, h = even ? n / 2 : n, bins = n / 2 + 1, rows_all = j->batch * j->frames;
  float *re = malloc(sizeof(float) * 2 * h * LANES);
  if (!re) { j->failed = 1; return; }
  float *im = re + h * LANES;
  const float *xs[LANES];
  const int *is[LANES];
  for (long g = g0; g < g1; g++) {
    long r0 = g * LANES, rows = rows_all - r0 < LANES ? rows_all - r0 : LANES;
    for (int l = 0; l < LANES; l++) {
      long r = r0 + (l < rows ? l : 0), b = r / j->frames;
      xs[l] = j->x + b * j->length, is[l] = j->idx + (r - b * j->frames) * n;
    }
    if (even) {
      for (long i = 0; i < h; i++) {
        long s = 2 * j->plan->perm[i];
        float w0 = j->win[s], w1 = j->win[s + 1];
        for (int l = 0; l < LANES; l++) re[i * LANES + l] = xs[l][is[l][s]] * w0, im[i * LANES + l] = xs[l][is[l][s + 1]] * w1;
      }
    } else {
      for (long i = 0; i < h; i++) {
        long s = j->plan->perm[i];
        float w = j->win[s];
        for (int l = 0; l < LANES; l++) re[i * LANES + l] = xs[l][is[l][s]] * w, im[i * LANES + l] = 0;
      }
    }
    transform(j->plan, re, im);
    for (long k = 0; k < bins; k++) {
      float sq[LANES];
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
      for (long l = 0; l < rows; l++) j->out[(r0 + l) * bins + k] = stft_finish(j, sq[l]);
    }
  }
  free(re);
}

int nb_stft_power_f32(const float *x, long batch, long length, long frames, long n, const int *idx, const float *window,
                      float power, float scale, float *out) {
  int even = n % 2 == 0;
  stft_job job = {x, idx, window, out, batch, length, frames, n, power, scale, plan_of(even ? n / 2 : n), even ? plan_of(n) : NULL, 0};
  if (!job.plan || (even && !job.full)) return -1;
  long groups = (batch * frames + LANES - 1) / LANES;
  nb_parallel_for(stft_range, &job, groups, nb_grain(groups, LANES * 4 * n, 1 << 15, 2));
  return job.failed ? -1 : 0;
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

/* stftPower(x, offset, batch, length, frames, n, idx, window, power, scale, out): x's [batch, length]
 * float32 block at offset, idx Int32Array [frames, n] of positions in [0, length), window [n] →
 * out [batch, frames, ⌊n/2⌋+1] of |scale·rfft(window · frame)|^power. */
static napi_value js_stft_power(napi_env env, napi_callback_info info) {
  nb_call c = {env, "stftPower", {0}, 0};
  if (!nb_get_args(&c, info, 11)) return NULL;
  nb_array x = nb_get_array(&c, 0, "x", NB_F32), idx = nb_get_array(&c, 6, "idx", NB_I32);
  nb_array win = nb_get_array(&c, 7, "window", NB_F32), out = nb_get_array(&c, 10, "out", NB_F32);
  long off = nb_get_count(&c, 1, "offset"), batch = nb_get_count(&c, 2, "batch"), length = nb_get_count(&c, 3, "length");
  long frames = nb_get_count(&c, 4, "frames"), n = nb_get_count(&c, 5, "n");
  double power = nb_get_number(&c, 8, "power"), scale = nb_get_number(&c, 9, "scale");
  if (c.failed) return NULL;
  nb_check_range(&c, &x, "x", off, (double)batch * length);
  nb_check_range(&c, &idx, "idx", 0, (double)frames * n);
  nb_check_range(&c, &win, "window", 0, (double)n);
  nb_check_range(&c, &out, "out", 0, (double)batch * frames * (n / 2 + 1));
  if (c.failed || batch == 0 || frames == 0 || n == 0) return NULL;
  const int *ix = idx.data;
  for (long i = 0; i < frames * n; i++)
    if (ix[i] < 0 || ix[i] >= length) {
      nb_fail(&c, "idx[%ld] = %d is outside the signal's %ld samples", i, ix[i], length);
      return NULL;
    }
  if (nb_stft_power_f32((const float *)nb_at(&x, off), batch, length, frames, n, ix, win.data, (float)power, (float)scale, out.data) != 0)
    nb_fail(&c, "length %ld is not supported (fftSupported) or out of memory", n);
  return NULL;
}

napi_value nb_fft_register(napi_env env, napi_value exports) {
  static const nb_export fns[] = {{"fftSupported", js_fft_supported}, {"fft", js_fft}, {"rfft", js_rfft}, {"stftPower", js_stft_power}};
  return nb_export_all(env, exports, fns, sizeof fns / sizeof fns[0]) ? exports : NULL;
}
