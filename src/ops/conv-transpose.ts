/**
 * Transposed convolutions ("deconvolutions"): the adjoint of a convolution, computed the other
 * way round from `conv.ts` — one GEMM per group turns every input pixel into a patch, and
 * `col2im` adds the overlapping patches into the output.
 */
import { ShapeError, ValueError } from '../tensor/errors.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { matmul } from './matmul.js';
import { permute, reshape } from './movement.js';
import { addBias, checkGroups, kernel2d, kernelAxes, kerasKernel, type ConvOptions } from './conv.js';
import { checkInput, col2im, explicitPadding, fromNHWC, perDim, splitShape, toNHWC, windowParams, type WindowSpec } from './window.js';

/** Options of the transposed convolutions. */
export interface ConvTransposeOptions extends ConvOptions {
  /**
   * Extra rows/columns added after the output (default: none, or as Keras for `'valid'`/`'same'`);
   * must be smaller than the stride or the dilation.
   */
  outputPadding?: number | readonly number[];
}

/**
 * The output size and pads of one spatial dim. `'valid'` and `'same'` follow Keras (`same`:
 * `out = in·stride`); numbers follow PyTorch: `out = (in − 1)·stride − before − after +
 * dilation·(k − 1) + 1 + outputPadding`.
 */
function transposeDim(
  op: string, opts: ConvTransposeOptions, rank: number, i: number, n: number, s: number, span: number, outPad: number | undefined,
): { size: number; pads: [number, number] } {
  const padding = opts.padding ?? 'valid';
  if (padding === 'valid' || padding === 'same') {
    let size: number;
    if (outPad === undefined) size = padding === 'valid' ? n * s + Math.max(span - s, 0) : n * s;
    else size = (n - 1) * s + span - 2 * (padding === 'same' ? Math.floor(span / 2) : 0) + outPad;
    // the pads of the convolution that maps `size` back to `n` positions (TensorFlow's 'SAME' rule)
    const total = Math.max((n - 1) * s + span - size, 0);
    return { size, pads: [Math.floor(total / 2), total - Math.floor(total / 2)] };
  }
  if (padding === 'causal') throw new ValueError(`${op}: 'causal' padding is only for 1-D convolutions, not transposed ones`);
  const pads = explicitPadding(op, padding, rank)[i]!;
  return { size: (n - 1) * s + span - pads[0] - pads[1] + (outPad ?? 0), pads };
}

/**
 * The window of the convolution that a transposed convolution is the adjoint of: its `size` is
 * the transposed convolution's output size, its `grid` the input's spatial size.
 */
export function transposeWindow(op: string, spatial: number[], kernelSize: number[], opts: ConvTransposeOptions): WindowSpec {
  const rank = spatial.length;
  const strides = perDim(op, 'strides', opts.strides, rank, 1);
  const dilation = perDim(op, 'dilation', opts.dilation, rank, 1);
  const outPad = opts.outputPadding === undefined ? undefined : perDim(op, 'outputPadding', opts.outputPadding, rank, 0, 0);
  const dims = spatial.map((n, i) => {
    const extra = outPad?.[i];
    if (extra !== undefined && extra >= Math.max(strides[i]!, dilation[i]!)) {
      throw new ValueError(`${op}: outputPadding (${extra}) must be smaller than the stride (${strides[i]}) or the dilation (${dilation[i]})`);
    }
    return transposeDim(op, opts, rank, i, n, strides[i]!, dilation[i]! * (kernelSize[i]! - 1) + 1, extra);
  });
  if (dims.some((d) => d.size < 1)) {
    throw new ShapeError(`${op}: the padding leaves an empty output (${dims.map((d) => d.size).join('×')}) for an input of spatial size ${spatial.join('×')}`);
  }
  return { size: dims.map((d) => d.size), kernel: kernelSize, strides, dilation, pads: dims.map((d) => d.pads), grid: spatial };
}

function convTransposeNd(op: string, rank: number, x: Tensor, kernel: Tensor, opts: ConvTransposeOptions): Tensor {
  const format = opts.dataFormat ?? 'channelsLast';
  checkInput(op, x, rank, format);
  const layout = opts.kernelLayout ?? 'keras';
  const k = kerasKernel(op, kernel, rank, layout, kernelAxes(rank, layout, 'outChannels/groups', 'inChannels'));
  const groups = checkGroups(op, opts.groups);
  const { spatial, channels } = splitShape(x, format);
  const fg = k.shape[rank]!;
  if (k.shape[rank + 1] !== channels) {
    throw new ShapeError(`${op}: input has ${channels} channels but the kernel expects ${k.shape[rank + 1]} (kernel shape ${fmt(kernel.shape)})`);
  }
  if (channels % groups !== 0) throw new ValueError(`${op}: groups (${groups}) must divide the input's ${channels} channels`);
  const p = windowParams(transposeWindow(op, spatial, k.shape.slice(0, rank), opts));
  const x4 = toNHWC(x, format);
  const n = x4.shape[0]!;
  const m = n * p.grid[0] * p.grid[1];
  const k4 = kernel2d(k);
  const kk = p.kernel[0] * p.kernel[1];
  const cg = channels / groups;
  // [M, C] → [G, M, C/G] times [G, C/G, kh·kw·F/G] → patches [N, H, W, kh, kw, F]
  const xs = permute(reshape(x4, [m, groups, cg]), [1, 0, 2]);
  const ws = permute(reshape(k4, [kk * fg, groups, cg]), [1, 2, 0]);
  const cols = permute(reshape(matmul(xs, ws), [groups, m, kk, fg]), [1, 2, 0, 3]);
  const y = col2im(reshape(cols, [n, p.grid[0], p.grid[1], p.kernel[0], p.kernel[1], fg * groups]), p);
  return fromNHWC(addBias(op, y, opts.bias, fg * groups), format, rank);
}

/**
 * Transposed 2-D convolution: the gradient of `conv2d` with respect to its input, used to
 * upsample. `x [N, H, W, C]` (or `[N, C, H, W]`), `kernel [kh, kw, F/groups, C]` (Keras'
 * `Conv2DTranspose` layout) or `[C, F/groups, kh, kw]` with `kernelLayout: 'pytorch'` (PyTorch's
 * `ConvTranspose2d`, ONNX `ConvTranspose`). Output size per dim: `'valid'`: `H·s + max(k' − s, 0)`,
 * `'same'`: `H·s` (k' the dilated kernel size); numeric padding `p`: `(H − 1)·s − 2p + k' +
 * outputPadding`.
 *
 * @example
 * nb.conv2dTranspose(nb.randn([1, 7, 7, 16]), nb.randn([3, 3, 8, 16]), { strides: 2, padding: 'same' })  // [1, 14, 14, 8]
 */
export function conv2dTranspose(x: Tensor, kernel: Tensor, opts: ConvTransposeOptions = {}): Tensor {
  return convTransposeNd('conv2dTranspose', 2, x, kernel, opts);
}

/**
 * Transposed 1-D convolution: `x [N, L, C]` (or `[N, C, L]`), `kernel [k, F/groups, C]` (or
 * `[C, F/groups, k]` with `kernelLayout: 'pytorch'`). Sizes as in `conv2dTranspose`.
 *
 * @example
 * nb.conv1dTranspose(nb.randn([2, 10, 4]), nb.randn([4, 3, 4]), { strides: 2 })  // [2, 22, 3]
 */
export function conv1dTranspose(x: Tensor, kernel: Tensor, opts: ConvTransposeOptions = {}): Tensor {
  return convTransposeNd('conv1dTranspose', 1, x, kernel, opts);
}
