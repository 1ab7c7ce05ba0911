/**
 * Fine-tuning for text: a classifier that starts from pretrained weights — the embeddings of a
 * CBOW language model (text-pretrain.ts), or the whole body of a trained text classifier (an
 * SST-2 model from `nabla train --model text`) — with a fresh softmax head, ready to compile and
 * fit on the labelled set. Words of the labelled texts the pretrained vocabulary lacks can be
 * added (fresh embedding rows), so a new domain's words are not all out of vocabulary.
 */
import { noGrad } from '../tensor/grad-mode.js';
import { tensor, zeros } from '../tensor/creation.js';
import { ValueError } from '../tensor/errors.js';
import { assignInPlace } from '../nn/assign.js';
import { buildByRun } from '../nn/build-by-run.js';
import { checkInteger, checkNumber, optionError } from '../nn/config-check.js';
import { Layer } from '../nn/layer.js';
import { replaceSublayer } from '../nn/layer-paths.js';
import { layerFromConfig, serializeLayer } from '../nn/layer-registry.js';
import { Dense } from '../nn/layers/dense.js';
import { Dropout } from '../nn/layers/dropout.js';
import { Embedding } from '../nn/layers/embedding.js';
import { GlobalAveragePooling1D } from '../nn/layers/global-pooling.js';
import { TextVectorization } from '../nn/layers/text/text-vectorization.js';
import { learnVocabulary } from '../nn/layers/text/vocabulary.js';
import { Sequential } from '../model/sequential.js';
import { replaceHead } from './replace-head.js';
import { TextLanguageModel } from './text-pretrain.js';

const WHO = 'textClassifierFromPretrained';

/** Options of `textClassifierFromPretrained`. */
export interface FromPretrainedOptions {
  /** Number of classes of the new softmax head (≥ 2). */
  classes: number;
  /**
   * The labelled training texts: their tokens (and n-grams) that the pretrained vocabulary lacks
   * are added to it, most frequent first, each with a freshly initialised embedding row. Left
   * out, the vocabulary stays the pretrained one (unknown words map to OOV).
   */
  texts?: readonly string[];
  /** Most tokens added from `texts` (default 20,000). */
  maxNewTokens?: number;
  /** From a language model: n-grams of the classifier's vectorizer (default 2, the fastText recipe's bigrams; their rows are new). */
  ngrams?: number | null;
  /** From a language model: dropout before the head (default 0.2, as `textBagOfEmbeddings`). */
  dropout?: number;
  /** From a language model: tokens per text (default the language model's). */
  sequenceLength?: number;
}

/** The vectorizer and embedding of a text model, with `texts`' missing tokens added (see `FromPretrainedOptions.texts`). */
function extendVocabulary(
  vectorizer: TextVectorization, embedding: Embedding, texts: readonly string[] | undefined, maxNew: number,
  overrides: { ngrams?: number | null; sequenceLength?: number } = {},
): { vectorizer: TextVectorization; embedding: Embedding } {
  const fresh = new TextVectorization({
    standardize: vectorizer.standardize, split: vectorizer.split,
    ngrams: overrides.ngrams === undefined ? vectorizer.ngrams : overrides.ngrams,
    outputSequenceLength: overrides.sequenceLength ?? vectorizer.outputSequenceLength,
    vocabulary: vectorizer.getVocabulary(),
  });
  const known = new Set(fresh.getVocabulary());
  let added: string[] = [];
  if (texts !== undefined) {
    if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) throw optionError(WHO, 'texts', 'an array of strings', texts);
    const docs = texts.map((t) => fresh.tokenize(t).filter((tok) => !known.has(tok)));
    added = learnVocabulary(docs, maxNew, false).tokens;
    if (added.length > 0) fresh.setVocabulary([...fresh.getVocabulary(), ...added]);
  }
  const old = embedding.embeddings;
  const [rows, dim] = old.shape as [number, number];
  const table = new Embedding(rows + added.length, dim, { maskZero: embedding.maskZero });
  noGrad(() => table.apply(zeros([1, 1], { dtype: 'int32' }), false));
  // the pretrained rows bit for bit, then the new tokens' rows as the initializer drew them
  const values = Float32Array.from(table.embeddings.data());
  values.set(old.data(), 0);
  assignInPlace(table.embeddings, tensor(values, { shape: [rows + added.length, dim] }), WHO);
  return { vectorizer: fresh, embedding: table };
}

