// The fast training (incremental pair counts over linked symbol lists) and the fast encoding
// (a heap of merge sites) against the textbook algorithms, written as plainly as possible, on
// random corpora.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteLevelBPE } from '../../../src/data/text/index.js';
import { DEFAULT_PRE_TOKENIZE_PATTERN, preTokenize, splitterFor } from '../../../src/data/text/pre-tokenize.js';
import { randomText, seededRandom } from './fixtures.js';

type Merge = [number, number];

/** Merges every non-overlapping (a, b), left to right. */
function mergeAll(symbols: number[], a: number, b: number, merged: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < symbols.length; i++) {
    if (symbols[i] === a && symbols[i + 1] === b && i + 1 < symbols.length) {
      out.push(merged);
      i++;
    } else {
      out.push(symbols[i] as number);
    }
  }
  return out;
}

/** Textbook BPE training: recount every pair of every word before each merge. */
function referenceTrain(pieces: string[], numMerges: number, minFrequency: number): Merge[] {
  const words = new Map<string, { symbols: number[]; count: number }>();
  for (const p of pieces) {
    const w = words.get(p);
    if (w) w.count++;
    else words.set(p, { symbols: [...new TextEncoder().encode(p)], count: 1 });
  }
  const merges: Merge[] = [];
  while (merges.length < numMerges) {
    const counts = new Map<string, number>();
    for (const { symbols, count } of words.values()) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const k = `${symbols[i]},${symbols[i + 1]}`;
        counts.set(k, (counts.get(k) ?? 0) + count);
      }
    }
    let best: Merge | null = null;
    let bestCount = 0;
    for (const [k, n] of counts) {
      const [x, y] = k.split(',').map(Number) as Merge;
      if (n > bestCount || (n === bestCount && best !== null && (x < best[0] || (x === best[0] && y < best[1])))) {
        best = [x, y];
        bestCount = n;
      }
    }
    if (best === null || bestCount < minFrequency) break;
    const merged = 256 + merges.length;
    merges.push(best);
    for (const w of words.values()) w.symbols = mergeAll(w.symbols, best[0], best[1], merged);
  }
  return merges;
}

/** Textbook BPE encoding: find the lowest-ranked adjacent pair, merge it everywhere, repeat. */
function referenceEncodePiece(piece: string, merges: readonly (readonly [number, number])[]): number[] {
  const rank = new Map(merges.map(([x, y], r) => [`${x},${y}`, r]));
  let symbols = [...new TextEncoder().encode(piece)];
  for (;;) {
    let best = -1;
    for (let i = 0; i + 1 < symbols.length; i++) {
      const r = rank.get(`${symbols[i]},${symbols[i + 1]}`);
      if (r !== undefined && (best < 0 || r < best)) best = r;
    }
    if (best < 0) return symbols;
    const [x, y] = merges[best] as readonly [number, number];
    symbols = mergeAll(symbols, x, y, 256 + best);
  }
}

// few distinct characters make many repeats, ties and overlapping pairs (aaa)
function smallAlphabetText(rand: () => number, length: number): string {
  const alphabet = ['a', 'a', 'a', 'b', 'b', 'c', ' ', ' ', 'é', '😀', ',', '\n', '1'];
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
  return s;
}

test('training matches the recount-everything reference (random corpora, with and without pre-tokenisation)', () => {
  const rand = seededRandom(2024);
  for (let trial = 0; trial < 12; trial++) {
    const text = trial % 4 === 3 ? randomText(rand, 300) + smallAlphabetText(rand, 300) : smallAlphabetText(rand, 800);
    const minFrequency = 1 + (trial % 3);
    const withPattern = trial % 2 === 0;
    const pieces = withPattern ? preTokenize(text, splitterFor(DEFAULT_PRE_TOKENIZE_PATTERN)) : [text];
    const expected = referenceTrain(pieces, 60, minFrequency);
    const bpe = ByteLevelBPE.train(text, { vocabSize: 256 + 60, minFrequency, preTokenize: withPattern ? DEFAULT_PRE_TOKENIZE_PATTERN : false });
    assert.deepEqual(bpe.merges, expected, `trial ${trial}`);
    assert.ok(expected.length > 5, 'the trial exercises real merges');

    // encoding matches the textbook loop, piece by piece, on new text from the same source
    const fresh = smallAlphabetText(rand, 200);
    const freshPieces = withPattern ? preTokenize(fresh, splitterFor(DEFAULT_PRE_TOKENIZE_PATTERN)) : [fresh];
    const want = freshPieces.flatMap((p) => referenceEncodePiece(p, bpe.merges));
    assert.deepEqual([...bpe.encode(fresh)], want, `trial ${trial} encode`);
    assert.equal(bpe.decode(bpe.encode(fresh)), fresh);
  }
});

test('pre-tokenisation covers every character, whatever the pattern', () => {
  const rand = seededRandom(99);
  const patterns = [DEFAULT_PRE_TOKENIZE_PATTERN, /a+/, /x*/g, /\p{L}+/u, /(?:)/];
  for (let i = 0; i < 30; i++) {
    const text = randomText(rand, 60) + smallAlphabetText(rand, 60) + '\ud800 lone';
    for (const p of patterns) {
      const pieces = preTokenize(text, splitterFor(p));
      assert.equal(pieces.join(''), text, `/${p.source}/`);
      assert.ok(pieces.every((piece) => piece.length > 0));
    }
  }
  assert.deepEqual(preTokenize("ROMEO:\nI'll go  there, 42 times.\n\n", splitterFor(DEFAULT_PRE_TOKENIZE_PATTERN)), [
    'ROMEO', ':\n', "I'll", ' go', ' ', ' there', ',', ' 42', ' times', '.\n\n',
  ]);
});
