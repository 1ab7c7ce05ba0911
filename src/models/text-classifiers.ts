import { ValueError } from '../tensor/errors.js';
import { checkInteger, checkNumber, optionError } from '../nn/config-check.js';
import type { Layer } from '../nn/layer.js';
import { Dense } from '../nn/layers/dense.js';
import { Dropout } from '../nn/layers/dropout.js';
import { Embedding } from '../nn/layers/embedding.js';
import { GlobalAveragePooling1D, GlobalMaxPooling1D } from '../nn/layers/global-pooling.js';
import { MultiWidthConv1D } from '../nn/layers/multi-width-conv1d.js';
import { Bidirectional } from '../nn/layers/recurrent/bidirectional.js';
import { GRU } from '../nn/layers/recurrent/gru.js';
import { LSTM } from '../nn/layers/recurrent/lstm.js';
import { TokenAndPositionEmbedding } from '../nn/layers/attention/token-and-position-embedding.js';
import { TransformerEncoderBlock } from '../nn/layers/attention/transformer-encoder-block.js';
import { TextVectorization, type TextVectorizationOptions } from '../nn/layers/text/text-vectorization.js';
import { Sequential } from '../model/sequential.js';

// Text classifier recipes: each is a Sequential whose first layer is a TextVectorization, so the
// model takes strings in fit/evaluate/predict and keeps its vocabulary when saved. The last
// layer is a softmax over the classes (compile with sparseCategoricalCrossentropy).

/** Options every text classifier recipe takes. */
export interface TextClassifierOptions {
  /** Number of classes of the softmax output (≥ 2). */
  classes: number;
  /** Texts to learn the vocabulary from (`TextVectorization.adapt`); or give `vocabulary`. */
  texts?: readonly string[];
  /** A fixed vocabulary instead of `texts` (without the reserved padding and OOV entries). */
  vocabulary?: string[];
  /** Most vocabulary entries, padding and OOV included (default 20,000). */
  maxTokens?: number;
  /** Tokens per text: longer texts are cut, shorter padded with 0 (default 64). */
  sequenceLength?: number;
  /** Width of the token embeddings (default 128). */
  embeddingDim?: number;
  /** Dropout before the output layer (default 0.5 for the CNN, else 0.2). */
  dropout?: number;
  /** Options passed on to the TextVectorization (standardize, split, ngrams…). */
  vectorization?: Omit<TextVectorizationOptions, 'maxTokens' | 'outputSequenceLength' | 'vocabulary' | 'outputMode'>;
}

/** What the recipes share once their options are read. */
interface Parts {
  vectorize: TextVectorization;
  vocab: number;
  sequenceLength: number;
  embeddingDim: number;
  head: Layer[];
}

function parts(who: string, opts: TextClassifierOptions, defaultDropout: number, ngrams?: number): Parts {
  if (opts === null || typeof opts !== 'object') throw new ValueError(`${who}: expects an options object with at least { classes, texts }`);
  const classes = checkInteger(who, 'classes', opts.classes, { ge: 2 });
  const maxTokens = checkInteger(who, 'maxTokens', opts.maxTokens ?? 20000, { ge: 3 });
  const sequenceLength = checkInteger(who, 'sequenceLength', opts.sequenceLength ?? 64, { ge: 1 });
  const embeddingDim = checkInteger(who, 'embeddingDim', opts.embeddingDim ?? 128, { ge: 1 });
  const rate = checkNumber(who, 'dropout', opts.dropout ?? defaultDropout, { ge: 0, lt: 1 });
  if ((opts.texts === undefined) === (opts.vocabulary === undefined)) {
    throw new ValueError(`${who}: give either texts (the training texts, to learn the vocabulary from) or a vocabulary, not ${opts.texts === undefined ? 'neither' : 'both'}`);
  }
  const vectorize = new TextVectorization({
    ...(ngrams === undefined ? {} : { ngrams }), ...opts.vectorization,
    maxTokens, outputSequenceLength: sequenceLength, ...(opts.vocabulary ? { vocabulary: opts.vocabulary } : {}),
  });
  if (opts.texts !== undefined) {
    if (!Array.isArray(opts.texts) || opts.texts.length === 0) throw optionError(who, 'texts', 'a non-empty array of strings', opts.texts);
    vectorize.adapt(opts.texts);
  }
  const head: Layer[] = [...(rate > 0 ? [new Dropout(rate)] : []), new Dense(classes, { activation: 'softmax' })];
  return { vectorize, vocab: vectorize.vocabularySize(), sequenceLength, embeddingDim, head };
}

