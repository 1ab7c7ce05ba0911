/**
 * fit's warning for a learning-rate warm-up longer than the run: the rate never reaches its
 * target, so the run trains at a fraction of the rate asked for without any error.
 */
import type { Optimizer } from '../optim/optimizer.js';
import { warmupOf } from '../optim/schedules.js';
import { warn } from '../tensor/warn.js';

/**
 * Warns when `optimizer`'s schedule still has more warm-up steps ahead than `epochs` epochs of
 * `batchesPerEpoch` batches will take. Returns whether it warned. Runs whose length is unknown (a
 * batch source without `length`) are not judged.
 */
export function warnIfWarmupOutlastsRun(optimizer: Optimizer | null, batchesPerEpoch: number | undefined, epochs: number): boolean {
  const schedule = optimizer?.learningRateSchedule;
  if (!optimizer || !schedule || batchesPerEpoch === undefined || !(batchesPerEpoch > 0) || !(epochs > 0)) return false;
  const warmup = warmupOf(schedule);
  const start = optimizer.iterations;
  const steps = epochs * batchesPerEpoch;
  if (warmup === null || start + steps >= warmup.steps) return false;
  const last = schedule(start + steps - 1);
  warn(
    `fit: the learning-rate warm-up lasts ${warmup.steps} steps but this run takes ${steps} ` +
      `(${epochs} epoch${epochs === 1 ? '' : 's'} × ${batchesPerEpoch} batches)${start > 0 ? ` from step ${start}` : ''}: ` +
      `its last step runs at ${Number(last.toPrecision(3))} and the rate never reaches its warmupTarget ${warmup.target}. ` +
      'Shorten warmupSteps (e.g. to a tenth of the run) or train for more epochs',
  );
  return true;
}
