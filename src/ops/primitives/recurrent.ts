/**
 * The fused recurrent loop: all T steps of a SimpleRNN, LSTM or GRU as one graph node, so that
 * forward and backward cost O(T) (a loop of per-step ops recorded one node per op, and cutting
 * the steps out of the sequence cost O(T·log T) in backward). Per step the forward is one GEMM
 * `h·U` (on the step's unmasked rows only: padding costs no matmul) and one gate kernel; the
 * backward runs backpropagation through time with one gate kernel and one GEMM `dRec·Uᵀ` per
 * step (unmasked rows only, likewise), then `dU` as a single GEMM over all steps. Its composite
 * (`recurrentScanComposite`, the same loop as ops) is the one definition of the gradient for
 * recorded backwards.
 */
import { backend } from '../../backend/index.js';
import { recurrentGates, recurrentSaved, recurrentStates, type RecurrentStepGeometry } from '../../backend/recurrent-kernels.js';
import type { FloatArray } from '../../backend/typed-array.js';
import type { Tensor } from '../../tensor/tensor.js';
import { recurrentScanComposite } from '../recurrent.js';
import { releaseSaved } from '../../tensor/buffer-pool.js';
import { denseData, empty, uninitialized } from './alloc.js';
import type { PrimTable, RecurrentScanParams } from './types.js';

/** What the backward reads besides the inputs and the states: the gates, and the dropped states. */
interface Saved {
  gates: FloatArray;
  /** `h·drop` for every step `[T, B, n]`, with recurrent dropout; else null (the states are read). */
  hIn: FloatArray | null;
}

/** Kept per output (the states tensor), so it lives as long as the graph does. */
const savedGates = new WeakMap<Tensor, Saved>();

const dense = (t: Tensor): FloatArray => denseData(t) as FloatArray;

/** The inputs by name, from the order the params describe. */
function unpack(inputs: readonly Tensor[], p: RecurrentScanParams) {
  const [xp, u, ...rest] = inputs as Tensor[];
  const states = rest.splice(0, recurrentStates(p.cell));
  const recBias = p.hasRecurrentBias ? rest.shift()! : null;
  const mask = p.hasMask ? rest.shift()! : null;
  const drop = p.hasDrop ? rest.shift()! : null;
  const [T, B] = xp!.shape as [number, number];
  const n = u!.shape[0]!;
  const geometry: RecurrentStepGeometry = { cell: p.cell, rows: B, units: n, activation: p.activation, recurrentActivation: p.recurrentActivation };
  return { xp: xp!, u: u!, states, recBias, mask, drop, T, B, n, geometry };
}

/**
 * `dState += dh (· drop)` on the first `n` columns of each of the `B` rows (width `K`), then
 * `dState += g[gOff…]` over whole rows: the loop of backpropagation through time between two
 * steps, with the dropout test and the index arithmetic out of the inner loops.
 */
function addStepGradients(dState: FloatArray, dh: FloatArray, dr: FloatArray | null, g: FloatArray, gOff: number, B: number, n: number, K: number): void {
  for (let r = 0; r < B; r++) {
    const row = r * K;
    const hr = r * n;
    if (dr) for (let j = 0; j < n; j++) dState[row + j] = dState[row + j]! + dh[hr + j]! * dr[hr + j]!;
    else for (let j = 0; j < n; j++) dState[row + j] = dState[row + j]! + dh[hr + j]!;
    const gr = gOff + row;
    for (let j = 0; j < K; j++) dState[row + j] = dState[row + j]! + g[gr + j]!;
  }
}

/**
 * The rows of step `t` whose mask is set, into `rows`; returns their count. Masked rows (the
 * padding of shorter sequences) keep their states, so their share of the step's GEMMs is skipped.
 */
function activeRows(m: FloatArray, off: number, B: number, rows: Int32Array): number {
  let a = 0;
  for (let r = 0; r < B; r++) if (m[off + r] !== 0) rows[a++] = r;
  return a;
}

/** Copies `w` values of each listed row (`src` rows of stride `ld` from `off`) into consecutive rows of `dst`. */
function gatherRows(src: FloatArray, off: number, ld: number, w: number, rows: Int32Array, a: number, dst: FloatArray): void {
  for (let i = 0; i < a; i++) {
    const from = off + rows[i]! * ld;
    dst.set(src.subarray(from, from + w), i * w);
  }
}

/** Copies consecutive rows of `w` values of `src` to the listed rows of `dst` (stride `w`). */
function scatterRows(src: FloatArray, w: number, rows: Int32Array, a: number, dst: FloatArray): void {
  for (let i = 0; i < a; i++) dst.set(src.subarray(i * w, (i + 1) * w), rows[i]! * w);
}

