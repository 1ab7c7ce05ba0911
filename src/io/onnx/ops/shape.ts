/**
 * Movement and shape ONNX operators. ONNX's int64 shape tensors are int32 tensors here; settings
 * that moved from attributes to inputs across opsets (Reshape's shape, Slice's starts/ends,
 * Split's sizes, Squeeze/Unsqueeze's axes, Pad's pads) are read from wherever the node's opset
 * puts them.
 */
import { full, tensor, zeros } from '../../../tensor/creation.js';
import { ValueError } from '../../../tensor/errors.js';
import { Tensor } from '../../../tensor/tensor.js';
import { add, cast, lt, where } from '../../../ops/binary.js';
import { gather } from '../../../ops/indexing.js';
import { concat, expand, pad, reshape, split, stridedSlice, transpose } from '../../../ops/movement.js';
import { broadcastShapes } from '../../../tensor/shape.js';
import { arity, describeNode, need, numbers, axisOf, type OpContext, type OpDef } from '../node.js';

type Inputs = readonly (Tensor | undefined)[];

/** Settings held in an attribute before `opset` and in input `index` from then on (undefined if absent). */
export function settingInts(inputs: Inputs, ctx: OpContext, name: string, index: number, sinceOpset: number): number[] | undefined {
  if (ctx.node.opset < sinceOpset) return ctx.attrs.ints(name);
  const t = inputs[index];
  return t === undefined ? undefined : numbers(t);
}

function reshapeOp(inputs: Inputs, ctx: OpContext): Tensor {
  const x = need(inputs, 0, ctx);
  const spec = numbers(need(inputs, 1, ctx, 'the shape'));
  const allowZero = ctx.attrs.int('allowzero', 0) !== 0;
  // 0 copies the input's dim (unless allowzero); −1 is inferred by reshape
  const shape = spec.map((d, i) => {
    if (d === 0 && !allowZero) {
      if (i >= x.ndim) throw new ValueError(`${describeNode(ctx.node)}: shape [${spec.join(',')}] copies dim ${i} (a 0) but the input has rank ${x.ndim}`);
      return x.shape[i]!;
    }
    return d;
  });
  try {
    return reshape(x, shape);
  } catch (err) {
    // a graph exported for one batch size keeps it as a constant target shape
    if (err instanceof Error && x.ndim > 0 && spec[0] !== undefined && spec[0] > 0 && spec[0] !== x.shape[0]) {
      err.message += `; if the model was exported for batches of ${spec[0]}, load it with loadOnnx(path, { initializers: { '${ctx.node.inputs[1]}': [-1, ${spec.slice(1).join(', ')}] } })`;
    }
    throw err;
  }
}

function flatten(inputs: Inputs, ctx: OpContext): Tensor {
  const x = need(inputs, 0, ctx);
  const axis = ctx.attrs.int('axis', 1);
  const a = axis < 0 ? axis + x.ndim : axis;
  if (!Number.isInteger(a) || a < 0 || a > x.ndim) throw new ValueError(`${describeNode(ctx.node)}: axis ${axis} is out of range for rank ${x.ndim}`);
  const outer = x.shape.slice(0, a).reduce((p, d) => p * d, 1);
  const inner = x.shape.slice(a).reduce((p, d) => p * d, 1);
  return reshape(x, [outer, inner]);
}

function sliceOp(inputs: Inputs, ctx: OpContext): Tensor {
  const x = need(inputs, 0, ctx);
  const starts = settingInts(inputs, ctx, 'starts', 1, 10);
  const ends = settingInts(inputs, ctx, 'ends', 2, 10);
  if (starts === undefined || ends === undefined) throw new ValueError(`${describeNode(ctx.node)}: starts and ends are required`);
  const axes = settingInts(inputs, ctx, 'axes', 3, 10) ?? starts.map((_, i) => i);
  const steps = (ctx.node.opset >= 10 && inputs[4] !== undefined ? numbers(inputs[4]) : undefined) ?? starts.map(() => 1);
  if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length) {
    throw new ValueError(`${describeNode(ctx.node)}: starts, ends, axes and steps must have the same length, got ${starts.length}, ${ends.length}, ${axes.length}, ${steps.length}`);
  }
  const begin = x.shape.map(() => 0);
  const end = x.shape.slice();
  const step = x.shape.map(() => 1);
  axes.forEach((ax, i) => {
    const a = axisOf(ax, x.ndim, ctx);
    const d = x.shape[a]!;
    const st = steps[i]!;
    if (!Number.isInteger(st) || st === 0) throw new ValueError(`${describeNode(ctx.node)}: steps must be non-zero integers, got ${st}`);
    const clampTo = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
    let s = starts[i]!;
    let e = ends[i]!;
    if (s < 0) s += d;
    if (e < 0) e += d;
    begin[a] = st > 0 ? clampTo(s, 0, d) : clampTo(s, 0, d - 1);
    end[a] = st > 0 ? clampTo(e, 0, d) : clampTo(e, -1, d - 1);
    step[a] = st;
  });
  return stridedSlice(x, { begin, end, step });
}

