import type { Tensor } from './tensor.js';

/**
 * One recorded op in the graph: the tensors it read and how to map its output's gradient to
 * theirs. `vjp` returns one gradient (or null) per input, each with that input's shape.
 */
export interface GraphNode {
  readonly name: string;
  inputs: readonly Tensor[];
  vjp: ((grad: Tensor) => readonly (Tensor | null)[]) | null;
  /**
   * The op written as other ops (a fused primitive's definition). A recorded backward
   * (`createGraph`) recomputes it on the inputs and differentiates that instead of calling `vjp`.
   */
  composite?: (inputs: readonly Tensor[]) => Tensor;
  /**
   * True for a primitive's node (ops/dispatch.ts): its VJP is nabla's own code and keeps none of
   * the gradient it is given nor of what it allocates, so the backward sweep may pool what the
   * VJP leaves dead. A node without it (a `customGrad`, a checkpointed block) runs code the
   * sweep cannot see into, and nothing it touches is ever pooled.
   */
  pure?: boolean;
}
