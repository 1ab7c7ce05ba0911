import type { JsonValue } from '../../optim/optimizer.js';
import type { Callback, Logs } from './callback.js';
import { numberToJson, stateReader } from './state.js';

/**
 * What `fit()` returns: the epochs run and each logged value per epoch (`history.history.loss[3]`).
 * It is part of `fit`'s checkpoints (`getState`): a resumed run returns the history of the whole run.
 */
export class History implements Callback {
  readonly epoch: number[] = [];
  readonly history: Record<string, number[]> = {};

  onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }

  /** A JSON-able copy, as `nabla plot history.json` reads. */
  toJSON(): { epoch: number[]; history: Record<string, number[]> } {
    return { epoch: [...this.epoch], history: structuredClone(this.history) };
  }

  /** The epochs and values recorded (a NaN or an infinity as its name: JSON has none). */
  getState(): JsonValue {
    const history: { [key: string]: JsonValue } = {};
    for (const [k, values] of Object.entries(this.history)) history[k] = values.map(numberToJson);
    return { epoch: [...this.epoch], history };
  }

  /** Replaces what was recorded with `getState()`'s output (checked first: it comes from a checkpoint file). */
  setState(state: JsonValue): void {
    const r = stateReader('History', state, ['epoch', 'history']);
    const epoch = r.integers('epoch', 0);
    const history = r.numberArrays('history');
    this.epoch.length = 0;
    for (const e of epoch) this.epoch.push(e);
    for (const k of Object.keys(this.history)) delete this.history[k];
    Object.assign(this.history, history);
  }
}
