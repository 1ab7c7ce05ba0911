/**
 * Layer-like ONNX operators: convolutions, pools, Gemm/MatMul, normalizations and the softmaxes.
 * Data is NCHW (channels first) and kernels `[outC, inC/groups, kh, kw]`, as ONNX defines them;
 * nabla's conv and pool ops take both directly (`dataFormat: 'channelsFirst'`,
 * `kernelLayout: 'pytorch'`).
 */
import { noGrad } from '../../../tensor/grad-mode.js';
import { ones } from '../../../tensor/creation.js';
import { ValueError } from '../../../tensor/errors.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { add, div, mul, sub } from '../../../ops/binary.js';
import { logSoftmax, softmax } from '../../../ops/activations.js';
import { conv1d, conv2d } from '../../../ops/conv.js';
import { conv1dTranspose, conv2dTranspose } from '../../../ops/conv-transpose.js';
import { matmul } from '../../../ops/matmul.js';
import { pad, reshape, transposeLast } from '../../../ops/movement.js';
import { avgPool1d, avgPool2d, maxPool1d, maxPool2d } from '../../../ops/pool.js';
import { max, mean } from '../../../ops/reduce.js';
import { rsqrt } from '../../../ops/unary.js';
import { arity, axisOf, describeNode, need, type OpContext, type OpDef } from '../node.js';
import { perDimAttr, resolveWindow, spatialRank, type OnnxWindow } from './window.js';

function conv(inputs: readonly (Tensor | undefined)[], ctx: OpContext): Tensor {
  const x = need(inputs, 0, ctx, 'the input X');
  const w = need(inputs, 1, ctx, 'the weights W');
  const rank = spatialRank(x, ctx);
  if (w.ndim !== rank + 2) throw new ValueError(`${describeNode(ctx.node)}: weights must be ${rank + 2}-D [M, C/group, ...kernel], got shape [${w.shape.join(',')}]`);
  const win = resolveWindow(ctx, x.shape.slice(2), w.shape.slice(2));
  const opts = {
    strides: win.strides, dilation: win.dilations, padding: win.pads, groups: ctx.attrs.int('group', 1),
    dataFormat: 'channelsFirst' as const, kernelLayout: 'pytorch' as const, bias: inputs[2] ?? null,
  };
  return rank === 2 ? conv2d(x, w, opts) : conv1d(x, w, opts);
}

function convTranspose(inputs: readonly (Tensor | undefined)[], ctx: OpContext): Tensor {
  const x = need(inputs, 0, ctx, 'the input X');
  const w = need(inputs, 1, ctx, 'the weights W');
  const rank = spatialRank(x, ctx);
  if (w.ndim !== rank + 2) throw new ValueError(`${describeNode(ctx.node)}: weights must be ${rank + 2}-D [C, M/group, ...kernel], got shape [${w.shape.join(',')}]`);
  const spatial = x.shape.slice(2);
  const kernel = w.shape.slice(2);
  const strides = perDimAttr(ctx, 'strides', rank, 1);
  const dilations = perDimAttr(ctx, 'dilations', rank, 1);
  const outPad = perDimAttr(ctx, 'output_padding', rank, 0, 0);
  const autoPad = ctx.attrs.string('auto_pad', 'NOTSET');
  const outputShape = ctx.attrs.ints('output_shape');
  let pads: [number, number][];
  if (outputShape !== undefined || autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    // the output size is given (or n·stride for SAME_*): the pads are whatever makes it so
    const target = outputShape?.slice(-rank) ?? spatial.map((n, i) => n * strides[i]!);
    pads = spatial.map((n, i) => {
      const total = strides[i]! * (n - 1) + outPad[i]! + dilations[i]! * (kernel[i]! - 1) + 1 - target[i]!;
      if (total < 0) throw new ValueError(`${describeNode(ctx.node)}: output_shape ${target[i]} is larger than the transposed convolution can produce along spatial dim ${i}`);
      const half = Math.floor(total / 2);
      return autoPad === 'SAME_UPPER' ? [half, total - half] : [total - half, half];
    });
  } else if (autoPad === 'VALID' || autoPad === 'NOTSET' || autoPad === '') {
    const flat = autoPad === 'VALID' ? new Array<number>(2 * rank).fill(0) : perDimAttr(ctx, 'pads', 2 * rank, 0, 0);
    pads = spatial.map((_, i) => [flat[i]!, flat[i + rank]!]);
  } else {
    throw new ValueError(`${describeNode(ctx.node)}: unknown auto_pad '${autoPad}'`);
  }
  const opts = {
    strides, dilation: dilations, padding: pads, groups: ctx.attrs.int('group', 1), outputPadding: outPad,
    dataFormat: 'channelsFirst' as const, kernelLayout: 'pytorch' as const, bias: inputs[2] ?? null,
  };
  return rank === 2 ? conv2dTranspose(x, w, opts) : conv1dTranspose(x, w, opts);
}

