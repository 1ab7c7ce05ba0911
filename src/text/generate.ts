/**
 * Autoregressive text generation: feed the prompt, pick the next token from the last position's
 * logits, append it, repeat. With a key/value cache each new token costs one position of compute,
 * not a re-run of the whole sequence.
 */
import { noGrad } from '../tensor/grad-mode.js';
import { slice } from '../ops/movement.js';
import { tensor } from '../tensor/creation.js';
import { ValueError } from '../tensor/errors.js';
import { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkSamplingOptions, sampleToken, type SamplingOptions } from './sampling.js';

/** A model that maps ids `[1, time]` to logits `[1, time, vocabSize]` (e.g. `nb.models.GPT`). */
export interface GenerationModel {
  readonly contextLength: number;
  readonly vocabSize: number;
  apply(ids: Tensor, training?: boolean): Tensor;
  /** A fresh, empty key/value cache (models without one are always re-run on the whole window). */
  createCache?(): unknown;
  /**
   * Logits for `ids` `[1, n]` placed after the positions already in `cache`, whose keys and
   * values are appended to it. The cache never holds more than `contextLength` positions.
   */
  applyWithCache?(ids: Tensor, cache: unknown): Tensor;
}

/** Encodes and decodes text (`nb.data.text.CharTokenizer`, `ByteLevelBPE`). */
export interface TextCodec {
  encode(text: string): ArrayLike<number>;
  decode(ids: ArrayLike<number>): string;
}

/** Options of {@link generate}. */
export interface GenerateOptions extends SamplingOptions {
  /** Tokens to add after the prompt (default 100). */
  maxNewTokens?: number;
  /** Seed of the sampling generator (default 0); ignored when `generator` is given. */
  seed?: number;
  /** Draw from this generator instead of a fresh one seeded with `seed`. */
  generator?: Generator;
  /** Needed when the prompt is a string: encodes it and decodes the result. */
  tokenizer?: TextCodec;
  /** Use the model's key/value cache when it has one (default true). */
  useCache?: boolean;
}

/**
 * Continues `prompt` by `maxNewTokens` tokens sampled from `model` (greedy when
 * `temperature` is 0; see {@link SamplingOptions} for top-k and top-p). A string prompt needs
 * `tokenizer` and gives back the prompt and its continuation as a string; an id prompt gives back
 * the prompt ids followed by the new ids. The same seed gives the same tokens, with or without
 * the cache.
 *
 * The prompt must be 1 to `contextLength` tokens, each an id of the vocabulary. Once the sequence
 * outgrows the context, the model sees only the last `contextLength` tokens (as nanoGPT crops);
 * with learned absolute positions the cached keys then no longer apply, so each token beyond the
 * context re-runs that window.
 *
 * @example
 * const text = nb.text.generate(model, 'ROMEO:', { tokenizer, maxNewTokens: 200, temperature: 0.8, topK: 40, seed: 0 });
 */
export function generate(model: GenerationModel, prompt: string, opts: GenerateOptions): string;
export function generate(model: GenerationModel, prompt: ArrayLike<number>, opts?: GenerateOptions): Int32Array;
export function generate(model: GenerationModel, prompt: string | ArrayLike<number>, opts: GenerateOptions = {}): string | Int32Array {
  const op = 'generate';
  let ids: Int32Array;
  if (typeof prompt === 'string') {
    if (!opts.tokenizer) throw new ValueError(`${op}: a string prompt needs a tokenizer ({ tokenizer }); or pass token ids`);
    ids = Int32Array.from(opts.tokenizer.encode(prompt));
  } else {
    ids = Int32Array.from(prompt as ArrayLike<number>);
  }
  const out = generateIds(model, ids, opts);
  return typeof prompt === 'string' ? opts.tokenizer!.decode(out) : out;
}

function checkPrompt(model: GenerationModel, ids: ArrayLike<number>): void {
  const op = 'generate';
  if (ids.length === 0) throw new ValueError(`${op}: the prompt is empty; give at least one token`);
  if (ids.length > model.contextLength) {
    throw new ValueError(`${op}: the prompt has ${ids.length} tokens, longer than the model's context of ${model.contextLength}; shorten it to its last ${model.contextLength} tokens`);
  }
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (!Number.isInteger(id) || id < 0 || id >= model.vocabSize) {
      throw new ValueError(`${op}: prompt token ${i} is ${id}, outside the model's vocabulary of ${model.vocabSize} ids (0..${model.vocabSize - 1})`);
    }
  }
}

function generateIds(model: GenerationModel, prompt: Int32Array, opts: GenerateOptions): Int32Array {
  const maxNew = opts.maxNewTokens ?? 100;
  if (!Number.isInteger(maxNew) || maxNew < 0) throw new ValueError(`generate: maxNewTokens must be a non-negative integer, got ${maxNew}`);
  checkSamplingOptions('generate', opts, model.vocabSize);
  checkPrompt(model, prompt);
  const generator = opts.generator ?? new Generator(opts.seed ?? 0);
  const ctx = model.contextLength;
  const seq = new Int32Array(prompt.length + maxNew);
  seq.set(prompt);
  let len = prompt.length;
  const cached = (opts.useCache ?? true) && model.createCache !== undefined && model.applyWithCache !== undefined;
  return noGrad(() => {
    let cache: unknown = null;
    let cachedLen = 0; // positions of seq (from its window start) already in the cache
    while (len < seq.length) {
      const start = Math.max(0, len - ctx);
      let logits: Tensor;
      if (cached) {
        // a window that slid past position 0 has new absolute positions: start a new cache
        if (cache === null || start > 0) {
          cache = model.createCache!();
          cachedLen = start;
        }
        logits = model.applyWithCache!(row(seq, cachedLen, len), cache);
        cachedLen = len;
      } else {
        logits = model.apply(row(seq, start, len), false);
      }
      seq[len++] = sampleToken(lastRow(logits), opts, generator);
    }
    return seq;
  });
}

function row(seq: Int32Array, from: number, to: number): Tensor {
  return tensor(seq.slice(from, to), { dtype: 'int32', shape: [1, to - from] });
}

/** The logits of the last position of `[1, n, V]` as a plain array. */
function lastRow(logits: Tensor): Float32Array | Float64Array {
  const n = logits.shape[1]!;
  const last = slice(logits, [0, n - 1]).data();
  return last instanceof Float64Array ? last : Float32Array.from(last);
}
