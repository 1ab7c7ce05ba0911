/* Float e^x and the normal CDF written with arithmetic, selects and bit moves only, so that loops
 * calling them vectorise (libm's expf/erf are calls the compiler cannot vectorise). Included by
 * fused.c (GELU) and attention.c (softmax rows); each wraps its loops in the same
 * `optimize("no-trapping-math")` region as these helpers, so that they inline and their compares
 * become selects. */
#ifndef NABLA_VEC_MATH_H
#define NABLA_VEC_MATH_H

#include <math.h>

#pragma GCC push_options
#pragma GCC optimize("no-trapping-math")

/* e^x for x ≤ ~0 (exactly 0 below −87, NaN for NaN): x = k·ln2 + r, |r| ≤ ln2/2, e^r by its
 * Taylor polynomial to r⁷ (relative error < 3e-9 before float rounding), 2^k put in the exponent
 * bits. Small positive x (rounding above a maximum) are fine up to x < 88. */
static inline __attribute__((always_inline)) float nb_exp_nonpos_f(float x0) {
  float x = x0 < -87.0f ? -87.0f : x0;
  const float round = 12582912.0f; /* 1.5·2^23: adding and subtracting it rounds to an integer */
  float k = (x * 1.44269504088896341f + round) - round;
  float r = (x - k * 0.693145751953125f) - k * 1.428606820309417e-06f; /* ln2 split in two */
  float p = 1.0f / 5040;
  p = p * r + 1.0f / 720;
  p = p * r + 1.0f / 120;
  p = p * r + 1.0f / 24;
  p = p * r + 1.0f / 6;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  union { unsigned u; float f; } scale;
  scale.u = ((unsigned)(int)k + 127u) << 23;
  return x0 < -87.0f ? 0.0f : p * scale.f;
}

/* Φ(z) = erfc(−z/√2)/2 (as 1 − erfc(|z|/√2)/2 for z ≥ 0), with erfc(x) = t·exp(−x² + P(t)),
 * t = 1/(1 + x/2), x ≥ 0, and P a degree-9 polynomial fitted here (least squares, reweighted
 * toward the worst points) to ln(erfc(x)/t) + x² on [0, 10]: relative error below 5e-8, so Φ(z)
 * for negative z keeps its relative accuracy. */
static inline __attribute__((always_inline)) float nb_normal_cdf_f(float z) {
  static const float P[10] = {
      -1.265441417303151f,   0.9984923375982939f, 0.38789924070175047f, 0.028368601368621515f, 0.02013711104226429f,
      -0.11663340972697456f, -0.6514823757299837f, 1.12260901618744f,   -0.6661638450355684f,  0.14221478602421786f,
  };
  float x = fabsf(z) * 0.70710678118654752f;
  float t = 1.0f / (1.0f + 0.5f * x);
  float p = P[9];
  p = p * t + P[8];
  p = p * t + P[7];
  p = p * t + P[6];
  p = p * t + P[5];
  p = p * t + P[4];
  p = p * t + P[3];
  p = p * t + P[2];
  p = p * t + P[1];
  p = p * t + P[0];
  float half = 0.5f * t * nb_exp_nonpos_f(p - x * x);
  return z < 0 ? half : 1.0f - half;
}

#pragma GCC pop_options

#endif
