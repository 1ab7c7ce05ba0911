import type { ReduceOp } from '../backend.js';
import type { TypedArray } from '../typed-array.js';

/** See `Backend.reduce`. Sums accumulate in double precision whatever the storage type. */
export function reduce(op: ReduceOp, x: TypedArray, offset: number, outer: number, n: number, inner: number, out: TypedArray): void {
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      const base = offset + o * n;
      out[o] = reduceRow(op, x, base, n);
    }
    return;
  }
  // Accumulate whole rows of `inner` at a time so memory is read in order.
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = offset + o * n * inner;
    const init = op === 'sum' ? 0 : op === 'prod' ? 1 : op === 'max' ? -Infinity : Infinity;
    acc.fill(init);
    for (let r = 0; r < n; r++) {
      const row = base + r * inner;
      switch (op) {
        case 'sum':
          for (let i = 0; i < inner; i++) acc[i]! += x[row + i]!;
          break;
        case 'prod':
          for (let i = 0; i < inner; i++) acc[i]! *= x[row + i]!;
          break;
        case 'max':
          for (let i = 0; i < inner; i++) {
            const v = x[row + i]!;
            if (v > acc[i]! || Number.isNaN(v)) acc[i] = v;
          }
          break;
        case 'min':
          for (let i = 0; i < inner; i++) {
            const v = x[row + i]!;
            if (v < acc[i]! || Number.isNaN(v)) acc[i] = v;
          }
          break;
      }
    }
    const ob = o * inner;
    for (let i = 0; i < inner; i++) out[ob + i] = acc[i]!;
  }
}

function reduceRow(op: ReduceOp, x: TypedArray, base: number, n: number): number {
  switch (op) {
    case 'sum': {
      // four partial sums: shorter dependency chains and a little less rounding error
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let r = 0;
      for (; r + 3 < n; r += 4) {
        s0 += x[base + r]!;
        s1 += x[base + r + 1]!;
        s2 += x[base + r + 2]!;
        s3 += x[base + r + 3]!;
      }
      for (; r < n; r++) s0 += x[base + r]!;
      return s0 + s1 + (s2 + s3);
    }
    case 'prod': {
      let p = 1;
      for (let r = 0; r < n; r++) p *= x[base + r]!;
      return p;
    }
    case 'max': {
      let m = -Infinity;
      for (let r = 0; r < n; r++) {
        const v = x[base + r]!;
        if (v > m) m = v;
        else if (Number.isNaN(v)) return NaN;
      }
      return m;
    }
    case 'min': {
      let m = Infinity;
      for (let r = 0; r < n; r++) {
        const v = x[base + r]!;
        if (v < m) m = v;
        else if (Number.isNaN(v)) return NaN;
      }
      return m;
    }
  }
}

/** See `Backend.argReduce`: the first index of the extreme value; a NaN counts as the extreme. */
export function argReduce(op: 'argmax' | 'argmin', x: TypedArray, offset: number, outer: number, n: number, inner: number, out: Int32Array): void {
  const sign = op === 'argmax' ? 1 : -1;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = offset + o * n * inner + i;
      let best = sign * x[base]!;
      let bi = 0;
      if (!Number.isNaN(best)) {
        for (let r = 1; r < n; r++) {
          const v = sign * x[base + r * inner]!;
          if (v > best) {
            best = v;
            bi = r;
          } else if (Number.isNaN(v)) {
            bi = r;
            break;
          }
        }
      }
      out[o * inner + i] = bi;
    }
  }
}
