import { promoteTypes } from '../tensor/dtype.js';
import { ShapeError, ValueError } from '../tensor/errors.js';
import { assertShape, fmt, normalizeAxis, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { cast } from './binary.js';
import { apply } from './dispatch.js';
import type { SliceParams } from './primitives/types.js';
import { assertTensor } from './scalar.js';

/**
 * A new shape for the same elements; one dimension may be −1 (inferred). A view when `x` is
 * contiguous, else a copy. `reshape(x [2,3], [-1]) → [6]`.
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  assertTensor('reshape', x);
  const target = inferShape('reshape', x, shape);
  if (target.length === x.ndim && target.every((d, i) => d === x.shape[i])) return x;
  return apply('reshape', [x], { shape: target });
}

/** Like `reshape`, but never copies: a non-contiguous input is an error (call `contiguous()` or `reshape`). */
export function view(x: Tensor, shape: readonly number[]): Tensor {
  assertTensor('view', x);
  if (!x.isContiguous) {
    throw new ShapeError(`view: the tensor of shape ${fmt(x.shape)} is not contiguous, so it cannot be viewed as ${fmt(shape)} without a copy; use reshape() or call contiguous() first`);
  }
  return reshape(x, shape);
}

function inferShape(op: string, x: Tensor, shape: readonly number[]): number[] {
  if (!Array.isArray(shape)) throw new ShapeError(`${op}: shape must be an array of integers, got ${String(shape)}`);
  const out = shape.slice();
  const unknown = out.indexOf(-1);
  if (unknown !== out.lastIndexOf(-1)) throw new ShapeError(`${op}: only one dimension can be -1, got ${fmt(shape)}`);
  if (unknown >= 0) {
    const known = sizeOf(out.filter((_, i) => i !== unknown));
    if (known === 0 || x.size % known !== 0) {
      throw new ShapeError(`${op}: cannot reshape ${fmt(x.shape)} (${x.size} elements) into ${fmt(shape)}: ${x.size} is not divisible by ${known}`);
    }
    out[unknown] = x.size / known;
  }
  assertShape(op, out);
  if (sizeOf(out) !== x.size) {
    throw new ShapeError(`${op}: cannot reshape ${fmt(x.shape)} (${x.size} elements) into ${fmt(shape)} (${sizeOf(out)} elements)`);
  }
  return out;
}

/** A contiguous tensor with the same values (the tensor itself when already contiguous). */
export function contiguous(x: Tensor): Tensor {
  assertTensor('contiguous', x);
  return x.isContiguous ? x : apply('reshape', [x], { shape: x.shape.slice() });
}

/**
 * A copy of `x` in storage of its own (contiguous), that stays in the graph: `torch.clone`.
 * Writing into either storage afterwards does not change the other; the gradient passes
 * through unchanged.
 *
 * @example
 * const snapshot = w.clone();   // keeps today's values while w trains on
 */
export function clone(x: Tensor): Tensor {
  assertTensor('clone', x);
  // a cast to its own dtype is a copy into a new tensor, and its VJP is the identity
  return apply('cast', [x], { dtype: x.dtype });
}

/** Flattens dims `startAxis..endAxis` (inclusive) into one. `flatten(x [2,3,4]) → [24]`, `flatten(x, 1) → [2,12]`. */
export function flatten(x: Tensor, startAxis = 0, endAxis = -1): Tensor {
  assertTensor('flatten', x);
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeAxis('flatten', startAxis, x.ndim);
  const e = normalizeAxis('flatten', endAxis, x.ndim);
  if (s > e) throw new ValueError(`flatten: startAxis (${startAxis}) must not come after endAxis (${endAxis})`);
  return reshape(x, [...x.shape.slice(0, s), sizeOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)]);
}

