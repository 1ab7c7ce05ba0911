/**
 * `fit({ checkpointDir })`: a checkpoint at the end of every epoch, and resuming from the one a
 * killed run left. Everything that decides the rest of the run is restored: weights, optimizer
 * slots, step counter and learning rate (a schedule that a callback had replaced stays replaced),
 * the default generator's state, the generators the layers own (a seeded Dropout's), a DataLoader's
 * shuffling generator, the shuffling seed of tensor inputs (each epoch's order depends only on it
 * and the epoch number, see EpochBatches), every callback's state (`getState`/`setState`: the
 * built-in ones, History included, so the resumed run returns the whole run's history), and
 * whether a callback had stopped training. The saving is a callback, placed by `fit` last.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { noGrad } from '../tensor/grad-mode.js';
import { hasCheckpoint, loadCheckpoint, readCheckpointInfo, saveCheckpoint, type CheckpointInfo } from './checkpoint.js';
import type { JsonValue } from '../optim/optimizer.js';
import type { Callback } from './callbacks/callback.js';
import { DataLoader } from '../data/data-loader.js';
import { FormatError } from '../formats/errors.js';
import { ValueError } from '../tensor/errors.js';
import { warn } from '../tensor/warn.js';
import type { Tensor } from '../tensor/tensor.js';
import { EpochBatches } from './fit-data.js';
import { callbackName, checkJsonState, readFitState, type FitState, type LoaderState } from './fit-state.js';
import { namedGenerators } from './layer-generators.js';
import type { Model } from './model.js';
import { stridedSliceRows } from './rows.js';

/** What fit hands the checkpointer: its data and the callbacks whose state is kept. */
export interface FitRun {
  /** The training batches (tensor inputs' EpochBatches, or the batch source given). */
  train: unknown;
  /** The validation data, if any. */
  validation: unknown;
  /** The user's callbacks, then History: the ones whose states are saved, by position. */
  callbacks: readonly Callback[];
}

/** Saves fit's checkpoints to one directory at the end of every epoch, and resumes from it. */
export class FitCheckpointer implements Callback {
  /** The epoch to start from when a checkpoint is restored, else null. */
  readonly resumedEpoch: number | null;
  /** Steps (batches) trained before this epoch, over the whole run (resumed ones included). */
  private step: number;
  /** Batches trained in the current epoch. */
  private epochSteps = 0;

  /**
   * Reads which epoch the checkpoint in `dir` (if any) resumes from; the restoring itself happens
   * at `onTrainBegin`, after every other callback's (which reset their states there).
   */
  constructor(
    private readonly model: Model,
    private readonly dir: string,
    private readonly run: FitRun,
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
    const info = readCheckpointInfo(dir);
    this.resumedEpoch = info.epoch;
    this.step = info.step;
  }

  /**
   * Restores the checkpoint, if there is one: fit places this callback last, so that this runs
   * after every random draw of fit's setup and every other callback's `onTrainBegin`. Every part
   * is read and checked, and the callbacks' states set, before the weights are touched.
   */
  onTrainBegin(): void {
    if (this.resumedEpoch === null) return;
    const { model, run } = this;
    const train = run.train;
    // build from real samples when there are some (the checkpoint's fallback is float32 zeros)
    if (!model.built && train instanceof EpochBatches && (train.x.shape[0] ?? 0) > 0) {
      noGrad(() => model.apply(stridedSliceRows(train.x, 0, 1), false));
    }
    let fit: FitState | null = null;
    loadCheckpoint(this.dir, { model, optimizer: model.optimizer, beforeRestore: (info) => (fit = this.restoreCallbacks(info)) });
    const state = fit as FitState | null;
    if (state === null) return;
    if (train instanceof EpochBatches && state.shuffleSeed !== null) train.seed = state.shuffleSeed;
    const generators = new Map(namedGenerators(model));
    for (const [path, g] of generators) {
      const saved = state.generators.get(path);
      if (saved) g.setState(saved);
    }
    const missing = [...generators.keys()].filter((p) => !state.generators.has(p));
    const unused = [...state.generators.keys()].filter((p) => !generators.has(p));
    if (missing.length + unused.length > 0) {
      this.warnInexact(`${missing.length ? `the generators of ${missing.join(', ')} have no saved state` : ''}${missing.length && unused.length ? '; ' : ''}${unused.length ? `the saved generators of ${unused.join(', ')} belong to no layer of this model` : ''}`);
    }
    this.restoreLoader('train', run.train, state.loaders.train);
    if (run.validation !== run.train) this.restoreLoader('validation', run.validation, state.loaders.validation);
    if (state.stopped) model.stopTraining = true;
  }

