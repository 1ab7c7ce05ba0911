import { BinaryHeap } from './binary-heap.js';
import { pairFirst, pairKey, pairSecond } from './pair-key.js';

/** A snapshot of a pair's count when it was pushed; stale once the live count differs. */
interface Candidate {
  readonly count: number;
  readonly key: number;
}

// most frequent first; ties go to the smaller (first id, second id), so training is deterministic
function before(a: Candidate, b: Candidate): boolean {
  return a.count > b.count || (a.count === b.count && a.key < b.key);
}

/**
 * Learns byte-pair merges (Sennrich et al. 2016) from pre-tokens (as UTF-8 bytes) and how often
 * each occurs. Symbols start as byte values 0..255; merge `r` joins the adjacent pair `(a, b)` that
 * occurs most often (over all pre-tokens, weighted by their counts; ties broken by the smaller
 * `a`, then the smaller `b`) into the new symbol `256 + r`, left to right within a pre-token (so
 * `a a a` becomes `ab a` for the pair `(a, a)`). Training stops after `numMerges` merges, or
 * earlier when the most frequent pair occurs fewer than `minFrequency` times.
 *
 * The cost follows the merges actually made, not the corpus size times the merge count: all
 * symbols sit in one array as doubly linked lists (one per pre-token), each pair keeps the
 * positions where it starts, and a merge visits only those positions, moving the counts of the
 * neighbouring pairs. A max-heap of (count, pair) snapshots, with stale snapshots skipped when
 * popped, finds the next pair.
 *
 * @returns the merges in rank order, each as `[a, b]`.
 * @example
 * learnMerges([[Uint8Array.of(97, 97, 98), 3]], 10, 2); // [[97, 97], [256, 98]]
 */
export function learnMerges(
  pieces: ReadonlyArray<readonly [Uint8Array, number]>,
  numMerges: number,
  minFrequency: number,
): Array<[number, number]> {
  const corpus = new SymbolLists(pieces);
  const heap = new BinaryHeap<Candidate>(before);
  for (const [key, count] of corpus.pairCount) heap.push({ key, count });

  const merges: Array<[number, number]> = [];
  while (merges.length < numMerges) {
    const best = popLive(heap, corpus.pairCount);
    if (best === undefined || best.count < minFrequency) break;
    const changed = corpus.merge(best.key, 256 + merges.length);
    merges.push([pairFirst(best.key), pairSecond(best.key)]);
    for (const [key, old] of changed) {
      const count = corpus.pairCount.get(key) ?? 0;
      if (count !== old && count > 0) heap.push({ key, count });
    }
  }
  return merges;
}

function popLive(heap: BinaryHeap<Candidate>, pairCount: Map<number, number>): Candidate | undefined {
  for (let c = heap.pop(); c !== undefined; c = heap.pop()) {
    if (pairCount.get(c.key) === c.count) return c;
  }
  return undefined;
}

/** Every pre-token's symbols as linked lists over one array, with live pair counts and positions. */
class SymbolLists {
  /** Symbol at each position; -1 once merged into its left neighbour. */
  private readonly symbol: Int32Array;
  /** Next / previous live position in the same pre-token, -1 at its ends. */
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  /** How many times the pre-token holding each position occurs. */
  private readonly weight: Float64Array;
  /** Live count of each adjacent pair (weighted); pairs that reach zero are removed. */
  readonly pairCount = new Map<number, number>();
  /** Positions where each pair may start (stale entries are checked and skipped). */
  private readonly starts = new Map<number, number[]>();

  constructor(pieces: ReadonlyArray<readonly [Uint8Array, number]>) {
    let total = 0;
    for (const [bytes] of pieces) total += bytes.length;
    this.symbol = new Int32Array(total);
    this.next = new Int32Array(total);
    this.prev = new Int32Array(total);
    this.weight = new Float64Array(total);
    let at = 0;
    for (const [bytes, count] of pieces) {
      for (let i = 0; i < bytes.length; i++) {
        const p = at + i;
        this.symbol[p] = bytes[i] as number;
        this.weight[p] = count;
        this.prev[p] = i > 0 ? p - 1 : -1;
        this.next[p] = i + 1 < bytes.length ? p + 1 : -1;
        if (i > 0) this.add(pairKey(bytes[i - 1] as number, bytes[i] as number), p - 1, count, null);
      }
      at += bytes.length;
    }
  }

  /**
   * Replaces every live occurrence of the pair `key` by `merged`, leftmost first within each
   * pre-token, and updates the neighbouring pairs' counts.
   *
   * @returns the count, before this merge, of every pair whose count it touched.
   */
  merge(key: number, merged: number): Map<number, number> {
    const a = pairFirst(key);
    const b = pairSecond(key);
    const changed = new Map<number, number>();
    const positions = this.starts.get(key) ?? [];
    this.starts.delete(key);
    // ascending order = left to right within each pre-token, which overlapping pairs (a a a) need
    positions.sort((x, y) => x - y);
    for (const p of positions) {
      if (this.symbol[p] !== a) continue;
      const q = this.next[p] as number;
      if (q < 0 || this.symbol[q] !== b) continue;
      const w = this.weight[p] as number;
      const left = this.prev[p] as number;
      const right = this.next[q] as number;
      if (left >= 0) this.add(pairKey(this.symbol[left] as number, a), left, -w, changed);
      if (right >= 0) this.add(pairKey(b, this.symbol[right] as number), q, -w, changed);
      this.add(key, p, -w, changed);
      this.symbol[p] = merged;
      this.symbol[q] = -1;
      this.next[p] = right;
      if (right >= 0) this.prev[right] = p;
      if (left >= 0) this.add(pairKey(this.symbol[left] as number, merged), left, w, changed);
      if (right >= 0) this.add(pairKey(merged, this.symbol[right] as number), p, w, changed);
    }
    return changed;
  }

  /** Adds `delta` to a pair's count; a new occurrence (`delta > 0`) also records its start. */
  private add(key: number, start: number, delta: number, changed: Map<number, number> | null): void {
    const count = this.pairCount.get(key) ?? 0;
    if (changed !== null && !changed.has(key)) changed.set(key, count);
    const now = count + delta;
    if (now === 0) this.pairCount.delete(key);
    else this.pairCount.set(key, now);
    if (delta > 0) {
      let list = this.starts.get(key);
      if (list === undefined) this.starts.set(key, (list = []));
      list.push(start);
    }
  }
}
