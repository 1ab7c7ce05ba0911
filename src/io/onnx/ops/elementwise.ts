/**
 * Elementwise ONNX operators (math, activations, comparisons, logic, casts, dropout). ONNX
 * broadcasting from opset 7 on is NumPy's, as nabla's.
 */
import { bernoulli } from '../../../tensor/creation.js';
import { isFloat, type DType } from '../../../tensor/dtype.js';
import { DTypeError, ValueError } from '../../../tensor/errors.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { abs, cos, erf, exp, log, neg, relu, sigmoid, sin, sqrt, tanh } from '../../../ops/unary.js';
import { add, cast, clamp, div, eq, ge, gt, le, lt, maximum, minimum, mul, pow, sub, where } from '../../../ops/binary.js';
import { elu, leakyRelu, softplus } from '../../../ops/activations.js';
import { DataType, dataTypeName } from '../schema.js';
import { dtypeForOnnx } from '../tensor-proto.js';
import { arity, describeNode, need, numbers, type OpContext, type OpDef } from '../node.js';

const unary = (fn: (x: Tensor) => Tensor): OpDef => ({ run: (inputs, ctx) => fn(need(inputs, 0, ctx)), arity: arity(1) });
const binary = (fn: (a: Tensor, b: Tensor) => Tensor): OpDef => ({ run: (inputs, ctx) => fn(need(inputs, 0, ctx), need(inputs, 1, ctx)), arity: arity(2) });

/** The given inputs of a variadic operator (at least one). */
function present(inputs: readonly (Tensor | undefined)[], ctx: OpContext): Tensor[] {
  const xs = inputs.filter((t): t is Tensor => t !== undefined);
  if (xs.length === 0) throw new ValueError(`${describeNode(ctx.node)}: needs at least one input`);
  return xs;
}

/** Folds a variadic operator (Max, Min, Sum) over its inputs. */
const variadic = (fn: (a: Tensor, b: Tensor) => Tensor): OpDef => ({
  run: (inputs, ctx) => present(inputs, ctx).reduce((acc, x) => fn(acc, x)),
  arity: arity(1, Infinity),
});

/** Division as ONNX defines it: integer inputs divide to an integer (truncated toward zero). */
function onnxDiv(a: Tensor, b: Tensor): Tensor {
  const q = div(a, b);
  return isFloat(a.dtype) || isFloat(b.dtype) ? q : cast(q, 'int32');
}

/** The float dtype math needs: a float input stays, an integer one becomes float32. */
function floatOf(x: Tensor): Tensor {
  return isFloat(x.dtype) ? x : cast(x, 'float32');
}

function toBool(x: Tensor): Tensor {
  return x.dtype === 'bool' ? x : cast(x, 'bool');
}

/** Clip: bounds are attributes before opset 11 and optional inputs from 11 on. */
function clip(inputs: readonly (Tensor | undefined)[], ctx: OpContext): Tensor {
  const x = need(inputs, 0, ctx);
  let lo: number | undefined;
  let hi: number | undefined;
  if (ctx.node.opset < 11) {
    lo = ctx.attrs.has('min') ? ctx.attrs.float('min', 0) : undefined;
    hi = ctx.attrs.has('max') ? ctx.attrs.float('max', 0) : undefined;
  } else {
    const bound = (i: number): number | undefined => {
      const t = inputs[i];
      if (t === undefined) return undefined;
      if (t.size !== 1) throw new ValueError(`${describeNode(ctx.node)}: the ${i === 1 ? 'min' : 'max'} input must hold one value, got ${t.size}`);
      return numbers(t)[0];
    };
    lo = bound(1);
    hi = bound(2);
  }
  // ONNX allows min > max (every value becomes max); clamp does not, so apply the bounds in turn
  if (lo !== undefined && hi !== undefined && lo > hi) return mul(onesLikeOf(x), hi);
  return clamp(x, lo, hi);
}

function onesLikeOf(x: Tensor): Tensor {
  return add(mul(x, 0), 1);
}

/** The nabla dtype for a Cast `to` code. */
export function castTarget(code: number, ctx: OpContext): DType {
  const d = dtypeForOnnx(code);
  if (d === null) throw new DTypeError(`${describeNode(ctx.node)}: cannot cast to ${dataTypeName(code)}; nabla has float32, float64, int32 and bool`);
  return d;
}

