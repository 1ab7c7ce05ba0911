import { gather } from '../../ops/indexing.js';
import { tensor } from '../../tensor/creation.js';
import { ValueError } from '../../tensor/errors.js';
import { Generator } from '../../tensor/random.js';
import { randomPermutation } from '../permutation.js';
import type { TextData } from './text-table.js';

/** Options of {@link trainValSplit}. */
export interface TrainValSplitOptions {
  /** The fraction of the examples held out for validation, in (0, 1). Default 0.05. */
  validation?: number;
  /** Seed of the random choice of validation examples (default 0): the same seed, the same split. */
  seed?: number;
}

/**
 * Splits a text set at random into a training and a validation part: `round(n · validation)`
 * examples (at least one) drawn with a seeded permutation go to `val`, the rest to `train`;
 * each part keeps the file's order. The class names are shared.
 *
 * @example
 * const { train, val } = nb.datasets.trainValSplit(nb.datasets.sst2('train.tsv'), { validation: 0.05, seed: 0 });
 * train.texts.length   // 63982
 */
export function trainValSplit(data: TextData, opts: TrainValSplitOptions = {}): { train: TextData; val: TextData } {
  const validation = opts.validation ?? 0.05;
  const seed = opts.seed ?? 0;
  if (!(validation > 0 && validation < 1)) throw new ValueError(`trainValSplit: validation must be a fraction in (0, 1), got ${validation}`);
  if (!Number.isFinite(seed)) throw new ValueError(`trainValSplit: seed must be a finite number, got ${seed}`);
  const n = data.texts.length;
  if (data.labels.shape.length !== 1 || data.labels.shape[0] !== n) {
    throw new ValueError(`trainValSplit: labels of shape [${data.labels.shape.join(', ')}] do not match the ${n} texts`);
  }
  const nVal = Math.max(1, Math.round(n * validation));
  if (nVal >= n) throw new ValueError(`trainValSplit: ${n} example${n === 1 ? '' : 's'} cannot be split into a training and a validation part; use more data`);
  const order = randomPermutation(n, new Generator(seed));
  const isVal = new Uint8Array(n);
  for (let i = 0; i < nVal; i++) isVal[order[i]!] = 1;
  const part = (want: number): TextData => {
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (isVal[i] === want) rows.push(i);
    return {
      texts: rows.map((i) => data.texts[i]!),
      labels: gather(data.labels, tensor(Int32Array.from(rows), { dtype: 'int32', shape: [rows.length] }), 0),
      classNames: [...data.classNames],
    };
  };
  return { train: part(0), val: part(1) };
}
