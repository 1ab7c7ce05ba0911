import { ValueError } from '../../tensor/errors.js';

/**
 * The default pre-tokenisation pattern of {@link ByteLevelBPE}: BPE merges never cross the
 * boundaries it draws (the GPT-2 paper's observation that merging across character categories
 * wastes vocabulary on variants like `dog.` `dog!` `dog?`). A piece is one of
 *
 * - a run of letters (with their combining marks), optionally led by one space and optionally
 *   joined by internal apostrophes (` don't`, ` o'er`);
 * - a run of digits, optionally led by one space;
 * - a run of other non-space characters (punctuation, symbols, emoji), optionally led by one space
 *   and followed by the line breaks after it (`:\n`, `.\n\n`: line ends are frequent units of text);
 * - a run of whitespace, leaving its last space to the word that follows.
 *
 * Every code point falls into one of these, so the pieces always cover the text.
 */
export const DEFAULT_PRE_TOKENIZE_PATTERN =
  /[ ]?[\p{L}\p{M}]+(?:['\u2019][\p{L}\p{M}]+)*|[ ]?\p{N}+|[ ]?[^\s\p{L}\p{M}\p{N}]+[\r\n]*|\s+(?!\S)|\s+/gu;

/**
 * The key two patterns share when they split text the same way: the source, and the flags that
 * matter (`g` and `y` are set by {@link splitterFor} whatever was given, and `u` is added when
 * neither `u` nor `v` is there).
 */
function patternKey(source: string, flags: string): string {
  let f = flags.replace(/[gy]/g, '');
  if (!f.includes('u') && !f.includes('v')) f += 'u';
  return `/${source}/${[...f].sort().join('')}`;
}

/**
 * Whether `a` and `b` (RegExps, or `{source, flags}` as a tokenizer file holds them) split text
 * the same way: same source, same flags once {@link splitterFor} has normalised them.
 *
 * @example
 * samePattern(/\S+/, { source: '\\S+', flags: 'gu' }); // true
 */
export function samePattern(a: { source: string; flags: string }, b: { source: string; flags: string }): boolean {
  return patternKey(a.source, a.flags) === patternKey(b.source, b.flags);
}

/**
 * A copy of `pattern` ready for splitting: global (`g`) so that it walks the text, and in Unicode
 * mode (`u`, or `v` if it has it) so that it never cuts a surrogate pair in two (which would turn
 * an emoji into two U+FFFD). A pattern that is not valid in Unicode mode raises a `ValueError`.
 *
 * @example
 * splitterFor(/\w+|\W+/).flags; // 'gu'
 */
export function splitterFor(pattern: RegExp): RegExp {
  let flags = pattern.flags.replace(/[gy]/g, '');
  if (!flags.includes('u') && !flags.includes('v')) flags += 'u';
  try {
    return new RegExp(pattern.source, `${flags}g`);
  } catch (err) {
    throw new ValueError(
      `ByteLevelBPE: preTokenize pattern /${pattern.source}/ is not valid in Unicode mode ` +
        `(${(err as Error).message}); write it so that it compiles with the 'u' flag`,
    );
  }
}

/**
 * Splits `text` into pre-tokens with a global `splitter` (see {@link splitterFor}). Text that the
 * pattern does not match becomes a piece of its own, and empty matches are skipped, so the pieces
 * always concatenate back to `text` whatever the pattern. `null` means no pre-tokenisation: the
 * whole text is one piece.
 *
 * @example
 * preTokenize('Hello, world!\n', splitterFor(DEFAULT_PRE_TOKENIZE_PATTERN));
 * // ['Hello', ',', ' world', '!\n']
 */
export function preTokenize(text: string, splitter: RegExp | null): string[] {
  if (text.length === 0) return [];
  if (splitter === null) return [text];
  const pieces: string[] = [];
  let covered = 0;
  splitter.lastIndex = 0;
  for (let m = splitter.exec(text); m !== null; m = splitter.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (end === start) {
      // an empty match would loop forever; step over one code point
      splitter.lastIndex = start + ((text.codePointAt(start) ?? 0) > 0xffff ? 2 : 1);
      continue;
    }
    if (start > covered) pieces.push(text.slice(covered, start));
    pieces.push(m[0]);
    covered = end;
  }
  if (covered < text.length) pieces.push(text.slice(covered));
  return pieces;
}
