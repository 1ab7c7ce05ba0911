/**
 * The privacy accountant of DP-SGD: Rényi differential privacy (RDP) of the sampled Gaussian
 * mechanism (Mironov, Talwar & Zhang 2019, "Rényi Differential Privacy of the Sampled Gaussian
 * Mechanism"), composed over steps, and converted to (ε, δ)-DP by the bound of Balle et al. 2020
 * ("Hypothesis Testing Interpretations and Rényi Differential Privacy", Theorem 21) — the
 * conversion Opacus and TF Privacy use today — or by the classic one (Mironov 2017, Prop. 3).
 */
import { ValueError } from '../tensor/errors.js';
import { logErfc } from '../backend/js/math.js';

/** The Rényi orders tried by default: 1.1, 1.2, …, 10.9, then 11, 12, …, 63, and 64, 128, 256 (the last for very small ε). */
export const DEFAULT_ORDERS: readonly number[] = Object.freeze([
  ...Array.from({ length: 99 }, (_, i) => 1 + (i + 1) / 10),
  ...Array.from({ length: 53 }, (_, i) => 11 + i),
  64, 128, 256,
]);

/** log(e^a + e^b). */
function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** log(e^a − e^b) for a ≥ b (−Infinity when equal). */
function logSub(a: number, b: number): number {
  if (b === -Infinity) return a;
  if (b > a) throw new ValueError('accountant: internal error, log of a negative number (please report)');
  if (a === b) return -Infinity;
  return a + Math.log(-Math.expm1(b - a));
}

/** log Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: about 15 digits). */
function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * log A_α for an integer α ≥ 2: A_α = Σ_k C(α, k) (1−q)^(α−k) q^k e^((k²−k)/(2σ²)), the expectation
 * of (μ₁/μ₀)^α under the mixture with μ₀ = N(0, σ²), μ₁ = (1−q)μ₀ + q N(1, σ²) (Mironov et al. 2019,
 * Section 3.3, integer case). Every term is positive: summed in log space.
 */
function logAInt(q: number, sigma: number, alpha: number): number {
  let logA = -Infinity;
  const logQ = Math.log(q), log1mQ = Math.log1p(-q);
  for (let k = 0; k <= alpha; k++) {
    const logBinom = logGamma(alpha + 1) - logGamma(k + 1) - logGamma(alpha - k + 1);
    const s = logBinom + k * logQ + (alpha - k) * log1mQ + (k * k - k) / (2 * sigma * sigma);
    logA = logAdd(logA, s);
  }
  return logA;
}

/**
 * log A_α for a fractional α > 1 (Mironov et al. 2019, Section 3.3): the integral split at
 * z₀ = σ² log(1/q − 1) + 1/2 where the two densities cross, each half expanded in a binomial series
 * with generalised coefficients C(α, i) (whose signs alternate after i > α) and Gaussian tails
 * e^(…)·erfc(…)/2, summed until the terms are below e^−30 of the first.
 */
function logAFrac(q: number, sigma: number, alpha: number): number {
  let logA0 = -Infinity, logA1 = -Infinity;
  const z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
  const logQ = Math.log(q), log1mQ = Math.log1p(-q);
  // generalised binomial coefficient C(α, i) by its recurrence: C(α, i+1) = C(α, i)·(α − i)/(i + 1)
  let logCoef = 0;   // log |C(α, 0)| = 0
  let sign = 1;
  for (let i = 0; i < 100_000; i++) {
    const j = alpha - i;
    const logT0 = logCoef + i * logQ + j * log1mQ;
    const logT1 = logCoef + j * logQ + i * log1mQ;
    const logE0 = Math.log(0.5) + logErfc((i - z0) / (Math.SQRT2 * sigma));
    const logE1 = Math.log(0.5) + logErfc((z0 - j) / (Math.SQRT2 * sigma));
    const logS0 = logT0 + (i * i - i) / (2 * sigma * sigma) + logE0;
    const logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
    if (sign > 0) {
      logA0 = logAdd(logA0, logS0);
      logA1 = logAdd(logA1, logS1);
    } else {
      logA0 = logSub(logA0, logS0);
      logA1 = logSub(logA1, logS1);
    }
    if (Math.max(logS0, logS1) < -30 && i > alpha) break;
    // next coefficient
    const factor = (alpha - i) / (i + 1);
    if (factor === 0) break;
    if (factor < 0) sign = -sign;
    logCoef += Math.log(Math.abs(factor));
  }
  return logAdd(logA0, logA1);
}

