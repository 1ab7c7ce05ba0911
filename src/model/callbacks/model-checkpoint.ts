import type { JsonValue } from '../../optim/optimizer.js';
import type { Model } from '../model.js';
import { improves, monitored, worstFor, type Callback, type Logs } from './callback.js';
import { numberToJson, stateReader } from './state.js';

/** Options of `ModelCheckpoint`. */
export interface ModelCheckpointOptions {
  /** Directory to save into; `{epoch}` and any log key (`{val_loss}`) are filled in. */
  filepath: string;
  monitor?: string;
  /** Save only when the monitored value improves (default true: "writes the best model"). */
  saveBestOnly?: boolean;
  mode?: 'min' | 'max' | 'auto';
  /** Save only the weights file rather than the whole model (default false). */
  saveWeightsOnly?: boolean;
}

/**
 * Saves the model (atomically) at the end of epochs, by default only when it is the best so far.
 * Its best value and the paths written are part of `fit`'s checkpoints (`getState`).
 */
export class ModelCheckpoint implements Callback {
  private readonly opts: Required<ModelCheckpointOptions>;
  private model: Model | null = null;
  private best = 0;
  /** Paths written, in order. */
  readonly saved: string[] = [];

  constructor(opts: ModelCheckpointOptions) {
    if (!opts || typeof opts.filepath !== 'string' || opts.filepath === '') throw new Error('ModelCheckpoint: filepath (a directory path) is required');
    this.opts = { monitor: 'val_loss', saveBestOnly: true, mode: 'auto', saveWeightsOnly: false, ...opts };
  }

  setModel(model: Model): void {
    this.model = model;
  }

  onTrainBegin(): void {
    this.best = worstFor(this.opts.mode, this.opts.monitor);
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if (!this.model) return;
    if (this.opts.saveBestOnly) {
      const current = monitored(logs, this.opts.monitor, 'ModelCheckpoint');
      if (!improves(this.opts.mode, this.opts.monitor, current, this.best)) return;
      this.best = current;
    }
    const path = this.opts.filepath.replace(/\{(\w+)(?::[^}]*)?\}/g, (m, key: string) => {
      if (key === 'epoch') return String(epoch + 1);
      const v = logs[key];
      return v === undefined ? m : v.toFixed(4);
    });
    if (this.opts.saveWeightsOnly) await this.model.saveWeights(path);
    else await this.model.save(path);
    this.saved.push(path);
  }

  /** The best value so far and the paths written. */
  getState(): JsonValue {
    return { best: numberToJson(this.best), saved: [...this.saved] };
  }

  /** Restores `getState()`'s output (checked first: it comes from a checkpoint file). */
  setState(state: JsonValue): void {
    const r = stateReader('ModelCheckpoint', state, ['best', 'saved']);
    const best = r.number('best');
    const saved = r.strings('saved');
    this.best = best;
    this.saved.length = 0;
    for (const path of saved) this.saved.push(path);
  }
}
