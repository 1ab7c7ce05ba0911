import type { BinaryOp, UnaryOp, View } from '../backend.js';
import type { TypedArray } from '../typed-array.js';
import { erf, sigmoid } from './math.js';
import { forEachRow, isDense } from './strided.js';

const UNARY: Record<UnaryOp, (x: number) => number> = {
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  abs: Math.abs,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x), // keeps 0 and NaN
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid,
  erf,
  relu: (x) => (x > 0 ? x : 0),
  log1p: Math.log1p,
  expm1: Math.expm1,
};

const BINARY: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  // NaN propagates, as in NumPy's maximum/minimum
  maximum: (a, b) => (a > b || Number.isNaN(a) ? a : b),
  minimum: (a, b) => (a < b || Number.isNaN(a) ? a : b),
  eq: (a, b) => (a === b ? 1 : 0),
  ne: (a, b) => (a !== b ? 1 : 0),
  lt: (a, b) => (a < b ? 1 : 0),
  le: (a, b) => (a <= b ? 1 : 0),
  gt: (a, b) => (a > b ? 1 : 0),
  ge: (a, b) => (a >= b ? 1 : 0),
};

export function unary(op: UnaryOp, x: View, out: TypedArray): void {
  const f = UNARY[op];
  const xd = x.data;
  if (isDense(x)) {
    const o = x.offset;
    const n = out.length;
    switch (op) {
      case 'neg':
        for (let i = 0; i < n; i++) out[i] = -xd[o + i]!;
        return;
      case 'exp':
        for (let i = 0; i < n; i++) out[i] = Math.exp(xd[o + i]!);
        return;
      case 'relu':
        for (let i = 0; i < n; i++) {
          const v = xd[o + i]!;
          out[i] = v > 0 ? v : 0;
        }
        return;
      default:
        for (let i = 0; i < n; i++) out[i] = f(xd[o + i]!);
        return;
    }
  }
  let k = 0;
  forEachRow([x], (offs, n, inner) => {
    let p = offs[0]!;
    const s = inner[0]!;
    for (let i = 0; i < n; i++, p += s) out[k++] = f(xd[p]!);
  });
}

export function binary(op: BinaryOp, a: View, b: View, out: TypedArray): void {
  const ad = a.data;
  const bd = b.data;
  const f = BINARY[op];
  if (isDense(a) && isDense(b)) {
    const ao = a.offset;
    const bo = b.offset;
    const n = out.length;
    switch (op) {
      case 'add':
        for (let i = 0; i < n; i++) out[i] = ad[ao + i]! + bd[bo + i]!;
        return;
      case 'sub':
        for (let i = 0; i < n; i++) out[i] = ad[ao + i]! - bd[bo + i]!;
        return;
      case 'mul':
        for (let i = 0; i < n; i++) out[i] = ad[ao + i]! * bd[bo + i]!;
        return;
      case 'div':
        for (let i = 0; i < n; i++) out[i] = ad[ao + i]! / bd[bo + i]!;
        return;
      default:
        for (let i = 0; i < n; i++) out[i] = f(ad[ao + i]!, bd[bo + i]!);
        return;
    }
  }
  let k = 0;
  forEachRow([a, b], (offs, n, inner) => {
    let pa = offs[0]!;
    let pb = offs[1]!;
    const sa = inner[0]!;
    const sb = inner[1]!;
    switch (op) {
      case 'add':
        for (let i = 0; i < n; i++, pa += sa, pb += sb) out[k++] = ad[pa]! + bd[pb]!;
        return;
      case 'sub':
        for (let i = 0; i < n; i++, pa += sa, pb += sb) out[k++] = ad[pa]! - bd[pb]!;
        return;
      case 'mul':
        for (let i = 0; i < n; i++, pa += sa, pb += sb) out[k++] = ad[pa]! * bd[pb]!;
        return;
      default:
        for (let i = 0; i < n; i++, pa += sa, pb += sb) out[k++] = f(ad[pa]!, bd[pb]!);
    }
  });
}

export function where(cond: View, a: View, b: View, out: TypedArray): void {
  const cd = cond.data;
  const ad = a.data;
  const bd = b.data;
  let k = 0;
  forEachRow([cond, a, b], (offs, n, inner) => {
    let pc = offs[0]!;
    let pa = offs[1]!;
    let pb = offs[2]!;
    const [sc, sa, sb] = inner as [number, number, number];
    for (let i = 0; i < n; i++, pc += sc, pa += sa, pb += sb) out[k++] = cd[pc] ? ad[pa]! : bd[pb]!;
  });
}
