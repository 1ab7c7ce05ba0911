import { tensor } from '../../../tensor/creation.js';
import { DTypeError, ShapeError, ValueError } from '../../../tensor/errors.js';
import { lookupKey } from '../../../tensor/registry.js';
import { fmt } from '../../../tensor/shape.js';
import type { Tensor } from '../../../tensor/tensor.js';
import type { Config } from '../../config.js';
import { readOptions } from '../../config-options.js';
import { Layer, type LayerOptions } from '../../layer.js';
import { registerLayer } from '../../layer-registry.js';
import { bagOfTokens, fitLength, type BagMode } from './text-outputs.js';
import {
  checkSplit, checkStandardize, deserializeTextOption, ngramTokens, ngramWidths, serializeTextOption, splitText, standardizeText,
  type SplitOption, type StandardizeOption,
} from './text-processing.js';
import { checkVocabulary, idfWithOov, learnVocabulary, meanOf, OOV_TOKEN, PAD_TOKEN } from './vocabulary.js';


/** The longest `outputSequenceLength` accepted (2^20 tokens: far past any text model's context). */
const MAX_SEQUENCE_LENGTH = 2 ** 20;
/** What `TextVectorization` outputs (Keras' names; any case or spelling is accepted: `'multiHot'`). */
export type TextOutputMode = 'int' | BagMode;
const MODES: readonly TextOutputMode[] = ['int', 'multi_hot', 'count', 'tf_idf'];

/** Options of `TextVectorization` (Keras' arguments, camelCased). */
export interface TextVectorizationOptions extends LayerOptions {
  /** Most entries of the vocabulary, the reserved ones included (2 in `int` mode: padding and OOV; 1 otherwise). Default none. */
  maxTokens?: number | null;
  /** Default `'lower_and_strip_punctuation'`; `'lower'`, `'strip_punctuation'`, null (none) or a function of one text. */
  standardize?: StandardizeOption;
  /** Default `'whitespace'`; `'character'`, null (the text is one token), a function, or a tokenizer such as `ByteLevelBPE`. */
  split?: SplitOption;
  /** `n`: the n-grams of 1..n tokens; a list: those widths; default null (tokens only). */
  ngrams?: number | number[] | null;
  /** Default `'int'`. */
  outputMode?: TextOutputMode;
  /** `int` mode only: pad with 0 or cut at the end to this many tokens. Default: the longest text of each call. */
  outputSequenceLength?: number | null;
  /** Non-`int` modes: rows of `maxTokens` values even when the vocabulary is smaller. Default false. */
  padToMaxTokens?: boolean;
  /** A vocabulary to use instead of `adapt` (optionally starting with the reserved tokens, as `getVocabulary()` lists them). */
  vocabulary?: string[] | null;
  /** `tf_idf` with a `vocabulary`: one weight per entry of it. */
  idfWeights?: number[] | null;
}

/**
 * Keras' `TextVectorization`: texts → token ids or bags of tokens. Each text is standardised
 * (lower-cased, ASCII punctuation removed), split (on white space), turned into n-grams, and
 * looked up in a vocabulary learned by `adapt(texts)` (most frequent first) or given.
 *
 * In `int` mode the output is int32 `[batch, length]`: 0 pads, 1 is out-of-vocabulary, 2… are
 * the tokens; a text longer than `outputSequenceLength` is cut at the end. In `multi_hot`,
 * `count` and `tf_idf` modes it is float32 `[batch, vocabularySize()]`, index 0 counting the
 * out-of-vocabulary tokens.
 *
 * Tensors hold numbers, so the strings stop at the model's edge: `encodeTexts(texts)` gives the
 * int32 ids (padded with 0) that the layer takes as its tensor input, and `call` turns them
 * into the output of the mode (the same ids, cut or padded, in `int` mode). A model whose first
 * layer is a `TextVectorization` takes arrays of strings in `fit`, `evaluate` and `predict`. The
 * vocabulary and idf weights are part of the config, so a saved model keeps them.
 *
 * @example
 * const vectorize = new nb.layers.TextVectorization({ maxTokens: 20000, outputSequenceLength: 40 });
 * vectorize.adapt(train.texts);
 * const model = new nb.Sequential([vectorize, new nb.layers.Embedding(20000, 64, { maskZero: true }),
 *   new nb.layers.GlobalAveragePooling1D(), new nb.layers.Dense(2, { activation: 'softmax' })]);
 * model.predict(['a great film']);
 */
