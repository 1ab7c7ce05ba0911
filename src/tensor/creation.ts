import { allocate, assertDType, dtypeOfArray, isFloat, type DType, type TypedArray } from './dtype.js';
import { DTypeError, ShapeError, ValueError } from './errors.js';
import { defaultGenerator, type Generator } from './random.js';
import { assertShape, fmt, sizeOf } from './shape.js';
import { Tensor, type NestedArray } from './tensor.js';

/** Options shared by the creation functions. */
export interface CreationOptions {
  /** Element type (default float32; `tensor()` infers it from typed arrays and booleans). */
  dtype?: DType;
  /** Make the result a leaf that collects gradients (float dtypes only). */
  requiresGrad?: boolean;
}

/** Options of the random creation functions. */
export interface RandomOptions extends CreationOptions {
  /** The generator to draw from (default: the one `manualSeed` seeds). */
  generator?: Generator;
}

function finish(t: Tensor, opts: CreationOptions): Tensor {
  if (opts.requiresGrad) t.requiresGrad = true;
  return t;
}

function makeFilled(op: string, shape: readonly number[], value: number, opts: CreationOptions): Tensor {
  assertShape(op, shape);
  const dtype = assertDType(opts.dtype ?? 'float32');
  const data = allocate(dtype, sizeOf(shape));
  if (value !== 0) data.fill(value);
  return finish(new Tensor(data, shape.slice()), opts);
}

/**
 * A tensor from nested arrays, a flat array with `shape`, a typed array, a number or a boolean.
 * Numbers become float32 unless `dtype` says otherwise; booleans become bool; typed arrays keep
 * their type (and are copied).
 *
 * @example
 * nb.tensor([[1, 2], [3, 4]])
 * nb.tensor([1, 2, 3, 4, 5, 6], { shape: [2, 3], dtype: 'int32' })
 */
export function tensor(values: NestedArray | TypedArray, opts: CreationOptions & { shape?: readonly number[] } = {}): Tensor {
  let flat: ArrayLike<number>;
  let shape: number[];
  let inferred: DType = 'float32';
  if (ArrayBuffer.isView(values)) {
    flat = values as TypedArray;
    shape = [values.length];
    inferred = dtypeOfArray(values as TypedArray);
  } else {
    const { data, dims, sawBool } = flattenNested(values);
    flat = data;
    shape = dims;
    if (sawBool) inferred = 'bool';
  }
  if (opts.shape) {
    assertShape('tensor', opts.shape);
    if (sizeOf(opts.shape) !== flat.length) {
      throw new ShapeError(`tensor: ${flat.length} values cannot fill shape ${fmt(opts.shape)} (${sizeOf(opts.shape)} elements)`);
    }
    shape = opts.shape.slice();
  }
  const dtype = assertDType(opts.dtype ?? inferred);
  const data = allocate(dtype, flat.length);
  if (dtype === 'bool') for (let i = 0; i < flat.length; i++) data[i] = flat[i] ? 1 : 0;
  else {
    // an int32 store would wrap 3e9 to -1294967296 and turn NaN into 0 without a word
    if (dtype === 'int32') checkInt32('tensor', flat);
    data.set(flat);
  }
  return finish(new Tensor(data, shape), opts);
}

/** Throws unless every value fits int32 (fractions truncate toward zero, as in PyTorch and NumPy). */
function checkInt32(op: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= -2147483648 && v < 2147483648)) {
      throw new ValueError(`${op}: ${v} at index ${i} does not fit int32 (range -2147483648 to 2147483647); use dtype 'float32' or 'float64'`);
    }
  }
}

function flattenNested(values: NestedArray): { data: number[]; dims: number[]; sawBool: boolean } {
  const data: number[] = [];
  let sawBool = false;
  const dims: number[] = [];
  let v: NestedArray = values;
  while (Array.isArray(v)) {
    dims.push(v.length);
    if (v.length === 0) break;
    v = v[0]!;
  }
  const walk = (x: NestedArray, depth: number, path: string): void => {
    if (Array.isArray(x)) {
      if (depth >= dims.length || x.length !== dims[depth]) {
        throw new ShapeError(`tensor: ragged nested array: element ${path || '(root)'} has length ${x.length}, expected ${dims[depth] ?? 'a number'}; every row must have the same length`);
      }
      x.forEach((e, i) => walk(e, depth + 1, `${path}[${i}]`));
      return;
    }
    if (depth !== dims.length) throw new ShapeError(`tensor: ragged nested array: element ${path} is a number where an array of length ${dims[depth]} was expected`);
    if (typeof x === 'boolean') {
      sawBool = true;
      data.push(x ? 1 : 0);
    } else if (typeof x === 'number') {
      data.push(x);
    } else {
      throw new DTypeError(`tensor: element ${path || '(root)'} is ${typeof x}; expected numbers or booleans`);
    }
  };
  walk(values, 0, '');
  return { data, dims, sawBool };
}

