/**
 * The Tensor methods. Each one delegates to the op of the same name, so `a.add(b)` and
 * `nb.add(a, b)` are the same computation. Kept here, above both the ops and the backward engine
 * (`t.backward()`), not in tensor.ts, so that the Tensor class stays thin and the ops stay the
 * single place where math is defined.
 */
import { backward, type BackwardOptions } from './backward.js';
import type { DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import * as act from '../ops/activations.js';
import * as bin from '../ops/binary.js';
import * as idx from '../ops/indexing.js';
import * as mm from '../ops/matmul.js';
import * as mv from '../ops/movement.js';
import * as red from '../ops/reduce.js';
import type { TensorLike } from '../ops/scalar.js';
import * as seq from '../ops/sequence.js';
import * as un from '../ops/unary.js';

declare module '../tensor/tensor.js' {
  interface Tensor {
    add(b: TensorLike): Tensor;
    sub(b: TensorLike): Tensor;
    mul(b: TensorLike): Tensor;
    div(b: TensorLike): Tensor;
    pow(b: TensorLike): Tensor;
    maximum(b: TensorLike): Tensor;
    minimum(b: TensorLike): Tensor;
    eq(b: TensorLike): Tensor;
    ne(b: TensorLike): Tensor;
    lt(b: TensorLike): Tensor;
    le(b: TensorLike): Tensor;
    gt(b: TensorLike): Tensor;
    ge(b: TensorLike): Tensor;
    cast(dtype: DType): Tensor;
    clamp(min?: number, max?: number): Tensor;
    neg(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    rsqrt(): Tensor;
    abs(): Tensor;
    sign(): Tensor;
    sin(): Tensor;
    cos(): Tensor;
    tanh(): Tensor;
    sigmoid(): Tensor;
    relu(): Tensor;
    softmax(axis?: number): Tensor;
    logSoftmax(axis?: number): Tensor;
    sum(axis?: red.Axis, keepDims?: boolean): Tensor;
    mean(axis?: red.Axis, keepDims?: boolean): Tensor;
    max(axis?: red.Axis, keepDims?: boolean): Tensor;
    min(axis?: red.Axis, keepDims?: boolean): Tensor;
    prod(axis?: red.Axis, keepDims?: boolean): Tensor;
    variance(axis?: red.Axis, keepDims?: boolean): Tensor;
    argmax(axis?: number, keepDims?: boolean): Tensor;
    argmin(axis?: number, keepDims?: boolean): Tensor;
    matmul(b: Tensor): Tensor;
    reshape(shape: readonly number[]): Tensor;
    view(shape: readonly number[]): Tensor;
    flatten(startAxis?: number, endAxis?: number): Tensor;
    squeeze(axis?: number): Tensor;
    unsqueeze(axis: number): Tensor;
    permute(perm: readonly number[]): Tensor;
    transpose(perm?: readonly number[]): Tensor;
    expand(shape: readonly number[]): Tensor;
    slice(spec: string | readonly mv.SliceEntry[]): Tensor;
    contiguous(): Tensor;
    /** A copy in storage of its own that stays in the graph (`torch.clone`). */
    clone(): Tensor;
    gather(indices: Tensor, axis?: number): Tensor;
    tril(k?: number): Tensor;
    triu(k?: number): Tensor;
    cumsum(axis: number, opts?: seq.CumsumOptions): Tensor;
    cumprod(axis: number): Tensor;
    topk(k: number, opts?: seq.TopkOptions): { values: Tensor; indices: Tensor };
    /** Backpropagates from this tensor; see `backward` in autograd. */
    backward(grad?: Tensor, opts?: BackwardOptions): void;
  }
}

const methods: Partial<Record<keyof Tensor, (this: Tensor, ...args: never[]) => unknown>> = {
  add(b: TensorLike) { return bin.add(this, b); },
  sub(b: TensorLike) { return bin.sub(this, b); },
  mul(b: TensorLike) { return bin.mul(this, b); },
  div(b: TensorLike) { return bin.div(this, b); },
  pow(b: TensorLike) { return bin.pow(this, b); },
  maximum(b: TensorLike) { return bin.maximum(this, b); },
  minimum(b: TensorLike) { return bin.minimum(this, b); },
  eq(b: TensorLike) { return bin.eq(this, b); },
  ne(b: TensorLike) { return bin.ne(this, b); },
  lt(b: TensorLike) { return bin.lt(this, b); },
  le(b: TensorLike) { return bin.le(this, b); },
  gt(b: TensorLike) { return bin.gt(this, b); },
  ge(b: TensorLike) { return bin.ge(this, b); },
  cast(dtype: DType) { return bin.cast(this, dtype); },
  clamp(min?: number, max?: number) { return bin.clamp(this, min, max); },
  neg() { return un.neg(this); },
  exp() { return un.exp(this); },
  log() { return un.log(this); },
  sqrt() { return un.sqrt(this); },
  rsqrt() { return un.rsqrt(this); },
  abs() { return un.abs(this); },
  sign() { return un.sign(this); },
  sin() { return un.sin(this); },
  cos() { return un.cos(this); },
  tanh() { return un.tanh(this); },
  sigmoid() { return un.sigmoid(this); },
  relu() { return un.relu(this); },
  softmax(axis?: number) { return act.softmax(this, axis); },
  logSoftmax(axis?: number) { return act.logSoftmax(this, axis); },
  sum(axis?: red.Axis, keepDims?: boolean) { return red.sum(this, axis, keepDims); },
  mean(axis?: red.Axis, keepDims?: boolean) { return red.mean(this, axis, keepDims); },
  max(axis?: red.Axis, keepDims?: boolean) { return red.max(this, axis, keepDims); },
  min(axis?: red.Axis, keepDims?: boolean) { return red.min(this, axis, keepDims); },
  prod(axis?: red.Axis, keepDims?: boolean) { return red.prod(this, axis, keepDims); },
  variance(axis?: red.Axis, keepDims?: boolean) { return red.variance(this, axis, keepDims); },
  argmax(axis?: number, keepDims?: boolean) { return red.argmax(this, axis, keepDims); },
  argmin(axis?: number, keepDims?: boolean) { return red.argmin(this, axis, keepDims); },
  matmul(b: Tensor) { return mm.matmul(this, b); },
  reshape(shape: readonly number[]) { return mv.reshape(this, shape); },
  view(shape: readonly number[]) { return mv.view(this, shape); },
  flatten(startAxis?: number, endAxis?: number) { return mv.flatten(this, startAxis, endAxis); },
  squeeze(axis?: number) { return mv.squeeze(this, axis); },
  unsqueeze(axis: number) { return mv.unsqueeze(this, axis); },
  permute(perm: readonly number[]) { return mv.permute(this, perm); },
  transpose(perm?: readonly number[]) { return mv.transpose(this, perm); },
  expand(shape: readonly number[]) { return mv.expand(this, shape); },
  slice(spec: string | readonly mv.SliceEntry[]) { return mv.slice(this, spec); },
  contiguous() { return mv.contiguous(this); },
  clone() { return mv.clone(this); },
  gather(indices: Tensor, axis?: number) { return idx.gather(this, indices, axis); },
  tril(k?: number) { return seq.tril(this, k); },
  triu(k?: number) { return seq.triu(this, k); },
  cumsum(axis: number, opts?: seq.CumsumOptions) { return seq.cumsum(this, axis, opts); },
  cumprod(axis: number) { return seq.cumprod(this, axis); },
  topk(k: number, opts?: seq.TopkOptions) { return seq.topk(this, k, opts); },
  backward(grad?: Tensor, opts?: BackwardOptions) { backward(this, grad, opts); },
};

Object.assign(Tensor.prototype, methods);
