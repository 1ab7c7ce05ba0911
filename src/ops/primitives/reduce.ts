import { backend } from '../../backend/index.js';
import type { ReduceOp } from '../../backend/backend.js';
import type { DType } from '../../tensor/dtype.js';
import { keptShape, sizeOf } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { cast, div, eq, mul, where } from '../binary.js';
import { expand, reshape } from '../movement.js';
import { prod, sum } from '../reduce.js';
import { contiguousCopy, empty } from './alloc.js';
import type { PrimTable, ReduceParams } from './types.js';

function outDType(op: ReduceOp, dtype: DType): DType {
  return dtype === 'bool' && (op === 'sum' || op === 'prod') ? 'int32' : dtype;
}

/**
 * Reduces `axes` of x. When x is contiguous and the axes are one consecutive block the kernel
 * reads x in place as `[outer, n, inner]`; otherwise the reduced axes are permuted last and
 * copied once.
 */
function reduceForward(op: ReduceOp) {
  return ([x]: readonly Tensor[], { axes, keepDims }: ReduceParams): Tensor => {
    const kept = keptShape(x!.shape, axes);
    const out = empty(outDType(op, x!.dtype), keepDims ? kept : x!.shape.filter((_, i) => !axes.includes(i)));
    const consecutive = axes.length === 0 || axes[axes.length - 1]! - axes[0]! === axes.length - 1;
    if (x!.isContiguous && consecutive) {
      const first = axes[0] ?? x!.ndim;
      const last = axes[axes.length - 1] ?? x!.ndim - 1;
      const outer = sizeOf(x!.shape.slice(0, first));
      const n = sizeOf(x!.shape.slice(first, last + 1));
      const inner = sizeOf(x!.shape.slice(last + 1));
      backend().reduce(op, x!.storage, x!.offset, outer, n, inner, out.storage);
      return out;
    }
    const keptAxes = x!.shape.map((_, i) => i).filter((i) => !axes.includes(i));
    // a raw view, not the permute op: nothing here may be recorded in the graph
    const perm = [...keptAxes, ...axes];
    const moved = contiguousCopy(new Tensor(x!.storage, perm.map((p) => x!.shape[p]!), perm.map((p) => x!.strides[p]!), x!.offset));
    const n = sizeOf(axes.map((a) => x!.shape[a]!));
    backend().reduce(op, moved.storage, moved.offset, out.size, n, 1, out.storage);
    return out;
  };
}

/** The output (or its gradient) broadcast back over the reduced axes. */
function spread(t: Tensor, x: Tensor, axes: number[]): Tensor {
  return expand(reshape(t, keptShape(x.shape, axes)), x.shape.slice());
}

/** d max = dx at the arg-max; ties share the gradient evenly. */
function extremumVjp(g: Tensor, [x]: readonly Tensor[], out: Tensor, { axes }: ReduceParams): Tensor[] {
  const hit = eq(x!, spread(out, x!, axes));
  const count = sum(cast(hit, g.dtype), axes, true);
  // the share g/count is computed at the reduced size, then placed: one full-size pass fewer
  return [where(hit, spread(div(reshape(g, count.shape), count), x!, axes), 0)];
}

export const reducePrims: PrimTable<ReduceOp> = {
  // d Σx = dx for every summed element
  sum: { forward: reduceForward('sum'), vjp: (g, [x], _, { axes }) => [spread(g, x!, axes)] },
  max: { forward: reduceForward('max'), vjp: extremumVjp },
  min: { forward: reduceForward('min'), vjp: extremumVjp },
  // d Πx / dxᵢ = Π_{j≠i} xⱼ: out/xᵢ when no factor is zero; with exactly one zero, the product
  // of the others at that position and 0 elsewhere; with two or more zeros, 0 everywhere.
  prod: {
    forward: reduceForward('prod'),
    vjp: (g, [x], out, { axes }) => {
      const isZero = eq(x!, 0);
      const zeros = spread(sum(isZero, axes, true), x!, axes);
      const safeX = where(isZero, 1, x!);
      const others = spread(prod(safeX, axes, true), x!, axes);
      const noZero = div(spread(out, x!, axes), safeX);
      const oneZero = where(isZero, others, 0);
      const local = where(eq(zeros, 0), noZero, where(eq(zeros, 1), oneZero, 0));
      return [mul(spread(g, x!, axes), local)];
    },
  },
};
