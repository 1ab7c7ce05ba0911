import type { TypedArray } from '../typed-array.js';

/** See `Backend.gather`. Indices were validated by the op. */
export function gather(x: TypedArray, outer: number, axisSize: number, inner: number, indices: Int32Array, out: TypedArray): void {
  const m = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const src = (o * axisSize + indices[j]!) * inner;
      const dst = (o * m + j) * inner;
      if (inner === 1) out[dst] = x[src]!;
      else for (let i = 0; i < inner; i++) out[dst + i] = x[src + i]!;
    }
  }
}

/** See `Backend.scatterAdd`: repeated indices accumulate. */
export function scatterAdd(g: TypedArray, outer: number, axisSize: number, inner: number, indices: Int32Array, out: TypedArray): void {
  const m = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const dst = (o * axisSize + indices[j]!) * inner;
      const src = (o * m + j) * inner;
      for (let i = 0; i < inner; i++) out[dst + i]! += g[src + i]!;
    }
  }
}
