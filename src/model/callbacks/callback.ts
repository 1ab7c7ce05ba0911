import type { JsonValue } from '../../optim/optimizer.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Model } from '../model.js';

/** Per-epoch or per-batch log values: `{ loss, accuracy, val_loss, … }`. */
export type Logs = Record<string, number>;

/**
 * A training callback, Keras style. Implement any subset of the hooks; a plain object works too:
 * `{ onEpochEnd: (epoch, logs) => console.log(epoch, logs.loss) }`. Hooks may be async.
 *
 * **Resuming.** `fit({ checkpointDir })` saves a checkpoint after every epoch and continues from
 * it when rerun. A callback that keeps state across epochs (counters, best values, anything its
 * later hooks depend on) resumes exactly only if it implements `getState` and `setState`; without
 * them a resumed run gives it a fresh start (after `onTrainBegin`), as if training began at the
 * resumed epoch. The built-in callbacks implement them. The checkpoint keys each state by the
 * callback's position in `callbacks` and its class name, so a resumed run must pass the same
 * callbacks in the same order (fit warns about each one it cannot match).
 *
 * @example
 * class CountEpochs implements nb.callbacks.Callback {
 *   count = 0;
 *   onEpochEnd() { this.count++; }
 *   getState() { return { count: this.count }; }
 *   setState(state: nb.optim.JsonValue) {
 *     const count = (state as { count?: unknown } | null)?.count;
 *     if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) throw new Error(`CountEpochs: bad saved count ${String(count)}`);
 *     this.count = count;
 *   }
 * }
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
  /**
   * The callback's state as JSON, saved in every checkpoint of `fit({ checkpointDir })` (after
   * every callback's `onEpochEnd` of that epoch). Numbers must be finite: JSON has no Infinity.
   */
  getState?(): JsonValue;
  /**
   * Tensors of the state, too large for JSON (EarlyStopping's best weights): saved beside the
   * JSON state in the checkpoint's `extra.safetensors` and handed back to `setState`.
   */
  getStateTensors?(): Record<string, Tensor>;
  /**
   * Restores what `getState` (and `getStateTensors`, as `tensors`; `{}` without it) returned.
   * A resumed `fit` calls it after every callback's `onTrainBegin`, before the first epoch. The
   * state comes from a file: check all of it before changing anything and throw an error that
   * names what is wrong.
   */
  setState?(state: JsonValue, tensors: Readonly<Record<string, Tensor>>): void;
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
