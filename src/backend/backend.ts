import type { TypedArray } from './typed-array.js';
import type { FusedKernels } from './fused-kernels.js';
import type { RecurrentKernels } from './recurrent-kernels.js';
import type { FftKernels } from './fft-kernels.js';
import type { CtcKernels } from './ctc-kernels.js';

/**
 * A strided view over raw storage, as the kernels see it: element `(i0, i1, …)` lives at
 * `data[offset + i0*strides[0] + i1*strides[1] + …]`. A stride of 0 repeats (broadcasts) a value.
 */
export interface View {
  data: TypedArray;
  shape: readonly number[];
  strides: readonly number[];
  offset: number;
}

export type UnaryOp =
  | 'neg' | 'exp' | 'log' | 'sqrt' | 'rsqrt' | 'abs' | 'sign' | 'sin' | 'cos'
  | 'tanh' | 'sigmoid' | 'erf' | 'relu' | 'log1p' | 'expm1';

export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

export type ReduceOp = 'sum' | 'max' | 'min' | 'prod';

/**
 * The geometry of a 2-D sliding window over an image of `[batch, height, width, channels]`:
 * window `(i, j)` of the `outH × outW` grid reads rows `i·strideH − padTop + a·dilationH`
 * (`a < kernelH`) and columns `j·strideW − padLeft + b·dilationW` (`b < kernelW`). Rows and
 * columns outside the image are padding.
 */
export interface Window2d {
  batch: number;
  height: number;
  width: number;
  channels: number;
  outH: number;
  outW: number;
  kernelH: number;
  kernelW: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padTop: number;
  padLeft: number;
}

/**
 * The sizes of one scaled dot-product attention call: q `[batch, heads, queries, depth]`, k
 * `[batch, kvHeads, keys, depth]`, v `[batch, kvHeads, keys, valueDepth]`; query head `h` reads
 * key/value head `floor(h / (heads / kvHeads))`. With `causal`, query `i` sees keys
 * `j ≤ i + keys − queries` (aligned at the end, as with a key/value cache).
 */
export interface AttentionGeometry {
  batch: number;
  heads: number;
  kvHeads: number;
  queries: number;
  keys: number;
  depth: number;
  valueDepth: number;
  scale: number;
  causal: boolean;
}

/**
 * The kernels every backend provides. They compute and nothing else: every shape, stride,
 * broadcast and dtype decision is made by the ops before a kernel is called. Outputs are freshly
 * allocated contiguous arrays unless a `View` is given for them.
 *
 * A faster backend is this record with some entries replaced: `{ ...jsKernels, gemm: fastGemm }`.
 */
