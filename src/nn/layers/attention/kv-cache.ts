import { ShapeError, ValueError } from '../../../tensor/errors.js';
import { fmt } from '../../../tensor/shape.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { concat, slice } from '../../../ops/movement.js';

/**
 * The keys and values one attention layer has seen so far, for incremental (autoregressive)
 * decoding: each `MultiHeadAttention.attend(x, x, { cache })` projects only the new positions,
 * appends their keys and values here, and attends over everything cached, so a new token costs
 * one step instead of a re-run of the whole prefix. Keys are `[batch, kvHeads, length, keyDim]`,
 * values `[batch, kvHeads, length, valueDim]` (after projection, before any rotary embedding is
 * applied to keys by the caller).
 *
 * One cache per attention layer and per sequence batch: make them with `mha.createCache()` (or
 * `block.createCache()` for a transformer block), run the prompt through with the caches, then
 * one token at a time. `length` is the position of the next token (the offset for position
 * embeddings).
 *
 * @example
 * const cache = mha.createCache();
 * mha.attend(prompt, prompt, { cache, useCausalMask: true });   // prompt [1, 5, 64]: cache.length 5
 * mha.attend(next, next, { cache, useCausalMask: true });       // next [1, 1, 64]: sees all 6 positions
 */
export class KVCache {
  /** Cached keys `[batch, kvHeads, length, keyDim]`, or null when empty. */
  keys: Tensor | null = null;
  /** Cached values `[batch, kvHeads, length, valueDim]`, or null when empty. */
  values: Tensor | null = null;

  /** The number of cached positions (0 when empty). */
  get length(): number {
    return this.keys ? this.keys.shape[2]! : 0;
  }

  /**
   * Appends keys `[batch, kvHeads, n, keyDim]` and values `[batch, kvHeads, n, valueDim]` along
   * time and returns everything cached (the new positions last).
   */
  append(keys: Tensor, values: Tensor): { keys: Tensor; values: Tensor } {
    if (keys.ndim !== 4 || values.ndim !== 4 || keys.shape[2] !== values.shape[2]) {
      throw new ShapeError(`KVCache: keys ${fmt(keys.shape)} and values ${fmt(values.shape)} must be 4-D [batch, kvHeads, time, dim] with the same time`);
    }
    if (this.keys && this.values) {
      const old = this.keys.shape;
      if (old[0] !== keys.shape[0] || old[1] !== keys.shape[1] || old[3] !== keys.shape[3] || this.values.shape[3] !== values.shape[3]) {
        throw new ShapeError(
          `KVCache: new keys ${fmt(keys.shape)} / values ${fmt(values.shape)} do not continue the cached ${fmt(old)} / ${fmt(this.values.shape)} ` +
            '(batch, heads and dims must stay the same; use a fresh cache for a new batch)',
        );
      }
      this.keys = concat([this.keys, keys], 2);
      this.values = concat([this.values, values], 2);
    } else {
      this.keys = keys;
      this.values = values;
    }
    return { keys: this.keys, values: this.values };
  }

  /** Keeps only the last `n` positions (a sliding window); positions are not renumbered. */
  crop(n: number): void {
    if (!Number.isInteger(n) || n < 0) throw new ValueError(`KVCache.crop: n must be a non-negative integer, got ${n}`);
    if (!this.keys || !this.values || this.length <= n) return;
    if (n === 0) return this.reset();
    const keep = [null, null, [this.length - n, null]] as const;
    this.keys = slice(this.keys, [...keep]);
    this.values = slice(this.values, [...keep]);
  }

  /** Empties the cache (for a new sequence). */
  reset(): void {
    this.keys = null;
    this.values = null;
  }
}
