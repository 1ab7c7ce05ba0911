import { ShapeError, ValueError } from '../tensor/errors.js';
import type { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';

// Length bucketing for batches of sequences: within windows of a few batches of the epoch's
// order, samples are sorted by length before being cut into batches, so that each batch holds
// texts of similar lengths and, padded to its own longest, carries little padding — short
// sentences stop paying for long ones. The windows keep the epoch random (as the "megabatches"
// of Hugging Face's group_by_length), and the batches are shuffled afterwards so that lengths do
// not rise within a window.

/**
 * The length of each row of padded ids `[n, L]`: one past its last id that is not `padId` (0
 * for a row of padding only). `DataLoader`'s `lengths` for token ids padded at the end.
 *
 * @example
 * sequenceLengths(nb.tensor([[5, 3, 0, 0], [2, 0, 0, 0]], { dtype: 'int32' })) // Int32Array [2, 1]
 */
export function sequenceLengths(ids: Tensor, padId = 0): Int32Array {
  if (ids.ndim !== 2) throw new ShapeError(`sequenceLengths: expects padded ids [n, length], got shape [${ids.shape.join(', ')}]`);
  const [n, width] = ids.shape as [number, number];
  const data = ids.data();
  const out = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let len = width;
    while (len > 0 && data[r * width + len - 1] === padId) len--;
    out[r] = len;
  }
  return out;
}

/** Throws unless `lengths` holds one non-negative integer per sample. */
export function checkLengths(lengths: ArrayLike<number>, n: number): void {
  if (lengths.length !== n) throw new ValueError(`DataLoader: lengths has ${lengths.length} entries for ${n} samples; give one length per sample`);
  for (let i = 0; i < n; i++) {
    const v = lengths[i]!;
    if (!Number.isInteger(v) || v < 0) throw new ValueError(`DataLoader: lengths[${i}] = ${v} is not a non-negative integer`);
  }
}

/**
 * The batches of one epoch with length bucketing: `order` (the epoch's order of samples) is cut
 * into windows of `window × batchSize` samples, each sorted by `lengths` (stable: equal lengths
 * keep their order), then into batches; `dropLast` leaves out the one smaller batch (the last
 * window's longest samples). With a generator the batches are then shuffled.
 */
export function bucketBatches(order: Int32Array, lengths: ArrayLike<number>, batchSize: number, window: number, dropLast: boolean, generator: Generator | null): Int32Array[] {
  const span = batchSize * window;
  const batches: Int32Array[] = [];
  for (let start = 0; start < order.length; start += span) {
    const chunk = order.slice(start, Math.min(start + span, order.length));
    const sorted = Array.from(chunk).sort((a, b) => lengths[a]! - lengths[b]!);
    for (let b = 0; b < sorted.length; b += batchSize) {
      const batch = Int32Array.from(sorted.slice(b, b + batchSize));
      if (batch.length < batchSize && dropLast) continue;
      batches.push(batch);
    }
  }
  if (generator) {
    for (let i = batches.length - 1; i > 0; i--) {
      const j = generator.int(0, i + 1);
      [batches[i], batches[j]] = [batches[j]!, batches[i]!];
    }
  }
  return batches;
}

/** The longest of `lengths` over one batch's samples (at least 1, so that a batch keeps a step). */
export function longest(indices: Int32Array, lengths: ArrayLike<number>): number {
  let max = 1;
  for (const i of indices) max = Math.max(max, lengths[i]!);
  return max;
}
