/**
 * FFT plans for any length: mixed-radix decimation in time (radix 4, 2, 3 and any prime up to
 * `MAX_RADIX`) after a digit-reversal permutation, and Bluestein's chirp-z algorithm for lengths
 * with a larger prime factor (a convolution done with a power-of-two FFT), so every length runs
 * in O(n log n). Plans work on split `Float64Array` real and imaginary parts: the math runs in
 * double whatever the tensor's type, and each stored value is rounded once by the kernel.
 */

/** The largest prime a stage handles directly (its butterfly costs p² multiplies for p outputs). */
const MAX_RADIX = 31;

/** The radices of `n` (4s, then 2, then odd primes), or null when a prime factor exceeds `MAX_RADIX`. */
function factorize(n: number): number[] | null {
  const f: number[] = [];
  let r = n;
  while (r % 4 === 0) { f.push(4); r /= 4; }
  while (r % 2 === 0) { f.push(2); r /= 2; }
  for (let p = 3; p * p <= r; p += 2) {
    while (r % p === 0) { f.push(p); r /= p; }
  }
  if (r > 1) f.push(r);
  return f.some((p) => p > MAX_RADIX) ? null : f;
}

/**
 * Where output slot `i` of the permuted array reads its input: a length `p·m` transform with
 * first radix `p` splits into p sub-transforms of the inputs `q + p·t`, whose results are laid
 * side by side (slot `q·m + r`); built from the innermost radix out.
 */
function digitReversal(factors: readonly number[]): Int32Array {
  let perm = Int32Array.of(0);
  for (let s = factors.length - 1; s >= 0; s--) {
    const p = factors[s]!;
    const len = perm.length;
    const next = new Int32Array(p * len);
    for (let q = 0; q < p; q++) {
      for (let r = 0; r < len; r++) next[q * len + r] = q + p * perm[r]!;
    }
    perm = next;
  }
  return perm;
}

/** A forward DFT of one length, `X[k] = Σⱼ x[j]·e^{−2πi·jk/n}`, with its tables and scratch. */
export class FftPlan {
  readonly n: number;
  private readonly factors: number[];
  private readonly perm: Int32Array;
  /** `e^{−2πik/n} = twRe[k] + i·twIm[k]`. */
  private readonly twRe: Float64Array;
  private readonly twIm: Float64Array;
  private readonly tRe: Float64Array;
  private readonly tIm: Float64Array;
  private readonly bluestein: Bluestein | null;

  constructor(n: number) {
    this.n = n;
    const factors = factorize(n);
    this.factors = factors ?? [];
    this.bluestein = factors ? null : new Bluestein(n);
    this.perm = factors ? digitReversal(factors) : new Int32Array(0);
    const tableSize = factors ? n : 0;
    this.twRe = new Float64Array(tableSize);
    this.twIm = new Float64Array(tableSize);
    for (let k = 0; k < tableSize; k++) {
      this.twRe[k] = Math.cos((2 * Math.PI * k) / n);
      this.twIm[k] = -Math.sin((2 * Math.PI * k) / n);
    }
    const maxRadix = Math.max(1, ...this.factors);
    this.tRe = new Float64Array(maxRadix);
    this.tIm = new Float64Array(maxRadix);
  }

  /** The DFT of `(srcRe, srcIm)` into `(dstRe, dstIm)` (length n each; the sources are not changed). */
  forward(srcRe: Float64Array, srcIm: Float64Array, dstRe: Float64Array, dstIm: Float64Array): void {
    if (this.bluestein) {
      this.bluestein.forward(srcRe, srcIm, dstRe, dstIm);
      return;
    }
    const { n, perm } = this;
    for (let i = 0; i < n; i++) {
      const j = perm[i]!;
      dstRe[i] = srcRe[j]!;
      dstIm[i] = srcIm[j]!;
    }
    // stages from the innermost radix out: each combines p transforms of length m into one of p·m
    let m = 1;
    for (let s = this.factors.length - 1; s >= 0; s--) {
      const p = this.factors[s]!;
      const stride = n / (p * m);
      if (p === 4) this.radix4(dstRe, dstIm, m, stride);
      else if (p === 2) this.radix2(dstRe, dstIm, m, stride);
      else if (p === 3) this.radix3(dstRe, dstIm, m, stride);
      else this.radixP(dstRe, dstIm, p, m, stride);
      m *= p;
    }
  }

