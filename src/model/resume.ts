/**
 * `fit({ checkpointDir })`: a checkpoint at the end of every epoch, and resuming from the one a
 * killed run left. Everything that decides the rest of the run is restored: weights, optimizer
 * slots, step counter and learning rate, the default generator's state (dropout, noise) and the
 * shuffling seed (each epoch's order depends only on it and the epoch number, see EpochBatches).
 * The saving is a callback, placed by `fit` after the user's callbacks.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { noGrad } from '../tensor/grad-mode.js';
import { hasCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import type { JsonValue } from '../optim/optimizer.js';
import type { Callback } from './callbacks/callback.js';
import { ValueError } from '../tensor/errors.js';
import { EpochBatches } from './fit-data.js';
import type { Model } from './model.js';
import { stridedSliceRows } from './rows.js';

/** What fit keeps in a checkpoint's `extra`, besides what saveCheckpoint stores itself. */
type FitExtra = { fit: { shuffleSeed: number | null } };

function fitExtra(extra: JsonValue): FitExtra['fit'] | null {
  if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) return null;
  const fit = extra['fit'];
  if (typeof fit !== 'object' || fit === null || Array.isArray(fit)) return null;
  const seed = fit['shuffleSeed'];
  return { shuffleSeed: typeof seed === 'number' ? seed : null };
}

/** Saves fit's checkpoints to one directory at the end of every epoch, and resumes from it. */
export class FitCheckpointer implements Callback {
  /** The epoch to start from when a checkpoint was restored, else null. */
  readonly resumedEpoch: number | null;
  /** Steps (batches) trained before this epoch, over the whole run (resumed ones included). */
  private step: number;
  /** Batches trained in the current epoch. */
  private epochSteps = 0;

  /**
   * Restores the checkpoint in `dir`, if there is one, into `model` (weights, its compiled
   * optimizer, the default generator) and the shuffling seed into `train`. Call it after every
   * random draw of fit's setup, so that the restored generator state is the one training sees.
   */
  constructor(
    private readonly model: Model,
    private readonly dir: string,
    private readonly train: unknown,
  ) {
    if (!hasCheckpoint(dir)) {
      // fail now rather than after the first epoch, when saving would refuse to replace it
      if (existsSync(dir) && !(statSync(dir).isDirectory() && readdirSync(dir).length === 0)) {
        throw new ValueError(`fit: checkpointDir ${dir} exists but holds no checkpoint; pass a new or empty directory`);
      }
      this.resumedEpoch = null;
      this.step = 0;
      return;
    }
    // build from real samples when there are some (the checkpoint's fallback is float32 zeros)
    if (!model.built && train instanceof EpochBatches && (train.x.shape[0] ?? 0) > 0) {
      noGrad(() => model.apply(stridedSliceRows(train.x, 0, 1), false));
    }
    const info = loadCheckpoint(dir, { model, optimizer: model.optimizer });
    const seed = fitExtra(info.extra)?.shuffleSeed;
    if (train instanceof EpochBatches && typeof seed === 'number') train.seed = seed;
    this.resumedEpoch = info.epoch;
    this.step = info.step;
  }

  onEpochBegin(): void {
    this.epochSteps = 0;
  }

  onBatchEnd(): void {
    this.epochSteps++;
  }

  /** Saves the state after epoch `epoch` (counted from 0). */
  onEpochEnd(epoch: number): void {
    this.step += this.epochSteps;
    const extra: FitExtra = { fit: { shuffleSeed: this.train instanceof EpochBatches ? this.train.seed : null } };
    saveCheckpoint(this.dir, { model: this.model, optimizer: this.model.optimizer, epoch: epoch + 1, step: this.step, extra });
  }
}
