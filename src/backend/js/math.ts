/** Scalar math the JS kernels share: functions that `Math` lacks. */

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/**
 * The error function to double precision. For |x| < 3 the series
 * `erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1))` (all terms positive, so no
 * cancellation); above, the continued fraction of erfc evaluated from its tail; past 6, ±1.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax >= 6) return x > 0 ? 1 : -1;
  if (ax < 3) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 0; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 3);
      sum += term;
      if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
    }
    return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
  }
  // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
  let f = ax;
  for (let n = 60; n >= 1; n--) f = ax + n / 2 / f;
  const erfc = Math.exp(-ax * ax) / (Math.sqrt(Math.PI) * f);
  return x > 0 ? 1 - erfc : erfc - 1;
}

/**
 * log(erfc(x)) without underflow: for x ≥ 3 the continued fraction of erfc with its factor
 * e^(−x²) taken out in the log (erfc(30) is 1e-393, below the smallest double); below, the log of
 * 1 − erf(x).
 */
export function logErfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 3) return Math.log(1 - erf(x));
  let f = x;
  for (let n = 60; n >= 1; n--) f = x + n / 2 / f;
  return -x * x - Math.log(Math.sqrt(Math.PI) * f);
}

export function sigmoid(x: number): number {
  // Two branches so that exp never overflows.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
