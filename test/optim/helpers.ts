// Shared helpers of the optimizer tests: float64 parameters, hand-set gradients, close comparisons.
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

/** A float64 leaf parameter that requires gradients. */
export function param(values: number[], dtype: nb.DType = 'float64'): nb.Tensor {
  return nb.tensor(values, { dtype, requiresGrad: true });
}

/** Sets `p.grad` to `values` (same dtype as p unless given). */
export function setGrad(p: nb.Tensor, values: number[], dtype: nb.DType = p.dtype): void {
  p.grad = nb.tensor(values, { dtype, shape: p.shape });
}

/** The elements of `t` as a plain array. */
export function values(t: nb.Tensor): number[] {
  return Array.from(t.data());
}

/** Asserts each element of `actual` is within a relative/absolute `tol` of `expected`. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-12, what = ''): void {
  assert.equal(actual.length, expected.length, `${what} length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    assert.ok(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)), `${what}[${i}]: got ${a}, expected ${e}`);
  }
}