/** A tensor of zeros: `nb.zeros([2, 3])`. */
export const zeros = (shape: readonly number[], opts: CreationOptions = {}): Tensor => makeFilled('zeros', shape, 0, opts);
/** A tensor of ones. */
export const ones = (shape: readonly number[], opts: CreationOptions = {}): Tensor => makeFilled('ones', shape, 1, opts);
/** A tensor filled with `value`. */
export const full = (shape: readonly number[], value: number, opts: CreationOptions = {}): Tensor => makeFilled('full', shape, value, opts);
/** Zeros with the shape (and, by default, dtype) of `t`. */
export const zerosLike = (t: Tensor, opts: CreationOptions = {}): Tensor => makeFilled('zerosLike', t.shape, 0, { dtype: t.dtype, ...opts });
/** Ones with the shape (and, by default, dtype) of `t`. */
export const onesLike = (t: Tensor, opts: CreationOptions = {}): Tensor => makeFilled('onesLike', t.shape, 1, { dtype: t.dtype, ...opts });
/** `value` with the shape (and, by default, dtype) of `t`. */
export const fullLike = (t: Tensor, value: number, opts: CreationOptions = {}): Tensor => makeFilled('fullLike', t.shape, value, { dtype: t.dtype, ...opts });

/**
 * Evenly spaced values in `[start, stop)`: `arange(5)`, `arange(2, 8, 2)`. The dtype is int32 when
 * every argument is an integer, else float32 (unless given).
 */
export function arange(start: number, stop?: number, step = 1, opts: CreationOptions = {}): Tensor {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  if (step === 0 || !Number.isFinite(step)) throw new ValueError(`arange: step must be a non-zero finite number, got ${step}`);
  if (!Number.isFinite(start) || !Number.isFinite(stop)) throw new ValueError(`arange: start and stop must be finite numbers, got ${start} and ${stop}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const integral = Number.isInteger(start) && Number.isInteger(stop) && Number.isInteger(step);
  const dtype = assertDType(opts.dtype ?? (integral ? 'int32' : 'float32'));
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return finish(new Tensor(data, [n]), opts);
}

/** `num` evenly spaced values from `start` to `stop`, both included. */
export function linspace(start: number, stop: number, num: number, opts: CreationOptions = {}): Tensor {
  if (!Number.isInteger(num) || num < 0) throw new ValueError(`linspace: num must be a non-negative integer, got ${num}`);
  const dtype = assertDType(opts.dtype ?? 'float32');
  const data = allocate(dtype, num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) data[i] = i === num - 1 && num > 1 ? stop : start + i * step;
  return finish(new Tensor(data, [num]), opts);
}

/** The `n×m` identity matrix (ones on the diagonal). */
export function eye(n: number, m = n, opts: CreationOptions = {}): Tensor {
  const t = makeFilled('eye', [n, m], 0, opts);
  for (let i = 0; i < Math.min(n, m); i++) t.storage[i * m + i] = 1;
  return t;
}

function randomFloat(op: string, shape: readonly number[], opts: RandomOptions, draw: (g: Generator) => number): Tensor {
  assertShape(op, shape);
  const dtype = assertDType(opts.dtype ?? 'float32');
  if (!isFloat(dtype)) throw new DTypeError(`${op}: dtype must be float32 or float64, got ${dtype}`);
  const g = opts.generator ?? defaultGenerator;
  const data = allocate(dtype, sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = draw(g);
  return finish(new Tensor(data, shape.slice()), opts);
}

/** Uniform random values in [0, 1), from the seeded generator. */
export const rand = (shape: readonly number[], opts: RandomOptions = {}): Tensor => randomFloat('rand', shape, opts, (g) => g.uniform());
/** Standard normal random values, from the seeded generator. */
export const randn = (shape: readonly number[], opts: RandomOptions = {}): Tensor => randomFloat('randn', shape, opts, (g) => g.normal());

/** Random integers in `[low, high)` (int32 by default). */
export function randint(low: number, high: number, shape: readonly number[], opts: RandomOptions = {}): Tensor {
  assertShape('randint', shape);
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new ValueError(`randint: need integers low < high, got low=${low}, high=${high}`);
  }
  const g = opts.generator ?? defaultGenerator;
  const data = allocate(assertDType(opts.dtype ?? 'int32'), sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = g.int(low, high);
  return finish(new Tensor(data, shape.slice()), opts);
}

/**
 * 1 with probability `p`, else 0 (float32 by default). `p` is a number (with `shape`) or a tensor
 * of probabilities, one per element.
 */
export function bernoulli(p: number | Tensor, shape?: readonly number[], opts: RandomOptions = {}): Tensor {
  const probs = typeof p === 'number' ? null : p.data();
  const outShape = typeof p === 'number' ? shape : p.shape;
  if (!outShape) throw new ValueError('bernoulli: give a shape when p is a number');
  assertShape('bernoulli', outShape);
  const check = (v: number) => {
    if (!(v >= 0 && v <= 1)) throw new ValueError(`bernoulli: probabilities must lie in [0, 1], got ${v}`);
  };
  if (typeof p === 'number') check(p);
  else for (const v of probs!) check(v);
  const g = opts.generator ?? defaultGenerator;
  const data = allocate(assertDType(opts.dtype ?? 'float32'), sizeOf(outShape));
  for (let i = 0; i < data.length; i++) data[i] = g.uniform() < (probs ? probs[i]! : (p as number)) ? 1 : 0;
  return finish(new Tensor(data, outShape.slice()), opts);
}
