/**
 * Self-supervised pretraining of word embeddings on unlabelled text: word2vec's continuous bag of
 * words (CBOW, Mikolov et al. 2013). Every real token of a text is predicted from the mean of the
 * embeddings of the `window` tokens on each side of it, with a full softmax over the vocabulary.
 * The embedding table is the same `Embedding` (id 0 padding, masked) the text classifier recipes
 * use, so `textClassifierFromPretrained` (text-from-pretrained.ts) can start a classifier from it.
 *
 * CBOW was chosen over a recurrent or transformer language model because it is cheap on a CPU
 * (one embedding mean and one matrix product per predicted word) and what it trains is exactly
 * the layer the bag-of-embeddings classifier starts with.
 */
import { cast, div, mul, ne } from '../ops/binary.js';
import { sum } from '../ops/reduce.js';
import { tensor } from '../tensor/creation.js';
import { DTypeError, ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkInteger, checkNumber, optionError } from '../nn/config-check.js';
import { sparseCategoricalCrossentropy } from '../nn/losses.js';
import { Dense } from '../nn/layers/dense.js';
import { Embedding } from '../nn/layers/embedding.js';
import { GlobalAveragePooling1D } from '../nn/layers/global-pooling.js';
import { TextVectorization, type TextVectorizationOptions } from '../nn/layers/text/text-vectorization.js';
import { Adam } from '../optim/adam.js';
import type { History } from '../model/callbacks/history.js';
import { Sequential } from '../model/sequential.js';

/**
 * Cross-entropy of token predictions from logits, averaged over the targets that are not
 * `padId` (default 0, the padding id of `TextVectorization`): a padded position adds nothing to
 * the loss or its gradient, and the mean is over the real tokens only. `yTrue` int32 `[...]`,
 * `logits` `[..., vocabulary]`. A batch of padding only has loss 0.
 *
 * @example
 * nb.models.paddedTokenCrossentropy(nb.tensor([5, 0], { dtype: 'int32' }), logits)   // = CE of the first row alone
 */
export function paddedTokenCrossentropy(yTrue: Tensor, logits: Tensor, opts: { padId?: number } = {}): Tensor {
  const padId = opts.padId ?? 0;
  if (yTrue.dtype !== 'int32') throw new DTypeError(`paddedTokenCrossentropy: yTrue must hold int32 token ids, got ${yTrue.dtype}`);
  const perToken = sparseCategoricalCrossentropy(yTrue, logits, { fromLogits: true, reduction: 'none' });
  const keep = cast(ne(yTrue.reshape(perToken.shape), padId), perToken.dtype);
  // the count is a constant of the batch: no gradient flows through it
  let real = 0;
  for (const v of keep.data()) real += v;
  return div(sum(mul(perToken, keep)), Math.max(real, 1));
}

/** Options of `textLanguageModel`. */
export interface TextLanguageModelOptions {
  /** Unlabelled texts to learn the vocabulary from (and, by default, to pretrain on). */
  texts: readonly string[];
  /** Most vocabulary entries, padding and OOV included (default 10,000): also the softmax width. */
  maxTokens?: number;
  /** Tokens read per text; longer texts are cut (default 64). */
  sequenceLength?: number;
  /** Width of the word embeddings (default 64). */
  embeddingDim?: number;
  /** Context words on each side of a predicted word (default 2). */
  window?: number;
  /** Standardisation and splitting of the TextVectorization (default: Keras', lower case without punctuation, on white space). */
  vectorization?: Pick<TextVectorizationOptions, 'standardize' | 'split'>;
}

/** Options of `TextLanguageModel.fit`. */
export interface PretrainOptions {
  /** Passes over the (deduplicated) context windows (default 2). */
  epochs?: number;
  /** Windows per batch (default 256). */
  batchSize?: number;
  /** Adam's learning rate (default 2e-3). */
  learningRate?: number;
  /** Seed of the shuffling (default 0). */
  seed?: number;
  /** As `Model.fit` (default 0: silent). */
  verbose?: 0 | 1 | 2;
}

/** The context windows of some texts: `contexts` int32 `[M, 2·window]` (0 where a text ends), `targets` int32 `[M]`. */
export interface ContextWindows {
  contexts: Tensor;
  targets: Tensor;
}

/**
 * A CBOW model of word embeddings (see the file comment): `vectorizer` (unigrams, the learned
 * vocabulary), `embedding` (the table being pretrained, id 0 masked) and `network`, the
 * Sequential that is trained: embedding → mean over the real context words → Dense logits over
 * the vocabulary. Made by `textLanguageModel`.
 */
export class TextLanguageModel {
  /** Texts → token ids (id 0 padding, 1 out of vocabulary). */
  readonly vectorizer: TextVectorization;
  /** The `[vocabulary, embeddingDim]` table being pretrained. */
  readonly embedding: Embedding;
  /** Context ids `[M, 2·window]` → logits `[M, vocabulary]`. */
  readonly network: Sequential;
  /** Context words on each side of a predicted word. */
  readonly window: number;

  constructor(vectorizer: TextVectorization, embeddingDim: number, window: number) {
    this.vectorizer = vectorizer;
    this.window = window;
    const vocab = vectorizer.vocabularySize();
    this.embedding = new Embedding(vocab, embeddingDim, { maskZero: true });
    this.network = new Sequential([this.embedding, new GlobalAveragePooling1D(), new Dense(vocab)]);
  }

