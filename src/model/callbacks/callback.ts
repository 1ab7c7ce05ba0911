import type { Model } from '../model.js';

/** Per-epoch or per-batch log values: `{ loss, accuracy, val_loss, … }`. */
export type Logs = Record<string, number>;

/**
 * A training callback, Keras style. Implement any subset of the hooks; a plain object works too:
 * `{ onEpochEnd: (epoch, logs) => console.log(epoch, logs.loss) }`. Hooks may be async.
 */
export interface Callback {
  /** Called once before training with the model being trained. */
  setModel?(model: Model): void;
  onTrainBegin?(logs?: Logs): void | Promise<void>;
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
}

/** Reads the monitored value from logs, with a clear error when it is not logged. */
export function monitored(logs: Logs, monitor: string, who: string): number {
  const v = logs[monitor];
  if (v === undefined) {
    throw new Error(`${who}: '${monitor}' is not in the logs (available: ${Object.keys(logs).join(', ')}); set monitor to one of them`);
  }
  return v;
}

/** Whether `current` improves on `best` for a monitor, by mode ('auto': names with loss or error → min, else max). */
export function improves(mode: 'min' | 'max' | 'auto', monitor: string, current: number, best: number, minDelta = 0): boolean {
  const m = mode === 'auto' ? (/loss|error|mse|mae/.test(monitor) ? 'min' : 'max') : mode;
  return m === 'min' ? current < best - minDelta : current > best + minDelta;
}

/** The initial "best" value for a mode. */
export function worstFor(mode: 'min' | 'max' | 'auto', monitor: string): number {
  const m = mode === 'auto' ? (/loss|error|mse|mae/.test(monitor) ? 'min' : 'max') : mode;
  return m === 'min' ? Infinity : -Infinity;
}
