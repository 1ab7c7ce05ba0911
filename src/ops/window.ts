/**
 * Sliding-window plumbing shared by the convolution and pooling ops: resolving Keras/PyTorch
 * padding modes to explicit pads, validating window options, moving between data formats, and
 * the `im2col`/`col2im` primitives' entry points.
 */
import { DTypeError, ShapeError, ValueError } from '../tensor/errors.js';
import { isFloat } from '../tensor/dtype.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { apply } from './dispatch.js';
import { permute, reshape } from './movement.js';
import type { WindowParams } from './primitives/types.js';
import { assertTensor } from './scalar.js';

/**
 * How the input is padded before the windows slide over it:
 * - `'valid'`: not at all (windows must fit inside the input);
 * - `'same'`: as Keras/TensorFlow, so that the output has `ceil(size / stride)` positions, the
 *   odd cell of padding going after (bottom/right);
 * - `'causal'` (1-D convolutions only): `dilation·(k − 1)` zeros before, none after;
 * - a number: that many cells on every side of every spatial dim;
 * - explicit `[before, after]` pairs, one per spatial dim: `[[top, bottom], [left, right]]`.
 */
export type Padding = 'valid' | 'same' | 'causal' | number | readonly (readonly [number, number])[];

/** Where the channel axis is: `'channelsLast'` (`[N, H, W, C]`, Keras' default) or `'channelsFirst'` (`[N, C, H, W]`, PyTorch's). */
export type DataFormat = 'channelsLast' | 'channelsFirst';

/** A window resolved for `rank` spatial dims (1 or 2): every option as one entry per dim. */
export interface WindowSpec {
  /** The input's spatial sizes. */
  size: number[];
  kernel: number[];
  strides: number[];
  dilation: number[];
  /** `[before, after]` padding per dim. */
  pads: [number, number][];
  /** Window positions per dim: the output's spatial sizes. */
  grid: number[];
}

/** `v` as one integer `≥ min` per spatial dim (a single number applies to all of them). */
export function perDim(
  op: string, name: string, v: number | readonly number[] | undefined, rank: number, fallback: number, min = 1,
): number[] {
  const one = v === undefined ? fallback : typeof v === 'number' ? v : null;
  const out = one !== null ? new Array<number>(rank).fill(one) : Array.isArray(v) ? v.slice() : [];
  if (out.length !== rank || !out.every((d) => Number.isInteger(d) && d >= min)) {
    const kind = min === 1 ? 'a positive integer' : min === 0 ? 'a non-negative integer' : `an integer ≥ ${min}`;
    throw new ValueError(`${op}: ${name} must be ${kind} or ${rank} of them, got ${JSON.stringify(v)}`);
  }
  return out;
}

/** `[before, after]` padding per spatial dim for `padding`, given sizes and dilated kernel sizes. */
function resolvePadding(op: string, padding: Padding, size: number[], span: number[], strides: number[]): [number, number][] {
  const rank = size.length;
  if (padding === 'valid') return size.map(() => [0, 0]);
  if (padding === 'same') {
    return size.map((n, i) => {
      const out = Math.ceil(n / strides[i]!);
      const total = Math.max((out - 1) * strides[i]! + span[i]! - n, 0);
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    });
  }
  if (padding === 'causal') {
    if (rank !== 1) throw new ValueError(`${op}: 'causal' padding is only for 1-D convolutions`);
    return [[span[0]! - 1, 0]];
  }
  return explicitPadding(op, padding, rank);
}

/** Validates a padding option without resolving it (layers check theirs in the constructor). */
export function checkPadding(op: string, padding: Padding, rank: number): Padding {
  if (padding === 'valid' || padding === 'same') return padding;
  if (padding === 'causal') {
    if (rank !== 1) throw new ValueError(`${op}: 'causal' padding is only for 1-D convolutions`);
    return padding;
  }
  explicitPadding(op, padding, rank);
  return padding;
}

/** Numeric padding (one number, or `[before, after]` per spatial dim) as pairs, validated. */
export function explicitPadding(op: string, padding: Padding, rank: number): [number, number][] {
  if (typeof padding === 'number') {
    if (!Number.isInteger(padding) || padding < 0) throw new ValueError(`${op}: padding must be a non-negative integer, got ${padding}`);
    return new Array(rank).fill(0).map(() => [padding, padding]);
  }
  const ok = Array.isArray(padding) && padding.length === rank &&
    padding.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0));
  if (!ok) {
    throw new ValueError(
      `${op}: padding must be 'valid', 'same', a non-negative integer or ${rank} [before, after] pairs of them, got ${JSON.stringify(padding)}`,
    );
  }
  return padding.map((p) => [p[0], p[1]]);
}

/** Options that place a window: step, spacing of its taps, and padding. */
export interface WindowOptions {
  /** Step between windows: one number or one per spatial dim. Default 1. */
  strides?: number | readonly number[];
  /** Spacing between the window's taps (1 = adjacent): one number or one per spatial dim. Default 1. */
  dilation?: number | readonly number[];
  /** Default `'valid'`; see `Padding`. */
  padding?: Padding;
}