export class TextVectorization extends Layer {
  readonly maxTokens: number | null;
  readonly standardize: StandardizeOption;
  readonly split: SplitOption;
  readonly ngrams: number | number[] | null;
  readonly outputMode: TextOutputMode;
  readonly outputSequenceLength: number | null;
  readonly padToMaxTokens: boolean;
  private readonly widths: number[] | null;
  private tokens: string[] = [];
  private index = new Map<string, number>();
  /** tf_idf: one weight per output index (OOV first), or null before a vocabulary is set. */
  private idf: Float32Array | null = null;
  private hasVocabulary = false;

  constructor(opts: TextVectorizationOptions = {}) {
    super(opts);
    const who = this.describe();
    const mode = MODES.find((m) => typeof opts.outputMode === 'string' && lookupKey(m) === lookupKey(opts.outputMode));
    if (opts.outputMode !== undefined && mode === undefined) throw new ValueError(`${who}: outputMode must be 'int', 'multi_hot', 'count' or 'tf_idf', got ${JSON.stringify(opts.outputMode)}`);
    this.outputMode = mode ?? 'int';
    this.standardize = checkStandardize(opts.standardize === undefined ? 'lower_and_strip_punctuation' : opts.standardize, who);
    this.split = checkSplit(opts.split === undefined ? 'whitespace' : opts.split, who);
    this.ngrams = opts.ngrams ?? null;
    this.widths = ngramWidths(this.ngrams, who);
    const reserved = this.reservedTokens().length;
    const maxTokens = opts.maxTokens ?? null;
    if (maxTokens !== null && !(Number.isInteger(maxTokens) && maxTokens > reserved)) {
      throw new ValueError(`${who}: maxTokens must be an integer above ${reserved} (it counts the ${reserved === 2 ? 'padding and OOV entries' : 'OOV entry'} too), got ${maxTokens}`);
    }
    this.maxTokens = maxTokens;
    const length = opts.outputSequenceLength ?? null;
    if (length !== null && this.outputMode !== 'int') throw new ValueError(`${who}: outputSequenceLength applies to outputMode 'int' only, not '${this.outputMode}'`);
    // bounded: a model.json asking for 1e9 would make every predict allocate rows × 1e9 ids
    if (length !== null && !(Number.isInteger(length) && length > 0 && length <= MAX_SEQUENCE_LENGTH)) {
      throw new ValueError(`${who}: outputSequenceLength must be a positive integer up to ${MAX_SEQUENCE_LENGTH}, got ${String(length)}`);
    }
    this.outputSequenceLength = length;
    this.padToMaxTokens = readOptions(who, opts).boolean('padToMaxTokens', false);
    if (this.padToMaxTokens && (this.outputMode === 'int' || maxTokens === null)) {
      throw new ValueError(`${who}: padToMaxTokens needs maxTokens and an outputMode other than 'int'`);
    }
    if (opts.vocabulary !== undefined && opts.vocabulary !== null) this.setVocabulary(opts.vocabulary, opts.idfWeights ?? undefined);
    else if (opts.idfWeights !== undefined && opts.idfWeights !== null) throw new ValueError(`${who}: idfWeights needs the vocabulary it weighs`);
  }

  /** `['', '[UNK]']` in `int` mode (ids 0 and 1), `['[UNK]']` in the others (index 0). */
  private reservedTokens(): string[] {
    return this.outputMode === 'int' ? [PAD_TOKEN, OOV_TOKEN] : [OOV_TOKEN];
  }

