/**
 * Ctrl-C during `nabla train`: the run stops between two batches (never inside a save, so every
 * file is either the old one or the new one) and says what was kept and how to continue.
 */
import type { Callback } from '../model/callbacks/callback.js';

/** Thrown when training stopped on Ctrl-C; its message says what was kept. `nabla` exits with 130. */
export class TrainingInterrupted extends Error {
  override name = 'TrainingInterrupted';
}

/**
 * A fit callback that turns SIGINT into a clean stop. Training runs without giving the event loop
 * a turn, so the callback yields to it (`setImmediate`) at every batch: that is when Node delivers
 * the signal. The stop is a `TrainingInterrupted` thrown from the next batch boundary, carrying
 * `describe(epoch, batch)` (epoch counted from 0, batches finished in it).
 */
export class InterruptOnSigint implements Callback {
  private signalled = false;
  private epoch = 0;
  private batch = 0;
  private readonly onSignal = (): void => {
    this.signalled = true;
  };

  constructor(private readonly describe: (epoch: number, batch: number) => string) {}

  /** Starts catching SIGINT (instead of Node's default of exiting at once). */
  install(): void {
    process.on('SIGINT', this.onSignal);
  }

  /** Gives SIGINT back to Node's default; returns whether one came while installed. */
  remove(): boolean {
    process.off('SIGINT', this.onSignal);
    return this.signalled;
  }

  async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
    this.batch = 0;
    await this.checkpoint();
  }

  async onBatchEnd(batch: number): Promise<void> {
    this.batch = batch + 1;
    await this.checkpoint();
  }

  private async checkpoint(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.signalled) throw new TrainingInterrupted(this.describe(this.epoch, this.batch));
  }
}