/**
 * Resolves and validates a window of `kernel` over spatial `size`: strides and dilation default
 * to 1, padding to `'valid'`. `what` names the window in errors (`'kernel'`, `'pool window'`).
 */
export function slidingWindow(op: string, what: string, size: number[], kernel: number[], opts: WindowOptions): WindowSpec {
  const rank = size.length;
  const strides = perDim(op, 'strides', opts.strides, rank, 1);
  const dilation = perDim(op, 'dilation', opts.dilation, rank, 1);
  const span = kernel.map((k, i) => dilation[i]! * (k - 1) + 1);
  const pads = resolvePadding(op, opts.padding ?? 'valid', size, span, strides);
  const padded = size.map((n, i) => n + pads[i]![0] + pads[i]![1]);
  if (padded.some((n, i) => n < span[i]!)) {
    const dilated = span.some((s, i) => s !== kernel[i]) ? ` (dilated to ${span.join('×')})` : '';
    throw new ShapeError(
      `${op}: the ${kernel.join('×')} ${what}${dilated} is larger than the padded input ${padded.join('×')}; use a smaller ${what}, more padding or padding 'same'`,
    );
  }
  const grid = padded.map((n, i) => Math.floor((n - span[i]!) / strides[i]!) + 1);
  return { size, kernel, strides, dilation, pads, grid };
}

/** A 1-D or 2-D window as the primitives' 2-D parameters (a 1-D window is one row high). */
export function windowParams(w: WindowSpec): WindowParams {
  const two = (v: number[], fill: number): [number, number] => (v.length === 1 ? [fill, v[0]!] : [v[0]!, v[1]!]);
  return {
    size: two(w.size, 1),
    grid: two(w.grid, 1),
    kernel: two(w.kernel, 1),
    strides: two(w.strides, 1),
    dilation: two(w.dilation, 1),
    padBefore: two(w.pads.map((p) => p[0]), 0),
  };
}

/** Patches of an `[N, H, W, C]` image: `[N, gridH, gridW, kH, kW, C]` (the `im2col` primitive). */
export function im2col(x: Tensor, w: WindowParams, padValue = 0): Tensor {
  const { size, grid, kernel, strides, dilation, padBefore } = w;
  return apply('im2col', [x], { size, grid, kernel, strides, dilation, padBefore, padValue });
}

/** Patches `[N, gridH, gridW, kH, kW, C]` added back into an `[N, H, W, C]` image (the `col2im` primitive). */
export function col2im(cols: Tensor, w: WindowParams): Tensor {
  const { size, grid, kernel, strides, dilation, padBefore } = w;
  return apply('col2im', [cols], { size, grid, kernel, strides, dilation, padBefore });
}

/** Checks that `x` is a float tensor of `rank` spatial dims plus batch and channels. */
export function checkInput(op: string, x: Tensor, rank: number, format: DataFormat): void {
  assertTensor(op, x);
  if (format !== 'channelsLast' && format !== 'channelsFirst') {
    throw new ValueError(`${op}: dataFormat must be 'channelsLast' or 'channelsFirst', got ${JSON.stringify(format)}`);
  }
  if (x.ndim !== rank + 2) {
    const layout = rank === 1 ? (format === 'channelsLast' ? '[batch, length, channels]' : '[batch, channels, length]')
      : format === 'channelsLast' ? '[batch, height, width, channels]' : '[batch, channels, height, width]';
    throw new ShapeError(`${op}: expected a ${rank + 2}-D input ${layout}, got shape ${fmt(x.shape)}`);
  }
  if (!isFloat(x.dtype)) throw new DTypeError(`${op}: expected a float input, got ${x.dtype}; cast it with cast(x, 'float32')`);
}

/** The spatial sizes and channel count of a `rank`-D input in `format`. */
export function splitShape(x: Tensor, format: DataFormat): { spatial: number[]; channels: number } {
  const s = x.shape;
  return format === 'channelsLast' ? { spatial: s.slice(1, -1), channels: s[s.length - 1]! } : { spatial: s.slice(2), channels: s[1]! };
}

/** `x` as a 2-D channels-last `[N, H, W, C]` tensor (a view; a 1-D input becomes one row high). */
export function toNHWC(x: Tensor, format: DataFormat): Tensor {
  if (x.ndim === 3) x = reshape(x, format === 'channelsLast' ? [x.shape[0]!, 1, x.shape[1]!, x.shape[2]!] : [x.shape[0]!, x.shape[1]!, 1, x.shape[2]!]);
  return format === 'channelsLast' ? x : permute(x, [0, 2, 3, 1]);
}

/** The inverse of `toNHWC`: `y [N, H, W, C]` back to `rank` spatial dims in `format`. */
export function fromNHWC(y: Tensor, format: DataFormat, rank: number): Tensor {
  const [n, , w, c] = y.shape as [number, number, number, number];
  if (rank === 1) {
    const y1 = reshape(y, [n, w, c]);
    return format === 'channelsLast' ? y1 : permute(y1, [0, 2, 1]);
  }
  return format === 'channelsLast' ? y : permute(y, [0, 3, 1, 2]);
}