/**
 * fastText's recipe (Joulin et al. 2017): the tokens and bigrams of a text (`ngrams: 2`) embedded
 * and averaged over the real tokens (masked mean), then a softmax. Fast, and a strong baseline.
 *
 * @example
 * const model = nb.models.textBagOfEmbeddings({ classes: 2, texts: train.texts, embeddingDim: 64 });
 * model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
 */
export function textBagOfEmbeddings(opts: TextClassifierOptions): Sequential {
  const p = parts('textBagOfEmbeddings', opts, 0.2, 2);
  return new Sequential([p.vectorize, new Embedding(p.vocab, p.embeddingDim, { maskZero: true }), new GlobalAveragePooling1D(), ...p.head]);
}

/** Options of `textCNN`. */
export interface TextCNNOptions extends TextClassifierOptions {
  /** Filters per window width (default 100). */
  filters?: number;
  /** Window widths (default `[3, 4, 5]`). */
  kernelSizes?: number[];
}

/**
 * Kim's (2014) sentence CNN: embeddings → convolutions of several widths side by side (100
 * filters each of widths 3, 4, 5, ReLU) → max over time (masked) → dropout 0.5 → softmax.
 *
 * @example
 * const model = nb.models.textCNN({ classes: 2, texts: train.texts, sequenceLength: 56 });
 */
export function textCNN(opts: TextCNNOptions): Sequential {
  const p = parts('textCNN', opts, 0.5);
  const filters = checkInteger('textCNN', 'filters', opts.filters ?? 100, { ge: 1 });
  return new Sequential([
    p.vectorize, new Embedding(p.vocab, p.embeddingDim, { maskZero: true }),
    new MultiWidthConv1D(filters, { kernelSizes: opts.kernelSizes ?? [3, 4, 5] }), new GlobalMaxPooling1D(), ...p.head,
  ]);
}

/** Options of `textRNN`. */
export interface TextRNNOptions extends TextClassifierOptions {
  /** `'lstm'` (default) or `'gru'`. */
  cell?: 'lstm' | 'gru';
  /** Units of each direction (default 64). */
  units?: number;
}

/**
 * A bidirectional LSTM (or GRU) over the embeddings, every step's output kept, and the maximum
 * over the real steps (masked max pooling) → dropout → softmax.
 *
 * @example
 * const model = nb.models.textRNN({ classes: 2, texts: train.texts, cell: 'gru', units: 64 });
 */
export function textRNN(opts: TextRNNOptions): Sequential {
  const p = parts('textRNN', opts, 0.2);
  const units = checkInteger('textRNN', 'units', opts.units ?? 64, { ge: 1 });
  const cell = opts.cell ?? 'lstm';
  if (cell !== 'lstm' && cell !== 'gru') throw optionError('textRNN', 'cell', "'lstm' or 'gru'", cell);
  const rnn = cell === 'lstm' ? new LSTM(units, { returnSequences: true }) : new GRU(units, { returnSequences: true });
  return new Sequential([
    p.vectorize, new Embedding(p.vocab, p.embeddingDim, { maskZero: true }), new Bidirectional(rnn), new GlobalMaxPooling1D(), ...p.head,
  ]);
}

/** Options of `textTransformer`. */
export interface TextTransformerOptions extends TextClassifierOptions {
  /** Encoder blocks (default 2). */
  layers?: number;
  /** Attention heads; must divide `embeddingDim` (default 4). */
  numHeads?: number;
  /** Hidden width of each block's MLP (default 2 × embeddingDim). */
  ffDim?: number;
}

/**
 * A small transformer encoder: token + learned position embeddings → pre-norm encoder blocks
 * (padding masked out of the attention) → mean over the real tokens → dropout → softmax.
 *
 * @example
 * const model = nb.models.textTransformer({ classes: 2, texts: train.texts, embeddingDim: 64, layers: 2 });
 */
export function textTransformer(opts: TextTransformerOptions): Sequential {
  const p = parts('textTransformer', opts, 0.2);
  const layers = checkInteger('textTransformer', 'layers', opts.layers ?? 2, { ge: 1 });
  const numHeads = checkInteger('textTransformer', 'numHeads', opts.numHeads ?? 4, { ge: 1 });
  const ffDim = checkInteger('textTransformer', 'ffDim', opts.ffDim ?? 2 * p.embeddingDim, { ge: 1 });
  const blocks = Array.from({ length: layers }, () => new TransformerEncoderBlock({ numHeads, ffDim, dropout: 0.1 }));
  return new Sequential([
    p.vectorize, new TokenAndPositionEmbedding(p.vocab, p.sequenceLength, p.embeddingDim, { maskZero: true }), ...blocks,
    new GlobalAveragePooling1D(), ...p.head,
  ]);
}
