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
export { textTable, type TextData, type TextTableOptions } from './text-table.js';
export { textFolder, type TextFolderData, type TextFolderOptions } from './text-folder.js';
export { trainValSplit, type TrainValSplitOptions } from './text-split.js';
export { sst2, uciSentiment, SENTIMENT_CLASSES, type UciSentimentData, type UciSentimentSource } from './text-sets.js';
export { parseDelimited, type DelimitedRow, type ParseDelimitedOptions } from './delimited.js';
export { audioFolder, type AudioData, type AudioFolderOptions } from './audio-folder.js';
export { splitAudio, concatAudio, type AudioSplitBy } from './audio-split.js';
export { speedPerturb } from './speed-perturb.js';
export { synthesizedSpeech, spokenWord, type SynthesizedSpeechOptions } from './synthetic-speech.js';
export { connectedDigits, type ConnectedDigits, type ConnectedDigitsOptions } from './connected-digits.js';
