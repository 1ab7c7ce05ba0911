import type { BinaryOp, ReduceOp, UnaryOp } from '../../backend/backend.js';
import type { FusedActivation } from '../../backend/fused-kernels.js';
import type { RecurrentActivation, RecurrentCell } from '../../backend/recurrent-kernels.js';
import type { DType } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';

/** Parameters of a reduction: normalised, sorted axes. */
export interface ReduceParams {
  axes: number[];
  keepDims: boolean;
}

/** Per-dimension `begin`, `end` (exclusive) and `step` (non-zero), already normalised. */
export interface SliceParams {
  begin: number[];
  end: number[];
  step: number[];
}

/**
 * A 2-D sliding window over a `[N, H, W, C]` image, as `[rows, columns]` pairs: window `(i, j)`
 * of the `grid` reads row `i·strides[0] − padBefore[0] + a·dilation[0]` for `a < kernel[0]`, and
 * likewise for columns. Padding after the image is implied by `grid`.
 */
export interface WindowParams {
  /** Image height and width (im2col's input, col2im's output). */
  size: [number, number];
  /** Number of window positions down and across. */
  grid: [number, number];
  kernel: [number, number];
  strides: [number, number];
  dilation: [number, number];
  /** Padding above the first row and left of the first column. */
  padBefore: [number, number];
}

/** Fused scaled dot-product attention: the score scale, and whether keys after a query are hidden. */
export interface AttentionParams {
  scale: number;
  causal: boolean;
}

/**
 * The fused recurrent loop: which cell, its activations, and which optional inputs follow
 * `[xp, U, h0]` (then `c0` for LSTM): the GRU's recurrent bias, the mask, the recurrent dropout mask.
 */
export interface RecurrentScanParams {
  cell: RecurrentCell;
  activation: RecurrentActivation;
  recurrentActivation: RecurrentActivation;
  hasRecurrentBias: boolean;
  hasMask: boolean;
  hasDrop: boolean;
}

/**
 * The typed parameters of every primitive. The closed set of primitives is the keys of this
 * interface; everything else in `ops/` is composed from them.
 */
export type PrimParams = { [P in UnaryOp]: Record<string, never> } & { [P in BinaryOp]: Record<string, never> } & {
  [P in ReduceOp]: ReduceParams;
} & {
  where: Record<string, never>;
  cast: { dtype: DType };
  reshape: { shape: number[] };
  permute: { perm: number[] };
  expand: { shape: number[] };
  slice: SliceParams;
  /** The adjoint of `slice`: places the input into zeros of `shape` where the slice reads. */
  sliceAdjoint: SliceParams & { shape: number[] };
  pad: { pads: [number, number][]; value: number };
  concat: { axis: number };
  gather: { axis: number };
  scatterAdd: { axis: number; size: number };
  matmul: Record<string, never>;
  /** `[N, H, W, C]` → patches `[N, gridH, gridW, kH, kW, C]`; cells outside the image read `padValue`. */
  im2col: WindowParams & { padValue: number };
  /** The adjoint of `im2col`: patches `[N, gridH, gridW, kH, kW, C]` added back into `[N, H, W, C]`. */
  col2im: WindowParams;
  /** Max pooling: `[N, H, W, C]` → `[N, gridH, gridW, C]`, each window's first maximum (its arg-max kept for the VJP). */
  maxPool: WindowParams;
  /** `x [..., C]` → `[2, C]`: each channel's mean and biased variance over all other axes. */
  batchNormStats: Record<string, never>;
  /** `[x [..., C], batchNormStats(x), gamma [C], beta [C]]` → `(x − μ)·γ/√(σ² + ε) + β`. */
  batchNorm: { epsilon: number };
  /** Inputs `[q, k, v]` or `[q, k, v, mask]` → `[batch, heads, queries, valueDepth]` (see `Backend.attentionForward`). */
  attention: AttentionParams;
  /** Running sum along `axis` (normalised); see `cumsum`. */
  cumsum: { axis: number; exclusive: boolean; reverse: boolean };
  /** Running product along `axis` (normalised); see `cumprod`. */
  cumprod: { axis: number };
  /** Rows along the last axis: softmax (or its log) of each. */
  softmax: Record<string, never>;
  logSoftmax: Record<string, never>;
  /** `[x [..., C], target]` → loss `[...]`; target int32 labels `[...]` or float rows `[..., C]`, smoothed by ε. */
  crossEntropy: { fromLogits: boolean; smoothing: number };
  /** `[y [..., C], bias [C]]` → `activation(y + bias)`. */
  biasActivation: { activation: FusedActivation };
  /** `[x [..., C], gamma [C] if scale, beta [C] if center]` → per-row layer norm. */
  layerNorm: { epsilon: number; scale: boolean; center: boolean };
  /**
   * `[xp [T, B, G·n], U [n, G·n], h0 [B, n], c0 (LSTM), recurrentBias [3n] (GRU), mask [T, B],
   * drop [B, n]]` → every step's states `[T + 1, B, K·n]` (row 0: the initial ones); see `recurrentScan`.
   */
  recurrentScan: RecurrentScanParams;
  /**
   * `x [..., n, 2]` (complex as (re, im) pairs) → `[..., n, 2]`: `scale·Σⱼ x[j]·e^{∓2πi·jk/n}`,
   * − forward, + when `inverse`.
   */
  fft: { inverse: boolean; scale: number };
  /** Real `x [..., n]` → its first `⌊n/2⌋ + 1` DFT bins `[..., ⌊n/2⌋ + 1, 2]`. */
  rfft: Record<string, never>;
  /**
   * `[signal [batch, length], window [n]]` → the power spectrogram `[batch, frames, ⌊n/2⌋ + 1]`:
   * frame t reads `signal[b, idx[t·n + s]]·window[s]`, then `|scale·rfft|^power`; with a third
   * input `proj [⌊n/2⌋ + 1, cols]` (a mel filterbank), those powers times it, `[batch, frames, cols]`.
   * No gradient: used only where none is needed (the composite ops give the differentiable version).
   */
  stftPower: { idx: Int32Array; frames: number; n: number; power: number; scale: number };
  /** `scale·ln(max(x, amin)) − sub` elementwise, rounded once; no gradient (as `stftPower`). */
  decibels: { scale: number; amin: number; sub: number };
};

export type Prim = keyof PrimParams;

/** The vector-Jacobian product: output gradient → one gradient (or null) per input. */
export type Vjp<P extends Prim> = (grad: Tensor, inputs: readonly Tensor[], out: Tensor, params: PrimParams[P]) => (Tensor | null)[];

/**
 * A primitive: its forward (shape rule, dtype rule and kernel call) and its VJP side by side.
 * `vjp: 'none'` marks outputs that carry no gradient (comparisons, integer results).
 */
export interface PrimDef<P extends Prim> {
  forward(inputs: readonly Tensor[], params: PrimParams[P]): Tensor;
  vjp: Vjp<P> | 'none';
  /**
   * A fused primitive's definition as other ops. When the backward is recorded (`createGraph`)
   * autograd recomputes this on the inputs and differentiates it instead of calling `vjp`, so
   * the VJP only runs the backward kernel and gradients of gradients need no formula of their own.
   */
  composite?: (inputs: readonly Tensor[], params: PrimParams[P]) => Tensor;
}

export type PrimTable<K extends Prim> = { [P in K]: PrimDef<P> };
