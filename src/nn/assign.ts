import { ShapeError, ValueError } from '../tensor/errors.js';
import { fmt, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../tensor/grad-mode.js';
import { cast } from '../ops/binary.js';

/**
 * Overwrites the elements of `target` with those of `value` (same shape; converted to target's
 * dtype), keeping `target` the same object: optimizers, state dicts and other references to it
 * see the new values. Not recorded by autograd.
 *
 * Weights made by `addWeight` are dense; a strided `target` is refused rather than half-written.
 */
export function assignInPlace(target: Tensor, value: Tensor, what = 'assign'): void {
  if (!shapesEqual(target.shape, value.shape)) {
    throw new ShapeError(`${what}: cannot write a value of shape ${fmt(value.shape)} into a tensor of shape ${fmt(target.shape)}`);
  }
  if (!target.isContiguous) {
    throw new ValueError(`${what}: the target tensor of shape ${fmt(target.shape)} is a strided view; only dense tensors can be overwritten in place`);
  }
  const data = noGrad(() => cast(value, target.dtype).data());
  target.storage.set(data, target.offset);
}
