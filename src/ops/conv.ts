/**
 * Convolutions as composites: `im2col` turns every window into a row of a matrix, one GEMM
 * (one per group) multiplies it with the flattened kernel. Their gradients come from the
 * primitives' VJPs (`im2col` ↔ `col2im`, `matmul`); no gradient code lives here.
 */
import { FUSED_ACTIVATION_CODES, type FusedActivation } from '../backend/fused-kernels.js';
import { DTypeError, ShapeError, ValueError } from '../tensor/errors.js';
import { isFloat } from '../tensor/dtype.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { empty } from './primitives/alloc.js';
import { matmul } from './matmul.js';
import { permute, reshape } from './movement.js';
import { biasActivation } from './nn.js';
import type { WindowParams } from './primitives/types.js';
import { assertTensor } from './scalar.js';
import {
  checkInput, fromNHWC, im2col, slidingWindow, splitShape, toNHWC, windowParams,
  type DataFormat, type WindowOptions,
} from './window.js';

/**
 * How a kernel's axes are ordered. `'keras'` (default): spatial axes first, e.g.
 * `[kh, kw, inChannels/groups, outChannels]`; `'pytorch'` (also ONNX): channels first,
 * `[outChannels, inChannels/groups, kh, kw]`. Each op documents its own shapes.
 */
export type KernelLayout = 'keras' | 'pytorch';

/** Options of the convolutions. */
export interface ConvOptions extends WindowOptions {
  /** Split the channels into this many independent groups (default 1); must divide both channel counts. */
  groups?: number;
  /** Default `'channelsLast'`. */
  dataFormat?: DataFormat;
  /** Default `'keras'`. */
  kernelLayout?: KernelLayout;
  /** Added to every output position: one value per output channel. Default none. */
  bias?: Tensor | null;
  /**
   * Applied to the output in the same pass as the bias, and differentiated in one pass too:
   * `'relu'`, `'sigmoid'`, `'tanh'`, `'gelu'` or `'linear'`. Default none.
   */
  activation?: FusedActivation | null;
}

/** The axis names of a kernel of `rank` spatial dims for error messages: `[kh, kw, A, B]` or `[A, B, kh, kw]`. */
export function kernelAxes(rank: number, layout: KernelLayout, a: string, b: string): string {
  const sp = rank === 1 ? ['k'] : ['kh', 'kw'];
  return `[${(layout === 'keras' ? [...sp, a, b] : [b, a, ...sp]).join(', ')}]`;
}

/**
 * Validates a kernel and returns it in Keras order (spatial axes first): a PyTorch-layout
 * `[B, A, ...spatial]` kernel is permuted (a view) to `[...spatial, A, B]`.
 */
export function kerasKernel(op: string, kernel: Tensor, rank: number, layout: KernelLayout, axes: string): Tensor {
  assertTensor(op, kernel, 'kernel');
  if (layout !== 'keras' && layout !== 'pytorch') throw new ValueError(`${op}: kernelLayout must be 'keras' or 'pytorch', got ${JSON.stringify(layout)}`);
  if (kernel.ndim !== rank + 2) throw new ShapeError(`${op}: expected a ${rank + 2}-D kernel ${axes}, got shape ${fmt(kernel.shape)}`);
  if (!isFloat(kernel.dtype)) throw new DTypeError(`${op}: expected a float kernel, got ${kernel.dtype}; cast it with cast(k, 'float32')`);
  const k = layout === 'keras' ? kernel : permute(kernel, rank === 1 ? [2, 1, 0] : [2, 3, 1, 0]);
  // a 0-wide window would make every output position an empty sum: a larger image of zeros
  if (k.shape.slice(0, rank).some((d) => d < 1)) {
    throw new ShapeError(`${op}: the kernel's window must be at least 1 in every spatial dim, got kernel shape ${fmt(kernel.shape)} (${layout} layout)`);
  }
  return k;
}

/** The `groups` option, validated. */
export function checkGroups(op: string, groups: number | undefined): number {
  const g = groups ?? 1;
  if (!Number.isInteger(g) || g < 1) throw new ValueError(`${op}: groups must be a positive integer, got ${String(groups)}`);
  return g;
}

