import type { Model } from '../model.js';
import type { Callback, Logs } from './callback.js';

/**
 * The callbacks of one `fit`, called as one (Keras' `CallbackList`): each hook runs on every
 * callback in list order, awaiting each. `fit` builds it as the user's callbacks, then its own:
 * the progress bar (`verbose`: it prints the logs as the callbacks before it left them), History
 * (it records them so), and the checkpointer last (`checkpointDir`: it saves after every other
 * `onEpochEnd` has run, e.g. after a learning-rate change, so that each saved state is the
 * finished epoch's, and restores at `onTrainBegin` after every other callback has reset).
 *
 * @example
 * const callbacks = new CallbackList([new nb.callbacks.EarlyStopping(), history]);
 * callbacks.setModel(model);
 * await callbacks.onEpochEnd(0, { loss: 0.3 });
 */
export class CallbackList implements Callback {
  constructor(readonly callbacks: readonly Callback[]) {}

  setModel(model: Model): void {
    for (const cb of this.callbacks) cb.setModel?.(model);
  }

  async onTrainBegin(logs?: Logs): Promise<void> {
    for (const cb of this.callbacks) await cb.onTrainBegin?.(logs);
  }

  async onTrainEnd(logs?: Logs): Promise<void> {
    for (const cb of this.callbacks) await cb.onTrainEnd?.(logs);
  }

  async onEpochBegin(epoch: number, logs?: Logs): Promise<void> {
    for (const cb of this.callbacks) await cb.onEpochBegin?.(epoch, logs);
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    for (const cb of this.callbacks) await cb.onEpochEnd?.(epoch, logs);
  }

  async onBatchBegin(batch: number, logs?: Logs): Promise<void> {
    for (const cb of this.callbacks) await cb.onBatchBegin?.(batch, logs);
  }

  async onBatchEnd(batch: number, logs: Logs): Promise<void> {
    for (const cb of this.callbacks) await cb.onBatchEnd?.(batch, logs);
  }
}