/** A separate copy of a Sequential text classifier: same config, same weight values. */
function copyOf(model: Sequential, vectorizer: TextVectorization): Sequential {
  const copy = layerFromConfig(serializeLayer(model));
  if (!(copy instanceof Sequential)) throw new ValueError(`${WHO}: copying ${model.describe()} gave a ${copy.describe()}`);
  buildByRun(copy, [1, vectorizer.outputSequenceLength ?? 1]);
  copy.loadStateDict(model.stateDict());
  return copy;
}

function notTextModel(source: unknown): ValueError {
  const what = source instanceof Layer ? source.describe() : source === null ? 'null' : typeof source;
  const first = source instanceof Sequential && source.layers[0] ? ` (its first layer is ${source.layers[0].describe()})` : '';
  return new ValueError(
    `${WHO}: ${what}${first} is not a pretrained text model; pass a TextLanguageModel (nb.models.textLanguageModel) ` +
      'or a text classifier (a Sequential whose first layer is a TextVectorization in int mode followed by an Embedding, e.g. a model saved by `nabla train --model text`)',
  );
}

/**
 * A classifier that starts from pretrained weights, with a new softmax head of `classes` outputs
 * (compile it, then fit on the labelled texts; it takes raw strings and saves with its vocabulary):
 *
 * - from a `TextLanguageModel`: its vocabulary and embeddings (copied) → mean over the real
 *   tokens → dropout → softmax, the `textBagOfEmbeddings` recipe (bigrams by default, whose
 *   embeddings start fresh);
 * - from a trained text classifier (a `Sequential` starting with a `TextVectorization` and an
 *   `Embedding`, e.g. loaded with `nb.loadModel` from `nabla train --model text`): a copy of it
 *   with its last weighted layer replaced by the new head (`replaceHead`); the source is left
 *   untouched, so one loaded model can seed several runs.
 *
 * @example
 * const sst2 = nb.loadModel('sst2-model') as nb.Sequential;
 * const model = nb.models.textClassifierFromPretrained(sst2, { classes: 2, texts: train.texts });
 * model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
 */
export function textClassifierFromPretrained(source: TextLanguageModel | Sequential, opts: FromPretrainedOptions): Sequential {
  if (opts === null || typeof opts !== 'object') throw new ValueError(`${WHO}: expects an options object with at least { classes }`);
  const classes = checkInteger(WHO, 'classes', opts.classes, { ge: 2 });
  const maxNew = checkInteger(WHO, 'maxNewTokens', opts.maxNewTokens ?? 20000, { ge: 0 });
  const head = new Dense(classes, { activation: 'softmax' });
  if (source instanceof TextLanguageModel) {
    const rate = checkNumber(WHO, 'dropout', opts.dropout ?? 0.2, { ge: 0, lt: 1 });
    if (!source.embedding.built) throw new ValueError(`${WHO}: the language model has not been trained; call await lm.fit(texts) first`);
    const sequenceLength = opts.sequenceLength === undefined ? undefined : checkInteger(WHO, 'sequenceLength', opts.sequenceLength, { ge: 1 });
    const { vectorizer, embedding } = extendVocabulary(source.vectorizer, source.embedding, opts.texts, maxNew, {
      ngrams: opts.ngrams === undefined ? 2 : opts.ngrams, ...(sequenceLength === undefined ? {} : { sequenceLength }),
    });
    return new Sequential([vectorizer, embedding, new GlobalAveragePooling1D(), ...(rate > 0 ? [new Dropout(rate)] : []), head]);
  }
  if (!(source instanceof Sequential)) throw notTextModel(source);
  const [vectorizer, embedding] = source.layers;
  if (!(vectorizer instanceof TextVectorization) || vectorizer.outputMode !== 'int' || !(embedding instanceof Embedding)) throw notTextModel(source);
  for (const key of ['ngrams', 'dropout', 'sequenceLength'] as const) {
    if (opts[key] !== undefined) throw new ValueError(`${WHO}: ${key} applies to a language model source only; a classifier keeps its own`);
  }
  if (!embedding.built) throw new ValueError(`${WHO}: ${source.describe()} has no weights yet; pass a trained (or loaded) classifier`);
  const copy = copyOf(source, vectorizer);
  if (opts.texts !== undefined) {
    const extended = extendVocabulary(vectorizer, embedding, opts.texts, maxNew);
    replaceSublayer(copy, 'layers.0', extended.vectorizer);
    replaceSublayer(copy, 'layers.1', extended.embedding);
  }
  replaceHead(copy, head);
  // the source's metadata (its data set, class names) describes the old head, not this one
  copy.metadata = {};
  return copy;
}
