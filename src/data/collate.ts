import { stack } from '../ops/movement.js';
import { tensor } from '../tensor/creation.js';
import { ShapeError, ValueError } from '../tensor/errors.js';
import { fmt, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * The batch type `defaultCollate` makes from samples of type `T`: tensors and numbers become one
 * tensor with a leading batch dimension; arrays and objects are batched position by position and
 * key by key.
 */
export type Collated<T> = T extends Tensor
  ? Tensor
  : T extends number | boolean
    ? Tensor
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: Collated<T[K]> }
      : T extends object
        ? { [K in keyof T]: Collated<T[K]> }
        : never;

/**
 * Turns a list of samples into one batch: tensors of one shape are stacked along a new first axis
 * (`[3]` samples → `[b,3]`), numbers become an int32 tensor (float32 if any is fractional),
 * booleans a bool tensor, and arrays / plain objects are batched element by element, recursively.
 *
 * @example
 * defaultCollate([[x0, 1], [x1, 0]]) // [stack([x0, x1]), tensor([1, 0], int32)]
 */
export function defaultCollate<T>(samples: readonly T[]): Collated<T> {
  if (samples.length === 0) throw new ValueError('defaultCollate: cannot batch an empty list of samples');
  return collate(samples, 'the sample') as Collated<T>;
}

function collate(items: readonly unknown[], what: string): unknown {
  const first = items[0];
  if (first instanceof Tensor) {
    items.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new ValueError(`DataLoader: ${what} is a Tensor in sample 0 but not in sample ${i}`);
      if (!shapesEqual(t.shape, first.shape)) {
        throw new ShapeError(
          `DataLoader: ${what} has shape ${fmt(first.shape)} in sample 0 but ${fmt(t.shape)} in sample ${i}; tensors in a batch must share a shape (pad them, or pass {collate})`,
        );
      }
    });
    return stack(items as Tensor[], 0);
  }
  if (typeof first === 'number' || typeof first === 'boolean') {
    const kind = typeof first;
    items.forEach((v, i) => {
      if (typeof v !== kind) throw new ValueError(`DataLoader: ${what} is a ${kind} in sample 0 but ${typeof v} in sample ${i}`);
    });
    if (kind === 'boolean') return tensor(items as boolean[], { dtype: 'bool' });
    const values = items as number[];
    return tensor(values, { dtype: values.every(Number.isInteger) ? 'int32' : 'float32' });
  }
  if (Array.isArray(first)) {
    items.forEach((v, i) => {
      if (!Array.isArray(v) || v.length !== first.length) {
        throw new ValueError(`DataLoader: ${what} is an array of ${first.length} in sample 0 but ${Array.isArray(v) ? `of ${v.length}` : typeof v} in sample ${i}`);
      }
    });
    return first.map((_, k) => collate(items.map((v) => (v as unknown[])[k]), `${what}[${k}]`));
  }
  if (isPlainObject(first)) {
    const keys = Object.keys(first);
    const entries = keys.map((key): [string, unknown] => [
      key,
      collate(
        items.map((v, i) => {
          if (!isPlainObject(v) || !Object.hasOwn(v, key)) throw new ValueError(`DataLoader: sample ${i} has no key '${key}' (sample 0 has ${keys.join(', ')})`);
          return v[key];
        }),
        `${what}.${key}`,
      ),
    ]);
    return Object.fromEntries(entries);
  }
  throw new ValueError(
    `DataLoader: cannot batch ${what}, a ${first === null ? 'null' : typeof first}; samples must be tensors, numbers, booleans, or arrays/objects of them; otherwise pass {collate: (samples) => batch}`,
  );
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
