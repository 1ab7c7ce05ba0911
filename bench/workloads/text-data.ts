/**
 * The sentences of the text workloads: SST-2-like batches of token ids, made by a formula that
 * the PyTorch worker repeats (bench/peers/text_models.py), so both sides train on the same
 * numbers without a file. Sentence r has 8 + (r·7919 mod 33) tokens (8…40), each an id in
 * [1, vocab) from a multiplicative hash, padded with id 0 to `length`; its label is r mod 2.
 */
import * as nb from '../../src/index.js';

/** Vocabulary size, padded length, sentences per batch: SST-2 with a 16k-word vocabulary. */
export const TEXT = { vocab: 16_000, length: 40, batch: 64 } as const;

/** Tokens in sentence r (8…40). */
export function sentenceLength(r: number, length: number): number {
  return Math.min(length, 8 + ((r * 7919) % 33));
}

/** `rows` sentences: ids int32 `[rows, length]` (0 = padding) and labels int32 `[rows]`. */
export function textRows(rows: number, length: number = TEXT.length, vocab: number = TEXT.vocab): { x: nb.Tensor; y: nb.Tensor } {
  const ids = new Int32Array(rows * length);
  const labels = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const n = sentenceLength(r, length);
    for (let t = 0; t < n; t++) ids[r * length + t] = 1 + (Number((BigInt(r * length + t) * 2654435761n) % 4294967296n) % (vocab - 1));
    labels[r] = r % 2;
  }
  return { x: nb.tensor(ids, { dtype: 'int32' }).reshape([rows, length]), y: nb.tensor(labels, { dtype: 'int32' }) };
}
