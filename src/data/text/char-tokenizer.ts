import { writeFileAtomic } from '../../formats/atomic.js';
import { ValueError } from '../../tensor/errors.js';
import { checkTokenIds } from './token-ids.js';
import { badField, readTokenizerFile } from './tokenizer-file.js';

/** Options of {@link CharTokenizer}. */
export interface CharTokenizerOptions {
  /**
   * What to do with a character missing from the vocabulary. Unset (the default): `encode` throws
   * a `ValueError` naming the character and its position. A string: such characters map to this
   * token's id. If `unk` is a single character already in the vocabulary it reuses that id;
   * otherwise it is added as the last token (and decodes as itself, e.g. `'<unk>'`).
   */
  unk?: string;
}

const FORMAT = 'nabla.char-tokenizer';
const VERSION = 1;

function codePointName(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Character-level tokenizer: one token per Unicode code point (an emoji outside the Basic
 * Multilingual Plane is one token, not two UTF-16 halves; a lone surrogate, which JS strings may
 * hold, is a character of its own). Ids follow the order of `chars`; {@link CharTokenizer.fromText}
 * sorts them by code point.
 *
 * @example
 * const tok = CharTokenizer.fromText(corpus);
 * tok.encode('ROMEO:'); // Int32Array of 6 ids
 * tok.decode(tok.encode('ROMEO:')); // 'ROMEO:'
 */
export class CharTokenizer {
  /** The vocabulary, by id (the `unk` token last when it was added). */
  readonly tokens: readonly string[];
  /** The id unknown characters map to, or `null` when they are an error. */
  readonly unkId: number | null;
  private readonly unk: string | null;
  private readonly chars: readonly string[];
  private readonly ids = new Map<string, number>();

  /**
   * A tokenizer over the given characters, in id order. Each must be one code point, listed once.
   *
   * @example
   * new CharTokenizer(['a', 'b', 'c'], { unk: '?' }).encode('abz'); // Int32Array [0, 1, 3]
   */
  constructor(chars: readonly string[], options: CharTokenizerOptions = {}) {
    const tokens: string[] = [];
    for (const [i, ch] of chars.entries()) {
      if (typeof ch !== 'string' || ch.length === 0 || [...ch].length !== 1) {
        throw new ValueError(`CharTokenizer: chars[${i}] must be exactly one character (code point), got ${JSON.stringify(ch)}`);
      }
      if (this.ids.has(ch)) throw new ValueError(`CharTokenizer: character ${JSON.stringify(ch)} (${codePointName(ch)}) is listed twice`);
      this.ids.set(ch, tokens.length);
      tokens.push(ch);
    }
    this.chars = [...tokens];
    const { unk } = options;
    if (unk === undefined) {
      this.unk = null;
      this.unkId = null;
    } else {
      if (typeof unk !== 'string' || unk.length === 0) {
        throw new ValueError(`CharTokenizer: unk must be a non-empty string, got ${JSON.stringify(unk)}`);
      }
      this.unk = unk;
      const existing = this.ids.get(unk);
      if (existing !== undefined) {
        this.unkId = existing;
      } else {
        this.unkId = tokens.length;
        tokens.push(unk);
      }
    }
    this.tokens = tokens;
  }

  /**
   * The tokenizer whose vocabulary is every distinct character of `text`, sorted by code point.
   *
   * @example
   * CharTokenizer.fromText('hello').tokens; // ['e', 'h', 'l', 'o']
   */
  static fromText(text: string, options: CharTokenizerOptions = {}): CharTokenizer {
    const seen = new Set<string>(text);
    const chars = [...seen].sort((a, b) => (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0));
    return new CharTokenizer(chars, options);
  }

  /**
   * Reads a tokenizer saved by {@link CharTokenizer.save}. A missing file is a
   * `FileNotFoundError`; a damaged file, another kind of file or another version is a
   * `FormatError` naming the path.
   */
  static load(path: string): CharTokenizer {
    const op = 'CharTokenizer.load';
    const obj = readTokenizerFile(path, op, FORMAT, VERSION);
    const chars = obj['chars'];
    if (!Array.isArray(chars) || !chars.every((c) => typeof c === 'string')) {
      throw badField(op, path, 'field "chars" must be an array of one-character strings');
    }
    const unk = obj['unk'];
    if (unk !== null && typeof unk !== 'string') throw badField(op, path, 'field "unk" must be a string or null');
    try {
      return new CharTokenizer(chars as string[], unk === null ? {} : { unk });
    } catch (err) {
      throw badField(op, path, (err as Error).message);
    }
  }

  /** Number of token ids. */
  get vocabSize(): number {
    return this.tokens.length;
  }

  /**
   * One id per code point of `text`. A character outside the vocabulary maps to `unk` if one was
   * configured, and is otherwise a `ValueError` naming it and its position (its UTF-16 index in
   * `text`, as `text[i]` counts).
   */
  encode(text: string): Int32Array {
    const out = new Int32Array(text.length);
    let n = 0;
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i) as number;
      const ch = cp > 0xffff ? text.slice(i, i + 2) : text[i] as string;
      const id = this.ids.get(ch) ?? this.unkId;
      if (id === null) {
        throw new ValueError(
          `CharTokenizer.encode: character ${JSON.stringify(ch)} (${codePointName(ch)}) at position ${i} is not in ` +
            `the vocabulary (${this.vocabSize} characters); build the tokenizer from text that contains it, ` +
            `or pass { unk: '<unk>' } to map unknown characters to one token`,
        );
      }
      out[n++] = id;
      i += ch.length;
    }
    return out.slice(0, n);
  }

  /** The text that `ids` spell; an id outside the vocabulary is a `ValueError`. */
  decode(ids: ArrayLike<number>): string {
    checkTokenIds(ids, this.vocabSize, 'CharTokenizer.decode');
    const parts: string[] = [];
    for (let i = 0; i < ids.length; i++) parts.push(this.tokens[ids[i] as number] as string);
    return parts.join('');
  }

  /** The token with id `id`. */
  idToToken(id: number): string {
    checkTokenIds([id], this.vocabSize, 'CharTokenizer.idToToken');
    return this.tokens[id] as string;
  }

  /** The id of a character (or of the `unk` token), or `undefined`. */
  tokenToId(token: string): number | undefined {
    return this.ids.get(token) ?? (token === this.unk ? (this.unkId ?? undefined) : undefined);
  }

  /** Writes the tokenizer as JSON (`format`, `version`, `chars`, `unk`), atomically. */
  save(path: string): void {
    const file = { format: FORMAT, version: VERSION, unk: this.unk, chars: this.chars };
    writeFileAtomic(path, `${JSON.stringify(file, null, 1)}\n`);
  }
}
