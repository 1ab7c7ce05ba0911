import { ProgressBar, type ProgressStream } from '../progress.js';
import type { Callback, Logs } from './callback.js';

/** Options of `ProgbarLogger`. */
export interface ProgbarLoggerOptions {
  /** Epochs of the run (the bar says `Epoch 3/10`). */
  epochs: number;
  /** Batches per epoch (0 when the batch source has no length). */
  total: number;
  /** 1: a live bar on a terminal, one line per epoch elsewhere; 2: one line per epoch everywhere. */
  verbose: 1 | 2;
  /** Where the progress is written (default process.stdout). */
  stream?: ProgressStream;
}

/**
 * `fit`'s progress display as a callback (Keras' `ProgbarLogger`): a `ProgressBar` per epoch,
 * made at `onEpochBegin`, moved at each `onBatchEnd`, finished with the epoch's logs (validation
 * values included) at `onEpochEnd`. `fit` adds it itself unless `verbose` is 0.
 *
 * @example
 * await model.fit(x, y, { verbose: 0, callbacks: [new ProgbarLogger({ epochs: 5, total: 469, verbose: 2 })] });
 */
export class ProgbarLogger implements Callback {
  private bar: ProgressBar | null = null;
  private readonly stream: ProgressStream;

  constructor(private readonly opts: ProgbarLoggerOptions) {
    const stream = opts.stream ?? process.stdout;
    // verbose 2: one line per epoch even on a terminal
    this.stream = opts.verbose === 2 ? { write: (s: string) => stream.write(s), isTTY: false } : stream;
  }

  onEpochBegin(epoch: number): void {
    this.bar = new ProgressBar({ total: this.opts.total, epoch: epoch + 1, epochs: this.opts.epochs, stream: this.stream });
  }

  onBatchEnd(batch: number, logs: Logs): void {
    this.bar?.update(batch + 1, logs);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    this.bar?.finish(logs);
  }
}
