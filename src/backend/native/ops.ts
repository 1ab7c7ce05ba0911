import type { BinaryOp, ReduceOp, UnaryOp } from '../backend.js';

// Op codes of the C addon: each list is in the order of the matching enum in native/nabla.h.

export const UNARY_CODES: Record<UnaryOp, number> = {
  neg: 0, exp: 1, log: 2, sqrt: 3, rsqrt: 4, abs: 5, sign: 6, sin: 7, cos: 8, tanh: 9, sigmoid: 10,
  erf: 11, relu: 12, log1p: 13, expm1: 14,
};

export const BINARY_CODES: Record<BinaryOp, number> = {
  add: 0, sub: 1, mul: 2, div: 3, pow: 4, maximum: 5, minimum: 6, eq: 7, ne: 8, lt: 9, le: 10,
  gt: 11, ge: 12,
};

/** Comparisons write bool (Uint8Array) output. */
export const COMPARISONS: ReadonlySet<BinaryOp> = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);

export const REDUCE_CODES: Record<ReduceOp, number> = { sum: 0, max: 1, min: 2, prod: 3 };
