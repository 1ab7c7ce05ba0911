import { writeFileAtomic } from '../../formats/atomic.js';
import { ValueError } from '../../tensor/errors.js';
import { applyMerges } from './bpe-encode.js';
import { mergesProblem, readBpeFile, serializeBpe, specialsProblem } from './bpe-file.js';
import { learnMerges } from './bpe-train.js';
import { bytesKey, parseTokenText, tokenText } from './byte-tokens.js';
import { PAIR_BASE, pairKey } from './pair-key.js';
import { DEFAULT_PRE_TOKENIZE_PATTERN, preTokenize, splitterFor } from './pre-tokenize.js';
import { specialMatcher, splitOnSpecials, type Segment } from './special-split.js';
import { checkTokenIds } from './token-ids.js';
import { utf8Decode, utf8Encode } from './utf8.js';

/** How a {@link ByteLevelBPE} cuts text before merging, and which special tokens it knows. */
export interface ByteLevelBPEOptions {
  /**
   * Pre-tokenisation pattern: merges never cross the pieces it matches (text it does not match is
   * kept as pieces of its own). `false` treats each text as one piece. Default
   * {@link DEFAULT_PRE_TOKENIZE_PATTERN} (words, numbers, punctuation runs, whitespace).
   */
  preTokenize?: RegExp | false;
  /** Special tokens, given ids after the merges in this order. Default none. */
  specialTokens?: readonly string[];
}

/** Options of {@link ByteLevelBPE.train}. */
export interface ByteLevelBPETrainOptions extends ByteLevelBPEOptions {
  /**
   * Size of the vocabulary to reach: 256 byte tokens + the learned merges + `specialTokens`.
   * At least 256 + the number of special tokens. Training may stop short when no pair is left
   * that occurs `minFrequency` times.
   */
  vocabSize: number;
  /** A pair is merged only if it occurs at least this many times. Default 2. */
  minFrequency?: number;
}

/** Options of {@link ByteLevelBPE.encode}. */
export interface EncodeOptions {
  /**
   * Whether special-token strings in the text become their special ids (default `true`). With
   * `false` they are encoded as ordinary text, e.g. for untrusted input.
   */
  allowSpecial?: boolean;
}

const CACHE_LIMIT = 100_000;

/**
 * Byte-level byte-pair encoding (Sennrich et al. 2016, over bytes as in GPT-2): the base
 * vocabulary is the 256 byte values (ids 0..255), merge `r` adds id `256 + r`, and special
 * tokens follow. Because every byte has a token, any text encodes, and every well-formed string
 * round-trips exactly: `decode(encode(s)) === s`.
 *
 * Text is UTF-8 encoded first; a lone surrogate in a JS string (invalid Unicode) is replaced by
 * U+FFFD, so it decodes as `'\uFFFD'`. Decoding an arbitrary id sequence can produce bytes that
 * are not UTF-8 (e.g. half of a multi-byte character); each invalid stretch decodes to U+FFFD.
 *
 * @example
 * const bpe = ByteLevelBPE.train(corpus, { vocabSize: 1000 });
 * bpe.addSpecialTokens(['<|endoftext|>']);
 * const ids = bpe.encode('To be, or not to be<|endoftext|>');
 * bpe.decode(ids); // 'To be, or not to be<|endoftext|>'
 * bpe.save('tokenizer.json'); const again = ByteLevelBPE.load('tokenizer.json');
 */
export class ByteLevelBPE {
  private readonly mergeList: ReadonlyArray<readonly [number, number]>;
  private readonly ranks = new Map<number, number>();
  /** Bytes of each non-special token, by id. */
  private readonly tokenBytes: Uint8Array[] = [];
  private readonly idByBytes = new Map<string, number>();
  private readonly specials: string[] = [];
  private readonly specialBytes: Uint8Array[] = [];
  private readonly specialIds = new Map<string, number>();
  private matcher: RegExp | null = null;
  private readonly pattern: RegExp | null;
  private readonly splitter: RegExp | null;
  private readonly cache = new Map<string, Int32Array>();

  /**
   * A tokenizer from merges learned elsewhere (usually you want {@link ByteLevelBPE.train} or
   * {@link ByteLevelBPE.load}). Merge `r = [a, b]` joins ids `a` and `b`, both below `256 + r`.
   */
  constructor(merges: ReadonlyArray<readonly [number, number]>, options: ByteLevelBPEOptions = {}) {
    const problem = mergesProblem(merges);
    if (problem !== null) throw new ValueError(`ByteLevelBPE: ${problem}`);
    this.mergeList = merges.map(([a, b]) => [a, b] as const);
    for (let b = 0; b < 256; b++) this.addTokenBytes(Uint8Array.of(b));
    merges.forEach(([a, b], r) => {
      this.ranks.set(pairKey(a, b), r);
      const left = this.tokenBytes[a] as Uint8Array;
      const right = this.tokenBytes[b] as Uint8Array;
      const bytes = new Uint8Array(left.length + right.length);
      bytes.set(left);
      bytes.set(right, left.length);
      this.addTokenBytes(bytes);
    });
    this.pattern = options.preTokenize === false ? null : (options.preTokenize ?? DEFAULT_PRE_TOKENIZE_PATTERN);
    this.splitter = this.pattern === null ? null : splitterFor(this.pattern);
    this.addSpecialTokens(options.specialTokens ?? []);
  }