/** Pads the spatial dims of `[N, C, ...]` by `pads` with `value` (a no-op without padding). */
function padSpatial(x: Tensor, pads: readonly [number, number][], value: number): Tensor {
  if (pads.every(([b, a]) => b === 0 && a === 0)) return x;
  return pad(x, [[0, 0], [0, 0], ...pads], value);
}

function poolWindow(x: Tensor, ctx: OpContext): OnnxWindow {
  const rank = spatialRank(x, ctx);
  const kernel = ctx.attrs.ints('kernel_shape');
  if (kernel === undefined) throw new ValueError(`${describeNode(ctx.node)}: the kernel_shape attribute is required`);
  if (kernel.length !== rank || !kernel.every((k) => Number.isInteger(k) && k >= 1)) {
    throw new ValueError(`${describeNode(ctx.node)}: kernel_shape must hold ${rank} positive integers, got [${kernel.join(',')}]`);
  }
  return resolveWindow(ctx, x.shape.slice(2), kernel, ctx.attrs.int('ceil_mode', 0) !== 0);
}

function maxPool(inputs: readonly (Tensor | undefined)[], ctx: OpContext): Tensor {
  if ((ctx.node.outputs[1] ?? '') !== '') throw new ValueError(`${describeNode(ctx.node)}: the Indices output is not supported`);
  const x = need(inputs, 0, ctx);
  const win = poolWindow(x, ctx);
  // padding never wins a maximum: pad with −∞ and pool without padding
  const xp = padSpatial(x, win.pads, -Infinity);
  const opts = { strides: win.strides, dilation: win.dilations, dataFormat: 'channelsFirst' as const };
  return win.kernel.length === 2 ? maxPool2d(xp, win.kernel, opts) : maxPool1d(xp, win.kernel, opts);
}

function averagePool(inputs: readonly (Tensor | undefined)[], ctx: OpContext): Tensor {
  const x = need(inputs, 0, ctx);
  const win = poolWindow(x, ctx);
  const opts = { strides: win.strides, dilation: win.dilations, dataFormat: 'channelsFirst' as const };
  const pool = (t: Tensor): Tensor => (win.kernel.length === 2 ? avgPool2d(t, win.kernel, opts) : avgPool1d(t, win.kernel, opts));
  if (win.pads.every(([b, a]) => b === 0 && a === 0)) return pool(x);
  // mean over the cells that count = pooled zero-padded sums / pooled counts; the cells that count
  // are the input's, plus the explicit padding with count_include_pad (never ceil_mode's extra)
  const explicit = resolveWindow(ctx, x.shape.slice(2), win.kernel).pads;
  const includePad = ctx.attrs.int('count_include_pad', 0) !== 0;
  const extra = win.pads.map(([b, a], i): [number, number] => [b - explicit[i]![0], a - explicit[i]![1]]);
  const mask = noGrad(() => {
    const cells = ones([1, 1, ...x.shape.slice(2)], { dtype: x.dtype });
    return padSpatial(padSpatial(cells, explicit, includePad ? 1 : 0), extra, 0);
  });
  return div(pool(padSpatial(x, win.pads, 0)), pool(mask));
}

/** `[C]` per-channel parameters shaped to broadcast against `[N, C, ...]`. */
function perChannel(p: Tensor, x: Tensor, ctx: OpContext, what: string): Tensor {
  const c = x.shape[1];
  if (p.size !== c) throw new ValueError(`${describeNode(ctx.node)}: ${what} must hold one value per channel (${c}), got shape [${p.shape.join(',')}]`);
  return reshape(p, [c, ...new Array<number>(x.ndim - 2).fill(1)]);
}

function batchNorm(inputs: readonly (Tensor | undefined)[], ctx: OpContext): Tensor {
  const x = need(inputs, 0, ctx);
  if (x.ndim < 2) throw new ValueError(`${describeNode(ctx.node)}: expects an input [N, C, ...], got shape [${x.shape.join(',')}]`);
  if (ctx.node.opset < 9 && ctx.attrs.int('spatial', 1) === 0) throw new ValueError(`${describeNode(ctx.node)}: spatial=0 (per-activation statistics) is not supported`);
  const eps = ctx.attrs.float('epsilon', 1e-5);
  const [scale, bias, runMean, runVar] = [1, 2, 3, 4].map((i, k) => perChannel(need(inputs, i, ctx), x, ctx, ['scale', 'B', 'input_mean', 'input_var'][k]!));
  let m = runMean!;
  let v = runVar!;
  if (ctx.training) {
    const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
    m = mean(x, axes, true);
    const d = sub(x, m);
    v = mean(mul(d, d), axes, true);
    const momentum = ctx.attrs.float('momentum', 0.9);
    noGrad(() => {
      // the running statistics are weights of the layer: update them in place, as ONNX's training mode does
      if (ctx.isWeight(3)) need(inputs, 3, ctx).storage.set(add(mul(runMean!, momentum), mul(m, 1 - momentum)).data());
      if (ctx.isWeight(4)) need(inputs, 4, ctx).storage.set(add(mul(runVar!, momentum), mul(v, 1 - momentum)).data());
    });
    m = reshape(m, runMean!.shape);
    v = reshape(v, runVar!.shape);
  }
  return add(mul(sub(x, m), mul(scale!, rsqrt(add(v, eps)))), bias!);
}

