/**
 * Independent references for the op table: plain n-d arrays and loops over them. Nothing here calls
 * a nabla op or kernel; tensors are read straight from their storage through shape, strides and
 * offset, so a bug in the kernels cannot hide in the reference.
 */
import type { DType, NestedArray, Tensor } from '../../src/index.js';

/** A row-major n-d array of numbers; `dtype`, when set, is the dtype the op must produce. */
export interface Nd {
  shape: number[];
  data: number[];
  dtype?: DType;
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** The multi-index of row-major position `flat` in `shape`. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = shape.length - 1; i >= 0; i--) {
    idx[i] = flat % shape[i]!;
    flat = Math.floor(flat / shape[i]!);
  }
  return idx;
}

export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  for (let i = 0; i < shape.length; i++) flat = flat * shape[i]! + idx[i]!;
  return flat;
}

/** The elements of `t` in row-major order, read element by element through its strides. */
export function read(t: Tensor): Nd {
  const data: number[] = [];
  for (let k = 0; k < t.size; k++) {
    const idx = unravel(k, t.shape);
    let off = t.offset;
    for (let d = 0; d < t.ndim; d++) off += idx[d]! * t.strides[d]!;
    data.push(t.storage[off]!);
  }
  return { shape: [...t.shape], data, dtype: t.dtype };
}

/** Nested JS arrays (hand-written expectations) as an Nd; booleans become 0/1. */
export function fromNested(v: NestedArray): Nd {
  const shape: number[] = [];
  let cur: NestedArray = v;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0]!;
  }
  const data: number[] = [];
  const walk = (x: NestedArray, depth: number): void => {
    if (Array.isArray(x)) {
      if (x.length !== shape[depth]) throw new Error('fromNested: ragged expectation in the test table');
      x.forEach((e) => walk(e, depth + 1));
    } else {
      data.push(typeof x === 'boolean' ? Number(x) : x);
    }
  };
  walk(v, 0);
  return { shape, data };
}

export const nd = (shape: number[], data: number[], dtype?: DType): Nd => ({ shape, data, dtype });
export const scalarNd = (v: number): Nd => ({ shape: [], data: [v] });

/** `f` applied to every element. */
export function map(x: Nd, f: (v: number) => number, dtype?: DType): Nd {
  return { shape: [...x.shape], data: x.data.map(f), dtype: dtype ?? x.dtype };
}

/** NumPy broadcasting, written out independently of `nb.broadcastShapes`. */
export function broadcastShape(shapes: readonly (readonly number[])[]): number[] {
  const n = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let d = 1;
    for (const s of shapes) {
      const v = s[s.length - n + i] ?? 1;
      if (v !== 1) {
        if (d !== 1 && d !== v) throw new Error('reference: shapes do not broadcast');
        d = v;
      }
    }
    out.push(d);
  }
  return out;
}

/** Element `idx` of the broadcast output, read from `x` (right-aligned, size-1 dims repeat). */
export function at(x: Nd, idx: readonly number[]): number {
  const lead = idx.length - x.shape.length;
  let flat = 0;
  for (let i = 0; i < x.shape.length; i++) flat = flat * x.shape[i]! + (x.shape[i] === 1 ? 0 : idx[i + lead]!);
  return x.data[flat]!;
}

/** `f` over the broadcast elements of several arrays. */
export function zip(xs: readonly Nd[], f: (...v: number[]) => number, dtype?: DType): Nd {
  const shape = broadcastShape(xs.map((x) => x.shape));
  const data: number[] = [];
  for (let k = 0; k < sizeOf(shape); k++) {
    const idx = unravel(k, shape);
    data.push(f(...xs.map((x) => at(x, idx))));
  }
  return { shape, data, dtype };
}

