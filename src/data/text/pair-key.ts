/**
 * Token ids must stay below this bound so that a pair of ids packs into one exact JS number
 * (`a * PAIR_BASE + b < 2^53`), which makes pairs cheap `Map` keys.
 */
export const PAIR_BASE = 2 ** 26;

/**
 * Packs an ordered pair of token ids into one number; ordering keys orders pairs
 * lexicographically by (first id, second id).
 *
 * @example
 * pairKey(97, 98) === 97 * 2 ** 26 + 98;
 */
export function pairKey(a: number, b: number): number {
  return a * PAIR_BASE + b;
}

/** The first id of a packed pair. */
export function pairFirst(key: number): number {
  return Math.floor(key / PAIR_BASE);
}

/** The second id of a packed pair. */
export function pairSecond(key: number): number {
  return key % PAIR_BASE;
}