/** Removes size-1 dims: all of them, or the given axis (which must have size 1). */
export function squeeze(x: Tensor, axis?: number): Tensor {
  assertTensor('squeeze', x);
  if (axis === undefined) return reshape(x, x.shape.filter((d) => d !== 1));
  const a = normalizeAxis('squeeze', axis, x.ndim);
  if (x.ndim === 0) return x; // axis 0 (or −1) of a scalar, as in PyTorch
  if (x.shape[a] !== 1) throw new ShapeError(`squeeze: axis ${axis} of shape ${fmt(x.shape)} has size ${x.shape[a]}, not 1`);
  return reshape(x, x.shape.filter((_, i) => i !== a));
}

/** Inserts a size-1 dim at `axis` (−1 appends). `unsqueeze(x [3], 0) → [1,3]`. */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  assertTensor('unsqueeze', x);
  const a = normalizeAxis('unsqueeze', axis, x.ndim + 1);
  const shape = x.shape.slice();
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

/** Reorders the dims (a view): `permute(x [2,3,4], [2,0,1]) → [4,2,3]`. */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  assertTensor('permute', x);
  return permuteAs('permute', x, perm);
}

/** Permutes the axes; without `perm`, reverses them (NumPy). A view. */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  assertTensor('transpose', x);
  return permuteAs('transpose', x, perm ?? x.shape.map((_, i) => x.ndim - 1 - i));
}

/** The permute primitive after validation; errors name `op`, the function the user called. */
function permuteAs(op: string, x: Tensor, perm: readonly number[]): Tensor {
  const p = perm.map((a) => normalizeAxis(op, a, x.ndim));
  if (p.length !== x.ndim || new Set(p).size !== p.length) {
    throw new ValueError(`${op}: [${perm.join(',')}] is not a permutation of the ${x.ndim} axes of ${fmt(x.shape)}`);
  }
  if (p.every((a, i) => a === i)) return x;
  return apply('permute', [x], { perm: p });
}

/** Swaps the last two axes (matrix transpose of a batch). */
export function transposeLast(x: Tensor): Tensor {
  if (x.ndim < 2) throw new ShapeError(`transposeLast: needs at least 2 dims, got ${fmt(x.shape)}`);
  const perm = x.shape.map((_, i) => i);
  perm[x.ndim - 2] = x.ndim - 1;
  perm[x.ndim - 1] = x.ndim - 2;
  return permute(x, perm);
}

/**
 * Broadcasts to `shape` without copying (stride-0 view). Size-1 dims expand, new dims are added in
 * front, −1 keeps a dim. `expand(x [3,1], [3,4])`.
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  assertTensor('expand', x);
  const lead = shape.length - x.ndim;
  if (lead < 0) throw new ShapeError(`expand: cannot expand ${fmt(x.shape)} to fewer dims ${fmt(shape)}`);
  const target = shape.map((d, i) => (d === -1 && i >= lead ? x.shape[i - lead]! : d));
  assertShape('expand', target);
  for (let i = 0; i < x.ndim; i++) {
    const d = x.shape[i]!;
    if (d !== 1 && d !== target[i + lead]) {
      throw new ShapeError(`expand: cannot expand ${fmt(x.shape)} to ${fmt(shape)}: dim ${i} has size ${d}; only size-1 dims can be expanded`);
    }
  }
  if (lead === 0 && target.every((d, i) => d === x.shape[i])) return x;
  return apply('expand', [x], { shape: target });
}

/** One dimension of a slice: an index (drops the dim), `[start, end, step]` (any may be null), or null (all). */
export type SliceEntry = number | null | readonly [(number | null)?, (number | null)?, (number | null)?];

/**
 * NumPy-style basic slicing, as a view. `spec` is either a string as in NumPy (`'1:-1, ::2, 0'`)
 * or one entry per leading dim (`[[1, -1], [null, null, 2], 0]`); dims not named are kept whole.
 * Negative indices count from the end; negative steps walk backwards; an integer index removes
 * its dim.
 *
 * @example
 * nb.slice(x, '::-1')        // reversed along axis 0
 * x.slice([null, [0, 2]])    // first two columns
 */
