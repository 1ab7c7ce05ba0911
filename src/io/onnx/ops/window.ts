/**
 * ONNX's window attributes (kernel_shape, strides, dilations, pads, auto_pad, ceil_mode) resolved
 * to explicit `[before, after]` pads per spatial dim, shared by Conv and the pools.
 */
import { ValueError } from '../../../tensor/errors.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { describeNode, type OpContext } from '../node.js';

/** A window over the spatial dims of an `[N, C, ...spatial]` tensor, every option per dim. */
export interface OnnxWindow {
  kernel: number[];
  strides: number[];
  dilations: number[];
  pads: [number, number][];
}

/** An ints attribute with one value per spatial dim (or the fallback), validated. */
export function perDimAttr(ctx: OpContext, name: string, rank: number, fallback: number, min = 1): number[] {
  const v = ctx.attrs.ints(name) ?? new Array<number>(rank).fill(fallback);
  if (v.length !== rank || !v.every((d) => Number.isInteger(d) && d >= min)) {
    throw new ValueError(`${describeNode(ctx.node)}: ${name} must hold ${rank} integers ≥ ${min} (one per spatial dim), got [${v.join(',')}]`);
  }
  return v;
}

/** The spatial rank of `x [N, C, ...]`, which must be 1 or 2 (3-D windows are not supported). */
export function spatialRank(x: Tensor, ctx: OpContext): number {
  const rank = x.ndim - 2;
  if (rank !== 1 && rank !== 2) {
    throw new ValueError(`${describeNode(ctx.node)}: expects an input [N, C, L] or [N, C, H, W], got shape [${x.shape.join(',')}]${rank > 2 ? '; 3-D windows are not supported' : ''}`);
  }
  return rank;
}

/**
 * Resolves the window of a Conv or pool node. `kernel` comes from the weights (Conv) or the
 * kernel_shape attribute (pools). With `ceilMode`, extra padding after each dim lets the last
 * partial window count, except one that would start in the padding (as ONNX Runtime and PyTorch do).
 */
export function resolveWindow(ctx: OpContext, spatial: readonly number[], kernel: number[], ceilMode = false): OnnxWindow {
  const rank = spatial.length;
  const strides = perDimAttr(ctx, 'strides', rank, 1);
  const dilations = perDimAttr(ctx, 'dilations', rank, 1);
  const autoPad = ctx.attrs.string('auto_pad', 'NOTSET');
  const spans = kernel.map((k, i) => dilations[i]! * (k - 1) + 1);
  let pads: [number, number][];
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    pads = spatial.map((n, i) => {
      const out = Math.ceil(n / strides[i]!);
      const total = Math.max((out - 1) * strides[i]! + spans[i]! - n, 0);
      const small = Math.floor(total / 2);
      return autoPad === 'SAME_UPPER' ? [small, total - small] : [total - small, small];
    });
  } else if (autoPad === 'VALID') {
    pads = spatial.map(() => [0, 0]);
  } else if (autoPad === 'NOTSET' || autoPad === '') {
    const flat = perDimAttr(ctx, 'pads', 2 * rank, 0, 0);
    pads = spatial.map((_, i) => [flat[i]!, flat[i + rank]!]);
  } else {
    throw new ValueError(`${describeNode(ctx.node)}: unknown auto_pad '${autoPad}' (expected NOTSET, SAME_UPPER, SAME_LOWER or VALID)`);
  }
  spatial.forEach((n, i) => {
    if (n + pads[i]![0] + pads[i]![1] < spans[i]!) {
      throw new ValueError(`${describeNode(ctx.node)}: the window ${kernel.join('×')} (spanning ${spans[i]}) is larger than the padded input (${n + pads[i]![0] + pads[i]![1]}) along spatial dim ${i}`);
    }
  });
  if (ceilMode) {
    pads = pads.map(([b, a], i) => {
      const n = spatial[i]!;
      const s = strides[i]!;
      const padded = n + b + a;
      let out = Math.ceil((padded - spans[i]!) / s) + 1;
      if ((out - 1) * s >= n + b) out -= 1;
      return [b, a + Math.max(0, (out - 1) * s + spans[i]! - padded)];
    });
  }
  return { kernel, strides, dilations, pads };
}