/**
 * `activation(y + bias)` for `y [N, H, W, F]` and the per-channel `bias` (validated: shape
 * `[F]`), in one fused pass; `y` itself when there is neither.
 */
export function addBias(op: string, y: Tensor, bias: Tensor | null | undefined, channels: number, activation?: FusedActivation | null): Tensor {
  if (activation && !(activation in FUSED_ACTIVATION_CODES)) {
    throw new ValueError(`${op}: activation must be one of ${Object.keys(FUSED_ACTIVATION_CODES).join(', ')}, got ${JSON.stringify(activation)}`);
  }
  if (bias === null || bias === undefined) return activation ? biasActivation(y, empty(y.dtype, [channels]), activation) : y;
  assertTensor(op, bias, 'bias');
  if (bias.ndim !== 1 || bias.shape[0] !== channels) {
    throw new ShapeError(`${op}: bias must have shape [${channels}] (one value per output channel), got ${fmt(bias.shape)}`);
  }
  return biasActivation(y, bias, activation ?? 'linear');
}

/** A Keras-order kernel of 1 or 2 spatial dims as a 2-D one (a 1-D kernel is one row high). */
export function kernel2d(k: Tensor): Tensor {
  return k.ndim === 4 ? k : reshape(k, [1, ...k.shape]);
}

/**
 * The convolution itself on an `[N, H, W, C]` image and a `[kh, kw, C/groups, F]` kernel:
 * patches `[N·gH·gW, kh·kw·C]` times the kernel as a matrix, group by group → `[N, gH, gW, F]`.
 */
function convNHWC(x: Tensor, k: Tensor, groups: number, p: WindowParams): Tensor {
  const [kh, kw, cg, f] = k.shape as [number, number, number, number];
  const n = x.shape[0]!;
  const m = n * p.grid[0] * p.grid[1];
  const kk = kh * kw;
  // [N,gH,gW,kh,kw,C] → [G, M, kh·kw·C/G]; for one group every step here is a free view
  const patches = reshape(permute(reshape(im2col(x, p), [m, kk, groups, cg]), [2, 0, 1, 3]), [groups, m, kk * cg]);
  const weights = permute(reshape(k, [kk * cg, groups, f / groups]), [1, 0, 2]);
  const y = permute(matmul(patches, weights), [1, 0, 2]);
  return reshape(y, [n, p.grid[0], p.grid[1], f]);
}

/** Validates channels against a Keras-order kernel `[...k, C/groups, F]` and runs the convolution. */
function convolve(op: string, rank: number, x: Tensor, k: Tensor, groups: number, opts: ConvOptions, shown: Tensor): Tensor {
  const format = opts.dataFormat ?? 'channelsLast';
  const { spatial, channels } = splitShape(x, format);
  const cg = k.shape[rank]!;
  const f = k.shape[rank + 1]!;
  if (channels % groups !== 0) throw new ValueError(`${op}: groups (${groups}) must divide the input's ${channels} channels`);
  if (cg * groups !== channels) {
    const perGroup = groups > 1 ? ` (${cg} per group × ${groups} groups)` : '';
    throw new ShapeError(`${op}: input has ${channels} channels but the kernel expects ${cg * groups}${perGroup} (kernel shape ${fmt(shown.shape)})`);
  }
  if (f % groups !== 0) throw new ValueError(`${op}: groups (${groups}) must divide the kernel's ${f} output channels`);
  const w = slidingWindow(op, 'kernel', spatial, k.shape.slice(0, rank), opts);
  const y = convNHWC(toNHWC(x, format), kernel2d(k), groups, windowParams(w));
  return fromNHWC(addBias(op, y, opts.bias, f, opts.activation), format, rank);
}

function convNd(op: string, rank: number, x: Tensor, kernel: Tensor, opts: ConvOptions): Tensor {
  checkInput(op, x, rank, opts.dataFormat ?? 'channelsLast');
  const layout = opts.kernelLayout ?? 'keras';
  const k = kerasKernel(op, kernel, rank, layout, kernelAxes(rank, layout, 'inChannels/groups', 'outChannels'));
  return convolve(op, rank, x, k, checkGroups(op, opts.groups), opts, kernel);
}

