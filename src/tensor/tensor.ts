import type { GraphNode } from './graph-node.js';
import type { View } from '../backend/backend.js';
import { backend } from '../backend/index.js';
import { allocate, dtypeOfArray, isFloat, type DType, type TypedArray } from './dtype.js';
import { DTypeError, ValueError } from './errors.js';
import { formatTensor } from './format.js';
import { contiguousStrides, isContiguous, sizeOf } from './shape.js';

/** Nested arrays of numbers or booleans, as `toArray()` returns and `tensor()` accepts. */
export type NestedArray = number | boolean | NestedArray[];

/**
 * An n-dimensional array: a strided view (`shape`, `strides`, `offset`) over typed-array storage
 * owned by the garbage collector. No `dispose()` is ever required.
 *
 * Math lives in `ops/`; the methods (`a.add(b)`, `x.sum(0)`…) are attached there and delegate to
 * the same functions as `nb.add(a, b)`.
 */
export class Tensor {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly dtype: DType;
  /** The storage this tensor views; other tensors may view it too. */
  readonly storage: TypedArray;
  /** The gradient accumulated by `backward()` (leaf tensors only). */
  grad: Tensor | null = null;
  /** The op that produced this tensor, when it was recorded for autograd. */
  node: GraphNode | null = null;
  private _requiresGrad = false;

  constructor(storage: TypedArray, shape: readonly number[], strides?: readonly number[], offset = 0) {
    this.storage = storage;
    this.shape = shape;
    this.strides = strides ?? contiguousStrides(shape);
    this.offset = offset;
    this.dtype = dtypeOfArray(storage);
  }

  /** Whether gradients flow to this tensor. Only float tensors can require gradients. */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(flag: boolean) {
    if (flag && !isFloat(this.dtype)) {
      throw new DTypeError(`requiresGrad: only float tensors can require gradients, this one is ${this.dtype}; cast it with x.cast('float32')`);
    }
    this._requiresGrad = flag;
  }

  /** Sets `requiresGrad` and returns this tensor: `nb.randn([3]).requireGrad()`. */
  requireGrad(flag = true): this {
    this.requiresGrad = flag;
    return this;
  }

  /** Number of elements. */
  get size(): number {
    return sizeOf(this.shape);
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** True for a tensor not produced by a recorded op (a parameter or an input). */
  get isLeaf(): boolean {
    return this.node === null;
  }

  /** True when the elements are laid out densely in row-major order. */
  get isContiguous(): boolean {
    return isContiguous(this.shape, this.strides);
  }

  /** The strided view kernels read. */
  strided(): View {
    return { data: this.storage, shape: this.shape, strides: this.strides, offset: this.offset };
  }

  /** A new contiguous typed array holding the elements in row-major order (never shared). */
  data(): TypedArray {
    const out = allocate(this.dtype, this.size);
    backend().copy(this.strided(), { data: out, shape: this.shape, strides: contiguousStrides(this.shape), offset: 0 });
    return out;
  }

  /** The elements as nested JS arrays (booleans for bool tensors); a scalar gives a number. */
  toArray(): NestedArray {
    const flat = this.data();
    const isBool = this.dtype === 'bool';
    const build = (dim: number, start: number): NestedArray => {
      if (dim === this.shape.length) return isBool ? flat[start] !== 0 : flat[start]!;
      const n = this.shape[dim]!;
      const step = sizeOf(this.shape.slice(dim + 1));
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = build(dim + 1, start + i * step);
      return out;
    };
    return build(0, 0);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) {
      throw new ValueError(`item: only a tensor with exactly one element can be read as a number, this one has shape [${this.shape.join(',')}] (${this.size} elements)`);
    }
    return this.storage[this.offset]!;
  }

  /** A tensor sharing this storage but cut out of the autograd graph. */
  detach(): Tensor {
    return new Tensor(this.storage, this.shape, this.strides, this.offset);
  }

  toString(): string {
    return formatTensor(this);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