/** The `recurrentScan` entry of the primitive table. */
export const recurrentPrims: PrimTable<'recurrentScan'> = {
  recurrentScan: {
    forward: (inputs, p) => {
      const { xp, u, states, recBias, mask, drop, T, B, n, geometry } = unpack(inputs, p);
      const G = recurrentGates(p.cell) * n;
      const K = recurrentStates(p.cell) * n;
      const dtype = xp.dtype;
      const out = uninitialized(dtype, [T + 1, B, K]);
      const S = out.storage as FloatArray;
      states.forEach((s, i) => {
        const d = dense(s);
        for (let r = 0; r < B; r++) S.set(d.subarray(r * n, (r + 1) * n), r * K + i * n);
      });
      const gates = uninitialized(dtype, [T, B, recurrentSaved(p.cell) * n]).storage as FloatArray;
      const rec = uninitialized(dtype, [B, G]).storage as FloatArray;
      const x = dense(xp);
      const U = dense(u);
      // a GRU without bias adds zeros (the kernels take a recurrent bias for every GRU)
      const rb = recBias ? dense(recBias) : p.cell === 'gru' ? (empty(dtype, [G]).storage as FloatArray) : null;
      const m = mask && dense(mask);
      const dr = drop && dense(drop);
      const hIn = dr ? (uninitialized(dtype, [T, B, n]).storage as FloatArray) : null;
      // with a mask, the GEMM runs on the step's unmasked rows only (gathered, then scattered)
      const rows = m ? new Int32Array(B) : null;
      const hC = m ? (uninitialized(dtype, [B, n]).storage as FloatArray) : null;
      const recC = m ? (uninitialized(dtype, [B, G]).storage as FloatArray) : null;
      const b = backend();
      for (let t = 0; t < T; t++) {
        const prevOff = t * B * K;
        if (hIn) for (let r = 0; r < B; r++) for (let j = 0; j < n; j++) hIn[(t * B + r) * n + j] = S[prevOff + r * K + j]! * dr![r * n + j]!;
        const [src, off, ld] = hIn ? [hIn, t * B * n, n] : [S, prevOff, K];
        const a = rows ? activeRows(m!, t * B, B, rows) : B;
        if (a === B) {
          b.gemm(false, false, B, G, n, src, off, ld, U, 0, G, rec, 0, G);
        } else if (a > 0) {
          gatherRows(src, off, ld, n, rows!, a, hC!);
          b.gemm(false, false, a, G, n, hC!, 0, n, U, 0, G, recC!, 0, G);
          scatterRows(recC!, G, rows!, a, rec);
        }
        b.recurrentStepForward(geometry, x, t * B * G, rec, rb, S, prevOff, m, t * B, S, prevOff + B * K, gates, t * B * (gates.length / (T * B)));
      }
      savedGates.set(out, { gates, hIn });
      return out;
    },
    // Backpropagation through time: the gradient of each step's states flows to the previous
    // ones through the gate kernel (direct paths, masked rows) and through dRec·Uᵀ.
    vjp: (grad, inputs, out, p) => {
      const { xp, u, states, recBias, mask, drop, T, B, n, geometry } = unpack(inputs, p);
      const G = recurrentGates(p.cell) * n;
      const K = recurrentStates(p.cell) * n;
      const dtype = xp.dtype;
      const { gates, hIn } = savedGates.get(out)!;
      const W = gates.length / (T * B);
      const S = out.storage as FloatArray;
      const g = dense(grad);
      const U = dense(u);
      const m = mask && dense(mask);
      const dr = drop && dense(drop);
      const dxp = uninitialized(dtype, xp.shape);
      const dx = dxp.storage as FloatArray;
      const dRec = p.cell === 'gru' ? (uninitialized(dtype, [T, B, G]).storage as FloatArray) : dx;
      const dState = g.slice(T * B * K, (T + 1) * B * K);
      const dh = uninitialized(dtype, [B, n]).storage as FloatArray;
      const rows = m ? new Int32Array(B) : null;
      const dC = m ? (uninitialized(dtype, [B, G]).storage as FloatArray) : null;
      const dhC = m ? (uninitialized(dtype, [B, n]).storage as FloatArray) : null;
      const b = backend();
      for (let t = T - 1; t >= 0; t--) {
        b.recurrentStepBackward(geometry, dState, gates, t * B * W, S, t * B * K, m, t * B, dx, t * B * G, p.cell === 'gru' ? dRec : null, t * B * G);
        // masked rows have dRec = 0: their rows of dRec·Uᵀ are zero without a GEMM
        const a = rows ? activeRows(m!, t * B, B, rows) : B;
        if (a === B) {
          b.gemm(false, true, B, n, G, dRec, t * B * G, G, U, 0, G, dh, 0, n);
        } else {
          dh.fill(0);
          if (a > 0) {
            gatherRows(dRec, t * B * G, G, G, rows!, a, dC!);
            b.gemm(false, true, a, n, G, dC!, 0, G, U, 0, G, dhC!, 0, n);
            scatterRows(dhC!, n, rows!, a, dh);
          }
        }
        addStepGradients(dState, dh, dr, g, t * B * K, B, n, K);
      }
      let dU: Tensor | null = null;
      if (u.requiresGrad) {
        dU = uninitialized(dtype, u.shape);
        // dU = Σ_t h_inᵀ·dRec_t: the steps' inputs stacked as [T·B, n] rows (states rows 0..T−1)
        if (hIn) b.gemm(true, false, n, G, T * B, hIn, 0, n, dRec, 0, G, dU.storage, 0, G);
        else b.gemm(true, false, n, G, T * B, S, 0, K, dRec, 0, G, dU.storage, 0, G);
      }
      const stateGrads = states.map((s, i) => {
        if (!s.requiresGrad) return null;
        const d = empty(dtype, [B, n]);
        for (let r = 0; r < B; r++) d.storage.set(dState.subarray(r * K + i * n, r * K + (i + 1) * n), r * n);
        return d;
      });
      let dBias: Tensor | null = null;
      if (recBias?.requiresGrad) {
        dBias = empty(dtype, recBias.shape);
        const db = dBias.storage as FloatArray;
        for (let r = 0; r < T * B; r++) for (let j = 0; j < G; j++) db[j] = db[j]! + dRec[r * G + j]!;
      }
      const grads: (Tensor | null)[] = [xp.requiresGrad ? dxp : null, dU, ...stateGrads];
      if (recBias) grads.push(dBias);
      if (mask) grads.push(null);
      if (drop) grads.push(null);
      if (releaseSaved(gates)) {
        if (hIn) releaseSaved(hIn);
        savedGates.delete(out);
      }
      return grads;
    },
    composite: (inputs, p) => recurrentScanComposite(inputs, p),
  },
};