/**
 * The RDP of one step of the sampled Gaussian mechanism at order α: sample rate q (each example
 * in the batch with probability q), noise σ (the noise's standard deviation over the clipping
 * norm). q = 1 is the plain Gaussian mechanism, α/(2σ²). `series: 'fractional'` uses the
 * fractional-order series at an integer order too (to check one against the other).
 */
export function rdpSampledGaussian(q: number, sigma: number, alpha: number, series: 'auto' | 'fractional' = 'auto'): number {
  if (q === 0) return 0;
  if (sigma === 0) return Infinity;
  if (q === 1) return alpha / (2 * sigma * sigma);
  if (alpha === Infinity) return Infinity;
  const logA = Number.isInteger(alpha) && series === 'auto' ? logAInt(q, sigma, alpha) : logAFrac(q, sigma, alpha);
  return logA / (alpha - 1);
}

/** Options of {@link computeEpsilon}. */
export interface EpsilonOptions {
  /** Probability with which each example enters a batch (Poisson sampling): batch size / dataset size. */
  sampleRate: number;
  /** Standard deviation of the Gaussian noise, as a multiple of the clipping norm (`maxGradNorm`). */
  noiseMultiplier: number;
  /** Number of noisy steps taken. */
  steps: number;
  /** δ of (ε, δ)-DP: the probability with which the guarantee may fail; below 1/(dataset size). */
  delta: number;
  /** Rényi orders to optimise over (default {@link DEFAULT_ORDERS}). */
  orders?: readonly number[];
  /** 'balle' (default; Balle et al. 2020, tighter, as Opacus and TF Privacy) or 'classic' (ε = RDP + log(1/δ)/(α − 1)). */
  conversion?: 'balle' | 'classic';
}

/** What {@link privacySpent} returns: ε and the Rényi order that gave it. */
export interface PrivacySpent {
  epsilon: number;
  delta: number;
  /** The order at which the bound is tightest (near an end of `orders` means: widen them). */
  order: number;
}

function checkProbability(who: string, name: string, v: unknown, opts: { openLow: boolean; closedHigh: boolean }): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (opts.openLow ? v <= 0 : v < 0) || (opts.closedHigh ? v > 1 : v >= 1)) {
    const range = `${opts.openLow ? '(0' : '[0'}, 1${opts.closedHigh ? ']' : ')'}`;
    throw new ValueError(`${who}: ${name} must be a number in ${range}, got ${typeof v === 'number' ? v : typeof v}${name === 'sampleRate' ? ' (it is batch size / dataset size)' : ''}`);
  }
  return v;
}

function readOptions(who: string, o: EpsilonOptions | undefined): Required<EpsilonOptions> {
  if (o === null || typeof o !== 'object') throw new ValueError(`${who}: expects { sampleRate, noiseMultiplier, steps, delta }`);
  const q = checkProbability(who, 'sampleRate', o.sampleRate, { openLow: true, closedHigh: true });
  if (typeof o.noiseMultiplier !== 'number' || !(o.noiseMultiplier >= 0) || !Number.isFinite(o.noiseMultiplier)) {
    throw new ValueError(`${who}: noiseMultiplier must be a finite number ≥ 0, got ${String(o.noiseMultiplier)}`);
  }
  if (typeof o.steps !== 'number' || !Number.isInteger(o.steps) || o.steps < 0) throw new ValueError(`${who}: steps must be an integer ≥ 0, got ${String(o.steps)}`);
  const delta = checkProbability(who, 'delta', o.delta, { openLow: true, closedHigh: false });
  const orders = o.orders ?? DEFAULT_ORDERS;
  if (!Array.isArray(orders) || orders.length === 0 || !orders.every((a) => typeof a === 'number' && a > 1 && Number.isFinite(a))) {
    throw new ValueError(`${who}: orders must be a non-empty array of Rényi orders > 1, got ${JSON.stringify(orders)}`);
  }
  const conversion = o.conversion ?? 'balle';
  if (conversion !== 'balle' && conversion !== 'classic') throw new ValueError(`${who}: conversion must be 'balle' or 'classic', got ${JSON.stringify(conversion)}`);
  return { sampleRate: q, noiseMultiplier: o.noiseMultiplier, steps: o.steps, delta, orders, conversion };
}

