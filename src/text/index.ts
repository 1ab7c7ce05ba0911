/**
 * Text (`nb.text`): the tokenizers (characters, byte-level BPE; they live in data/text and are
 * also `nb.data.text`) and generation, sampling continuations from a language model such as
 * `nb.models.GPT`, greedy or with temperature, top-k and nucleus (top-p) filtering, seeded; CTC
 * decoding (`ctcDecode`: greedy and prefix beam search).
 *
 * @example
 * const tokenizer = nb.text.CharTokenizer.fromText(corpus);
 * const text = nb.text.generate(model, 'ROMEO:', { tokenizer, maxNewTokens: 200, temperature: 0.8, topK: 40, seed: 0 });
 */
export {
  CharTokenizer, type CharTokenizerOptions, CharCorpus, type CharCorpusOptions, type CorpusSplit,
  ByteLevelBPE, type ByteLevelBPEOptions, type ByteLevelBPETrainOptions, type EncodeOptions,
} from '../data/text/index.js';
export { generate, type GenerateOptions, type GenerationModel, type TextCodec } from './generate.js';
export { sampleToken, samplingProbabilities, argmaxRow, type SamplingOptions } from './sampling.js';
export { ctcDecode, type CtcDecodeOptions, type CtcDecoded } from './ctc-decode.js';
export { editDistance, errorRate } from './error-rate.js';