  /**
   * Every (context, word) pair of `texts`: each word that is in the vocabulary (not padding, not
   * OOV) with the `window` ids on each side (0 past the text's ends, so they are masked out of
   * the mean; OOV neighbours stay, as id 1). Repeated pairs are kept once: SST-2's training file
   * holds each sentence's phrases too, and would otherwise count a sentence's inner words many
   * times. A word with no neighbour in its text (a one-word text) has no context and is skipped.
   */
  contextWindows(texts: readonly string[]): ContextWindows {
    const ids = this.vectorizer.encodeTexts(texts);
    const [rows, length] = ids.shape as [number, number];
    const data = ids.data();
    const w = this.window;
    const seen = new Set<string>();
    const contexts: number[] = [];
    const targets: number[] = [];
    const ctx = new Array<number>(2 * w);
    for (let r = 0; r < rows; r++) {
      const row = data.subarray(r * length, (r + 1) * length);
      let n = row.indexOf(0);
      if (n < 0) n = length;
      for (let t = 0; t < n; t++) {
        if (row[t]! < 2) continue;
        let real = 0;
        for (let k = 1; k <= w; k++) {
          ctx[w - k] = t - k >= 0 ? row[t - k]! : 0;
          ctx[w + k - 1] = t + k < n ? row[t + k]! : 0;
          real += (t - k >= 0 ? 1 : 0) + (t + k < n ? 1 : 0);
        }
        if (real === 0) continue;
        const key = `${row[t]}:${ctx.join(',')}`;
        if (seen.has(key)) continue;
        seen.add(key);
        contexts.push(...ctx);
        targets.push(row[t]!);
      }
    }
    const m = targets.length;
    return {
      contexts: tensor(Int32Array.from(contexts), { dtype: 'int32', shape: [m, 2 * w] }),
      targets: tensor(Int32Array.from(targets), { dtype: 'int32', shape: [m] }),
    };
  }

  /**
   * Pretrains the embeddings on `texts` (the CBOW windows of `contextWindows`) with Adam and
   * `paddedTokenCrossentropy`; returns the History (`loss` per epoch).
   */
  async fit(texts: readonly string[], opts: PretrainOptions = {}): Promise<History> {
    const who = 'TextLanguageModel.fit';
    const epochs = checkInteger(who, 'epochs', opts.epochs ?? 2, { ge: 1 });
    const batchSize = checkInteger(who, 'batchSize', opts.batchSize ?? 256, { ge: 1 });
    const learningRate = checkNumber(who, 'learningRate', opts.learningRate ?? 2e-3, { gt: 0 });
    checkTexts(who, texts);
    const { contexts, targets } = this.contextWindows(texts);
    if (targets.shape[0] === 0) {
      throw new ValueError(`${who}: the texts give no word with a context (each needs a known word and a neighbour); pass longer texts, or the texts the vocabulary was learned from`);
    }
    this.network.compile({ optimizer: new Adam({ learningRate }), loss: paddedTokenCrossentropy });
    return this.network.fit(contexts, targets, { epochs, batchSize, shuffle: true, seed: opts.seed ?? 0, verbose: opts.verbose ?? 0 });
  }
}

function checkTexts(who: string, texts: readonly string[]): void {
  if (!Array.isArray(texts) || texts.length === 0) throw optionError(who, 'texts', 'a non-empty array of strings', texts);
  const bad = texts.findIndex((t) => typeof t !== 'string');
  if (bad >= 0) throw new ValueError(`${who}: texts must be strings; element ${bad} is ${texts[bad] === null ? 'null' : typeof texts[bad]}`);
  if (texts.every((t) => t.trim() === '')) throw new ValueError(`${who}: all ${texts.length} texts are empty; pretraining needs texts with words in them`);
}

/**
 * A CBOW language model over the words of `texts` (its vocabulary learned from them, untrained):
 * call `fit(texts)` to pretrain it, then `textClassifierFromPretrained(lm, { classes })` for a
 * classifier that starts from its embeddings.
 *
 * @example
 * const lm = nb.models.textLanguageModel({ texts: unlabelled, maxTokens: 10000, embeddingDim: 64 });
 * await lm.fit(unlabelled, { epochs: 2 });
 * const model = nb.models.textClassifierFromPretrained(lm, { classes: 2, texts: train.texts });
 */
export function textLanguageModel(opts: TextLanguageModelOptions): TextLanguageModel {
  const who = 'textLanguageModel';
  if (opts === null || typeof opts !== 'object') throw new ValueError(`${who}: expects an options object with at least { texts }`);
  checkTexts(who, opts.texts);
  const maxTokens = checkInteger(who, 'maxTokens', opts.maxTokens ?? 10000, { ge: 3 });
  const sequenceLength = checkInteger(who, 'sequenceLength', opts.sequenceLength ?? 64, { ge: 2 });
  const embeddingDim = checkInteger(who, 'embeddingDim', opts.embeddingDim ?? 64, { ge: 1 });
  const window = checkInteger(who, 'window', opts.window ?? 2, { ge: 1 });
  const vectorizer = new TextVectorization({ ...opts.vectorization, maxTokens, outputSequenceLength: sequenceLength });
  vectorizer.adapt(opts.texts);
  if (vectorizer.vocabularySize() <= 2) throw new ValueError(`${who}: the texts hold no token after standardisation; pass texts with words in them`);
  return new TextLanguageModel(vectorizer, embeddingDim, window);
}
