/**
 * From token ids (0 padding, 1 out-of-vocabulary, 2… the vocabulary) to `TextVectorization`'s
 * outputs. Ids carry no gradient, so these work on the arrays directly.
 */
import { tensor } from '../../../tensor/creation.js';
import type { Tensor } from '../../../tensor/tensor.js';

/** The output modes that count tokens into one row per text. */
export type BagMode = 'multi_hot' | 'count' | 'tf_idf';

/**
 * `[batch, length]` int32 ids cut or padded with 0 at the end to `length` (Keras'
 * `output_sequence_length`: the first `length` tokens are kept).
 */
export function fitLength(ids: Int32Array, batch: number, width: number, length: number): Tensor {
  if (width === length) return tensor(ids, { dtype: 'int32', shape: [batch, length] });
  const out = new Int32Array(batch * length);
  const keep = Math.min(width, length);
  for (let b = 0; b < batch; b++) out.set(ids.subarray(b * width, b * width + keep), b * length);
  return tensor(out, { dtype: 'int32', shape: [batch, length] });
}

/**
 * One float32 row of `depth` per text: index 0 is out-of-vocabulary, index `k ≥ 1` vocabulary
 * token `k − 1` (id `k + 1`); padding (id 0) counts nowhere. `multi_hot` marks 1 for each token
 * present, `count` counts them, `tf_idf` multiplies the counts by `idf` (OOV's weight first).
 */
export function bagOfTokens(ids: Int32Array, batch: number, width: number, depth: number, mode: BagMode, idf: Float32Array | null): Tensor {
  const out = new Float32Array(batch * depth);
  for (let b = 0; b < batch; b++) {
    const row = b * depth;
    for (let t = 0; t < width; t++) {
      const id = ids[b * width + t]!;
      if (id === 0) continue;
      const k = row + id - 1;
      out[k] = mode === 'multi_hot' ? 1 : out[k]! + 1;
    }
    if (mode === 'tf_idf' && idf) for (let k = 0; k < idf.length && k < depth; k++) out[row + k] = out[row + k]! * idf[k]!;
  }
  return tensor(out, { shape: [batch, depth] });
}
