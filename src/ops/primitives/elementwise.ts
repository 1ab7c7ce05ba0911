import { backend } from '../../backend/index.js';
import type { BinaryOp, UnaryOp } from '../../backend/backend.js';
import type { DType } from '../../tensor/dtype.js';
import { broadcastShapes, shapesEqual } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { add, cast, div, eq, gt, lt, mul, pow, sub, where } from '../binary.js';
import { expandView, sumTo } from '../broadcast.js';
import { cos, erfDerivative, log, neg, sign, sin } from '../unary.js';
import { uninitialized } from './alloc.js';
import type { PrimDef, PrimTable } from './types.js';

function unaryForward(op: UnaryOp) {
  return ([x]: readonly Tensor[]): Tensor => {
    // every element is written: large outputs skip the zero fill (see uninitialized)
    const out = uninitialized(x!.dtype, x!.shape);
    backend().unary(op, x!.strided(), out.storage);
    return out;
  };
}

/** Binary forward: broadcast both inputs to the output shape (stride-0 views), then one kernel call. */
function binaryForward(op: BinaryOp, outDType?: DType) {
  return ([a, b]: readonly Tensor[]): Tensor => {
    const shape = shapesEqual(a!.shape, b!.shape) ? a!.shape.slice() : broadcastShapes(op, a!.shape, b!.shape);
    const out = uninitialized(outDType ?? a!.dtype, shape);
    backend().binary(op, expandView(a!, shape), expandView(b!, shape), out.storage);
    return out;
  };
}

const comparison = (op: BinaryOp): PrimDef<BinaryOp> => ({ forward: binaryForward(op, 'bool'), vjp: 'none' });

export const unaryPrims: PrimTable<UnaryOp> = {
  // d(−x) = −dx
  neg: { forward: unaryForward('neg'), vjp: (g) => [neg(g)] },
  // d exp(x) = exp(x)·dx
  exp: { forward: unaryForward('exp'), vjp: (g, _, out) => [mul(g, out)] },
  // d log(x) = dx / x
  log: { forward: unaryForward('log'), vjp: (g, [x]) => [div(g, x!)] },
  // d √x = dx / (2√x)
  sqrt: { forward: unaryForward('sqrt'), vjp: (g, _, out) => [div(g, mul(out, 2))] },
  // d x^(−1/2) = −(1/2)·x^(−3/2)·dx = −(1/2)·out³·dx
  rsqrt: { forward: unaryForward('rsqrt'), vjp: (g, _, out) => [mul(g, mul(pow(out, 3), -0.5))] },
  // d|x| = sign(x)·dx
  abs: { forward: unaryForward('abs'), vjp: (g, [x]) => [mul(g, sign(x!))] },
  // sign is piecewise constant: zero gradient
  sign: { forward: unaryForward('sign'), vjp: (g) => [mul(g, 0)] },
  // d sin(x) = cos(x)·dx
  sin: { forward: unaryForward('sin'), vjp: (g, [x]) => [mul(g, cos(x!))] },
  // d cos(x) = −sin(x)·dx
  cos: { forward: unaryForward('cos'), vjp: (g, [x]) => [neg(mul(g, sin(x!)))] },
  // d tanh(x) = (1 − tanh²(x))·dx
  tanh: { forward: unaryForward('tanh'), vjp: (g, _, out) => [mul(g, sub(1, mul(out, out)))] },
  // d σ(x) = σ(x)(1 − σ(x))·dx
  sigmoid: { forward: unaryForward('sigmoid'), vjp: (g, _, out) => [mul(g, mul(out, sub(1, out)))] },
  // d erf(x) = 2/√π · e^(−x²)·dx
  erf: { forward: unaryForward('erf'), vjp: (g, [x]) => [mul(g, erfDerivative(x!))] },
  // d relu(x) = [x > 0]·dx
  relu: { forward: unaryForward('relu'), vjp: (g, [x]) => [mul(g, cast(gt(x!, 0), g.dtype))] },
  // d log(1+x) = dx / (1+x)
  log1p: { forward: unaryForward('log1p'), vjp: (g, [x]) => [div(g, add(x!, 1))] },
  // d (eˣ − 1) = eˣ·dx = (out + 1)·dx
  expm1: { forward: unaryForward('expm1'), vjp: (g, _, out) => [mul(g, add(out, 1))] },
};

