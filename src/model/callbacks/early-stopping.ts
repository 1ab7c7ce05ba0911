import { Tensor } from '../../tensor/tensor.js';
import type { Model } from '../model.js';
import { improves, monitored, worstFor, type Callback, type Logs } from './callback.js';

/** Options of `EarlyStopping` (Keras defaults). */
export interface EarlyStoppingOptions {
  /** Logged value to watch (default 'val_loss'). */
  monitor?: string;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** 'min', 'max' or 'auto' (by the monitor's name). */
  mode?: 'min' | 'max' | 'auto';
  /** Put back the weights of the best epoch at the end of training (default false). */
  restoreBestWeights?: boolean;
  /** Epochs to wait before watching (default 0). */
  startFromEpoch?: number;
}

/** Stops training when the monitored value stops improving; optionally restores the best weights. */
export class EarlyStopping implements Callback {
  readonly monitor: string;
  private readonly opts: Required<EarlyStoppingOptions>;
  private model: Model | null = null;
  private best = 0;
  private wait = 0;
  private bestWeights: Record<string, Tensor> | null = null;
  /** The epoch at which training was stopped (−1 when it ran to the end). */
  stoppedEpoch = -1;
  /** The epoch whose value was best. */
  bestEpoch = -1;
  /** The epoch whose weights were put back at the end (−1 when none were). */
  restoredEpoch = -1;
  /** The best monitored value seen. */
  get bestValue(): number {
    return this.best;
  }
  private lastEpoch = -1;

  constructor(opts: EarlyStoppingOptions = {}) {
    this.opts = { monitor: 'val_loss', minDelta: 0, patience: 0, mode: 'auto', restoreBestWeights: false, startFromEpoch: 0, ...opts };
    this.monitor = this.opts.monitor;
  }

  setModel(model: Model): void {
    this.model = model;
  }

  onTrainBegin(): void {
    this.best = worstFor(this.opts.mode, this.monitor);
    this.wait = 0;
    this.stoppedEpoch = -1;
    this.bestEpoch = -1;
    this.bestWeights = null;
    this.restoredEpoch = -1;
    this.lastEpoch = -1;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    this.lastEpoch = epoch;
    if (epoch < this.opts.startFromEpoch) return;
    const current = monitored(logs, this.monitor, 'EarlyStopping');
    if (improves(this.opts.mode, this.monitor, current, this.best, this.opts.minDelta)) {
      this.best = current;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.opts.restoreBestWeights && this.model) this.bestWeights = snapshot(this.model);
      return;
    }
    this.wait++;
    if (this.wait >= this.opts.patience && this.model) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  /** With `restoreBestWeights`, puts back the best epoch's weights, whether training stopped early or ran to the end (Keras 3). */
  onTrainEnd(): void {
    if (this.opts.restoreBestWeights && this.bestWeights && this.model && this.bestEpoch !== this.lastEpoch) {
      this.model.loadStateDict(this.bestWeights);
      this.restoredEpoch = this.bestEpoch;
    }
  }
}

/** A copy of every weight, independent of later in-place updates. */
export function snapshot(model: Model): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(model.stateDict())) out[k] = new Tensor(v.data(), v.shape.slice());
  return out;
}