  /**
   * Learns merges from `text`: splits it into pre-tokens (never across special tokens, which are
   * left out of training), then repeatedly merges the most frequent adjacent pair (ties: smaller
   * first id, then smaller second id), updating pair counts incrementally.
   *
   * @example
   * ByteLevelBPE.train('aaabdaaabac', { vocabSize: 259 }).merges; // [[97, 97], [97, 98], [256, 257]]
   */
  static train(text: string, options: ByteLevelBPETrainOptions): ByteLevelBPE {
    const { vocabSize, minFrequency = 2 } = options;
    const specials = options.specialTokens ?? [];
    const floor = 256 + specials.length;
    if (!Number.isInteger(vocabSize) || vocabSize < floor || vocabSize >= PAIR_BASE) {
      throw new ValueError(
        `ByteLevelBPE.train: vocabSize must be an integer from ${floor} (the 256 byte tokens` +
          `${specials.length > 0 ? ` + ${specials.length} special tokens` : ''}) to ${PAIR_BASE - 1}, got ${vocabSize}`,
      );
    }
    if (!Number.isInteger(minFrequency) || minFrequency < 1) {
      throw new ValueError(`ByteLevelBPE.train: minFrequency must be a positive integer, got ${minFrequency}`);
    }
    const specialProblem = specialsProblem(specials);
    if (specialProblem !== null) throw new ValueError(`ByteLevelBPE.train: ${specialProblem}`);

    const pattern = options.preTokenize === false ? null : (options.preTokenize ?? DEFAULT_PRE_TOKENIZE_PATTERN);
    const splitter = pattern === null ? null : splitterFor(pattern);
    const counts = new Map<string, number>();
    for (const segment of splitOnSpecials(text, specials, specialMatcher(specials))) {
      if (!('text' in segment)) continue;
      for (const piece of preTokenize(segment.text, splitter)) counts.set(piece, (counts.get(piece) ?? 0) + 1);
    }
    const pieces = Array.from(counts, ([piece, count]) => [utf8Encode(piece), count] as const);
    const merges = learnMerges(pieces, vocabSize - floor, minFrequency);
    return new ByteLevelBPE(merges, { preTokenize: pattern ?? false, specialTokens: specials });
  }

  /**
   * Reads a tokenizer saved by {@link ByteLevelBPE.save}. A missing file is a `FileNotFoundError`;
   * a damaged file, another kind of file or another version is a `FormatError` naming the path.
   * A file trained with a custom pre-tokenisation pattern loads only when `options.preTokenize`
   * gives that same pattern: nabla runs no regular expression read from a file (one like
   * `(a+)+$` can make `encode` take hours), except the built-in one.
   *
   * @example
   * ByteLevelBPE.load('tokenizer.json');                                // default pattern, or none
   * ByteLevelBPE.load('words.json', { preTokenize: /\S+|\s+/ });       // trained with a custom one
   */
  static load(path: string, options: { preTokenize?: RegExp } = {}): ByteLevelBPE {
    const trusted = options.preTokenize;
    if (trusted !== undefined && !(trusted instanceof RegExp)) throw new ValueError(`ByteLevelBPE.load: preTokenize must be a RegExp, got ${typeof trusted}`);
    const { merges, specialTokens, preTokenize: pattern } = readBpeFile(path, trusted);
    return new ByteLevelBPE(merges, { preTokenize: pattern ?? false, specialTokens });
  }

  /** Number of token ids: 256 bytes + merges + special tokens. */
  get vocabSize(): number {
    return this.tokenBytes.length + this.specials.length;
  }

  /** The learned merges in rank order; merge `r` is `[a, b]` and makes id `256 + r`. */
  get merges(): ReadonlyArray<readonly [number, number]> {
    return this.mergeList;
  }

  /** The special tokens in id order (the first has id `256 + merges.length`). */
  get specialTokens(): readonly string[] {
    return this.specials;
  }

  /** The pre-tokenisation pattern, or `null` when text is not pre-tokenised. */
  get preTokenizePattern(): RegExp | null {
    return this.pattern;
  }

  /**
   * Adds special tokens: each gets the next free id, is matched in text before anything else
   * (longest first) and is never split. Tokens already present keep their id.
   *
   * @returns the id of each given token.
   * @example
   * bpe.addSpecialTokens(['<|endoftext|>', '<|pad|>']); // [1000, 1001]
   */
  addSpecialTokens(tokens: readonly string[]): number[] {
    const fresh = [...new Set(tokens)].filter((t) => !this.specialIds.has(t));
    const problem = specialsProblem(fresh);
    if (problem !== null) throw new ValueError(`ByteLevelBPE.addSpecialTokens: ${problem}`);
    if (this.vocabSize + fresh.length > PAIR_BASE) {
      throw new ValueError(`ByteLevelBPE.addSpecialTokens: the vocabulary cannot exceed ${PAIR_BASE} tokens`);
    }
    for (const t of fresh) {
      this.specialIds.set(t, this.vocabSize);
      this.specials.push(t);
      this.specialBytes.push(utf8Encode(t));
    }
    this.matcher = specialMatcher(this.specials);
    return tokens.map((t) => this.specialIds.get(t) as number);
  }

