/**
 * Ready-made datasets and the file formats they come in.
 *
 * @example
 * const { train, test } = await nb.datasets.fashionMnist();
 */
export { fashionMnist, FASHION_MNIST_CLASSES, type FashionMnistOptions } from './fashion-mnist.js';
export { mnistDigits, MissingPackageError, type MnistDigitsOptions } from './mnist-digits.js';
export { readIdx, decodeIdx, type IdxOptions } from './idx.js';
export type { LabeledData, LabeledSplit } from './labeled-data.js';
