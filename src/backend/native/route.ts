/**
 * How the native backend picks C or JS for one call: crossing into C costs about a microsecond,
 * more than a small loop in JS, so a call goes to the addon only when its work reaches a
 * threshold, and only with arrays the addon takes; every other call runs the JS kernel.
 */
import type { TypedArray } from '../typed-array.js';
import type { FloatArray } from '../fused-kernels.js';

/**
 * A Backend entry that runs `native` for the calls whose `work` (elements, or multiply-adds for
 * a GEMM) is at least `min`, and the JS kernel `js` for the others and for those `work` turns
 * away with undefined (arrays the addon does not take).
 *
 * @example
 * softmax: route(jsFused.softmax, minElements, (x, rows, cols) => rows * cols, addon.softmax)
 */
export function route<F extends (...args: never[]) => void>(
  js: F, min: number, work: (...args: Parameters<F>) => number | undefined, native: (...args: Parameters<F>) => void,
): F {
  return ((...args: Parameters<F>) => {
    const w = work(...args);
    if (w !== undefined && w >= min) native(...args);
    else js(...args);
  }) as F;
}

/** Whether `a` holds floats (the addon's kernels take Float32Array and Float64Array). */
export const isFloatArray = (a: TypedArray): a is FloatArray => a instanceof Float32Array || a instanceof Float64Array;

/** Whether all of `rest` have the element type of `first`, a float one. */
export function sameFloat(first: TypedArray, ...rest: TypedArray[]): first is FloatArray {
  return isFloatArray(first) && rest.every((a) => a.constructor === first.constructor);
}

/** The number of elements of a view of `shape` (kernels see shapes, not tensors). */
export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
