/**
 * The reference CTC kernel (see `CtcKernels`). Per sequence, over the extended label l' (a blank
 * before, between and after the labels: 2S + 1 states):
 * - α_t(s): log-probability of the paths that emit frames 0..t and sit at state s at t;
 * - β_t(s): log-probability of emitting frames t+1..T−1 from state s at t (the frame t emission
 *   is not in β, so α_t(s) + β_t(s) is the log-probability of all paths through (t, s));
 * - from state s a path stays, moves to s+1, or skips to s+2 when l'_{s+2} is a label that
 *   differs from l'_s (a blank is needed between repeated labels).
 * The loss is −log p with log p = logsumexp(α_{T−1}(L−1), α_{T−1}(L−2)); the gradient with
 * respect to the logits is softmax_t(c) − Σ_{s: l'_s = c} exp(α_t(s) + β_t(s) − log p).
 */
import type { CtcGeometry, CtcKernels } from '../ctc-kernels.js';
import type { FloatArray } from '../typed-array.js';

const NEG_INF = -Infinity;

/** log(eᵃ + eᵇ + eᶜ) without overflow, one log and three exps (eᵐ⁻ᵐ included: cheaper than a branch); −∞ when all are. */
function lse3(a: number, b: number, c: number): number {
  const m = a > b ? (a > c ? a : c) : b > c ? b : c;
  if (m === NEG_INF) return NEG_INF;
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m) + Math.exp(c - m));
}

/** Log-softmax of the first `T` rows of sequence `b` into `lp` (`[T, C]`, double). */
function logSoftmaxRows(logits: FloatArray, base: number, T: number, C: number, lp: Float64Array): void {
  for (let t = 0; t < T; t++) {
    const row = base + t * C;
    let max = NEG_INF;
    for (let c = 0; c < C; c++) max = Math.max(max, logits[row + c]!);
    let s = 0;
    for (let c = 0; c < C; c++) s += Math.exp(logits[row + c]! - max);
    const z = max + Math.log(s);
    for (let c = 0; c < C; c++) lp[t * C + c] = logits[row + c]! - z;
  }
}

/** Scratch arrays of one call, sized for the longest sequence. */
interface Work {
  lp: Float64Array; // [T, C] log-softmax
  lpe: Float64Array; // [T, L] log-probability of each state's symbol
  alpha: Float64Array;
  beta: Float64Array;
  ext: Int32Array; // l': blank, l1, blank, l2, …, blank
  skip: Uint8Array; // whether state s may be entered from s − 2
}

/** One sequence: returns −log p and, when `grad` is given, writes its rows (t < T) from `gBase`. */
function sequence(w: Work, T: number, C: number, L: number, grad: FloatArray | null, gBase: number, zeroInfinity: boolean): number {
  const { lp, lpe, alpha, beta, ext, skip } = w;
  for (let t = 0; t < T; t++) for (let s = 0; s < L; s++) lpe[t * L + s] = lp[t * C + ext[s]!]!;
  alpha.fill(NEG_INF, 0, T * L);
  alpha[0] = lpe[0]!;
  if (L > 1) alpha[1] = lpe[1]!;
  for (let t = 1; t < T; t++) {
    const a0 = (t - 1) * L;
    const a1 = t * L;
    // states below L − 2(T − t) can no longer reach the end, states above 2t + 1 cannot be reached yet
    const lo = Math.max(0, L - 2 * (T - t));
    const hi = Math.min(L, 2 * t + 2);
    for (let s = lo; s < hi; s++) {
      const v = lse3(alpha[a0 + s]!, s >= 1 ? alpha[a0 + s - 1]! : NEG_INF, skip[s] === 1 ? alpha[a0 + s - 2]! : NEG_INF);
      alpha[a1 + s] = v + lpe[a1 + s]!;
    }
  }
  const last = (T - 1) * L;
  const logP = L > 1 ? lse3(alpha[last + L - 1]!, alpha[last + L - 2]!, NEG_INF) : alpha[last]!;
  const nll = -logP;
  if (grad === null) return nll;
  if (nll === Infinity) {
    // no alignment: PyTorch's gradient is NaN over the sequence's frames (0 with zeroInfinity)
    grad.fill(zeroInfinity ? 0 : NaN, gBase, gBase + T * C);
    return nll;
  }
  beta.fill(NEG_INF, 0, T * L);
  beta[last + L - 1] = 0;
  if (L > 1) beta[last + L - 2] = 0;
  for (let t = T - 2; t >= 0; t--) {
    const b0 = t * L;
    const b1 = (t + 1) * L;
    const lo = Math.max(0, L - 2 * (T - t));
    const hi = Math.min(L, 2 * t + 2);
    for (let s = lo; s < hi; s++) {
      const stay = beta[b1 + s]! + lpe[b1 + s]!;
      const next = s + 1 < L ? beta[b1 + s + 1]! + lpe[b1 + s + 1]! : NEG_INF;
      const jump = s + 2 < L && skip[s + 2] === 1 ? beta[b1 + s + 2]! + lpe[b1 + s + 2]! : NEG_INF;
      beta[b0 + s] = lse3(stay, next, jump);
    }
  }
  for (let t = 0; t < T; t++) {
    const row = gBase + t * C;
    for (let c = 0; c < C; c++) grad[row + c] = Math.exp(lp[t * C + c]!);
    for (let s = 0; s < L; s++) {
      const occupancy = alpha[t * L + s]! + beta[t * L + s]!;
      if (occupancy !== NEG_INF) grad[row + ext[s]!] = grad[row + ext[s]!]! - Math.exp(occupancy + nll);
    }
  }
  return nll;
}

/** The JS CTC kernel, double math throughout. */
export const jsCtc: CtcKernels = {
  ctcLoss(g: CtcGeometry, logits, labels, labelLengths, logitLengths, nll, grad): void {
    const { batch, time, classes: C, maxLabel, blank, zeroInfinity } = g;
    const L = 2 * maxLabel + 1;
    const w: Work = {
      lp: new Float64Array(time * C), lpe: new Float64Array(time * L), alpha: new Float64Array(time * L),
      beta: new Float64Array(grad === null ? 0 : time * L), ext: new Int32Array(L), skip: new Uint8Array(L),
    };
    if (grad !== null) grad.fill(0);
    for (let b = 0; b < batch; b++) {
      const T = logitLengths[b]!;
      const S = labelLengths[b]!;
      const L = 2 * S + 1;
      for (let s = 0; s < L; s++) {
        w.ext[s] = (s & 1) === 0 ? blank : labels[b * maxLabel + (s >> 1)]!;
        // a skip from s − 2 is allowed into a label unlike the one two states back (a blank must separate repeats)
        w.skip[s] = s >= 2 && (s & 1) === 1 && w.ext[s] !== w.ext[s - 2] ? 1 : 0;
      }
      let loss: number;
      if (T === 0) loss = S === 0 ? 0 : Infinity; // no frames: only the empty labelling has probability 1
      else {
        logSoftmaxRows(logits, b * time * C, T, C, w.lp);
        loss = sequence(w, T, C, L, grad, b * time * C, zeroInfinity);
      }
      nll[b] = loss === Infinity && zeroInfinity ? 0 : loss;
    }
  },
};
