/** Every ONNX operator the importer runs, by name (domain '' / 'ai.onnx'). */
import type { OpDef } from '../node.js';
import { elementwiseOps } from './elementwise.js';
import { nnOps } from './nn.js';
import { reduceOps } from './reduce.js';
import { shapeOps } from './shape.js';

/** The operator table: ONNX op_type → how to run it and which of its inputs are settings or weights. */
export const ONNX_OPS: Readonly<Record<string, OpDef>> = { ...elementwiseOps, ...nnOps, ...shapeOps, ...reduceOps };

/** The supported operator names, sorted (for error messages and docs). */
export function supportedOperators(): string[] {
  return Object.keys(ONNX_OPS).sort();
}