// Gradients are only computed for inputs that require them (a constant operand costs nothing).
export const binaryPrims: PrimTable<BinaryOp> = {
  // d(a+b) = da + db; broadcast dims are summed back (sumTo)
  add: { forward: binaryForward('add'), vjp: (g, [a, b]) => [a!.requiresGrad ? sumTo(g, a!.shape) : null, b!.requiresGrad ? sumTo(g, b!.shape) : null] },
  // d(a−b) = da − db
  sub: { forward: binaryForward('sub'), vjp: (g, [a, b]) => [a!.requiresGrad ? sumTo(g, a!.shape) : null, b!.requiresGrad ? sumTo(neg(g), b!.shape) : null] },
  // d(a·b) = b·da + a·db
  mul: {
    forward: binaryForward('mul'),
    vjp: (g, [a, b]) => [a!.requiresGrad ? sumTo(mul(g, b!), a!.shape) : null, b!.requiresGrad ? sumTo(mul(g, a!), b!.shape) : null],
  },
  // d(a/b) = da/b − a/b²·db
  div: {
    forward: binaryForward('div'),
    vjp: (g, [a, b]) => [
      a!.requiresGrad ? sumTo(div(g, b!), a!.shape) : null,
      b!.requiresGrad ? sumTo(neg(div(mul(g, a!), mul(b!, b!))), b!.shape) : null,
    ],
  },
  // d aᵇ = b·aᵇ⁻¹·da + aᵇ·log(a)·db   (the db term is taken as 0 where a ≤ 0)
  pow: {
    forward: binaryForward('pow'),
    vjp: (g, [a, b], out) => [
      a!.requiresGrad ? sumTo(mul(g, mul(b!, pow(a!, sub(b!, 1)))), a!.shape) : null,
      b!.requiresGrad ? sumTo(mul(g, where(gt(a!, 0), mul(out, log(a!)), 0)), b!.shape) : null,
    ],
  },
  // the larger input takes the gradient; ties split it evenly
  maximum: { forward: binaryForward('maximum'), vjp: (g, [a, b]) => minMaxVjp(g, a!, b!, gt(a!, b!), lt(a!, b!)) },
  minimum: { forward: binaryForward('minimum'), vjp: (g, [a, b]) => minMaxVjp(g, a!, b!, lt(a!, b!), gt(a!, b!)) },
  eq: comparison('eq'),
  ne: comparison('ne'),
  lt: comparison('lt'),
  le: comparison('le'),
  gt: comparison('gt'),
  ge: comparison('ge'),
};

function minMaxVjp(g: Tensor, a: Tensor, b: Tensor, aWins: Tensor, bWins: Tensor): Tensor[] {
  const tie = cast(eq(a, b), g.dtype);
  const wa = add(cast(aWins, g.dtype), mul(tie, 0.5));
  const wb = add(cast(bWins, g.dtype), mul(tie, 0.5));
  return [sumTo(mul(g, wa), a.shape), sumTo(mul(g, wb), b.shape)];
}

export const otherElementwisePrims: PrimTable<'where' | 'cast'> = {
  where: {
    forward: ([c, a, b]) => {
      const shape = broadcastShapes('where', broadcastShapes('where', c!.shape, a!.shape), b!.shape);
      const out = uninitialized(a!.dtype, shape);
      backend().where(expandView(c!, shape), expandView(a!, shape), expandView(b!, shape), out.storage);
      return out;
    },
    // d where(c, a, b) = where(c, da, 0) + where(c, 0, db)
    vjp: (g, [c, a, b]) => [null, sumTo(where(c!, g, 0), a!.shape), sumTo(where(c!, 0, g), b!.shape)],
  },
  cast: {
    forward: ([x], { dtype }) => {
      const out = uninitialized(dtype, x!.shape);
      backend().copy(x!.strided(), out.strided());
      return out;
    },
    // a float→float cast passes the gradient through, converted back
    vjp: (g, [x]) => [cast(g, x!.dtype)],
  },
};
