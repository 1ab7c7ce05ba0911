/**
 * The string side of `TextVectorization`: standardisation, splitting into tokens and n-grams, as
 * Keras' `TextVectorization._preprocess` does them, and the table of custom functions and
 * tokenizers by name, so that a layer using one can be saved and loaded.
 */
import { ValueError } from '../../../tensor/errors.js';
import { lookupKey, Registry } from '../../../tensor/registry.js';

/**
 * A tokenizer that `TextVectorization` can split with (`ByteLevelBPE`, `CharTokenizer`): text to
 * ids, and each id to its token's text. The layer keeps its own vocabulary of those token texts.
 */
export interface TextTokenizer {
  encode(text: string): ArrayLike<number>;
  idToToken(id: number): string;
}

/** A standardisation by name, none (`null`), or a function of one text. */
export type StandardizeOption = 'lower_and_strip_punctuation' | 'lower' | 'strip_punctuation' | null | ((text: string) => string);
/** A split by name, none (`null`: the whole text is one token), a function, or a tokenizer. */
export type SplitOption = 'whitespace' | 'character' | null | ((text: string) => string[]) | TextTokenizer;
/** A custom standardisation or split that can be registered by name. */
export type TextProcessor = ((text: string) => string) | ((text: string) => string[]) | TextTokenizer;

const STANDARDIZE_NAMES = ['lower_and_strip_punctuation', 'lower', 'strip_punctuation'] as const;
const SPLIT_NAMES = ['whitespace', 'character'] as const;

// the 32 ASCII punctuation characters of Keras' pattern [!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']
// (its ",-\." is a range: , - .)
const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
const WHITESPACE = /\s+/u;

/** A standardisation option in any case or spelling (`'lowerAndStripPunctuation'`) as its Keras name, checked. */
export function checkStandardize(value: unknown, who: string): StandardizeOption {
  if (value === null || typeof value === 'function') return value as StandardizeOption;
  const name = typeof value === 'string' ? STANDARDIZE_NAMES.find((n) => lookupKey(n) === lookupKey(value)) : undefined;
  if (name === undefined) {
    throw new ValueError(`${who}: standardize must be 'lower_and_strip_punctuation', 'lower', 'strip_punctuation', null or a function, got ${JSON.stringify(value)}`);
  }
  return name;
}

/** A split option checked: a name (any case), null, a function, or an object with `encode` and `idToToken`. */
export function checkSplit(value: unknown, who: string): SplitOption {
  if (value === null || typeof value === 'function' || isTokenizer(value)) return value as SplitOption;
  const name = typeof value === 'string' ? SPLIT_NAMES.find((n) => lookupKey(n) === lookupKey(value)) : undefined;
  if (name === undefined) {
    throw new ValueError(`${who}: split must be 'whitespace', 'character', null, a function or a tokenizer (with encode and idToToken), got ${JSON.stringify(value)}`);
  }
  return name;
}

function isTokenizer(value: unknown): value is TextTokenizer {
  const t = value as Partial<TextTokenizer> | null;
  return typeof t === 'object' && t !== null && typeof t.encode === 'function' && typeof t.idToToken === 'function';
}

/**
 * `text` standardised (`who` names the layer in errors, made only for one). Lowercasing covers all of Unicode (`'Été'` → `'été'`), where Keras' use of
 * `tf.strings.lower` changes only A–Z; stripping removes the 32 ASCII punctuation characters
 * without putting a space in their place (`"don't"` → `'dont'`), as Keras does.
 */
export function standardizeText(text: string, standardize: StandardizeOption, who: () => string): string {
  if (standardize === null) return text;
  if (typeof standardize === 'function') {
    const out = standardize(text);
    if (typeof out !== 'string') throw new ValueError(`${who()}: the standardize function must return a string, got ${typeof out}`);
    return out;
  }
  const lowered = standardize === 'strip_punctuation' ? text : text.toLowerCase();
  return standardize === 'lower' ? lowered : lowered.replace(PUNCTUATION, '');
}

/**
 * The tokens of a standardised text: `'whitespace'` splits on runs of (Unicode) white space and
 * drops empty pieces, `'character'` gives each code point (spaces included, as Keras'
 * `unicode_split`), `null` keeps the text whole, a tokenizer gives its tokens' texts.
 */