function splitOp(inputs: Inputs, ctx: OpContext): Tensor[] {
  const x = need(inputs, 0, ctx);
  const axis = axisOf(ctx.attrs.int('axis', 0), x.ndim, ctx);
  const count = ctx.node.outputs.length;
  const sizes = settingInts(inputs, ctx, 'split', 1, 13);
  if (sizes !== undefined && sizes.length > 0) {
    if (sizes.length !== count) throw new ValueError(`${describeNode(ctx.node)}: split has ${sizes.length} sizes for ${count} outputs`);
    return split(x, sizes, axis);
  }
  const d = x.shape[axis]!;
  const n = ctx.attrs.maybeInt('num_outputs') ?? count;
  // opset 18: the last part may be smaller when the size does not divide evenly
  const part = Math.ceil(d / n);
  if (d % n !== 0 && ctx.node.opset < 18) throw new ValueError(`${describeNode(ctx.node)}: axis ${axis} of size ${d} does not split evenly into ${n} outputs`);
  return split(x, Array.from({ length: n }, (_, i) => Math.max(0, Math.min(part, d - i * part))), axis);
}

function gatherOp(inputs: Inputs, ctx: OpContext): Tensor {
  const x = need(inputs, 0, ctx);
  const axis = axisOf(ctx.attrs.int('axis', 0), x.ndim, ctx);
  let idx = cast(need(inputs, 1, ctx, 'the indices'), 'int32');
  // negative indices count from the end
  idx = where(lt(idx, 0), add(idx, x.shape[axis]!), idx);
  return gather(x, idx, axis);
}

function padOp(inputs: Inputs, ctx: OpContext): Tensor {
  const x = need(inputs, 0, ctx);
  const mode = ctx.attrs.string('mode', 'constant');
  if (mode !== 'constant') throw new ValueError(`${describeNode(ctx.node)}: mode '${mode}' is not supported (only 'constant')`);
  const flat = ctx.node.opset < 11 ? ctx.attrs.ints('pads') : inputs[1] === undefined ? undefined : numbers(inputs[1]);
  if (flat === undefined) throw new ValueError(`${describeNode(ctx.node)}: pads are required`);
  let value = ctx.attrs.float('value', 0);
  if (ctx.node.opset >= 11 && inputs[2] !== undefined) value = numbers(inputs[2])[0] ?? 0;
  const axes = (ctx.node.opset >= 18 && inputs[3] !== undefined ? numbers(inputs[3]) : x.shape.map((_, i) => i)).map((a) => axisOf(a, x.ndim, ctx));
  if (flat.length !== 2 * axes.length) throw new ValueError(`${describeNode(ctx.node)}: expected ${2 * axes.length} pads, got ${flat.length}`);
  const pads: [number, number][] = x.shape.map(() => [0, 0]);
  axes.forEach((a, i) => (pads[a] = [flat[i]!, flat[i + axes.length]!]));
  // negative pads crop: pad the positive parts, then slice the negative ones away
  const padded = pad(x, pads.map(([b, e]) => [Math.max(b, 0), Math.max(e, 0)] as [number, number]), value);
  if (pads.every(([b, e]) => b >= 0 && e >= 0)) return padded;
  return stridedSlice(padded, {
    begin: pads.map(([b]) => Math.max(-b, 0)),
    end: padded.shape.map((d, i) => d - Math.max(-pads[i]![1], 0)),
    step: pads.map(() => 1),
  });
}

function shapeOp(inputs: Inputs, ctx: OpContext): Tensor {
  const x = need(inputs, 0, ctx);
  const clampTo = (v: number): number => Math.min(Math.max(v < 0 ? v + x.ndim : v, 0), x.ndim);
  const start = clampTo(ctx.attrs.int('start', 0));
  const end = ctx.attrs.has('end') ? clampTo(ctx.attrs.int('end', x.ndim)) : x.ndim;
  return new Tensor(Int32Array.from(x.shape.slice(start, Math.max(start, end))), [Math.max(0, end - start)]);
}

function unsqueezeOp(inputs: Inputs, ctx: OpContext): Tensor {
  const x = need(inputs, 0, ctx);
  const axes = settingInts(inputs, ctx, 'axes', 1, 13);
  if (axes === undefined) throw new ValueError(`${describeNode(ctx.node)}: axes are required`);
  const rank = x.ndim + axes.length;
  const norm = axes.map((a) => axisOf(a, rank, ctx, 'axes entry'));
  if (new Set(norm).size !== norm.length) throw new ValueError(`${describeNode(ctx.node)}: axes [${axes.join(',')}] repeat an axis`);
  const shape: number[] = [];
  let src = 0;
  for (let i = 0; i < rank; i++) shape.push(norm.includes(i) ? 1 : x.shape[src++]!);
  return reshape(x, shape);
}

