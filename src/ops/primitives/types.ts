import type { BinaryOp, ReduceOp, UnaryOp } from '../../backend/backend.js';
import type { DType } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';

/** Parameters of a reduction: normalised, sorted axes. */
export interface ReduceParams {
  axes: number[];
  keepDims: boolean;
}

/** Per-dimension `begin`, `end` (exclusive) and `step` (non-zero), already normalised. */
export interface SliceParams {
  begin: number[];
  end: number[];
  step: number[];
}

/**
 * The typed parameters of every primitive. The closed set of primitives is the keys of this
 * interface; everything else in `ops/` is composed from them.
 */
export type PrimParams = { [P in UnaryOp]: Record<string, never> } & { [P in BinaryOp]: Record<string, never> } & {
  [P in ReduceOp]: ReduceParams;
} & {
  where: Record<string, never>;
  cast: { dtype: DType };
  reshape: { shape: number[] };
  permute: { perm: number[] };
  expand: { shape: number[] };
  slice: SliceParams;
  /** The adjoint of `slice`: places the input into zeros of `shape` where the slice reads. */
  sliceAdjoint: SliceParams & { shape: number[] };
  pad: { pads: [number, number][]; value: number };
  concat: { axis: number };
  gather: { axis: number };
  scatterAdd: { axis: number; size: number };
  matmul: Record<string, never>;
};

export type Prim = keyof PrimParams;

/** The vector-Jacobian product: output gradient → one gradient (or null) per input. */
export type Vjp<P extends Prim> = (grad: Tensor, inputs: readonly Tensor[], out: Tensor, params: PrimParams[P]) => (Tensor | null)[];

/**
 * A primitive: its forward (shape rule, dtype rule and kernel call) and its VJP side by side.
 * `vjp: 'none'` marks outputs that carry no gradient (comparisons, integer results).
 */
export interface PrimDef<P extends Prim> {
  forward(inputs: readonly Tensor[], params: PrimParams[P]): Tensor;
  vjp: Vjp<P> | 'none';
}

export type PrimTable<K extends Prim> = { [P in K]: PrimDef<P> };
