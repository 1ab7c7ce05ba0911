import type { JsonValue } from '../../optim/optimizer.js';
import { ValueError } from '../../tensor/errors.js';
import { fmt } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Model } from '../model.js';
import { improves, monitored, worstFor, type Callback, type Logs } from './callback.js';
import { numberToJson, stateReader } from './state.js';

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

/**
 * Stops training when the monitored value stops improving; optionally restores the best weights.
 * Its counters, best value and best weights are part of `fit`'s checkpoints (`getState`,
 * `getStateTensors`), so a resumed run stops, and restores, as the uninterrupted one would.
 */
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

  /** The counters and best value; `hasBestWeights` says whether `getStateTensors` holds the best epoch's weights. */
  getState(): JsonValue {
    return {
      best: numberToJson(this.best),
      wait: this.wait,
      stoppedEpoch: this.stoppedEpoch,
      bestEpoch: this.bestEpoch,
      restoredEpoch: this.restoredEpoch,
      lastEpoch: this.lastEpoch,
      hasBestWeights: this.bestWeights !== null,
    };
  }

  /** The best epoch's weights (with `restoreBestWeights`), by the model's weight names. */
  getStateTensors(): Record<string, Tensor> {
    return this.bestWeights ? { ...this.bestWeights } : {};
  }

  /**
   * Restores `getState()`'s and `getStateTensors()`'s output. Checked first (it comes from a
   * checkpoint file): the best weights must be the model's weights, by name, shape and dtype.
   */
  setState(state: JsonValue, tensors: Readonly<Record<string, Tensor>> = {}): void {
    const r = stateReader('EarlyStopping', state, ['best', 'wait', 'stoppedEpoch', 'bestEpoch', 'restoredEpoch', 'lastEpoch', 'hasBestWeights']);
    const best = r.number('best');
    const wait = r.integer('wait', 0);
    const [stoppedEpoch, bestEpoch, restoredEpoch, lastEpoch] = (['stoppedEpoch', 'bestEpoch', 'restoredEpoch', 'lastEpoch'] as const).map((k) => r.integer(k, -1));
    const bestWeights = r.boolean('hasBestWeights') ? this.checkedWeights(tensors) : null;
    if (!bestWeights && Object.keys(tensors).length > 0) throw new ValueError('EarlyStopping.setState: the state holds no best weights but tensors were given');
    this.best = best;
    this.wait = wait;
    [this.stoppedEpoch, this.bestEpoch, this.restoredEpoch, this.lastEpoch] = [stoppedEpoch!, bestEpoch!, restoredEpoch!, lastEpoch!];
    this.bestWeights = bestWeights;
  }

  /** Saved best weights, checked against the model's own. */
  private checkedWeights(tensors: Readonly<Record<string, Tensor>>): Record<string, Tensor> {
    const op = 'EarlyStopping.setState';
    if (!this.model) throw new ValueError(`${op}: the state holds best weights but no model is set; call setModel(model) first`);
    const own = this.model.stateDict();
    const out: Record<string, Tensor> = {};
    for (const [name, w] of Object.entries(own)) {
      const t = Object.hasOwn(tensors, name) ? tensors[name] : undefined;
      if (!(t instanceof Tensor)) throw new ValueError(`${op}: the best weights lack '${name}'`);
      if (t.dtype !== w.dtype || t.shape.length !== w.shape.length || t.shape.some((d, i) => d !== w.shape[i])) {
        throw new ValueError(`${op}: best weight '${name}' is ${t.dtype} ${fmt(t.shape)} but the model's is ${w.dtype} ${fmt(w.shape)}`);
      }
      out[name] = t;
    }
    const extra = Object.keys(tensors).filter((k) => !Object.hasOwn(own, k));
    if (extra.length > 0) throw new ValueError(`${op}: the best weights hold '${extra[0]}', which the model does not have`);
    return out;
  }
}

/** A copy of every weight, independent of later in-place updates. */
export function snapshot(model: Model): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(model.stateDict())) out[k] = new Tensor(v.data(), v.shape.slice());
  return out;
}
