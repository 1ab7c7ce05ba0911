import { fashionMnist } from '../data/datasets/fashion-mnist.js';
import { mnistDigits } from '../data/datasets/mnist-digits.js';
import type { Tensor } from '../tensor/tensor.js';
import { ValueError } from '../tensor/errors.js';

/** The data sets the CLI knows by name. */
export const DATASETS = ['mnist', 'fashion-mnist'] as const;

export interface ClassificationData {
  train: { x: Tensor; y: Tensor };
  test: { x: Tensor; y: Tensor };
  classNames: string[];
}

/** Loads a named data set (`--data`). */
export async function loadNamedData(name: string, dir?: string): Promise<ClassificationData> {
  if (name === 'mnist') return mnistDigits();
  if (name === 'fashion-mnist') return fashionMnist(dir ? { dir } : {});
  throw new ValueError(`--data must be one of ${DATASETS.join(', ')}, got '${name}'`);
}