export interface Backend extends FusedKernels, RecurrentKernels, CtcKernels, FftKernels {
  readonly name: string;
  /** `out[i] = op(x[i])` over `x.shape` in row-major order; `out` is contiguous. */
  unary(op: UnaryOp, x: View, out: TypedArray): void;
  /** `out[i] = a[i] op b[i]`; `a` and `b` already have the output shape (broadcast dims have stride 0). */
  binary(op: BinaryOp, a: View, b: View, out: TypedArray): void;
  /** `out[i] = cond[i] ? a[i] : b[i]`, all three views of the output shape. */
  where(cond: View, a: View, b: View, out: TypedArray): void;
  /** Copies `src` into `dst` (same shape), converting the element type when the arrays differ. */
  copy(src: View, dst: View): void;
  /**
   * Reduces the middle axis of a contiguous `[outer, n, inner]` block starting at `offset`:
   * `out[o*inner + i] = op over r of x[offset + (o*n + r)*inner + i]`.
   */
  reduce(op: ReduceOp, x: TypedArray, offset: number, outer: number, n: number, inner: number, out: TypedArray): void;
  /** Index of the first maximum (`argmax`) or minimum (`argmin`) along the middle axis, as above. */
  argReduce(op: 'argmax' | 'argmin', x: TypedArray, offset: number, outer: number, n: number, inner: number, out: Int32Array): void;
  /**
   * `C = op(A)·op(B)` with `op(A)` of shape `[m,k]`, `op(B)` `[k,n]`, row-major with leading
   * dimensions `lda, ldb, ldc`; `transA` means A is stored as `[k,m]`. `C` is overwritten.
   */
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    a: TypedArray, aOffset: number, lda: number,
    b: TypedArray, bOffset: number, ldb: number,
    c: TypedArray, cOffset: number, ldc: number,
  ): void;
  /** `out[o, j, i] = x[o, indices[j], i]` over a contiguous `[outer, axisSize, inner]` x. */
  gather(x: TypedArray, outer: number, axisSize: number, inner: number, indices: Int32Array, out: TypedArray): void;
  /** `out[o, indices[j], i] += g[o, j, i]`; `out` is `[outer, axisSize, inner]`, pre-filled by the caller. */
  scatterAdd(g: TypedArray, outer: number, axisSize: number, inner: number, indices: Int32Array, out: TypedArray): void;
  /**
   * Patch extraction: `out[n, i, j, a, b, c] = x[n, row, col, c]` at the row and column that
   * window `(i, j)` reads at `(a, b)` (see `Window2d`), `padValue` where that lies outside the
   * image. `x` is an `[N, H, W, C]` view with any strides; `out` is contiguous
   * `[N, outH, outW, kernelH, kernelW, C]`.
   */
  im2col(x: View, w: Window2d, padValue: number, out: TypedArray): void;
  /**
   * The adjoint of `im2col`: adds every entry of the contiguous `[N, outH, outW, kernelH,
   * kernelW, C]` block `cols` (starting at `colsOffset`) into the image position it was read
   * from; entries that read padding are dropped. `out` is contiguous `[N, H, W, C]`, pre-filled
   * by the caller.
   */
  col2im(cols: TypedArray, colsOffset: number, w: Window2d, out: TypedArray): void;
  /**
   * Max pooling's arg-max: `out[n, i, j, c]` = the flat index into the contiguous `[N, H, W, C]`
   * image `x` (from `offset`) of the first maximum of window `(i, j)` in channel `c`, padding
   * never winning and a NaN winning. `out` is `[N, outH, outW, C]`. When `values` (x's type,
   * `[N, outH, outW, C]`) is given, the maxima themselves are written there in the same pass.
   */
  maxPoolIndices(x: TypedArray, offset: number, w: Window2d, out: Int32Array, values?: TypedArray | null): void;
  /** Batch norm statistics: per-column mean and biased variance of a contiguous `[rows, cols]` block (rows ≥ 1). */
  batchNormStats(x: TypedArray, rows: number, cols: number, mean: Float64Array, variance: Float64Array): void;
  /** `out[r, c] = (x[r, c] − mean[c])·scale[c] + beta[c]` (no beta: 0) over contiguous `[rows, cols]` blocks. */
  batchNormForward(x: TypedArray, rows: number, cols: number, mean: Float64Array, scale: Float64Array, beta: TypedArray | null, out: TypedArray): void;
  /**
   * The backward of `y = x̂·gamma + beta`, `x̂ = (x − mean)·rstd` with the batch's own statistics:
   * `dgamma = Σ_r g·x̂`, `dbeta = Σ_r g`, `dx = gamma·rstd·(g − dbeta/rows − x̂·dgamma/rows)`.
   */
  batchNormBackward(
    x: TypedArray, g: TypedArray, rows: number, cols: number, mean: Float64Array, rstd: Float64Array, gamma: Float64Array,
    dx: TypedArray, dgamma: Float64Array, dbeta: Float64Array,
  ): void;
  /**
   * Running sums or products along the middle axis of a contiguous `[outer, n, inner]` block
   * starting at `offset` (exclusive: each output leaves out its own element; reverse: from the
   * end). `out` is contiguous `[outer, n, inner]`.
   */
  scan(op: 'sum' | 'prod', x: TypedArray, offset: number, outer: number, n: number, inner: number, exclusive: boolean, reverse: boolean, out: TypedArray): void;
  /**
   * Fused attention forward: `out = softmax(scale·q·kᵀ + mask)·v` per (batch, head), and the
   * row log-sum-exp of the scores into `lse` (`[batch, heads, queries]`, −∞ for a row that sees
   * no key; its output row is 0). `q`, `k`, `v` are 4-D views whose last stride is 1; `mask`
   * is null or a view of shape `[batch, heads, queries, keys]` (stride 0 where broadcast): a
   * Uint8Array (0 = may not attend) or a float array of q's type added to the scores. `out` is
   * contiguous `[batch, heads, queries, valueDepth]`.
   */
  attentionForward(q: View, k: View, v: View, mask: View | null, g: AttentionGeometry, out: TypedArray, lse: TypedArray): void;
  /**
   * Fused attention backward from the forward's `out` and `lse` (contiguous) and the output
   * gradient `dOut` (a 4-D view, last stride 1): writes `dq` (q's shape), `dk` and `dv` (k's and
   * v's shapes, summed over the query heads sharing a key/value head), all contiguous and
   * pre-filled with zeros by the caller.
   */
  attentionBackward(
    q: View, k: View, v: View, mask: View | null, g: AttentionGeometry,
    out: TypedArray, lse: TypedArray, dOut: View, dq: TypedArray, dk: TypedArray, dv: TypedArray,
  ): void;
}