export function slice(x: Tensor, spec: string | readonly SliceEntry[]): Tensor {
  assertTensor('slice', x);
  const entries = typeof spec === 'string' ? parseSliceString(spec) : spec;
  if (entries.length > x.ndim) {
    throw new ShapeError(`slice: ${entries.length} indices given for a tensor of rank ${x.ndim} (shape ${fmt(x.shape)})`);
  }
  const params: SliceParams = { begin: [], end: [], step: [] };
  const dropped: number[] = [];
  for (let i = 0; i < x.ndim; i++) {
    const len = x.shape[i]!;
    const e = entries[i] ?? null;
    if (typeof e === 'number') {
      if (!Number.isInteger(e) || e < -len || e >= len) {
        throw new ValueError(`slice: index ${e} is out of range for axis ${i} of size ${len}`);
      }
      const idx = e < 0 ? e + len : e;
      params.begin.push(idx);
      params.end.push(idx + 1);
      params.step.push(1);
      dropped.push(i);
      continue;
    }
    const [start = null, stop = null, step = null] = e ?? [];
    const s = step ?? 1;
    if (!Number.isInteger(s) || s === 0) throw new ValueError(`slice: step must be a non-zero integer, got ${step} for axis ${i}`);
    for (const [name, v] of [['start', start], ['stop', stop]] as const) {
      // NaN would pass through the clamps and make a shape of [NaN]; fractions would too
      if (v !== null && !Number.isInteger(v)) throw new ValueError(`slice: ${name} must be an integer or null, got ${v} for axis ${i}`);
    }
    const clampTo = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
    const norm = (v: number) => (v < 0 ? v + len : v);
    if (s > 0) {
      params.begin.push(start === null ? 0 : clampTo(norm(start), 0, len));
      params.end.push(stop === null ? len : clampTo(norm(stop), 0, len));
    } else {
      params.begin.push(start === null ? len - 1 : clampTo(norm(start), -1, len - 1));
      params.end.push(stop === null ? -1 : clampTo(norm(stop), -1, len - 1));
    }
    params.step.push(s);
  }
  const out = stridedSlice(x, params);
  return dropped.length ? reshape(out, out.shape.filter((_, i) => !dropped.includes(i))) : out;
}

function parseSliceString(spec: string): SliceEntry[] {
  const parseNum = (t: string): number | null => {
    const s = t.trim();
    if (s === '') return null;
    const v = Number(s);
    if (!Number.isInteger(v)) throw new ValueError(`slice: '${t}' in '${spec}' is not an integer`);
    return v;
  };
  if (spec.trim() === '') return [];
  return spec.split(',').map((part) => {
    if (!part.includes(':')) {
      const v = parseNum(part);
      if (v === null) throw new ValueError(`slice: empty index in '${spec}'`);
      return v;
    }
    const bits = part.split(':');
    if (bits.length > 3) throw new ValueError(`slice: '${part}' in '${spec}' has more than two ':'`);
    return [parseNum(bits[0]!), parseNum(bits[1] ?? ''), parseNum(bits[2] ?? '')] as const;
  });
}

/** The slice primitive on already normalised parameters (used by VJPs and composites). */
export function stridedSlice(x: Tensor, params: SliceParams): Tensor {
  return apply('slice', [x], params);
}

/** The adjoint of `stridedSlice`: `g` placed into zeros of `shape` at the sliced positions. */
export function sliceAdjoint(g: Tensor, params: SliceParams, shape: number[]): Tensor {
  return apply('sliceAdjoint', [g], { ...params, shape });
}

/**
 * Pads with a constant: `pads[i] = [before, after]` for each dim. `pad(x [2,2], [[1,1],[0,2]])` → `[4,4]`.
 */