function squeezeOp(inputs: Inputs, ctx: OpContext): Tensor {
  const x = need(inputs, 0, ctx);
  const axes = settingInts(inputs, ctx, 'axes', 1, 13);
  if (axes === undefined) return reshape(x, x.shape.filter((d) => d !== 1));
  const norm = axes.map((a) => axisOf(a, x.ndim, ctx, 'axes entry'));
  for (const a of norm) {
    if (x.shape[a] !== 1) throw new ValueError(`${describeNode(ctx.node)}: cannot squeeze axis ${a} of shape [${x.shape.join(',')}]: its size is not 1`);
  }
  return reshape(x, x.shape.filter((_, i) => !norm.includes(i)));
}

function expandOp(inputs: Inputs, ctx: OpContext): Tensor {
  const x = need(inputs, 0, ctx);
  const target = numbers(need(inputs, 1, ctx, 'the shape'));
  // ONNX's Expand broadcasts both ways: a 1 in the target keeps the input's dim
  return expand(x, broadcastShapes(describeNode(ctx.node), x.shape, target));
}

function constantOp(inputs: Inputs, ctx: OpContext): Tensor {
  void inputs;
  const t = ctx.attrs.tensor('value');
  if (t !== undefined) return t;
  const a = ctx.attrs;
  if (a.has('value_float')) return tensor(a.float('value_float', 0));
  if (a.has('value_floats')) return tensor(a.floats('value_floats') ?? []);
  if (a.has('value_int')) return tensor(a.int('value_int', 0), { dtype: 'int32' });
  if (a.has('value_ints')) return new Tensor(Int32Array.from(a.ints('value_ints') ?? []), [(a.ints('value_ints') ?? []).length]);
  throw new ValueError(`${describeNode(ctx.node)}: needs a value, value_float(s) or value_int(s) attribute (sparse and string constants are not supported)`);
}

function constantOfShape(inputs: Inputs, ctx: OpContext): Tensor {
  const shape = inputs[0] === undefined ? [] : numbers(inputs[0]);
  const v = ctx.attrs.tensor('value');
  if (v === undefined) return zeros(shape);
  if (v.size !== 1) throw new ValueError(`${describeNode(ctx.node)}: value must hold one element, got ${v.size}`);
  return full(shape, numbers(v)[0]!, { dtype: v.dtype });
}

function rangeOp(inputs: Inputs, ctx: OpContext): Tensor {
  const [start, limit, delta] = [0, 1, 2].map((i) => need(inputs, i, ctx));
  const s = numbers(start!)[0]!;
  const l = numbers(limit!)[0]!;
  const d = numbers(delta!)[0]!;
  if (d === 0) throw new ValueError(`${describeNode(ctx.node)}: delta must not be 0`);
  const n = Math.max(Math.ceil((l - s) / d), 0);
  const values = Array.from({ length: n }, (_, i) => s + i * d);
  return cast(tensor(values, { dtype: start!.dtype === 'float64' ? 'float64' : 'float32' }), start!.dtype);
}

/** Shape and movement operators by ONNX name. */
export const shapeOps: Record<string, OpDef> = {
  Reshape: { run: reshapeOp, settings: 'rest', arity: arity(2) },
  Flatten: { run: flatten, arity: arity(1) },
  Transpose: { run: (inputs, ctx) => transpose(need(inputs, 0, ctx), ctx.attrs.ints('perm')), arity: arity(1) },
  Concat: {
    run: (inputs, ctx) => {
      if (!ctx.attrs.has('axis')) throw new ValueError(`${describeNode(ctx.node)}: the axis attribute is required`);
      const xs = inputs.filter((t): t is Tensor => t !== undefined);
      if (xs.length === 0) throw new ValueError(`${describeNode(ctx.node)}: needs at least one input`);
      return concat(xs, axisOf(ctx.attrs.int('axis', 0), xs[0]!.ndim, ctx));
    },
    arity: arity(1, Infinity),
  },
  // the sizes are an attribute before opset 13 and an optional input from then on
  Split: { run: splitOp, settings: 'rest', arity: arity(1, 2, 1, Infinity) },
  // before opset 10 starts/ends/axes are attributes; from then on inputs, with optional axes and steps
  Slice: { run: sliceOp, settings: 'rest', arity: arity(1, 5) },
  Gather: { run: gatherOp, settings: 'rest', arity: arity(2) },
  // pads: an attribute before opset 11, then an input, with optional constant_value and (18) axes
  Pad: { run: padOp, settings: 'rest', arity: arity(1, 4) },
  Shape: { run: shapeOp, arity: arity(1) },
  Size: { run: (inputs, ctx) => tensor(need(inputs, 0, ctx).size, { dtype: 'int32' }), arity: arity(1) },
  Unsqueeze: { run: unsqueezeOp, settings: 'rest', arity: arity(1, 2) },
  Squeeze: { run: squeezeOp, settings: 'rest', arity: arity(1, 2) },
  Expand: { run: expandOp, settings: 'rest', arity: arity(2) },
  Constant: { run: constantOp, arity: arity(0) },
  ConstantOfShape: { run: constantOfShape, settings: 'rest', arity: arity(1) },
  Range: { run: rangeOp, settings: 'rest', arity: arity(3) },
  CastLike: { run: (inputs, ctx) => cast(need(inputs, 0, ctx), need(inputs, 1, ctx).dtype), settings: 'rest', arity: arity(2) },
};