export function splitText(text: string, split: SplitOption, who: () => string): string[] {
  if (split === 'whitespace') return text.split(WHITESPACE).filter((t) => t !== '');
  if (split === 'character') return Array.from(text);
  if (split === null) return [text];
  if (typeof split === 'function') {
    const out = split(text);
    if (!Array.isArray(out) || !out.every((t) => typeof t === 'string')) throw new ValueError(`${who()}: the split function must return an array of strings`);
    return out;
  }
  return Array.from(split.encode(text), (id) => split.idToToken(id));
}

/**
 * The n-grams of `tokens` for each width in `widths`, in that order, each width's n-grams left to
 * right, joined by one space (`tf.strings.ngrams` with `separator=' '`): widths [1, 2] of
 * `['a', 'b', 'c']` give `['a', 'b', 'c', 'a b', 'b c']`. A text shorter than a width has no
 * n-gram of it.
 */
export function ngramTokens(tokens: readonly string[], widths: readonly number[]): string[] {
  const out: string[] = [];
  for (const w of widths) {
    if (w === 1) out.push(...tokens);
    else for (let i = 0; i + w <= tokens.length; i++) out.push(tokens.slice(i, i + w).join(' '));
  }
  return out;
}

/** The `ngrams` option checked and expanded: `n` → widths 1..n; a list stays as given; null → none. */
export function ngramWidths(ngrams: unknown, who: string): number[] | null {
  if (ngrams === null || ngrams === undefined) return null;
  const positive = (n: unknown): n is number => Number.isInteger(n) && (n as number) > 0;
  if (positive(ngrams)) return Array.from({ length: ngrams }, (_, i) => i + 1);
  if (Array.isArray(ngrams) && ngrams.length > 0 && ngrams.every(positive)) return [...ngrams];
  throw new ValueError(`${who}: ngrams must be null, a positive integer n (n-grams of 1..n tokens) or a list of positive integers, got ${JSON.stringify(ngrams)}`);
}

const processors = new Registry<TextProcessor>({
  kind: 'text processor',
  hint: 'Register a custom standardize or split with nb.layers.registerTextProcessor(name, value) before loading the model.',
});

/**
 * Names a custom `standardize` function or `split` (a function or a tokenizer) so that a
 * `TextVectorization` using it can be saved: model.json records the name, and loading finds the
 * value registered under it (register it again before `nb.loadModel`), as Keras'
 * `register_keras_serializable`.
 *
 * @example
 * const bpe = nb.text.ByteLevelBPE.load('bpe.json');
 * nb.layers.registerTextProcessor('sst2-bpe', bpe);
 * const vectorize = new nb.layers.TextVectorization({ split: bpe, standardize: 'lower' });
 */
export function registerTextProcessor(name: string, value: TextProcessor): void {
  if (typeof value !== 'function' && !isTokenizer(value)) {
    throw new ValueError(`registerTextProcessor: '${name}' must be a function or a tokenizer (with encode and idToToken), got ${typeof value}`);
  }
  processors.register(name, value);
}

/** The JSON form of an option: the name itself, null, or `{ registered: name }` for a custom one. */
export function serializeTextOption(value: StandardizeOption | SplitOption, option: string, who: string): string | null | { registered: string } {
  if (value === null || typeof value === 'string') return value;
  const name = processors.nameOf(value);
  if (name === undefined) {
    throw new ValueError(
      `${who}: its ${option} is a custom ${typeof value === 'function' ? 'function' : 'tokenizer'} that model.json cannot hold; ` +
        `name it with nb.layers.registerTextProcessor('my-${option}', value) before saving (and again before loading)`,
    );
  }
  return { registered: name };
}

/** Turns `{ registered: name }` of a config back into the value registered under that name. */
export function deserializeTextOption(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'registered' in value) {
    const name = (value as { registered: unknown }).registered;
    if (typeof name !== 'string') throw new ValueError(`TextVectorization.fromConfig: { registered } must name a text processor, got ${JSON.stringify(name)}`);
    return processors.get(name);
  }
  return value;
}
