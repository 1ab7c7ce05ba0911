/**
 * Text generation (`nb.text`): sampling continuations from a language model such as
 * `nb.models.GPT`, greedy or with temperature, top-k and nucleus (top-p) filtering, seeded.
 *
 * @example
 * const text = nb.text.generate(model, 'ROMEO:', { tokenizer, maxNewTokens: 200, temperature: 0.8, topK: 40, seed: 0 });
 */
export { generate, type GenerateOptions, type GenerationModel, type TextCodec } from './generate.js';
export { sampleToken, samplingProbabilities, argmaxRow, type SamplingOptions } from './sampling.js';