/** Dropout: identity at inference; in training, zeroes a fraction `ratio` and rescales the rest. */
function dropout(inputs: readonly (Tensor | undefined)[], ctx: OpContext): (Tensor | undefined)[] {
  const x = need(inputs, 0, ctx);
  let ratio = ctx.attrs.float('ratio', 0.5);
  if (ctx.node.opset >= 12) {
    const r = inputs[1];
    ratio = r === undefined ? 0.5 : numbers(r)[0] ?? 0.5;
  }
  if (!(ratio >= 0 && ratio < 1)) throw new ValueError(`${describeNode(ctx.node)}: ratio must lie in [0, 1), got ${ratio}`);
  const wantMask = (ctx.node.outputs[1] ?? '') !== '';
  if (!ctx.training || ratio === 0 || !isFloat(x.dtype)) {
    return [x, wantMask ? cast(add(mul(x, 0), 1), 'bool') : undefined];
  }
  const keep = bernoulli(1 - ratio, x.shape, { dtype: x.dtype });
  return [mul(x, mul(keep, 1 / (1 - ratio))), wantMask ? cast(keep, 'bool') : undefined];
}

/** The elementwise operators by ONNX name. */
export const elementwiseOps: Record<string, OpDef> = {
  Add: binary(add),
  Sub: binary(sub),
  Mul: binary(mul),
  Div: binary(onnxDiv),
  Pow: { run: (inputs, ctx) => pow(need(inputs, 0, ctx), need(inputs, 1, ctx)), settings: [1], arity: arity(2) },
  Max: variadic(maximum),
  Min: variadic(minimum),
  Sum: variadic(add),
  Mean: {
    run: (inputs, ctx) => {
      const xs = present(inputs, ctx);
      return div(xs.reduce((acc, x) => add(acc, x)), xs.length);
    },
    arity: arity(1, Infinity),
  },
  Neg: unary(neg),
  Abs: unary(abs),
  Reciprocal: unary((x) => div(1, floatOf(x))),
  Sqrt: unary((x) => sqrt(floatOf(x))),
  Exp: unary((x) => exp(floatOf(x))),
  Log: unary((x) => log(floatOf(x))),
  Erf: unary((x) => erf(floatOf(x))),
  Sin: unary((x) => sin(floatOf(x))),
  Cos: unary((x) => cos(floatOf(x))),
  Relu: unary(relu),
  Sigmoid: unary((x) => sigmoid(floatOf(x))),
  Tanh: unary((x) => tanh(floatOf(x))),
  Softplus: unary((x) => softplus(floatOf(x))),
  LeakyRelu: { run: (inputs, ctx) => leakyRelu(need(inputs, 0, ctx), ctx.attrs.float('alpha', 0.01)), arity: arity(1) },
  Elu: { run: (inputs, ctx) => elu(need(inputs, 0, ctx), ctx.attrs.float('alpha', 1)), arity: arity(1) },
  Selu: {
    run: (inputs, ctx) => {
      const alpha = ctx.attrs.float('alpha', 1.67326319217681884765625);
      const gamma = ctx.attrs.float('gamma', 1.05070102214813232421875);
      return mul(elu(need(inputs, 0, ctx), alpha), gamma);
    },
    arity: arity(1),
  },
  HardSigmoid: {
    run: (inputs, ctx) => clamp(add(mul(need(inputs, 0, ctx), ctx.attrs.float('alpha', 0.2)), ctx.attrs.float('beta', 0.5)), 0, 1),
    arity: arity(1),
  },
  // before opset 11 the bounds are attributes and Clip takes one input
  Clip: { run: clip, settings: 'rest', arity: arity(1, 3) },
  Equal: binary(eq),
  Less: binary(lt),
  LessOrEqual: binary(le),
  Greater: binary(gt),
  GreaterOrEqual: binary(ge),
  Not: unary((x) => eq(toBool(x), 0)),
  And: binary((a, b) => cast(mul(toBool(a), toBool(b)), 'bool')),
  Or: binary((a, b) => gt(add(toBool(a), toBool(b)), 0)),
  Where: { run: (inputs, ctx) => where(toBool(need(inputs, 0, ctx)), need(inputs, 1, ctx), need(inputs, 2, ctx)), settings: [0], arity: arity(3) },
  Cast: {
    run: (inputs, ctx) => {
      if (!ctx.attrs.has('to')) throw new ValueError(`${describeNode(ctx.node)}: the 'to' attribute is required`);
      return cast(need(inputs, 0, ctx), castTarget(ctx.attrs.int('to', DataType.FLOAT), ctx));
    },
    arity: arity(1),
  },
  Identity: unary((x) => x),
  // opset 12 on: data, ratio, training_mode; outputs: the data and an optional mask
  Dropout: { run: dropout, settings: 'rest', arity: arity(1, 3, 1, 2) },
};
