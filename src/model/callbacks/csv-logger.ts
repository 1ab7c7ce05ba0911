import { appendFileSync, writeFileSync } from 'node:fs';
import type { Callback, Logs } from './callback.js';

/** Writes one CSV row per epoch (`epoch,loss,accuracy,val_loss,…`) to `path`. */
export class CSVLogger implements Callback {
  private keys: string[] | null = null;

  constructor(private readonly path: string, private readonly opts: { separator?: string; append?: boolean } = {}) {
    if (typeof path !== 'string' || path === '') throw new Error('CSVLogger: path is required');
  }

  onTrainBegin(): void {
    this.keys = null;
    if (!this.opts.append) writeFileSync(this.path, '');
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const sep = this.opts.separator ?? ',';
    if (!this.keys) {
      this.keys = Object.keys(logs).sort();
      appendFileSync(this.path, ['epoch', ...this.keys].join(sep) + '\n');
    }
    appendFileSync(this.path, [String(epoch), ...this.keys.map((k) => (logs[k] === undefined ? '' : String(logs[k])))].join(sep) + '\n');
  }
}