  private radix2(re: Float64Array, im: Float64Array, m: number, stride: number): void {
    const { n, twRe, twIm } = this;
    for (let b = 0; b < n; b += 2 * m) {
      for (let u = 0; u < m; u++) {
        const a = b + u;
        const c = a + m;
        const wr = twRe[u * stride]!;
        const wi = twIm[u * stride]!;
        const tr = re[c]! * wr - im[c]! * wi;
        const ti = re[c]! * wi + im[c]! * wr;
        re[c] = re[a]! - tr;
        im[c] = im[a]! - ti;
        re[a] = re[a]! + tr;
        im[a] = im[a]! + ti;
      }
    }
  }

  // y0 = s02 + s13, y2 = s02 − s13, y1 = d02 − i·d13, y3 = d02 + i·d13 (w₄ = −i)
  private radix4(re: Float64Array, im: Float64Array, m: number, stride: number): void {
    const { n, twRe, twIm } = this;
    for (let b = 0; b < n; b += 4 * m) {
      for (let u = 0; u < m; u++) {
        const i0 = b + u;
        const i1 = i0 + m;
        const i2 = i1 + m;
        const i3 = i2 + m;
        const w1 = u * stride;
        const w2 = 2 * w1;
        const w3 = 3 * w1;
        const t1r = re[i1]! * twRe[w1]! - im[i1]! * twIm[w1]!;
        const t1i = re[i1]! * twIm[w1]! + im[i1]! * twRe[w1]!;
        const t2r = re[i2]! * twRe[w2]! - im[i2]! * twIm[w2]!;
        const t2i = re[i2]! * twIm[w2]! + im[i2]! * twRe[w2]!;
        const t3r = re[i3]! * twRe[w3]! - im[i3]! * twIm[w3]!;
        const t3i = re[i3]! * twIm[w3]! + im[i3]! * twRe[w3]!;
        const s02r = re[i0]! + t2r;
        const s02i = im[i0]! + t2i;
        const d02r = re[i0]! - t2r;
        const d02i = im[i0]! - t2i;
        const s13r = t1r + t3r;
        const s13i = t1i + t3i;
        const d13r = t1r - t3r;
        const d13i = t1i - t3i;
        re[i0] = s02r + s13r;
        im[i0] = s02i + s13i;
        re[i2] = s02r - s13r;
        im[i2] = s02i - s13i;
        re[i1] = d02r + d13i;
        im[i1] = d02i - d13r;
        re[i3] = d02r - d13i;
        im[i3] = d02i + d13r;
      }
    }
  }

  // w₃ = −½ − i·√3/2: y1 = t0 − s/2 − i·(√3/2)·d, y2 = t0 − s/2 + i·(√3/2)·d with s = t1 + t2, d = t1 − t2
  private radix3(re: Float64Array, im: Float64Array, m: number, stride: number): void {
    const { n, twRe, twIm } = this;
    const c = Math.sqrt(3) / 2;
    for (let b = 0; b < n; b += 3 * m) {
      for (let u = 0; u < m; u++) {
        const i0 = b + u;
        const i1 = i0 + m;
        const i2 = i1 + m;
        const w1 = u * stride;
        const w2 = 2 * w1;
        const t1r = re[i1]! * twRe[w1]! - im[i1]! * twIm[w1]!;
        const t1i = re[i1]! * twIm[w1]! + im[i1]! * twRe[w1]!;
        const t2r = re[i2]! * twRe[w2]! - im[i2]! * twIm[w2]!;
        const t2i = re[i2]! * twIm[w2]! + im[i2]! * twRe[w2]!;
        const sr = t1r + t2r;
        const si = t1i + t2i;
        const dr = t1r - t2r;
        const di = t1i - t2i;
        const mr = re[i0]! - sr / 2;
        const mi = im[i0]! - si / 2;
        re[i0] = re[i0]! + sr;
        im[i0] = im[i0]! + si;
        re[i1] = mr + c * di;
        im[i1] = mi - c * dr;
        re[i2] = mr - c * di;
        im[i2] = mi + c * dr;
      }
    }
  }

  /** Any prime p: twiddle the p inputs, then a direct p-point DFT (w_p^k read from the table at k·n/p). */
  private radixP(re: Float64Array, im: Float64Array, p: number, m: number, stride: number): void {
    const { n, twRe, twIm, tRe, tIm } = this;
    const step = n / p;
    for (let b = 0; b < n; b += p * m) {
      for (let u = 0; u < m; u++) {
        for (let q = 0; q < p; q++) {
          const i = b + u + q * m;
          const w = q * u * stride;
          tRe[q] = re[i]! * twRe[w]! - im[i]! * twIm[w]!;
          tIm[q] = re[i]! * twIm[w]! + im[i]! * twRe[w]!;
        }
        for (let q1 = 0; q1 < p; q1++) {
          let sr = 0;
          let si = 0;
          let k = 0; // (q1·q2) mod p, stepped without a division
          for (let q2 = 0; q2 < p; q2++) {
            const wr = twRe[k * step]!;
            const wi = twIm[k * step]!;
            sr += tRe[q2]! * wr - tIm[q2]! * wi;
            si += tRe[q2]! * wi + tIm[q2]! * wr;
            k += q1;
            if (k >= p) k -= p;
          }
          re[b + u + q1 * m] = sr;
          im[b + u + q1 * m] = si;
        }
      }
    }
  }
}

