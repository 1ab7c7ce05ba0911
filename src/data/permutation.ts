import type { Generator } from '../tensor/random.js';

/**
 * A uniformly random ordering of `0..n-1` (Fisher–Yates), drawn from `generator`: the same seed
 * gives the same ordering on every run and platform.
 *
 * @example
 * randomPermutation(5, new Generator(0)) // e.g. Int32Array [3, 0, 4, 1, 2]
 */
export function randomPermutation(n: number, generator: Generator): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = generator.int(0, i + 1);
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}