  /**
   * Learns the vocabulary of `texts` (replacing any earlier one): every token and n-gram, most
   * frequent first, equal counts in reverse code-point order (Keras' order), at most
   * `maxTokens` entries counting the reserved ones; in `tf_idf` mode also each token's idf,
   * `log(1 + texts / (1 + texts containing it))`, and for OOV their mean.
   */
  adapt(texts: readonly string[]): void {
    const docs = this.checkTexts(texts, 'adapt').map((t) => this.tokenize(t));
    const learned = learnVocabulary(docs, this.maxTokens === null ? null : this.maxTokens - this.reservedTokens().length, this.outputMode === 'tf_idf');
    this.useTokens(learned.tokens);
    this.idf = learned.idf && Float32Array.from([meanOf(Float32Array.from(learned.idf)), ...learned.idf]);
  }

  /**
   * Sets the vocabulary (Keras' `set_vocabulary`): a list of tokens, optionally starting with the
   * reserved ones as `getVocabulary()` lists them, and in `tf_idf` mode one idf weight per entry.
   */
  setVocabulary(vocabulary: readonly string[], idfWeights?: readonly number[]): void {
    const who = this.describe();
    const { tokens, hadSpecials } = checkVocabulary(vocabulary, this.reservedTokens(), who);
    const size = this.reservedTokens().length + tokens.length;
    if (this.maxTokens !== null && size > this.maxTokens) throw new ValueError(`${who}: the vocabulary has ${size} entries with the reserved ones, more than maxTokens ${this.maxTokens}`);
    if (this.outputMode === 'tf_idf') {
      if (idfWeights === undefined) throw new ValueError(`${who}: outputMode 'tf_idf' needs idfWeights with the vocabulary (one per entry), or adapt(texts) to learn both`);
      this.idf = idfWithOov(idfWeights, vocabulary.length, hadSpecials, who);
    } else if (idfWeights !== undefined) {
      throw new ValueError(`${who}: idfWeights apply to outputMode 'tf_idf' only, not '${this.outputMode}'`);
    }
    this.useTokens(tokens);
  }

  private useTokens(tokens: string[]): void {
    this.tokens = tokens;
    this.index = new Map(tokens.map((t, i) => [t, i]));
    this.hasVocabulary = true;
  }

  /**
   * The vocabulary in index order: in `int` mode `''` (padding, 0) and `'[UNK]'` (1) first, in
   * the other modes `'[UNK]'` (0) first; without them if `includeSpecialTokens` is false.
   */
  getVocabulary(includeSpecialTokens = true): string[] {
    return includeSpecialTokens ? [...this.reservedTokens(), ...this.tokens] : [...this.tokens];
  }

  /** The number of entries, the reserved ones included (the width of the non-`int` outputs unless `padToMaxTokens`). */
  vocabularySize(): number {
    return this.reservedTokens().length + this.tokens.length;
  }

  /** The tokens (and n-grams) of one text, before the lookup: for inspecting standardisation and splitting. */
  tokenize(text: string): string[] {
    // describe() looks the class name up: made only for an error, not once per text
    const who = () => this.describe();
    const tokens = splitText(standardizeText(text, this.standardize, who), this.split, who);
    return this.widths ? ngramTokens(tokens, this.widths) : tokens;
  }

  /**
   * The layer's tensor input for `texts`: int32 `[texts, length]` ids, 0 padding at the end, 1
   * for a token outside the vocabulary, 2… for its tokens. `length` is `outputSequenceLength`
   * in `int` mode when set (longer texts are cut), else the longest text's token count (at least 1).
   */
  encodeTexts(texts: readonly string[]): Tensor {
    this.checkTexts(texts, 'encodeTexts');
    if (!this.hasVocabulary) throw new ValueError(`${this.describe()}: no vocabulary yet; call adapt(trainingTexts) or pass { vocabulary }`);
    const rows = texts.map((t) => this.tokenize(t));
    const longest = rows.reduce((m, r) => Math.max(m, r.length), 1);
    const length = this.outputMode === 'int' && this.outputSequenceLength !== null ? this.outputSequenceLength : longest;
    const ids = new Int32Array(rows.length * length);
    rows.forEach((row, b) => {
      for (let t = 0; t < row.length && t < length; t++) ids[b * length + t] = 2 + (this.index.get(row[t]!) ?? -1);
    });
    return tensor(ids, { dtype: 'int32', shape: [rows.length, length] });
  }

