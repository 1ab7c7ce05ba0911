import { allocate, isFloat, type DType } from '../tensor/dtype.js';
import { DTypeError } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';

/** A tensor or a plain JS number, as binary ops accept. */
export type TensorLike = Tensor | number;

/** A 0-d tensor holding `value`. */
export function scalarTensor(value: number, dtype: DType): Tensor {
  const data = allocate(dtype, 1);
  data[0] = value;
  return new Tensor(data, []);
}

/**
 * The dtype a JS number takes next to a tensor of `dtype`: the tensor's own, except that a
 * non-integer promotes bool/int32 to float32.
 */
export function numberDType(value: number, dtype: DType): DType {
  return !isFloat(dtype) && !Number.isInteger(value) ? 'float32' : dtype;
}

/** Checks that `x` is a Tensor, naming the op when it is not. */
export function assertTensor(op: string, x: unknown, what = 'input'): asserts x is Tensor {
  if (!(x instanceof Tensor)) {
    throw new DTypeError(`${op}: expected ${what} to be a Tensor, got ${x === null ? 'null' : typeof x}; wrap values with nb.tensor(...)`);
  }
}