function layerNorm(inputs: readonly (Tensor | undefined)[], ctx: OpContext): (Tensor | undefined)[] {
  const x = need(inputs, 0, ctx);
  const axis = axisOf(ctx.attrs.int('axis', -1), x.ndim, ctx);
  const axes = x.shape.map((_, i) => i).filter((i) => i >= axis);
  const m = mean(x, axes, true);
  const d = sub(x, m);
  const inv = rsqrt(add(mean(mul(d, d), axes, true), ctx.attrs.float('epsilon', 1e-5)));
  let y = mul(mul(d, inv), need(inputs, 1, ctx, 'Scale'));
  if (inputs[2] !== undefined) y = add(y, inputs[2]);
  return [y, m, inv];
}

function instanceNorm(inputs: readonly (Tensor | undefined)[], ctx: OpContext): Tensor {
  const x = need(inputs, 0, ctx);
  if (x.ndim < 3) throw new ValueError(`${describeNode(ctx.node)}: expects an input [N, C, ...spatial], got shape [${x.shape.join(',')}]`);
  const axes = x.shape.map((_, i) => i).slice(2);
  const d = sub(x, mean(x, axes, true));
  const inv = rsqrt(add(mean(mul(d, d), axes, true), ctx.attrs.float('epsilon', 1e-5)));
  const scale = perChannel(need(inputs, 1, ctx), x, ctx, 'scale');
  return add(mul(mul(d, inv), scale), perChannel(need(inputs, 2, ctx), x, ctx, 'B'));
}

function gemm(inputs: readonly (Tensor | undefined)[], ctx: OpContext): Tensor {
  let a = need(inputs, 0, ctx, 'A');
  let b = need(inputs, 1, ctx, 'B');
  if (a.ndim !== 2 || b.ndim !== 2) throw new ValueError(`${describeNode(ctx.node)}: A and B must be 2-D, got [${a.shape.join(',')}] and [${b.shape.join(',')}]`);
  if (ctx.attrs.int('transA', 0)) a = transposeLast(a);
  if (ctx.attrs.int('transB', 0)) b = transposeLast(b);
  const alpha = ctx.attrs.float('alpha', 1);
  const beta = ctx.attrs.float('beta', 1);
  let y = matmul(a, b);
  if (alpha !== 1) y = mul(y, alpha);
  const c = inputs[2];
  if (c !== undefined && beta !== 0) y = add(y, beta === 1 ? c : mul(c, beta));
  return y;
}

/** Softmax-like ops: before opset 13 the input is seen as 2-D `[outer, inner]` split at `axis`. */
function softmaxLike(fn: (x: Tensor, axis: number) => Tensor): OpDef {
  return {
    run: (inputs, ctx) => {
      const x = need(inputs, 0, ctx);
      if (ctx.node.opset >= 13) return fn(x, axisOf(ctx.attrs.int('axis', -1), x.ndim, ctx));
      const axis = axisOf(ctx.attrs.int('axis', 1), Math.max(x.ndim, 1), ctx);
      const inner = x.shape.slice(axis).reduce((p, d) => p * d, 1);
      return reshape(fn(reshape(x, [-1, inner]), 1), x.shape);
    },
    arity: arity(1),
  };
}

/** Layer-like and normalization operators by ONNX name. */
export const nnOps: Record<string, OpDef> = {
  Conv: { run: conv, parameters: [1, 2], arity: arity(2, 3) },
  ConvTranspose: { run: convTranspose, parameters: [1, 2], arity: arity(2, 3) },
  Gemm: { run: gemm, parameters: [1, 2], arity: arity(2, 3) },
  MatMul: { run: (inputs, ctx) => matmul(need(inputs, 0, ctx), need(inputs, 1, ctx)), parameters: [1], arity: arity(2) },
  // Y and the optional Indices (which run() refuses by name)
  MaxPool: { run: maxPool, arity: arity(1, 1, 1, 2) },
  AveragePool: { run: averagePool, arity: arity(1) },
  GlobalAveragePool: { run: (inputs, ctx) => mean(need(inputs, 0, ctx), need(inputs, 0, ctx).shape.map((_, i) => i).slice(2), true), arity: arity(1) },
  GlobalMaxPool: { run: (inputs, ctx) => max(need(inputs, 0, ctx), need(inputs, 0, ctx).shape.map((_, i) => i).slice(2), true), arity: arity(1) },
  // outputs: Y, then (training, before opset 14) running and saved statistics, unused here
  BatchNormalization: { run: batchNorm, parameters: [1, 2], statistics: [3, 4], arity: arity(5, 5, 1, 5) },
  LayerNormalization: { run: layerNorm, parameters: [1, 2], arity: arity(2, 3, 1, 3) },
  InstanceNormalization: { run: instanceNorm, parameters: [1, 2], arity: arity(3) },
  Softmax: softmaxLike(softmax),
  LogSoftmax: softmaxLike(logSoftmax),
};