export function normAxes(axis: number | readonly number[] | undefined, ndim: number): number[] {
  if (axis === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : [...axis];
  return list.map((a) => (a < 0 ? a + ndim : a)).filter((a) => a < Math.max(ndim, 1) && ndim > 0);
}

/** Reduces `axes` (all when undefined) by `f` over the list of values of each output element. */
export function reduce(x: Nd, axis: number | readonly number[] | undefined, keepDims: boolean, f: (vals: number[]) => number, dtype?: DType): Nd {
  const axes = normAxes(axis, x.shape.length);
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const buckets: number[][] = Array.from({ length: sizeOf(kept) }, () => []);
  for (let k = 0; k < x.data.length; k++) {
    const idx = unravel(k, x.shape).map((v, i) => (axes.includes(i) ? 0 : v));
    buckets[ravel(idx, kept)]!.push(x.data[k]!);
  }
  const shape = keepDims ? kept : x.shape.filter((_, i) => !axes.includes(i));
  return { shape, data: buckets.map(f), dtype };
}

/** `out[i0..] = x[perm-permuted index]`, `out.shape[i] = x.shape[perm[i]]`. */
export function permuteNd(x: Nd, perm: readonly number[]): Nd {
  const shape = perm.map((p) => x.shape[p]!);
  const data: number[] = [];
  for (let k = 0; k < sizeOf(shape); k++) {
    const idx = unravel(k, shape);
    const src = new Array<number>(perm.length);
    perm.forEach((p, i) => (src[p] = idx[i]!));
    data.push(x.data[ravel(src, x.shape)]!);
  }
  return { shape, data, dtype: x.dtype };
}

/** Outer indexing: `out[i, j, …] = x[lists[0][i], lists[1][j], …]`. */
export function take(x: Nd, lists: readonly (readonly number[])[]): Nd {
  const shape = lists.map((l) => l.length);
  const data: number[] = [];
  for (let k = 0; k < sizeOf(shape); k++) {
    const idx = unravel(k, shape).map((v, i) => lists[i]![v]!);
    data.push(x.data[ravel(idx, x.shape)]!);
  }
  return { shape, data, dtype: x.dtype };
}

/** Python's `range(len)[start:stop:step]`, from the language reference's slicing rules. */
export function pySlice(len: number, start: number | null, stop: number | null, step: number | null): number[] {
  const k = step ?? 1;
  const fix = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + len : v, lo), hi);
  const out: number[] = [];
  if (k > 0) {
    const i0 = start === null ? 0 : fix(start, 0, len);
    const j0 = stop === null ? len : fix(stop, 0, len);
    for (let i = i0; i < j0; i += k) out.push(i);
  } else {
    const i0 = start === null ? len - 1 : fix(start, -1, len - 1);
    const j0 = stop === null ? -1 : fix(stop, -1, len - 1);
    for (let i = i0; i > j0; i += k) out.push(i);
  }
  return out;
}

/** Matrix product with NumPy's 1-D and batch-broadcast rules, by the triple loop. */
export function matmulNd(a: Nd, b: Nd): Nd {
  const A = a.shape.length === 1 ? { ...a, shape: [1, a.shape[0]!] } : a;
  const B = b.shape.length === 1 ? { ...b, shape: [b.shape[0]!, 1] } : b;
  const m = A.shape[A.shape.length - 2]!;
  const k = A.shape[A.shape.length - 1]!;
  const n = B.shape[B.shape.length - 1]!;
  const batch = broadcastShape([A.shape.slice(0, -2), B.shape.slice(0, -2)]);
  const aBatch = { shape: A.shape.slice(0, -2), data: [] };
  const bBatch = { shape: B.shape.slice(0, -2), data: [] };
  const batchIndex = (x: Nd, idx: number[]) => {
    const lead = idx.length - x.shape.length;
    return ravel(x.shape.map((d, i) => (d === 1 ? 0 : idx[i + lead]!)), x.shape);
  };
  const data: number[] = [];
  for (let q = 0; q < sizeOf(batch); q++) {
    const bi = unravel(q, batch);
    const ao = batchIndex(aBatch, bi) * m * k;
    const bo = batchIndex(bBatch, bi) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += A.data[ao + i * k + p]! * B.data[bo + p * n + j]!;
        data.push(s);
      }
    }
  }
  let shape = [...batch, m, n];
  if (a.shape.length === 1) shape = shape.filter((_, i) => i !== shape.length - 2);
  if (b.shape.length === 1) shape = shape.slice(0, -1);
  return { shape, data };
}

/**
 * The error function by its Maclaurin series `2/√π Σ (−1)ⁿ x^(2n+1) / (n!(2n+1))` (a different
 * method from the kernel's), accurate to ~1e-13 for |x| ≤ 3; beyond, erf is 1 to double precision
 * only past ~6, so callers keep |x| ≤ 3 or hand-check.
 */
export function erfRef(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 120; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

export const sigmoidRef = (x: number): number => 1 / (1 + Math.exp(-x));

/** Replaces every 1-D slice of `x` along `axis` by `f(slice)` (same length). */
export function alongAxis(x: Nd, axis: number, f: (slice: number[]) => number[]): Nd {
  const a = axis < 0 ? axis + x.shape.length : axis;
  const n = x.shape[a]!;
  const data = x.data.slice();
  const outerShape = x.shape.map((d, i) => (i === a ? 1 : d));
  for (let k = 0; k < sizeOf(outerShape); k++) {
    const idx = unravel(k, outerShape);
    const flat = (j: number) => ravel(idx.map((v, i) => (i === a ? j : v)), x.shape);
    const slice = Array.from({ length: n }, (_, j) => x.data[flat(j)]!);
    f(slice).forEach((v, j) => (data[flat(j)] = v));
  }
  return { shape: [...x.shape], data, dtype: x.dtype };
}

export function softmaxRef(slice: number[]): number[] {
  const m = Math.max(...slice);
  const e = slice.map((v) => Math.exp(v - m));
  const s = e.reduce((p, q) => p + q, 0);
  return e.map((v) => v / s);
}

export function logSumExpRef(vals: number[]): number {
  if (vals.length === 0) return -Infinity;
  const m = Math.max(...vals);
  if (!Number.isFinite(m)) return m;
  return m + Math.log(vals.reduce((s, v) => s + Math.exp(v - m), 0));
}
