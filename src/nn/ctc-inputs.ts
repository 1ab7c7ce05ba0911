/**
 * The checks of `nb.losses.ctc`'s inputs, and their normalisation into what the kernel reads:
 * padded int32 labels, and one label length and one logit length per sequence. Every refusal
 * says what was wrong and how to fix it, because a bad id or length would otherwise surface as a
 * silent Infinity or a wrong loss.
 */
import { isFloat } from '../tensor/dtype.js';
import { DTypeError, ShapeError, ValueError } from '../tensor/errors.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { CtcTargets } from '../ops/ctc.js';

/** Per-sequence lengths: an int32 tensor `[batch]` or an array of whole numbers. */
export type CtcLengths = Tensor | readonly number[];

/** The lengths and blank id as given to `ctc`. */
export interface CtcInputOptions {
  labelLengths?: CtcLengths;
  logitLengths?: CtcLengths;
  blank?: number;
}

/** The logits' sizes, the blank, and the checked targets. */
export interface CtcBatch extends CtcTargets {
  batch: number;
  time: number;
  classes: number;
  blank: number;
}

/** One length per sequence from a tensor or an array, each a whole number in [0, max] (`maxWhat` names the bound in errors). */
export function readLengths(op: string, name: string, value: CtcLengths, batch: number, max: number, maxWhat: string): Int32Array {
  let values: ArrayLike<number>;
  if (value instanceof Tensor) {
    if (value.dtype !== 'int32') throw new DTypeError(`${op}: ${name} must be an int32 tensor, got ${value.dtype}; cast it with cast(t, 'int32') or pass an array of numbers`);
    if (value.ndim !== 1 || value.shape[0] !== batch) throw new ShapeError(`${op}: ${name} must have shape [${batch}] (one length per sequence), got ${fmt(value.shape)}`);
    values = value.data();
  } else if (Array.isArray(value)) {
    if (value.length !== batch) throw new ShapeError(`${op}: ${name} must hold one length per sequence (${batch}), got ${value.length}`);
    values = value;
  } else {
    throw new ValueError(`${op}: ${name} must be an int32 tensor or an array of numbers, got ${value === null ? 'null' : typeof value}`);
  }
  const out = new Int32Array(batch);
  for (let b = 0; b < batch; b++) {
    const v = values[b]!;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new ValueError(`${op}: ${name}[${b}] = ${String(v)} is not a length; lengths are whole numbers ≥ 0`);
    if (v > max) throw new ValueError(`${op}: ${name}[${b}] = ${v} is beyond ${maxWhat} (${max}); a length counts only entries the tensor holds`);
    out[b] = v;
  }
  return out;
}

/** Each row's length when none are given: up to its first negative entry (the padding), else the whole row. */
function paddedLengths(data: Int32Array, batch: number, width: number): Int32Array {
  const out = new Int32Array(batch);
  for (let b = 0; b < batch; b++) {
    let n = 0;
    while (n < width && data[b * width + n]! >= 0) n++;
    out[b] = n;
  }
  return out;
}

/**
 * Checks `labels` and `logits` with the options and gives the kernel's inputs. `labels` is
 * `[batch, maxLabelLength]` (padded; without `labelLengths` a row ends at its first negative
 * entry) or PyTorch's 1-D concatenation of every sequence's labels (then `labelLengths` is needed).
 */
export function ctcInputs(op: string, labels: Tensor, logits: Tensor, opts: CtcInputOptions): CtcBatch {
  if (!(logits instanceof Tensor)) throw new ValueError(`${op}: logits must be a Tensor [batch, time, classes], got ${logits === null ? 'null' : typeof logits}`);
  if (!(labels instanceof Tensor)) throw new ValueError(`${op}: labels must be an int32 Tensor [batch, maxLabelLength], got ${labels === null ? 'null' : typeof labels}`);
  if (!isFloat(logits.dtype)) throw new DTypeError(`${op}: logits must be float32 or float64, got ${logits.dtype}`);
  if (logits.ndim !== 3) throw new ShapeError(`${op}: logits must be batch-major [batch, time, classes], got shape ${fmt(logits.shape)}; a time-major [time, batch, classes] tensor (PyTorch's layout) becomes one with transpose(0, 1)`);
  const [batch, time, classes] = logits.shape as [number, number, number];
  if (classes < 1) throw new ShapeError(`${op}: logits need at least one class (the blank), got shape ${fmt(logits.shape)}`);
  const blank = opts.blank ?? 0;
  if (typeof blank !== 'number' || !Number.isInteger(blank) || blank < 0 || blank >= classes) {
    throw new ValueError(`${op}: blank must be a class id in [0, ${classes - 1}], got ${String(blank)}`);
  }
  if (labels.dtype !== 'int32') throw new DTypeError(`${op}: labels must be int32 class ids, got ${labels.dtype}; cast them with cast(labels, 'int32')`);
  const data = labels.data() as Int32Array;
  let padded: Int32Array;
  let maxLabel: number;
  let labelLengths: Int32Array;
  if (labels.ndim === 2) {
    if (labels.shape[0] !== batch) throw new ShapeError(`${op}: labels ${fmt(labels.shape)} and logits ${fmt(logits.shape)} disagree on the batch size; labels are [batch, maxLabelLength]`);
    maxLabel = labels.shape[1]!;
    padded = data;
    labelLengths = opts.labelLengths === undefined ? paddedLengths(data, batch, maxLabel) : readLengths(op, 'labelLengths', opts.labelLengths, batch, maxLabel, "the labels' width");
  } else if (labels.ndim === 1) {
    if (opts.labelLengths === undefined) throw new ValueError(`${op}: 1-D labels are the sequences' labels one after another and need labelLengths to split them; pass { labelLengths } or labels padded to [batch, maxLabelLength]`);
    labelLengths = readLengths(op, 'labelLengths', opts.labelLengths, batch, data.length, 'the number of labels');
    const total = labelLengths.reduce((a, b) => a + b, 0);
    if (total > data.length) throw new ValueError(`${op}: labelLengths add up to ${total} but the 1-D labels hold ${data.length}; the lengths must split the labels given`);
    maxLabel = labelLengths.reduce((a, b) => Math.max(a, b), 0);
    padded = new Int32Array(batch * maxLabel);
    let at = 0;
    for (let b = 0; b < batch; b++) {
      padded.set(data.subarray(at, at + labelLengths[b]!), b * maxLabel);
      at += labelLengths[b]!;
    }
  } else {
    throw new ShapeError(`${op}: labels must be [batch, maxLabelLength] (padded) or 1-D (concatenated, with labelLengths), got shape ${fmt(labels.shape)}`);
  }
  for (let b = 0; b < batch; b++) {
    for (let s = 0; s < labelLengths[b]!; s++) {
      const v = padded[b * maxLabel + s]!;
      if (v === blank) throw new ValueError(`${op}: label ${s} of sequence ${b} is the blank id ${blank}; labels must not use the blank: number the labels from ${blank === 0 ? 1 : 0} around it, or pass another { blank }`);
      if (v < 0 || v >= classes) throw new ValueError(`${op}: label ${s} of sequence ${b} is ${v}, out of range for ${classes} classes (ids 0..${classes - 1}, blank ${blank}); give the logits a class per label plus the blank`);
    }
  }
  const logitLengths = opts.logitLengths === undefined ? new Int32Array(batch).fill(time) : readLengths(op, 'logitLengths', opts.logitLengths, batch, time, 'the time steps of the logits');
  return { batch, time, classes, blank, labels: padded, maxLabel, labelLengths, logitLengths };
}
