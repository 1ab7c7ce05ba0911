/**
 * Text tokenizers: characters, and byte-level BPE that can be trained, saved and loaded.
 *
 * @example
 * const chars = CharTokenizer.fromText(corpus);
 * const bpe = ByteLevelBPE.train(corpus, { vocabSize: 1000 });
 */
export { CharTokenizer, type CharTokenizerOptions } from './char-tokenizer.js';
export { CharCorpus, type CharCorpusOptions, type CorpusSplit } from './char-corpus.js';
export {
  ByteLevelBPE,
  type ByteLevelBPEOptions,
  type ByteLevelBPETrainOptions,
  type EncodeOptions,
} from './byte-level-bpe.js';
export { DEFAULT_PRE_TOKENIZE_PATTERN } from './pre-tokenize.js';
