/**
 * Shapes a user states up front: the `inputShape` option of a layer (one sample, no batch dim,
 * as Keras' `input_shape`) and the batch shape given to `build` (`[null, 784]`).
 */
import { ValueError } from '../tensor/errors.js';
import { describeValue } from './config-check.js';

/** A shape whose entries may be null: a size not fixed in advance (the batch size, a sequence length). */
export type PartialShape = readonly (number | null)[];

const show = (shape: readonly unknown[]): string => `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;

/**
 * Checks a layer's `inputShape` option: an array of non-negative integers or nulls, the shape of
 * one sample without the batch dimension. Returns a copy.
 */
export function checkInputShapeOption(owner: string, shape: unknown): (number | null)[] {
  if (!Array.isArray(shape)) {
    throw new ValueError(`${owner}: inputShape must be the shape of one sample without the batch dimension, e.g. [784] or [28, 28, 1], got ${describeValue(shape)}`);
  }
  return shape.map((d: unknown, i) => {
    if (d === null || (typeof d === 'number' && Number.isInteger(d) && d >= 0)) return d;
    // describeValue: a string "4" must not read as the number 4
    throw new ValueError(`${owner}: inputShape ${describeValue(shape).replace(/^the array /, '')} has ${describeValue(d)} at dimension ${i}; each entry is a size (a non-negative integer) or null (any size)`);
  });
}

/**
 * The concrete batch shape `build` uses for `shape`: its first (batch) dimension may be null and
 * counts as 1 for building; every other dimension must be a non-negative integer, since the
 * weights depend on it.
 */
export function concreteBuildShape(owner: string, shape: unknown): number[] {
  if (!Array.isArray(shape)) {
    throw new ValueError(`${owner}: build expects the shape of a batch of inputs, batch dimension included, e.g. build([null, 784]); got ${typeof shape}`);
  }
  return shape.map((d: unknown, i) => {
    if (d === null && i === 0) return 1;
    if (typeof d === 'number' && Number.isInteger(d) && d >= 0) return d;
    const rule = i === 0 ? 'a non-negative integer or null (any batch size)' : 'a non-negative integer: only the batch dimension (the first) may be null';
    throw new ValueError(`${owner}: build(${show(shape)}): dimension ${i} must be ${rule}`);
  });
}

/**
 * Checks that `shape` (a batch of inputs) matches the declared sample shape `declared` (nulls
 * match any size); throws a ValueError naming both otherwise.
 */
export function checkDeclaredInputShape(owner: string, declared: PartialShape, shape: readonly number[]): void {
  const sample = shape.slice(1);
  const ok = shape.length === declared.length + 1 && declared.every((d, i) => d === null || d === sample[i]);
  if (!ok) {
    throw new ValueError(`${owner}: expected inputs of shape ${show([null, ...declared])} (its inputShape ${show(declared)} plus the batch dimension), got ${show(shape)}`);
  }
}
