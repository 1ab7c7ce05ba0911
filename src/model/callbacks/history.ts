import type { Callback, Logs } from './callback.js';

/** What `fit()` returns: the epochs run and each logged value per epoch (`history.history.loss[3]`). */
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
}
