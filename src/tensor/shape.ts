import { ShapeError, ValueError } from './errors.js';

/** Number of elements of a shape (1 for a scalar `[]`). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** The shape of a reduction's output with the reduced `axes` kept as size 1. */
export function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** Row-major (C-order) strides of a shape. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** True when the strides are those of a row-major layout (size-1 dims may have any stride). */
export function isContiguous(shape: readonly number[], strides: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    if (d !== 1 && strides[i] !== expected) return false;
    expected *= d;
  }
  return true;
}

/**
 * NumPy broadcasting of two shapes: `broadcastShapes([3,1],[4]) → [3,4]`.
 * Throws a ShapeError naming `op` and both shapes when they do not broadcast.
 */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: shapes [${a.join(',')}] and [${b.join(',')}] cannot be broadcast together ` +
          `(dimension ${i - n} is ${da} vs ${db}; sizes must match or one must be 1)`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Normalises a possibly negative axis into `[0, ndim)`, or throws naming the op. */
export function normalizeAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= Math.max(ndim, 1) || (ndim === 0 && axis !== 0 && axis !== -1)) {
    throw new ValueError(`${op}: axis ${axis} is out of range for a tensor of rank ${ndim} (valid: ${-Math.max(ndim, 1)}..${Math.max(ndim, 1) - 1})`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/**
 * Normalises an `axis` argument of a reduction: undefined means every axis; the result is sorted,
 * unique and non-negative.
 */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined, ndim: number): number[] {
  if (axis === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  const out = new Set<number>();
  for (const a of list) {
    const n = normalizeAxis(op, a, ndim);
    if (ndim === 0) continue;
    if (out.has(n)) throw new ValueError(`${op}: axis ${a} is repeated in [${list.join(',')}]`);
    out.add(n);
  }
  return [...out].sort((x, y) => x - y);
}

/** Checks that `shape` is a list of non-negative integers. */
export function assertShape(op: string, shape: readonly number[]): void {
  if (!Array.isArray(shape)) throw new ShapeError(`${op}: shape must be an array of integers, got ${String(shape)}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${op}: shape [${shape.join(',')}] has an invalid dimension ${d} (dimensions are non-negative integers)`);
    }
  }
}

export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function fmt(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
