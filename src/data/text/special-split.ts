/** A stretch of text between special tokens, or one special token (by its index in the list). */
export type Segment = { readonly text: string } | { readonly special: number };

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * A matcher for the given special tokens, longest first so that `<|end|>` never wins over
 * `<|end|><|pad|>`-style tokens that start with it; `null` when there are none.
 */
export function specialMatcher(specials: readonly string[]): RegExp | null {
  if (specials.length === 0) return null;
  const alternatives = [...specials].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp(alternatives.join('|'), 'g');
}

/**
 * Cuts `text` at every occurrence of a special token (found with a matcher from
 * {@link specialMatcher}), so that special tokens are never split by pre-tokenisation or merges.
 *
 * @example
 * splitOnSpecials('a<|endoftext|>b', ['<|endoftext|>'], specialMatcher(['<|endoftext|>']));
 * // [{ text: 'a' }, { special: 0 }, { text: 'b' }]
 */
export function splitOnSpecials(text: string, specials: readonly string[], matcher: RegExp | null): Segment[] {
  if (matcher === null) return text.length > 0 ? [{ text }] : [];
  const index = new Map(specials.map((s, i) => [s, i]));
  const out: Segment[] = [];
  let covered = 0;
  matcher.lastIndex = 0;
  for (let m = matcher.exec(text); m !== null; m = matcher.exec(text)) {
    if (m.index > covered) out.push({ text: text.slice(covered, m.index) });
    out.push({ special: index.get(m[0]) as number });
    covered = m.index + m[0].length;
  }
  if (covered < text.length) out.push({ text: text.slice(covered) });
  return out;
}
