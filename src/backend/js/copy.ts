import type { View } from '../backend.js';
import { coalesce, isDense } from './strided.js';

/**
 * Strided copy of `src` into `dst` (same shape). Converting between element types follows the
 * typed arrays' own rules, except that a copy into bool storage stores `x !== 0` and a copy into
 * int32 truncates toward zero.
 */
export function copy(src: View, dst: View): void {
  const sd = src.data;
  const dd = dst.data;
  const toBool = dd instanceof Uint8Array && !(sd instanceof Uint8Array);
  if (!toBool && isDense(src) && isDense(dst)) {
    let n = 1;
    for (const d of src.shape) n *= d;
    if (sd.constructor === dd.constructor) {
      (dd as Float64Array).set((sd as Float64Array).subarray(src.offset, src.offset + n), dst.offset);
    } else {
      const so = src.offset;
      const o = dst.offset;
      for (let i = 0; i < n; i++) dd[o + i] = sd[so + i]!;
    }
    return;
  }
  for (const d of src.shape) if (d === 0) return;
  const { shape, strides } = coalesce(src.shape, [src.strides, dst.strides]);
  const ss = strides[0]!;
  const ds = strides[1]!;
  const nd = shape.length;
  if (nd === 0) {
    dd[dst.offset] = toBool ? (sd[src.offset] !== 0 ? 1 : 0) : sd[src.offset]!;
    return;
  }
  const n = shape[nd - 1]!;
  const si = ss[nd - 1]!;
  const di = ds[nd - 1]!;
  const index = new Array<number>(nd - 1).fill(0);
  let ps = src.offset;
  let pd = dst.offset;
  for (;;) {
    let a = ps;
    let b = pd;
    if (toBool) for (let i = 0; i < n; i++, a += si, b += di) dd[b] = sd[a] !== 0 ? 1 : 0;
    else for (let i = 0; i < n; i++, a += si, b += di) dd[b] = sd[a]!;
    let d = nd - 2;
    for (; d >= 0; d--) {
      index[d]!++;
      ps += ss[d]!;
      pd += ds[d]!;
      if (index[d]! < shape[d]!) break;
      ps -= ss[d]! * shape[d]!;
      pd -= ds[d]! * shape[d]!;
      index[d] = 0;
    }
    if (d < 0) return;
  }
}
