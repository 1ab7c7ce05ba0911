import type { TypedArray } from '../typed-array.js';

/**
 * Running sums (`op = 'sum'`) or products along the middle axis of a contiguous
 * `[outer, n, inner]` block starting at `offset`: `out[o, r, i]` combines `x[o, s, i]` over
 * `s ≤ r` (`s < r` when `exclusive`; `s ≥ r` or `s > r` when `reverse`). The running value is
 * carried in double precision and rounded once per output.
 */
export function scan(
  op: 'sum' | 'prod', x: TypedArray, offset: number, outer: number, n: number, inner: number,
  exclusive: boolean, reverse: boolean, out: TypedArray,
): void {
  const step = reverse ? -inner : inner;
  const sum = op === 'sum';
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let at = o * n * inner + i + (reverse ? (n - 1) * inner : 0);
      let acc = sum ? 0 : 1;
      for (let r = 0; r < n; r++, at += step) {
        const v = x[offset + at]!;
        if (exclusive) out[at] = acc;
        acc = sum ? acc + v : acc * v;
        if (!exclusive) out[at] = acc;
      }
    }
  }
}
