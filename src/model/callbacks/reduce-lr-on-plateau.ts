import type { JsonValue } from '../../optim/optimizer.js';
import type { Model } from '../model.js';
import { improves, monitored, worstFor, type Callback, type Logs } from './callback.js';
import { numberToJson, stateReader } from './state.js';

/** Options of `ReduceLROnPlateau` (Keras defaults). */
export interface ReduceLROnPlateauOptions {
  monitor?: string;
  /** Multiplier applied to the learning rate (default 0.1). */
  factor?: number;
  /** Epochs without improvement before reducing (default 10). */
  patience?: number;
  mode?: 'min' | 'max' | 'auto';
  /** Smallest change that counts as an improvement (default 1e-4). */
  minDelta?: number;
  /** Epochs to wait after a reduction (default 0). */
  cooldown?: number;
  /** Lower bound of the learning rate (default 0). */
  minLr?: number;
}

/**
 * Multiplies the learning rate by `factor` when the monitored value stops improving. Its counters
 * and best value are part of `fit`'s checkpoints (`getState`), so a resumed run reduces the rate
 * when the uninterrupted one would.
 */
export class ReduceLROnPlateau implements Callback {
  private readonly opts: Required<ReduceLROnPlateauOptions>;
  private model: Model | null = null;
  private best = 0;
  private wait = 0;
  private cooldownLeft = 0;

  constructor(opts: ReduceLROnPlateauOptions = {}) {
    this.opts = { monitor: 'val_loss', factor: 0.1, patience: 10, mode: 'auto', minDelta: 1e-4, cooldown: 0, minLr: 0, ...opts };
    if (!(this.opts.factor > 0 && this.opts.factor < 1)) throw new Error(`ReduceLROnPlateau: factor must be in (0, 1), got ${this.opts.factor}`);
  }

  setModel(model: Model): void {
    this.model = model;
  }

  onTrainBegin(): void {
    this.best = worstFor(this.opts.mode, this.opts.monitor);
    this.wait = 0;
    this.cooldownLeft = 0;
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    const opt = this.model?.optimizer;
    const current = monitored(logs, this.opts.monitor, 'ReduceLROnPlateau');
    if (opt) logs.learning_rate = opt.learningRate;
    if (this.cooldownLeft > 0) {
      this.cooldownLeft--;
      this.wait = 0;
    }
    if (improves(this.opts.mode, this.opts.monitor, current, this.best, this.opts.minDelta)) {
      this.best = current;
      this.wait = 0;
      return;
    }
    if (this.cooldownLeft > 0) return;
    this.wait++;
    if (this.wait >= this.opts.patience && opt) {
      const lr = opt.learningRate;
      if (lr > this.opts.minLr) {
        opt.learningRate = Math.max(lr * this.opts.factor, this.opts.minLr);
        this.cooldownLeft = this.opts.cooldown;
        this.wait = 0;
      }
    }
  }

  /** The best value, the epochs waited without improvement and the cooldown left. */
  getState(): JsonValue {
    return { best: numberToJson(this.best), wait: this.wait, cooldownLeft: this.cooldownLeft };
  }

  /** Restores `getState()`'s output (checked first: it comes from a checkpoint file). */
  setState(state: JsonValue): void {
    const r = stateReader('ReduceLROnPlateau', state, ['best', 'wait', 'cooldownLeft']);
    const best = r.number('best');
    const wait = r.integer('wait', 0);
    const cooldownLeft = r.integer('cooldownLeft', 0);
    [this.best, this.wait, this.cooldownLeft] = [best, wait, cooldownLeft];
  }
}