  /**
   * Token ids of `text`. Special tokens become their ids (unless `allowSpecial: false`); the rest
   * is pre-tokenised and each piece's bytes merged by rank (results cached per piece). Lone
   * surrogates are encoded as U+FFFD.
   *
   * @example
   * bpe.encode('Hello'); // Int32Array [...]
   */
  encode(text: string, options: EncodeOptions = {}): Int32Array {
    const segments: Segment[] =
      options.allowSpecial === false ? [{ text }] : splitOnSpecials(text, this.specials, this.matcher);
    // roughly two characters per id on English text; grown on demand when that guess is short
    let ids = new Int32Array(Math.max(16, text.length >> 1));
    let n = 0;
    const put = (piece: Int32Array): void => {
      if (n + piece.length > ids.length) {
        const grown = new Int32Array(Math.max(ids.length * 2, n + piece.length));
        grown.set(ids.subarray(0, n));
        ids = grown;
      }
      ids.set(piece, n);
      n += piece.length;
    };
    for (const segment of segments) {
      if ('special' in segment) put(Int32Array.of(this.tokenBytes.length + segment.special));
      else for (const piece of preTokenize(segment.text, this.splitter)) put(this.encodePiece(piece));
    }
    return ids.slice(0, n);
  }

  /**
   * The text that `ids` spell: their bytes joined and read as UTF-8. Bytes that are not valid
   * UTF-8 (only possible from id sequences that `encode` would not produce, such as a lone
   * continuation byte) become U+FFFD. An id outside the vocabulary is a `ValueError`.
   */
  decode(ids: ArrayLike<number>): string {
    checkTokenIds(ids, this.vocabSize, 'ByteLevelBPE.decode');
    let total = 0;
    for (let i = 0; i < ids.length; i++) total += this.bytesOf(ids[i] as number).length;
    const bytes = new Uint8Array(total);
    let at = 0;
    for (let i = 0; i < ids.length; i++) {
      const piece = this.bytesOf(ids[i] as number);
      bytes.set(piece, at);
      at += piece.length;
    }
    return utf8Decode(bytes);
  }

  /** The bytes of one token (a special token's UTF-8), as a copy. */
  idToBytes(id: number): Uint8Array {
    checkTokenIds([id], this.vocabSize, 'ByteLevelBPE.idToBytes');
    return this.bytesOf(id).slice();
  }

  /**
   * A token as readable text, for inspection: a special token as itself, a byte token as its text
   * when its bytes are whole UTF-8 characters (`' the'`), otherwise as byte escapes
   * (`'<0xE2><0x80>'`). {@link ByteLevelBPE.tokenToId} accepts the same forms.
   */
  idToToken(id: number): string {
    checkTokenIds([id], this.vocabSize, 'ByteLevelBPE.idToToken');
    const n = this.tokenBytes.length;
    return id < n ? tokenText(this.tokenBytes[id] as Uint8Array) : (this.specials[id - n] as string);
  }

  /**
   * The id of a token given as {@link ByteLevelBPE.idToToken} writes it (special tokens first),
   * or `undefined` if the vocabulary has no such token.
   */
  tokenToId(token: string): number | undefined {
    const special = this.specialIds.get(token);
    if (special !== undefined) return special;
    const bytes = parseTokenText(token);
    return bytes === null ? undefined : this.idByBytes.get(bytesKey(bytes));
  }

  /** Writes the tokenizer as one JSON file (version, pre-tokenisation, special tokens, merges), atomically. */
  save(path: string): void {
    const contents = { merges: this.mergeList, specialTokens: this.specials, preTokenize: this.pattern };
    writeFileAtomic(path, serializeBpe(contents, this.vocabSize));
  }

  /** The bytes of a checked id, not copied. */
  private bytesOf(id: number): Uint8Array {
    const n = this.tokenBytes.length;
    return id < n ? (this.tokenBytes[id] as Uint8Array) : (this.specialBytes[id - n] as Uint8Array);
  }

  private addTokenBytes(bytes: Uint8Array): void {
    const key = bytesKey(bytes);
    // a loaded merge list may spell one byte string twice; the lower id keeps the name
    if (!this.idByBytes.has(key)) this.idByBytes.set(key, this.tokenBytes.length);
    this.tokenBytes.push(bytes);
  }

  private encodePiece(piece: string): Int32Array {
    const hit = this.cache.get(piece);
    if (hit !== undefined) return hit;
    const ids = Int32Array.from(applyMerges(utf8Encode(piece), this.ranks));
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(piece, ids);
    return ids;
  }
}