/** ε of (ε, δ)-DP from an RDP curve (`rdp[i]` at `orders[i]`), minimised over the orders. */
export function epsilonFromRdp(orders: readonly number[], rdp: readonly number[], delta: number, conversion: 'balle' | 'classic' = 'balle'): PrivacySpent {
  let best = Infinity, bestOrder = orders[0]!;
  orders.forEach((a, i) => {
    const r = rdp[i]!;
    const eps = conversion === 'classic'
      ? r + Math.log(1 / delta) / (a - 1)
      : r + Math.log((a - 1) / a) - (Math.log(delta) + Math.log(a)) / (a - 1);
    if (eps < best) { best = eps; bestOrder = a; }
  });
  return { epsilon: Math.max(0, best), delta, order: bestOrder };
}

/** ε and the best order for `steps` steps of DP-SGD (see {@link computeEpsilon}). */
export function privacySpent(opts: EpsilonOptions): PrivacySpent {
  const o = readOptions('privacySpent', opts);
  if (o.steps === 0) return { epsilon: 0, delta: o.delta, order: o.orders[0]! };
  const rdp = o.orders.map((a) => o.steps * rdpSampledGaussian(o.sampleRate, o.noiseMultiplier, a));
  return epsilonFromRdp(o.orders, rdp, o.delta, o.conversion);
}

/**
 * ε of (ε, δ)-differential privacy after `steps` steps of DP-SGD with Poisson sampling at
 * `sampleRate` and Gaussian noise `noiseMultiplier` × the clipping norm: the RDP of the sampled
 * Gaussian mechanism (integer and fractional orders), composed over the steps and converted with
 * Balle et al.'s bound (`conversion: 'classic'` for the older, looser one).
 *
 * @example
 * // TF Privacy's MNIST tutorial: batch 256 of 60,000, noise 1.1, 60 epochs
 * nb.privacy.computeEpsilon({ sampleRate: 256 / 60000, noiseMultiplier: 1.1, steps: 14063, delta: 1e-5 })
 */
export function computeEpsilon(opts: EpsilonOptions): number {
  return privacySpent(opts).epsilon;
}

/** Options of {@link noiseMultiplierFor}. */
export interface NoiseForOptions {
  /** The ε to reach (or stay below) after `steps` steps. */
  targetEpsilon: number;
  delta: number;
  sampleRate: number;
  steps: number;
  orders?: readonly number[];
  conversion?: 'balle' | 'classic';
}

/**
 * The smallest noise multiplier (to 0.1 % of it) whose ε after `steps` steps is at most
 * `targetEpsilon`: the inverse of {@link computeEpsilon}, found by bisection (ε falls as the noise
 * grows). A target below what any noise up to 10⁴ reaches is an error.
 */
export function noiseMultiplierFor(opts: NoiseForOptions): number {
  const who = 'noiseMultiplierFor';
  if (opts === null || typeof opts !== 'object') throw new ValueError(`${who}: expects { targetEpsilon, delta, sampleRate, steps }`);
  const target = opts.targetEpsilon;
  if (typeof target !== 'number' || !(target > 0) || !Number.isFinite(target)) throw new ValueError(`${who}: targetEpsilon must be a finite number > 0, got ${String(target)}`);
  const base = { sampleRate: opts.sampleRate, steps: opts.steps, delta: opts.delta, orders: opts.orders, conversion: opts.conversion };
  const eps = (sigma: number): number => privacySpent({ ...base, noiseMultiplier: sigma }).epsilon;
  readOptions(who, { ...base, noiseMultiplier: 1 });
  if (opts.steps === 0) return 0;
  let hi = 1;
  while (eps(hi) > target) {
    hi *= 2;
    if (hi > 1e4) {
      throw new ValueError(`${who}: ε = ${target} is out of reach for sampleRate ${opts.sampleRate}, ${opts.steps} steps and δ = ${opts.delta} ` +
        `(noise ${1e4} still gives ε = ${eps(1e4).toPrecision(3)}): raise the target, take fewer steps, a smaller sample rate or a larger δ`);
    }
  }
  let lo = hi / 2;
  if (eps(lo) <= target) lo = 0;
  while (hi - lo > 1e-3 * hi) {
    const mid = (lo + hi) / 2;
    if (eps(mid) > target) lo = mid; else hi = mid;
  }
  return hi;
}