  onEpochBegin(): void {
    this.epochSteps = 0;
  }

  onBatchEnd(): void {
    this.epochSteps++;
  }

  /** Saves the state after epoch `epoch` (counted from 0), once every other callback's `onEpochEnd` has run. */
  onEpochEnd(epoch: number): void {
    this.step += this.epochSteps;
    const { model, run } = this;
    const tensors: Record<string, Tensor> = {};
    const callbacks = run.callbacks.map((cb, i) => {
      const name = callbackName(cb);
      const state = cb.getState ? checkJsonState(cb.getState(), `fit: callback ${i + 1} (${name}).getState()`) : null;
      if (state !== null && cb.getStateTensors) for (const [k, t] of Object.entries(cb.getStateTensors())) tensors[`callbacks.${i}.${k}`] = t;
      return { name, state };
    });
    const loaderState = (data: unknown): JsonValue => (data instanceof DataLoader ? data.getState() : null);
    const fit = {
      shuffleSeed: run.train instanceof EpochBatches ? run.train.seed : null,
      stopped: model.stopTraining,
      callbacks,
      generators: Object.fromEntries(namedGenerators(model).map(([path, g]) => [path, g.getState()])),
      loaders: { train: loaderState(run.train), validation: loaderState(run.validation) },
    };
    saveCheckpoint(this.dir, { model, optimizer: model.optimizer, epoch: epoch + 1, step: this.step, extra: { fit }, tensors });
  }

  /** Reads `extra.fit` and sets each callback's saved state; run before anything else is restored. */
  private restoreCallbacks(info: CheckpointInfo): FitState | null {
    const fit = readFitState(info.extra, this.dir);
    if (fit === null) return null;
    const current = this.run.callbacks;
    const saved = fit.callbacks;
    if (saved === null) {
      const stateful = current.filter((cb) => cb.getState).map(callbackName);
      if (stateful.length > 0) this.warnInexact(`it holds no callback states (written by an older nabla): ${stateful.join(', ')} start afresh`);
      return fit;
    }
    const names = current.map(callbackName);
    const lost: string[] = [];
    current.forEach((cb, i) => {
      const entry = saved[i];
      if (entry === undefined || entry.name !== names[i]) {
        if (cb.getState) lost.push(`${names[i]} (callback ${i + 1}) has no saved state`);
        return;
      }
      if (entry.state === null) return;
      if (!cb.setState) {
        lost.push(`${names[i]} (callback ${i + 1}) cannot take back its saved state (no setState)`);
        return;
      }
      const prefix = `callbacks.${i}.`;
      const tensors = Object.create(null) as Record<string, Tensor>;
      for (const [k, t] of Object.entries(info.tensors)) if (k.startsWith(prefix)) tensors[k.slice(prefix.length)] = t;
      try {
        cb.setState(entry.state, tensors);
      } catch (err) {
        throw new FormatError(`fit: the checkpoint in ${this.dir} holds an invalid state for callback ${i + 1} (${names[i]}): ${(err as Error).message}`, { cause: err });
      }
    });
    saved.forEach((entry, i) => {
      if (entry.state !== null && entry.name !== names[i]) lost.push(`the saved state of ${entry.name} (callback ${i + 1}) is not used`);
    });
    if (lost.length > 0) {
      this.warnInexact(`it was saved with callbacks [${saved.map((e) => e.name).join(', ')}] and this run has [${names.join(', ')}]: ${lost.join('; ')}. Pass the same callbacks in the same order to resume exactly`);
    }
    return fit;
  }

  /** Restores a DataLoader's shuffling generator, or warns when the saved state does not fit it. */
  private restoreLoader(which: 'train' | 'validation', data: unknown, saved: LoaderState | null): void {
    if (!(data instanceof DataLoader)) {
      if (saved !== null) this.warnInexact(`it holds the state of a ${which} DataLoader, but the ${which} data is not one now`);
      return;
    }
    if (saved === null || (saved.generator === null) === data.shuffle) {
      this.warnInexact(`the ${which} DataLoader ${saved === null ? 'has no saved state' : `was saved with shuffle: ${!data.shuffle}`}; its order starts afresh`);
      return;
    }
    data.setState(saved);
  }

  private warnInexact(what: string): void {
    warn(`fit: resuming from the checkpoint in ${this.dir}, which does not match this run: ${what}. The resumed run may differ from an uninterrupted one.`);
  }
}
