import type { CrossEntropyTarget, FloatArray, FusedActivation } from '../fused-kernels.js';
import { erf, sigmoid } from './math.js';

// The reference row kernels: everything in double, rounded once on store (and where the
// composite ops round: a probability row's sum, z = y + bias), as native/fused.inc does.

const CE_EPS = 1e-7;
const INV_SQRT_2PI = 0.3989422804014327;

/** Rounds to the element type of `a` (float32 arrays round, float64 ones keep the value). */
const rounder = (a: FloatArray): ((v: number) => number) => (a instanceof Float32Array ? Math.fround : (v) => v);

/** The shift before exponentiating: the row maximum (with `finiteOnly`, 0 when it is infinite); NaN if any is. */
function rowMax(x: FloatArray, at: number, n: number, finiteOnly: boolean): number {
  let mx = -Infinity;
  for (let c = 0; c < n; c++) {
    const v = x[at + c]!;
    if (Number.isNaN(v)) return NaN;
    if (v > mx) mx = v;
  }
  return finiteOnly && !Number.isFinite(mx) ? 0 : mx;
}

/** See `FusedKernels.softmax`. */
export function softmax(x: FloatArray, rows: number, cols: number, log: boolean, out: FloatArray): void {
  for (let r = 0; r < rows; r++) {
    const at = r * cols;
    const mx = rowMax(x, at, cols, log);
    let s = 0;
    for (let c = 0; c < cols; c++) s += Math.exp(x[at + c]! - mx);
    if (log) {
      const ls = Math.log(s);
      for (let c = 0; c < cols; c++) out[at + c] = x[at + c]! - mx - ls;
    } else {
      for (let c = 0; c < cols; c++) out[at + c] = Math.exp(x[at + c]! - mx) / s;
    }
  }
}

/** See `FusedKernels.softmaxBackward`. */
export function softmaxBackward(y: FloatArray, g: FloatArray, rows: number, cols: number, log: boolean, dx: FloatArray): void {
  for (let r = 0; r < rows; r++) {
    const at = r * cols;
    let s = 0;
    if (log) {
      for (let c = 0; c < cols; c++) s += g[at + c]!;
      for (let c = 0; c < cols; c++) dx[at + c] = g[at + c]! - Math.exp(y[at + c]!) * s;
    } else {
      for (let c = 0; c < cols; c++) s += g[at + c]! * y[at + c]!;
      for (let c = 0; c < cols; c++) dx[at + c] = y[at + c]! * (g[at + c]! - s);
    }
  }
}

/** The smoothed target weight of class `c` in row `r`. */
function target(t: CrossEntropyTarget, r: number, c: number, cols: number): number {
  const v = t.labels ? (t.labels[r] === c ? 1 : 0) : t.targets![r * cols + c]!;
  return t.smoothing === 0 ? v : v * (1 - t.smoothing) + t.smoothing / cols;
}

/** The row sum of probabilities, rounded to the element type (as the composite's `sum` is). */
function rowSum(x: FloatArray, at: number, n: number, round: (v: number) => number): number {
  let s = 0;
  for (let c = 0; c < n; c++) s += x[at + c]!;
  return round(s);
}

/** See `FusedKernels.crossEntropy`. */
export function crossEntropy(x: FloatArray, rows: number, cols: number, t: CrossEntropyTarget, loss: FloatArray): void {
  const round = rounder(x);
  const lo = round(CE_EPS);
  const hi = round(1 - CE_EPS);
  for (let r = 0; r < rows; r++) {
    const at = r * cols;
    let l = 0;
    if (t.fromLogits) {
      const mx = rowMax(x, at, cols, true);
      let s = 0;
      for (let c = 0; c < cols; c++) s += Math.exp(x[at + c]! - mx);
      const lse = mx + Math.log(s);
      for (let c = 0; c < cols; c++) {
        const w = target(t, r, c, cols);
        if (w !== 0) l += w * (lse - x[at + c]!);
      }
    } else {
      const s = rowSum(x, at, cols, round);
      for (let c = 0; c < cols; c++) {
        const w = target(t, r, c, cols);
        if (w !== 0) l -= w * Math.log(Math.min(Math.max(round(x[at + c]! / s), lo), hi));
      }
    }
    loss[r] = l;
  }
}

/** See `FusedKernels.crossEntropyBackward`. */
export function crossEntropyBackward(x: FloatArray, rows: number, cols: number, t: CrossEntropyTarget, g: FloatArray, dx: FloatArray): void {
  const round = rounder(x);
  const lo = round(CE_EPS);
  const hi = round(1 - CE_EPS);
  for (let r = 0; r < rows; r++) {
    const at = r * cols;
    const gr = g[r]!;
    if (t.fromLogits) {
      // ∂/∂x_c = g·(p_c·Σt − t_c)
      const mx = rowMax(x, at, cols, true);
      let s = 0;
      let st = 0;
      for (let c = 0; c < cols; c++) {
        s += Math.exp(x[at + c]! - mx);
        st += target(t, r, c, cols);
      }
      const lse = mx + Math.log(s);
      for (let c = 0; c < cols; c++) dx[at + c] = gr * (Math.exp(x[at + c]! - lse) * st - target(t, r, c, cols));
      continue;
    }
    // u = x/S clipped to q; a_c = ∂loss/∂u_c = −g·t_c/q_c inside the clip; ∂/∂x_j = (a_j − Σ a_c·u_c)/S
    const s = rowSum(x, at, cols, round);
    const a = (c: number): number => {
      const u = round(x[at + c]! / s);
      const w = target(t, r, c, cols);
      return w !== 0 && u >= lo && u <= hi ? (-gr * w) / u : 0;
    };
    let dot = 0;
    for (let c = 0; c < cols; c++) dot += a(c) * round(x[at + c]! / s);
    for (let c = 0; c < cols; c++) dx[at + c] = (a(c) - dot) / s;
  }
}

