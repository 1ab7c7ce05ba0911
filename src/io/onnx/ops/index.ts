/** Every ONNX operator the importer runs, by name (domain '' / 'ai.onnx'). */
import type { OpDef } from '../node.js';
import { elementwiseOps } from './elementwise.js';
import { nnOps } from './nn.js';
import { reduceOps } from './reduce.js';
import { shapeOps } from './shape.js';

/**
 * The operator table: ONNX op_type → how to run it, its arity, and which of its inputs are
 * settings or weights. A Map, so that an op_type from a file (`__proto__`, `toString`) finds only
 * the operators listed here, never a property every object inherits.
 */
export const ONNX_OPS: ReadonlyMap<string, OpDef> = new Map(Object.entries({ ...elementwiseOps, ...nnOps, ...shapeOps, ...reduceOps }));

/** The supported operator names, sorted (for error messages and docs). */
export function supportedOperators(): string[] {
  return [...ONNX_OPS.keys()].sort();
}
