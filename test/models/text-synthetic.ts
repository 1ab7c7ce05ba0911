import * as nb from '../../src/index.js';

const POSITIVE = ['good', 'great', 'superb', 'love', 'wonderful'];
const NEGATIVE = ['bad', 'awful', 'poor', 'hate', 'boring'];
const NEUTRAL = ['the', 'film', 'a', 'story', 'was', 'of', 'and', 'plot', 'actors', 'it', 'this', 'movie', 'scene', 'music', 'ending', 'with'];

/**
 * A tiny sentiment set whose label is decided by one word: 3–9 neutral words with one positive
 * (label 1) or negative (label 0) word somewhere among them. Seeded.
 */
export function syntheticSentiment(n: number, seed: number): { texts: string[]; labels: number[] } {
  const g = new nb.Generator(seed);
  const pick = (words: string[]): string => words[g.int(0, words.length)]!;
  const texts: string[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const words = Array.from({ length: g.int(3, 10) }, () => pick(NEUTRAL));
    words.splice(g.int(0, words.length + 1), 0, pick(label === 1 ? POSITIVE : NEGATIVE));
    texts.push(words.join(' '));
    labels.push(label);
  }
  return { texts, labels };
}