function activate(act: FusedActivation, z: number): number {
  switch (act) {
    case 'relu':
      return z > 0 ? z : 0;
    case 'sigmoid':
      return sigmoid(z);
    case 'tanh':
      return Math.tanh(z);
    case 'gelu':
      return 0.5 * z * (1 + erf(z * Math.SQRT1_2));
    case 'linear':
      return z;
  }
}

/** g·act'(z), from z or out = act(z). */
function activationGrad(act: FusedActivation, g: number, z: number, out: number): number {
  switch (act) {
    case 'relu':
      return out > 0 ? g : 0;
    case 'sigmoid':
      return g * (out * (1 - out));
    case 'tanh':
      return g * (1 - out * out);
    case 'gelu':
      // d/dz z·Φ(z) = Φ(z) + z·φ(z)
      return g * (0.5 * (1 + erf(z * Math.SQRT1_2)) + z * Math.exp(-0.5 * z * z) * INV_SQRT_2PI);
    case 'linear':
      return g;
  }
}

/** See `FusedKernels.biasActivation`. */
export function biasActivation(act: FusedActivation, y: FloatArray, bias: FloatArray | null, rows: number, cols: number, out: FloatArray): void {
  const round = rounder(y);
  for (let r = 0; r < rows; r++) {
    const at = r * cols;
    for (let c = 0; c < cols; c++) out[at + c] = activate(act, bias ? round(y[at + c]! + bias[c]!) : y[at + c]!);
  }
}

/** See `FusedKernels.biasActivationBackward`. */
export function biasActivationBackward(
  act: FusedActivation, y: FloatArray, bias: FloatArray | null, out: FloatArray, g: FloatArray,
  rows: number, cols: number, dz: FloatArray, dbias: FloatArray | null,
): void {
  const round = rounder(y);
  const acc = dbias ? new Float64Array(cols) : null;
  for (let r = 0; r < rows; r++) {
    const at = r * cols;
    for (let c = 0; c < cols; c++) {
      const z = act === 'gelu' ? (bias ? round(y[at + c]! + bias[c]!) : y[at + c]!) : 0;
      dz[at + c] = activationGrad(act, g[at + c]!, z, out[at + c]!);
      if (acc) acc[c]! += dz[at + c]!;
    }
  }
  if (dbias && acc) dbias.set(acc);
}

/** Mean and 1/√(var + eps) of a row (two passes, in double). */
function stats(x: FloatArray, at: number, n: number, eps: number): [number, number] {
  let s = 0;
  for (let c = 0; c < n; c++) s += x[at + c]!;
  const mu = n ? s / n : 0;
  let q = 0;
  for (let c = 0; c < n; c++) q += (x[at + c]! - mu) * (x[at + c]! - mu);
  return [mu, 1 / Math.sqrt((n ? q / n : 0) + eps)];
}

/** See `FusedKernels.layerNorm`. */
export function layerNorm(x: FloatArray, gamma: FloatArray | null, beta: FloatArray | null, rows: number, cols: number, eps: number, out: FloatArray): void {
  for (let r = 0; r < rows; r++) {
    const at = r * cols;
    const [mu, rstd] = stats(x, at, cols, eps);
    for (let c = 0; c < cols; c++) {
      let v = (x[at + c]! - mu) * rstd;
      if (gamma) v *= gamma[c]!;
      if (beta) v += beta[c]!;
      out[at + c] = v;
    }
  }
}

/** See `FusedKernels.layerNormBackward`. */
export function layerNormBackward(
  x: FloatArray, gamma: FloatArray | null, g: FloatArray, rows: number, cols: number, eps: number,
  dx: FloatArray | null, dgamma: FloatArray | null, dbeta: FloatArray | null,
): void {
  const ag = new Float64Array(cols);
  const ab = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const at = r * cols;
    const [mu, rstd] = stats(x, at, cols, eps);
    let sg = 0;
    let sgx = 0;
    for (let c = 0; c < cols; c++) {
      const xh = (x[at + c]! - mu) * rstd;
      const gh = gamma ? g[at + c]! * gamma[c]! : g[at + c]!;
      sg += gh;
      sgx += gh * xh;
      ag[c]! += g[at + c]! * xh;
      ab[c]! += g[at + c]!;
    }
    if (!dx) continue;
    const mg = cols ? sg / cols : 0;
    const mgx = cols ? sgx / cols : 0;
    for (let c = 0; c < cols; c++) {
      const gh = gamma ? g[at + c]! * gamma[c]! : g[at + c]!;
      dx[at + c] = rstd * (gh - mg - (x[at + c]! - mu) * rstd * mgx);
    }
  }
  dgamma?.set(ag);
  dbeta?.set(ab);
}
