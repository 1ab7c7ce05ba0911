import { BinaryHeap } from './binary-heap.js';
import { pairKey } from './pair-key.js';

/** An adjacent pair waiting to be merged: its merge rank and the position of its left symbol. */
interface Site {
  readonly rank: number;
  readonly pos: number;
}

// lowest rank first; among equal ranks the leftmost, as a left-to-right scan would merge them
function before(x: Site, y: Site): boolean {
  return x.rank < y.rank || (x.rank === y.rank && x.pos < y.pos);
}

/**
 * Applies learned merges to one pre-token's bytes: repeatedly merges the adjacent pair with the
 * lowest rank (leftmost first among equal ones) until no adjacent pair has a merge. Merge `r`
 * produces id `256 + r`, so a pair created by a merge always ranks after the merge that made it;
 * popping sites in (rank, position) order from a heap therefore gives the same result as the
 * textbook "merge all occurrences of the best pair, then look again" loop, in O(n log n) instead
 * of O(n²) on a long piece. Symbols form a doubly linked list over positions; a popped site whose
 * pair no longer matches its rank is stale and skipped.
 *
 * @param ranks packed pair (see `pairKey`) → merge rank.
 * @example
 * // merges: (a,a) → 256, (256,b) → 257
 * applyMerges(Uint8Array.of(97, 97, 98), new Map([[pairKey(97, 97), 0], [pairKey(256, 98), 1]])); // [257]
 */
export function applyMerges(bytes: Uint8Array, ranks: ReadonlyMap<number, number>): number[] {
  const n = bytes.length;
  if (n < 2) return Array.from(bytes);
  const symbol = Int32Array.from(bytes);
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    next[i] = i + 1 < n ? i + 1 : -1;
    prev[i] = i - 1;
  }

  const heap = new BinaryHeap<Site>(before);
  const offer = (pos: number): void => {
    const right = next[pos] as number;
    if (right < 0) return;
    const rank = ranks.get(pairKey(symbol[pos] as number, symbol[right] as number));
    if (rank !== undefined) heap.push({ rank, pos });
  };
  for (let i = 0; i + 1 < n; i++) offer(i);

  for (let site = heap.pop(); site !== undefined; site = heap.pop()) {
    const { pos, rank } = site;
    const right = next[pos] as number;
    // removed positions have symbol -1; a changed pair has a different rank (ranks are unique)
    if (symbol[pos] === -1 || right < 0) continue;
    if (ranks.get(pairKey(symbol[pos] as number, symbol[right] as number)) !== rank) continue;
    symbol[pos] = 256 + rank;
    symbol[right] = -1;
    const after = next[right] as number;
    next[pos] = after;
    if (after >= 0) prev[after] = pos;
    const left = prev[pos] as number;
    if (left >= 0) offer(left);
    offer(pos);
  }

  const ids: number[] = [];
  for (let i = 0; i >= 0; i = next[i] as number) ids.push(symbol[i] as number);
  return ids;
}
