import { appendFileSync, existsSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import type { JsonValue } from '../../optim/optimizer.js';
import { ValueError } from '../../tensor/errors.js';
import type { Callback, Logs } from './callback.js';
import { stateReader } from './state.js';

/**
 * Writes one CSV row per epoch (`epoch,loss,accuracy,val_loss,…`) to `path`. Its columns and the
 * length of the file it wrote are part of `fit`'s checkpoints (`getState`): a resumed run cuts
 * the file back to the rows of the epochs the checkpoint holds and appends from there, so that
 * the file ends as the uninterrupted run's does.
 */
export class CSVLogger implements Callback {
  private keys: string[] | null = null;
  /** Bytes of the file written so far (its length once this run has written to it). */
  private bytes = 0;
  /** What to do before the first row of this run: empty the file, keep it, or cut it to a saved length. */
  private start: 'truncate' | 'append' | { cutTo: number } | null = null;

  constructor(private readonly path: string, private readonly opts: { separator?: string; append?: boolean } = {}) {
    if (typeof path !== 'string' || path === '') throw new Error('CSVLogger: path is required');
  }

  onTrainBegin(): void {
    this.keys = null;
    // decided at the first row, after a resumed fit has restored the state (setState)
    this.start = this.opts.append ? 'append' : 'truncate';
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    this.begin();
    const sep = this.opts.separator ?? ',';
    if (!this.keys) {
      this.keys = Object.keys(logs).sort();
      this.write(['epoch', ...this.keys].join(sep) + '\n');
    }
    const keys = this.keys;
    this.write([String(epoch), ...keys.map((k) => (logs[k] === undefined ? '' : String(logs[k])))].join(sep) + '\n');
  }

  onTrainEnd(): void {
    // a run with no epochs still leaves the file as it began (emptied unless appending)
    this.begin();
  }

  /** The columns and the length of the file written so far. */
  getState(): JsonValue {
    return { keys: this.keys ? [...this.keys] : null, bytes: this.bytes };
  }

  /**
   * Restores `getState()`'s output (checked first: it comes from a checkpoint file): the next row
   * is written after cutting the file back to the saved length.
   */
  setState(state: JsonValue): void {
    const r = stateReader('CSVLogger', state, ['keys', 'bytes']);
    const keys = r.stringsOrNull('keys');
    const bytes = r.integer('bytes', 0);
    this.keys = keys;
    this.start = { cutTo: bytes };
  }

  private begin(): void {
    const start = this.start;
    if (start === null) return;
    this.start = null;
    if (start === 'truncate') {
      writeFileSync(this.path, '');
      this.bytes = 0;
    } else if (start === 'append') {
      this.bytes = existsSync(this.path) ? statSync(this.path).size : 0;
    } else {
      const size = existsSync(this.path) ? statSync(this.path).size : -1;
      if (size < start.cutTo) {
        throw new ValueError(`CSVLogger: ${this.path} holds ${size < 0 ? 'nothing' : `${size} bytes`}, fewer than the ${start.cutTo} the checkpoint recorded; it was changed since. Restore it, or remove the checkpoint to start afresh`);
      }
      truncateSync(this.path, start.cutTo);
      this.bytes = start.cutTo;
    }
  }

  private write(text: string): void {
    appendFileSync(this.path, text);
    this.bytes += Buffer.byteLength(text);
  }
}
