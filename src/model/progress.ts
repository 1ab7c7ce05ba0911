import { ValueError } from '../tensor/errors.js';

// The training progress display of Model.fit. On a terminal: a live bar redrawn in place. Anywhere
// else (a log file, CI): one plain summary line per epoch, so logs stay readable and free of '\r'.

/** Where progress is written: `process.stdout` or anything with `write` (and, for a terminal, `isTTY`). */
export interface ProgressStream {
  write(s: string): unknown;
  /** True for an interactive terminal: draws a live bar. Otherwise one line per epoch. */
  isTTY?: boolean;
  /** Terminal width in characters (default 80). */
  columns?: number;
}

/** Options of `ProgressBar`. */
export interface ProgressBarOptions {
  /** Number of steps (batches) in the epoch. */
  total: number;
  /** This epoch, counted from 1. */
  epoch: number;
  /** Number of epochs of the run. */
  epochs: number;
  /** Default `process.stdout` (on Node; elsewhere lines go to `console.log`). */
  stream?: ProgressStream;
  /** Clock in milliseconds, injectable for tests. Default `performance.now`. */
  now?: () => number;
}

const BAR_WIDTH = 20;
const MIN_BAR_WIDTH = 5;
const REDRAW_INTERVAL_MS = 100;
const DONE = '━';
const TODO = '─';
const CLEAR_TO_END = '\x1b[K';

/**
 * A metric value with 4 decimals, or in exponent form when tiny (|v| < 1e-3) or huge (|v| ≥ 1e6);
 * `nan`, `inf`, `-inf` for non-finite values.
 *
 * @example
 * formatValue(0.31204); // '0.3120'
 * formatValue(2.5e-5);  // '2.5000e-5'
 */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (v === 0) return '0.0000';
  const a = Math.abs(v);
  return a < 1e-3 || a >= 1e6 ? v.toExponential(4) : v.toFixed(4);
}

/**
 * Logs as `name: value` pairs joined by ` - `, training values first and `val_` ones after, each
 * group in insertion order.
 *
 * @example
 * formatLogs({ val_loss: 0.33, loss: 0.312 }); // 'loss: 0.3120 - val_loss: 0.3300'
 */
export function formatLogs(logs: Readonly<Record<string, number>>): string {
  const keys = Object.keys(logs);
  const ordered = [...keys.filter((k) => !k.startsWith('val_')), ...keys.filter((k) => k.startsWith('val_'))];
  return ordered.map((k) => `${k}: ${formatValue(logs[k]!)}`).join(' - ');
}

/** Time per step: `Xs/step` from a second up (or at 0), `Xms/step` from a millisecond, else `Xus/step`. */
function formatPerStep(seconds: number): string {
  if (seconds >= 1 || seconds === 0) return `${Math.round(seconds)}s/step`;
  if (seconds >= 1e-3) return `${Math.round(seconds * 1e3)}ms/step`;
  return `${Math.round(seconds * 1e6)}us/step`;
}

/** A remaining time as `m:ss`, or `h:mm:ss` from an hour up. */
function formatClock(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

function checkCount(what: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new ValueError(`ProgressBar: ${what} must be an integer >= ${min}, got ${v}`);
}

function defaultStream(): ProgressStream {
  const stdout = (globalThis as { process?: { stdout?: ProgressStream } }).process?.stdout;
  if (stdout !== undefined) return stdout;
  let pending = '';
  return {
    write(s: string) {
      const lines = (pending + s).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) console.log(line);
    },
  };
}

/**
 * The progress display of one epoch, in the Keras style.
 *
 * On a terminal (`stream.isTTY`): `Epoch 3/10` on its own line when constructed, then a bar redrawn
 * in place at most 10 times a second, `' 42/422 ━━───── ETA 0:07 4ms/step - loss: 0.3120'`,
 * fitted to `stream.columns` by shortening or dropping the bar, then cutting the line; `finish`
 * draws the final line (whole, wrapping if it must),
 * `'422/422 ━━━━━━━━━━━━━━━━━━━━ 2s 4ms/step - loss: 0.3120 - val_loss: 0.3300'`, and ends it.
 * Elsewhere nothing is drawn while running and `finish` writes exactly one line,
 * `'Epoch 3/10 - 422/422 - 2s 4ms/step - loss: 0.3120 - val_loss: 0.3300'`.
 *
 * @example
 * const bar = new ProgressBar({ total: steps, epoch: 1, epochs: 5 });
 * for (let s = 1; s <= steps; s++) bar.update(s, { loss: trainStep() });
 * bar.finish({ loss: 0.31, val_loss: 0.33 });
 */