/**
 * Bluestein: with jk = (j² + k² − (k−j)²)/2, `X[k] = c[k]·Σⱼ (x[j]·c[j])·conj(c[k−j])` where
 * `c[j] = e^{−iπj²/n}`: a convolution, done as a product of FFTs of a power-of-two length ≥ 2n−1.
 */
class Bluestein {
  private readonly n: number;
  private readonly chirpRe: Float64Array;
  private readonly chirpIm: Float64Array;
  private readonly sub: FftPlan;
  /** The FFT of the wrapped conj(c[|j|]), j = −(n−1)…n−1. */
  private readonly kRe: Float64Array;
  private readonly kIm: Float64Array;
  private readonly aRe: Float64Array;
  private readonly aIm: Float64Array;
  private readonly bRe: Float64Array;
  private readonly bIm: Float64Array;

  constructor(n: number) {
    this.n = n;
    let size = 1;
    while (size < 2 * n - 1) size *= 2;
    this.sub = new FftPlan(size);
    this.chirpRe = new Float64Array(n);
    this.chirpIm = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      // j² mod 2n keeps the angle small, hence exact to double precision for long transforms
      const angle = (Math.PI * ((j * j) % (2 * n))) / n;
      this.chirpRe[j] = Math.cos(angle);
      this.chirpIm[j] = -Math.sin(angle);
    }
    this.aRe = new Float64Array(size);
    this.aIm = new Float64Array(size);
    this.bRe = new Float64Array(size);
    this.bIm = new Float64Array(size);
    for (let j = 0; j < n; j++) {
      this.aRe[j] = this.chirpRe[j]!;
      this.aIm[j] = -this.chirpIm[j]!;
      if (j > 0) {
        this.aRe[size - j] = this.chirpRe[j]!;
        this.aIm[size - j] = -this.chirpIm[j]!;
      }
    }
    this.kRe = new Float64Array(size);
    this.kIm = new Float64Array(size);
    this.sub.forward(this.aRe, this.aIm, this.kRe, this.kIm);
  }

  forward(srcRe: Float64Array, srcIm: Float64Array, dstRe: Float64Array, dstIm: Float64Array): void {
    const { n, chirpRe, chirpIm, aRe, aIm, bRe, bIm, kRe, kIm } = this;
    const size = aRe.length;
    aRe.fill(0);
    aIm.fill(0);
    for (let j = 0; j < n; j++) {
      aRe[j] = srcRe[j]! * chirpRe[j]! - srcIm[j]! * chirpIm[j]!;
      aIm[j] = srcRe[j]! * chirpIm[j]! + srcIm[j]! * chirpRe[j]!;
    }
    this.sub.forward(aRe, aIm, bRe, bIm);
    // product with the kernel's spectrum, conjugated: the inverse FFT is conj(FFT(conj ·))/size
    for (let k = 0; k < size; k++) {
      const r = bRe[k]! * kRe[k]! - bIm[k]! * kIm[k]!;
      const i = bRe[k]! * kIm[k]! + bIm[k]! * kRe[k]!;
      bRe[k] = r;
      bIm[k] = -i;
    }
    this.sub.forward(bRe, bIm, aRe, aIm);
    for (let k = 0; k < n; k++) {
      const r = aRe[k]! / size;
      const i = -aIm[k]! / size;
      dstRe[k] = r * chirpRe[k]! - i * chirpIm[k]!;
      dstIm[k] = r * chirpIm[k]! + i * chirpRe[k]!;
    }
  }
}

const plans = new Map<number, FftPlan>();
/** Plans kept at once; a program uses a handful of lengths, so dropping all beyond this is enough. */
const MAX_PLANS = 32;

/** The cached plan for length `n`. */
export function fftPlan(n: number): FftPlan {
  let plan = plans.get(n);
  if (!plan) {
    if (plans.size >= MAX_PLANS) plans.clear();
    plan = new FftPlan(n);
    plans.set(n, plan);
  }
  return plan;
}
