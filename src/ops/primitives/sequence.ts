import { backend } from '../../backend/index.js';
import { sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { cast, div, eq, mul, where } from '../binary.js';
import { cumprod, cumsum } from '../sequence.js';
import { contiguousCopy, empty } from './alloc.js';
import type { PrimTable } from './types.js';

/** Runs the scan kernel along `axis`; integer and bool inputs give int32, as `sum` and `prod` do. */
function scanForward(op: 'sum' | 'prod', x: Tensor, axis: number, exclusive: boolean, reverse: boolean): Tensor {
  const xc = contiguousCopy(x);
  const out = empty(xc.dtype === 'bool' ? 'int32' : xc.dtype, xc.shape);
  const outer = sizeOf(xc.shape.slice(0, axis));
  const inner = sizeOf(xc.shape.slice(axis + 1));
  backend().scan(op, xc.storage, xc.offset, outer, xc.shape[axis]!, inner, exclusive, reverse, out.storage);
  return out;
}

/**
 * d yᵢ/d xⱼ = Π_{k≤i, k≠j} xₖ for j ≤ i. Before the first zero of a row that is yᵢ/xⱼ, so
 * dxⱼ = Σ_{i≥j} gᵢyᵢ / xⱼ (the yᵢ past the zero are 0). At the first zero z it is the product
 * with x_z taken as 1: dx_z = Σ_{i≥z} gᵢ·cumprod(x with x_z = 1)ᵢ. Past z every term holds x_z = 0.
 */
function cumprodVjp(g: Tensor, x: Tensor, y: Tensor, axis: number): Tensor {
  const isZero = eq(x, 0);
  const zerosSoFar = cumsum(isZero, axis);
  const before = eq(zerosSoFar, 0);
  const firstZero = eq(mul(cast(isZero, 'int32'), zerosSoFar), 1);
  const beforePart = div(cumsum(mul(g, y), axis, { reverse: true }), where(before, x, 1));
  const zeroPart = cumsum(mul(g, cumprod(where(firstZero, 1, x), axis)), axis, { reverse: true });
  return where(before, beforePart, where(firstZero, zeroPart, 0));
}

export const sequencePrims: PrimTable<'cumsum' | 'cumprod'> = {
  cumsum: {
    forward: ([x], { axis, exclusive, reverse }) => scanForward('sum', x!, axis, exclusive, reverse),
    // y_i = Σ_{j≤i} x_j ⇒ dx_j = Σ_{i≥j} g_i: the same scan run the other way (exclusive stays exclusive)
    vjp: (g, _, __, { axis, exclusive, reverse }) => [cumsum(g, axis, { exclusive, reverse: !reverse })],
  },
  cumprod: {
    forward: ([x], { axis }) => scanForward('prod', x!, axis, false, false),
    vjp: (g, [x], y, { axis }) => [cumprodVjp(g, x!, y, axis)],
  },
};