  /** The output for `texts`, as Keras' `layer(texts)`: `apply(encodeTexts(texts))`. */
  vectorize(texts: readonly string[]): Tensor {
    return this.apply(this.encodeTexts(texts));
  }

  /** Ids from `encodeTexts` (int32, or floats holding whole numbers) → the output of the mode. */
  call(inputs: Tensor): Tensor {
    const who = this.describe();
    if (inputs.ndim !== 2) throw new ShapeError(`${who}: expects token ids [batch, length] (from encodeTexts), got shape ${fmt(inputs.shape)}`);
    const [batch, width] = inputs.shape as [number, number];
    const ids = this.checkIds(inputs);
    if (this.outputMode === 'int') return fitLength(ids, batch, width, this.outputSequenceLength ?? width);
    if (!this.hasVocabulary && !this.padToMaxTokens) {
      throw new ValueError(`${who}: outputMode '${this.outputMode}' needs a vocabulary before the first call (its width); call adapt(texts) or pass { vocabulary }`);
    }
    return bagOfTokens(ids, batch, width, this.depth(), this.outputMode, this.idf);
  }

  private depth(): number {
    return this.padToMaxTokens && this.maxTokens !== null ? this.maxTokens : this.vocabularySize();
  }

  private checkIds(inputs: Tensor): Int32Array {
    const who = this.describe();
    if (inputs.dtype === 'bool') throw new DTypeError(`${who}: token ids must be int32, got bool`);
    const values = inputs.data();
    const size = 2 + this.tokens.length;
    const ids = values instanceof Int32Array ? values : new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isInteger(v)) throw new DTypeError(`${who}: token ids must be whole numbers (int32), got ${v}; pass the output of encodeTexts`);
      if (v < 0 || v >= size) throw new ValueError(`${who}: token id ${v} is outside the vocabulary [0, ${size}) (0 padding, 1 OOV, 2… tokens)`);
      ids[i] = v;
    }
    return ids;
  }

  private checkTexts(texts: readonly string[], method: string): readonly string[] {
    if (!Array.isArray(texts)) throw new ValueError(`${this.describe()}: ${method} takes an array of strings, got ${typeof texts}`);
    const bad = texts.findIndex((t) => typeof t !== 'string');
    if (bad >= 0) throw new ValueError(`${this.describe()}: ${method} takes an array of strings; element ${bad} is ${typeof texts[bad]}`);
    if (method === 'adapt' && texts.length === 0) throw new ValueError(`${this.describe()}: adapt needs at least one text`);
    return texts;
  }

  override computeOutputShape(inputShape: number[]): number[] {
    const batch = inputShape[0]!;
    return this.outputMode === 'int' ? [batch, this.outputSequenceLength ?? inputShape[1]!] : [batch, this.depth()];
  }

  override getConfig(): Config {
    const who = this.describe();
    return {
      ...super.getConfig(),
      maxTokens: this.maxTokens,
      standardize: serializeTextOption(this.standardize, 'standardize', who),
      split: serializeTextOption(this.split, 'split', who),
      ngrams: Array.isArray(this.ngrams) ? [...this.ngrams] : this.ngrams,
      outputMode: this.outputMode,
      outputSequenceLength: this.outputSequenceLength,
      padToMaxTokens: this.padToMaxTokens,
      // the vocabulary travels in model.json (strings have no place in the weights file); a
      // 20,000-token vocabulary adds a few hundred kB
      vocabulary: this.hasVocabulary ? this.getVocabulary() : null,
      idfWeights: this.idf ? Array.from(this.idf) : null,
    };
  }

  static override fromConfig(config: Config): TextVectorization {
    const opts = { ...config, standardize: deserializeTextOption(config.standardize), split: deserializeTextOption(config.split) };
    return new TextVectorization(opts as TextVectorizationOptions);
  }
}

registerLayer(TextVectorization);
