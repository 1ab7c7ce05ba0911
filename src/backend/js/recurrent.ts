/**
 * The reference kernels of the fused recurrent step (see `RecurrentKernels`): plain loops over
 * rows and units, double math, one rounding per stored value.
 */
import type { RecurrentActivation, RecurrentKernels, RecurrentStepGeometry } from '../recurrent-kernels.js';
import { recurrentGates, recurrentSaved, recurrentStates } from '../recurrent-kernels.js';
import type { FloatArray } from '../typed-array.js';

type Act = (x: number) => number;

const ACT: Record<RecurrentActivation, Act> = {
  linear: (x) => x,
  relu: (x) => (x > 0 ? x : 0),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
};

/** Each activation's derivative from its output y. */
const DACT: Record<RecurrentActivation, Act> = {
  linear: () => 1,
  relu: (y) => (y > 0 ? 1 : 0),
  sigmoid: (y) => y * (1 - y),
  tanh: (y) => 1 - y * y,
};

/** Units, and the row widths of the pre-activations (G), states (K) and saved gates (S). */
function widths(g: RecurrentStepGeometry): { n: number; G: number; K: number; S: number } {
  const n = g.units;
  return { n, G: recurrentGates(g.cell) * n, K: recurrentStates(g.cell) * n, S: recurrentSaved(g.cell) * n };
}

function forward(
  g: RecurrentStepGeometry, xp: FloatArray, xpOff: number, rec: FloatArray, recBias: FloatArray | null,
  prev: FloatArray, prevOff: number, mask: FloatArray | null, maskOff: number,
  next: FloatArray, nextOff: number, saved: FloatArray, savedOff: number,
): void {
  const { n, G, K, S } = widths(g);
  const act = ACT[g.activation];
  const ract = ACT[g.recurrentActivation];
  for (let r = 0; r < g.rows; r++) {
    const x = xpOff + r * G;
    const q = r * G;
    const p = prevOff + r * K;
    const o = nextOff + r * K;
    const s = savedOff + r * S;
    if (mask !== null && mask[maskOff + r] === 0) {
      // a masked row keeps its previous states; its gates are not computed
      for (let j = 0; j < K; j++) next[o + j] = prev[p + j]!;
      saved.fill(0, s, s + S);
      continue;
    }
    for (let j = 0; j < n; j++) {
      let h: number;
      let c = 0;
      if (g.cell === 'simple') {
        h = act(xp[x + j]! + rec[q + j]!);
        saved[s + j] = h;
      } else if (g.cell === 'lstm') {
        const i = ract(xp[x + j]! + rec[q + j]!);
        const f = ract(xp[x + n + j]! + rec[q + n + j]!);
        const u = act(xp[x + 2 * n + j]! + rec[q + 2 * n + j]!);
        const og = ract(xp[x + 3 * n + j]! + rec[q + 3 * n + j]!);
        c = f * prev[p + n + j]! + i * u;
        h = og * act(c);
        saved[s + j] = i;
        saved[s + n + j] = f;
        saved[s + 2 * n + j] = u;
        saved[s + 3 * n + j] = og;
      } else {
        const bz = recBias ? recBias[j]! : 0;
        const br = recBias ? recBias[n + j]! : 0;
        const bh = recBias ? recBias[2 * n + j]! : 0;
        const z = ract(xp[x + j]! + rec[q + j]! + bz);
        const rr = ract(xp[x + n + j]! + rec[q + n + j]! + br);
        const rh = rec[q + 2 * n + j]! + bh;
        const hh = act(xp[x + 2 * n + j]! + rr * rh);
        h = hh + z * (prev[p + j]! - hh);
        saved[s + j] = z;
        saved[s + n + j] = rr;
        saved[s + 2 * n + j] = hh;
        saved[s + 3 * n + j] = rh;
      }
      next[o + j] = h;
      if (K > n) next[o + n + j] = c;
    }
  }
}

function backward(
  g: RecurrentStepGeometry, dState: FloatArray, saved: FloatArray, savedOff: number,
  prev: FloatArray, prevOff: number, mask: FloatArray | null, maskOff: number,
  dxp: FloatArray, dxpOff: number, dRec: FloatArray | null, dRecOff: number,
): void {
  const { n, G, K, S } = widths(g);
  const act = ACT[g.activation];
  const dact = DACT[g.activation];
  const dract = DACT[g.recurrentActivation];
  for (let r = 0; r < g.rows; r++) {
    const d = r * K;
    const s = savedOff + r * S;
    const p = prevOff + r * K;
    const x = dxpOff + r * G;
    const y = dRecOff + r * G;
    if (mask !== null && mask[maskOff + r] === 0) {
      // a masked row copied its previous states: their gradient passes through unchanged, and its
      // pre-activations (and recurrent product) get none
      dxp.fill(0, x, x + G);
      if (g.cell === 'gru') dRec!.fill(0, y, y + G);
      continue;
    }
    for (let j = 0; j < n; j++) {
      const dh = dState[d + j]!;
      if (g.cell === 'simple') {
        dxp[x + j] = dh * dact(saved[s + j]!);
        dState[d + j] = 0;
      } else if (g.cell === 'lstm') {
        const i = saved[s + j]!;
        const f = saved[s + n + j]!;
        const u = saved[s + 2 * n + j]!;
        const og = saved[s + 3 * n + j]!;
        const cPrev = prev[p + n + j]!;
        const tc = act(f * cPrev + i * u);
        const dc = dState[d + n + j]! + dh * og * dact(tc);
        dxp[x + j] = dc * u * dract(i);
        dxp[x + n + j] = dc * cPrev * dract(f);
        dxp[x + 2 * n + j] = dc * i * dact(u);
        dxp[x + 3 * n + j] = dh * tc * dract(og);
        dState[d + j] = 0;
        dState[d + n + j] = dc * f;
      } else {
        const z = saved[s + j]!;
        const rr = saved[s + n + j]!;
        const hh = saved[s + 2 * n + j]!;
        const rh = saved[s + 3 * n + j]!;
        const hPrev = prev[p + j]!;
        const dz = dh * (hPrev - hh) * dract(z);
        const da = dh * (1 - z) * dact(hh);
        const dr = da * rh * dract(rr);
        dxp[x + j] = dz;
        dxp[x + n + j] = dr;
        dxp[x + 2 * n + j] = da;
        dRec![y + j] = dz;
        dRec![y + n + j] = dr;
        dRec![y + 2 * n + j] = da * rr;
        dState[d + j] = dh * z;
      }
    }
  }
}

/** The reference recurrent kernels. */
export const jsRecurrent: RecurrentKernels = {
  recurrentStepForward: forward,
  recurrentStepBackward: backward,
};
