/**
 * Plain-loop references for the attention tests: multi-head attention, layer norm and the
 * transformer blocks computed by their definitions from a layer's weights (no nabla ops).
 */
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { Tensor } from '../../src/index.js';

export type M = number[][];

export function maxDiff(a: Tensor, b: Tensor): number {
  assert.deepEqual(a.shape, b.shape);
  const x = a.data();
  const y = b.data();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

/** `x·W + b` row by row. */
export function linear(x: M, w: M, b: number[] | undefined): M {
  return x.map((row) => w[0]!.map((_, o) => row.reduce((acc, xi, i) => acc + xi * w[i]![o]!, b ? b[o]! : 0)));
}

/**
 * Multi-head attention by the definition, one sample at a time: project, split each projection
 * into heads (columns h·dim … (h+1)·dim − 1), softmax of the scaled dot products over the allowed
 * keys, concatenate the heads, project out. Query head h reads key/value head ⌊h·Hkv/H⌋.
 */
export function mhaRef(layer: nb.layers.MultiHeadAttention, query: Tensor, value: Tensor, causal: boolean, allowed?: boolean[][][]): number[][][] {
  const sd = layer.stateDict();
  const W = (n: string) => sd[`${n}.kernel`]!.toArray() as M;
  const B = (n: string) => (sd[`${n}.bias`] ? (sd[`${n}.bias`]!.toArray() as number[]) : undefined);
  const { numHeads: H, numKeyValueHeads: Hkv, keyDim: dk, valueDim: dv } = layer;
  const qs = query.toArray() as number[][][];
  const vs = value.toArray() as number[][][];
  return qs.map((qx, b) => {
    const Q = linear(qx, W('queryDense'), B('queryDense'));
    const K = linear(vs[b]!, W('keyDense'), B('keyDense'));
    const V = linear(vs[b]!, W('valueDense'), B('valueDense'));
    const tq = Q.length;
    const tk = K.length;
    const merged: M = Q.map(() => []);
    for (let h = 0; h < H; h++) {
      const kh = Math.floor((h * Hkv) / H);
      for (let i = 0; i < tq; i++) {
        const ws: [number, number][] = [];
        for (let j = 0; j < tk; j++) {
          if ((causal && j > i + tk - tq) || (allowed && !allowed[b]![i]![j])) continue;
          let s = 0;
          for (let c = 0; c < dk; c++) s += Q[i]![h * dk + c]! * K[j]![kh * dk + c]!;
          ws.push([j, s / Math.sqrt(dk)]);
        }
        const top = Math.max(...ws.map(([, s]) => s));
        const z = ws.reduce((a, [, s]) => a + Math.exp(s - top), 0);
        for (let c = 0; c < dv; c++) merged[i]!.push(ws.reduce((a, [j, s]) => a + (Math.exp(s - top) / z) * V[j]![kh * dv + c]!, 0));
      }
    }
    return linear(merged, W('outputDense'), B('outputDense'));
  });
}

/** A nested float64 tensor. */
export const asTensor = (x: number[][][]) => nb.tensor(x, { dtype: 'float64' });

/** Layer norm of each row over its features: `(x − μ)/√(σ² + ε)·γ + β`. */
export function layerNormRef(x: M, gamma: number[], beta: number[], eps: number): M {
  return x.map((row) => {
    const mu = row.reduce((a, b) => a + b, 0) / row.length;
    const v = row.reduce((a, b) => a + (b - mu) ** 2, 0) / row.length;
    return row.map((xi, i) => ((xi - mu) / Math.sqrt(v + eps)) * gamma[i]! + beta[i]!);
  });
}

/** Exact GELU from its definition, x·Φ(x), with Φ by the series of erf (|x| small in these tests). */
export function geluRef(x: number): number {
  const z = x / Math.SQRT2;
  // erf(z) = 2/√π Σ (−1)ⁿ z^(2n+1) / (n! (2n+1))
  let sum = 0;
  let term = z;
  for (let n = 0; n < 60; n++) {
    sum += term / (2 * n + 1);
    term *= (-z * z) / (n + 1);
  }
  return 0.5 * x * (1 + (2 / Math.sqrt(Math.PI)) * sum);
}

/**
 * A pre-norm transformer block (encoder, or decoder without cross-attention) by its definition,
 * from the block's weights: `h = x + MHA(LN₁(x))`, `y = h + W₂·gelu(W₁·LN₂(h) + b₁) + b₂`.
 */
export function blockRef(block: nb.layers.TransformerEncoderBlock | nb.layers.TransformerDecoderBlock, x: Tensor, causal: boolean): number[][][] {
  const sd = block.stateDict();
  const vec = (n: string) => sd[n]!.toArray() as number[];
  const eps = block.normEpsilon;
  const xs = x.toArray() as number[][][];
  const n1 = asTensor(xs.map((s) => layerNormRef(s, vec('norm1.gamma'), vec('norm1.beta'), eps)));
  const att = mhaRef(block.attention!, n1, n1, causal);
  return xs.map((s, b) => {
    const h = s.map((row, t) => row.map((v, c) => v + att[b]![t]![c]!));
    const n2 = layerNormRef(h, vec('norm2.gamma'), vec('norm2.beta'), eps);
    const hidden = linear(n2, sd['dense1.kernel']!.toArray() as M, vec('dense1.bias')).map((r) => r.map(geluRef));
    const y = linear(hidden, sd['dense2.kernel']!.toArray() as M, vec('dense2.bias'));
    return h.map((row, t) => row.map((v, c) => v + y[t]![c]!));
  });
}