export class ProgressBar {
  readonly total: number;
  readonly epoch: number;
  readonly epochs: number;
  private readonly stream: ProgressStream;
  private readonly now: () => number;
  private readonly start: number;
  private lastDraw = -Infinity;
  private finished = false;

  constructor(opts: ProgressBarOptions) {
    checkCount('total', opts.total, 0);
    checkCount('epoch', opts.epoch, 1);
    checkCount('epochs', opts.epochs, opts.epoch);
    this.total = opts.total;
    this.epoch = opts.epoch;
    this.epochs = opts.epochs;
    this.stream = opts.stream ?? defaultStream();
    this.now = opts.now ?? (() => performance.now());
    this.start = this.now();
    if (this.isTTY) this.stream.write(`Epoch ${this.epoch}/${this.epochs}\n`);
  }

  private get isTTY(): boolean {
    return this.stream.isTTY === true;
  }

  /** Reports that `step` steps (1..total) are done, with the running logs. Redraws at most every 100 ms. */
  update(step: number, logs: Readonly<Record<string, number>>): void {
    if (!Number.isInteger(step) || step < 0 || step > this.total) {
      throw new ValueError(`ProgressBar.update: step must be an integer in 0..${this.total}, got ${step}`);
    }
    if (this.finished || !this.isTTY) return;
    const t = this.now();
    if (t - this.lastDraw < REDRAW_INTERVAL_MS) return;
    this.lastDraw = t;
    this.stream.write(`\r${this.liveLine(step, logs, t, false)}${CLEAR_TO_END}`);
  }

  /** Ends the epoch with its final logs (training and `val_` values). Later calls do nothing. */
  finish(logs: Readonly<Record<string, number>>): void {
    if (this.finished) return;
    this.finished = true;
    const t = this.now();
    if (this.isTTY) {
      this.stream.write(`\r${this.liveLine(this.total, logs, t, true)}${CLEAR_TO_END}\n`);
      return;
    }
    const parts = [`Epoch ${this.epoch}/${this.epochs}`, `${this.total}/${this.total}`, this.timing(this.total, t, true)];
    const text = formatLogs(logs);
    if (text.length > 0) parts.push(text);
    this.stream.write(`${parts.join(' - ')}\n`);
  }

  /** `2s 4ms/step` when finished, `ETA 0:07 4ms/step` while running. */
  private timing(step: number, t: number, final: boolean): string {
    const elapsed = Math.max(0, t - this.start) / 1000;
    const perStep = step === 0 ? 0 : elapsed / step;
    if (final) return `${Math.round(elapsed)}s ${formatPerStep(perStep)}`;
    if (step === 0) return 'ETA -:--';
    return `ETA ${formatClock(perStep * (this.total - step))} ${formatPerStep(perStep)}`;
  }

  /** The terminal line: counter, bar shortened (or dropped) to fit the width, timing, logs. */
  private liveLine(step: number, logs: Readonly<Record<string, number>>, t: number, final: boolean): string {
    const counter = `${String(step).padStart(String(this.total).length)}/${this.total}`;
    const text = formatLogs(logs);
    const tail = `${this.timing(step, t, final)}${text.length > 0 ? ` - ${text}` : ''}`;
    // One column spare: writing the last column makes some terminals wrap, and '\r' cannot go back up.
    const width = Math.max(1, (this.stream.columns ?? 80) - 1);
    const room = width - counter.length - tail.length - 2;
    // The final line is never cut; it shrinks its bar only when that keeps it on one line.
    const barWidth = room >= MIN_BAR_WIDTH ? Math.min(BAR_WIDTH, room) : final ? BAR_WIDTH : 0;
    let line = `${counter} ${tail}`;
    if (barWidth > 0) {
      const filled = this.total === 0 ? barWidth : Math.floor((barWidth * step) / this.total);
      line = `${counter} ${DONE.repeat(filled)}${TODO.repeat(barWidth - filled)} ${tail}`;
    }
    // A live line that wrapped could not be redrawn in place ('\r' cannot go back up a row).
    return final || line.length <= width ? line : line.slice(0, width);
  }
}
