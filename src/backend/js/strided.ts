import type { View } from '../backend.js';

/**
 * Merges adjacent dimensions that are laid out alike in every view and drops size-1 dimensions,
 * so a strided loop runs over as few, as long rows as possible. Returns the merged shape and one
 * stride list per view.
 */
export function coalesce(shape: readonly number[], stridesList: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = stridesList.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d]!;
    if (size === 1) continue;
    const last = outShape.length - 1;
    let mergeable = last >= 0;
    if (mergeable) {
      for (let v = 0; v < stridesList.length; v++) {
        const prev = outStrides[v]![last]!;
        if (prev !== stridesList[v]![d]! * size) {
          mergeable = false;
          break;
        }
      }
    }
    if (mergeable) {
      outShape[last] = outShape[last]! * size;
      for (let v = 0; v < stridesList.length; v++) outStrides[v]![last] = stridesList[v]![d]!;
    } else {
      outShape.push(size);
      for (let v = 0; v < stridesList.length; v++) outStrides[v]!.push(stridesList[v]![d]!);
    }
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * Walks the rows (last dimension) of several views of one shape. For each row, `row(offsets, n)`
 * gets the start offset of that row in each view and the row length; `inner[v]` is each view's
 * stride along the row. The offsets array is reused between calls.
 */
export function forEachRow(
  views: readonly View[],
  row: (offsets: number[], n: number, inner: number[]) => void,
): void {
  const first = views[0]!;
  const { shape, strides } = coalesce(first.shape, views.map((v) => v.strides));
  const nv = views.length;
  const offsets = views.map((v) => v.offset);
  for (const s of first.shape) if (s === 0) return;
  if (shape.length === 0) {
    row(offsets, 1, views.map(() => 0));
    return;
  }
  const nd = shape.length;
  const n = shape[nd - 1]!;
  const inner = strides.map((s) => s[nd - 1]!);
  const index = new Array<number>(nd - 1).fill(0);
  const base = offsets.slice();
  for (;;) {
    row(offsets, n, inner);
    // advance the multi-index over the outer dimensions
    let d = nd - 2;
    for (; d >= 0; d--) {
      index[d]!++;
      if (index[d]! < shape[d]!) break;
      index[d] = 0;
    }
    if (d < 0) return;
    for (let v = 0; v < nv; v++) {
      let off = base[v]!;
      const st = strides[v]!;
      for (let e = 0; e < nd - 1; e++) off += index[e]! * st[e]!;
      offsets[v] = off;
    }
  }
}

/** True when a view covers its array densely in row-major order (no broadcast, no gaps). */
export function isDense(v: View): boolean {
  let expected = 1;
  for (let i = v.shape.length - 1; i >= 0; i--) {
    const d = v.shape[i]!;
    if (d !== 1 && v.strides[i] !== expected) return false;
    expected *= d;
  }
  return true;
}
