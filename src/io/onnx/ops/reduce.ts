/**
 * ONNX reductions. Their axes are an attribute up to opset 17 and an optional input from opset 18
 * on (ReduceSum already from opset 13); no axes means all of them, unless `noop_with_empty_axes`.
 */
import type { Tensor } from '../../../tensor/tensor.js';
import { cast } from '../../../ops/binary.js';
import { argmax, argmin, max, mean, min, prod, sum } from '../../../ops/reduce.js';
import { ValueError } from '../../../tensor/errors.js';
import { arity, axisOf, describeNode, need, numbers, type OpContext, type OpDef } from '../node.js';

type Reduce = (x: Tensor, axis: number[] | undefined, keepDims: boolean) => Tensor;

function reduction(fn: Reduce, axesInputSince: number): OpDef {
  return {
    settings: 'rest',
    // the axes moved from an attribute to an optional second input (opset 13 or 18)
    arity: arity(1, 2),
    run: (inputs, ctx: OpContext) => {
      const x = need(inputs, 0, ctx);
      const keep = ctx.attrs.int('keepdims', 1) !== 0;
      let axes: number[] | undefined;
      if (ctx.node.opset >= axesInputSince) axes = inputs[1] === undefined ? undefined : numbers(inputs[1]);
      else axes = ctx.attrs.ints('axes');
      if (axes === undefined || axes.length === 0) {
        if (ctx.attrs.int('noop_with_empty_axes', 0) !== 0) return x;
        axes = undefined;
      }
      return fn(x, axes?.map((a) => axisOf(a, x.ndim, ctx, 'axes entry')), keep);
    },
  };
}

function argReduce(fn: typeof argmax): OpDef {
  return {
    run: (inputs, ctx) => {
      const x = need(inputs, 0, ctx);
      if (ctx.attrs.int('select_last_index', 0) !== 0) throw new ValueError(`${describeNode(ctx.node)}: select_last_index=1 is not supported`);
      return cast(fn(x, axisOf(ctx.attrs.int('axis', 0), x.ndim, ctx), ctx.attrs.int('keepdims', 1) !== 0), 'int32');
    },
    arity: arity(1),
  };
}

/** Reductions by ONNX name. */
export const reduceOps: Record<string, OpDef> = {
  ReduceSum: reduction(sum, 13),
  ReduceMean: reduction(mean, 18),
  ReduceMax: reduction(max, 18),
  ReduceMin: reduction(min, 18),
  ReduceProd: reduction(prod, 18),
  ArgMax: argReduce(argmax),
  ArgMin: argReduce(argmin),
};
