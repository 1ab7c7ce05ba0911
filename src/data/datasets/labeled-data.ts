import type { Tensor } from '../../tensor/tensor.js';

/** Inputs and labels of one split: `x` float32 `[n, features]`, `y` int32 `[n]`. */
export interface LabeledSplit {
  x: Tensor;
  y: Tensor;
}

/** A classification dataset as the loaders return it: train and test splits and class names. */
export interface LabeledData {
  train: LabeledSplit;
  test: LabeledSplit;
  /** `classNames[k]` names label `k`. */
  classNames: string[];
}