export function pad(x: Tensor, pads: readonly (readonly [number, number])[], value = 0): Tensor {
  assertTensor('pad', x);
  if (pads.length !== x.ndim) {
    throw new ShapeError(`pad: expected one [before, after] pair per dim (${x.ndim} for shape ${fmt(x.shape)}), got ${pads.length}`);
  }
  for (const p of pads) {
    if (p.length !== 2 || !p.every((v) => Number.isInteger(v) && v >= 0)) {
      throw new ValueError(`pad: each entry must be [before, after] with non-negative integers, got [${p.join(',')}]`);
    }
  }
  return apply('pad', [x], { pads: pads.map((p) => [p[0], p[1]] as [number, number]), value });
}

/** Joins tensors along an existing axis; the other dims must match. Dtypes promote. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors as unknown) || tensors.length === 0) throw new ValueError('concat: expected a non-empty array of tensors');
  tensors.forEach((t, i) => assertTensor('concat', t, `tensors[${i}]`));
  const first = tensors[0]!;
  if (first.ndim === 0) throw new ShapeError('concat: scalars have no axis to join along; use stack() to make a 1-D tensor of them');
  const a = normalizeAxis('concat', axis, first.ndim);
  for (const t of tensors) {
    if (t.ndim !== first.ndim || t.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      throw new ShapeError(`concat: shapes ${fmt(first.shape)} and ${fmt(t.shape)} must match on every axis but ${a}`);
    }
  }
  if (tensors.length === 1) return first;
  const dtype = tensors.map((t) => t.dtype).reduce(promoteTypes);
  return apply('concat', tensors.map((t) => cast(t, dtype)), { axis: a });
}

/** Joins tensors of one shape along a new axis: `stack([a [3], b [3]]) → [2,3]`. */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors as unknown) || tensors.length === 0) throw new ValueError('stack: expected a non-empty array of tensors');
  tensors.forEach((t, i) => assertTensor('stack', t, `tensors[${i}]`));
  const first = tensors[0]!;
  for (const t of tensors) {
    if (t.ndim !== first.ndim || t.shape.some((d, i) => d !== first.shape[i])) {
      throw new ShapeError(`stack: all tensors must have the same shape, got ${fmt(first.shape)} and ${fmt(t.shape)}`);
    }
  }
  const a = normalizeAxis('stack', axis, first.ndim + 1);
  return concat(tensors.map((t) => unsqueeze(t, a)), a);
}

/**
 * Splits along `axis` into `sections` equal parts, or into parts of the given sizes.
 * `split(x [6], 3)` → three `[2]`; `split(x [6], [1, 5])` → `[1]` and `[5]`.
 */
export function split(x: Tensor, sizesOrSections: number | readonly number[], axis = 0): Tensor[] {
  assertTensor('split', x);
  if (x.ndim === 0) throw new ValueError('split: a scalar cannot be split; it has no axis');
  const a = normalizeAxis('split', axis, x.ndim);
  const len = x.shape[a]!;
  let sizes: number[];
  if (typeof sizesOrSections === 'number') {
    const n = sizesOrSections;
    if (!Number.isInteger(n) || n <= 0 || len % n !== 0) {
      throw new ValueError(`split: axis ${a} of size ${len} cannot be split into ${n} equal sections`);
    }
    sizes = new Array<number>(n).fill(len / n);
  } else {
    sizes = sizesOrSections.slice();
    const total = sizes.reduce((s, v) => s + v, 0);
    if (sizes.some((v) => !Number.isInteger(v) || v < 0) || total !== len) {
      throw new ValueError(`split: sizes [${sizes.join(',')}] must be non-negative integers adding up to ${len} (axis ${a} of ${fmt(x.shape)})`);
    }
  }
  let at = 0;
  return sizes.map((n) => {
    const begin = x.shape.map((_, i) => (i === a ? at : 0));
    const end = x.shape.map((d, i) => (i === a ? at + n : d));
    at += n;
    return stridedSlice(x, { begin, end, step: x.shape.map(() => 1) });
  });
}