/**
 * 2-D convolution (cross-correlation, as in every framework) of `x [N, H, W, C]` (or
 * `[N, C, H, W]` with `dataFormat: 'channelsFirst'`) with `kernel [kh, kw, C/groups, F]` (or
 * `[F, C/groups, kh, kw]` with `kernelLayout: 'pytorch'`): `[N, outH, outW, F]` where
 * `out = floor((H + padTotal − dilation·(kh − 1) − 1) / stride) + 1` (`ceil(H / stride)` for
 * `'same'`). With groups, input channels `g·C/G…` meet output channels `g·F/G…` only.
 *
 * @example
 * nb.conv2d(nb.randn([8, 28, 28, 1]), nb.randn([3, 3, 1, 32]), { padding: 'same' })  // [8, 28, 28, 32]
 * nb.conv2d(x, w, { strides: 2, dataFormat: 'channelsFirst', kernelLayout: 'pytorch' })  // ONNX/PyTorch style
 */
export function conv2d(x: Tensor, kernel: Tensor, opts: ConvOptions = {}): Tensor {
  return convNd('conv2d', 2, x, kernel, opts);
}

/**
 * 1-D convolution of `x [N, L, C]` (or `[N, C, L]`) with `kernel [k, C/groups, F]` (or
 * `[F, C/groups, k]`): `[N, outL, F]`. Padding may also be `'causal'` (the output at `t` sees
 * inputs up to `t` only).
 *
 * @example
 * nb.conv1d(nb.randn([4, 100, 8]), nb.randn([5, 8, 16]), { padding: 'causal', dilation: 2 })  // [4, 100, 16]
 */
export function conv1d(x: Tensor, kernel: Tensor, opts: ConvOptions = {}): Tensor {
  return convNd('conv1d', 1, x, kernel, opts);
}

/** Options of `depthwiseConv2d` (no `groups`: there is one group per input channel). */
export type DepthwiseConvOptions = Omit<ConvOptions, 'groups'>;

/**
 * Depthwise 2-D convolution: each input channel is convolved with its own `depthMultiplier`
 * filters. `kernel [kh, kw, C, depthMultiplier]` (Keras), or `[C·depthMultiplier, 1, kh, kw]`
 * with `kernelLayout: 'pytorch'`; output channel `c·depthMultiplier + m` comes from input
 * channel `c` and filter `m`. Equal to `conv2d` with `groups: C`.
 *
 * @example
 * nb.depthwiseConv2d(nb.randn([2, 16, 16, 8]), nb.randn([3, 3, 8, 2]), { padding: 'same' })  // [2, 16, 16, 16]
 */
export function depthwiseConv2d(x: Tensor, kernel: Tensor, opts: DepthwiseConvOptions = {}): Tensor {
  const op = 'depthwiseConv2d';
  const format = opts.dataFormat ?? 'channelsLast';
  checkInput(op, x, 2, format);
  const layout = opts.kernelLayout ?? 'keras';
  const axes = layout === 'keras' ? '[kh, kw, channels, depthMultiplier]' : '[channels·depthMultiplier, 1, kh, kw]';
  const k = kerasKernel(op, kernel, 2, layout, axes);
  const { channels } = splitShape(x, format);
  if (layout === 'keras') {
    const [kh, kw, c, dm] = k.shape as [number, number, number, number];
    if (c !== channels) throw new ShapeError(`${op}: input has ${channels} channels but the kernel expects ${c} (kernel shape ${fmt(kernel.shape)})`);
    return convolve(op, 2, x, reshape(k, [kh, kw, 1, c * dm]), channels, opts, kernel);
  }
  if (k.shape[2] !== 1 || k.shape[3]! % channels !== 0) {
    throw new ShapeError(`${op}: a 'pytorch' depthwise kernel is ${axes}; got ${fmt(kernel.shape)} for an input with ${channels} channels`);
  }
  return convolve(op, 2, x, k, channels, opts, kernel);
}
