/**
 * Decibels, torchaudio's `AmplitudeToDB` (librosa's `power_to_db` / `amplitude_to_db`).
 */
import { ValueError } from '../tensor/errors.js';
import { isFloat } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { maximum, mul, sub } from '../ops/binary.js';
import { log } from '../ops/unary.js';
import { max } from '../ops/reduce.js';
import { reshape } from '../ops/movement.js';
import { clamp } from '../ops/binary.js';
import { checkKeys, choiceOption, numberOption } from './spectral-options.js';
import { apply } from '../ops/dispatch.js';
import { isGradEnabled } from '../tensor/grad-mode.js';

/** Options of `amplitudeToDb`. */
export interface AmplitudeToDbOptions {
  /** 'power' (default): 10·log10; 'magnitude': 20·log10. */
  stype?: 'power' | 'magnitude';
  /** Floor at this many dB below each example's maximum; null (default) for none. */
  topDb?: number | null;
  /** Values below this are raised to it before the log. Default 1e-10. */
  amin?: number;
  /** The reference that maps to 0 dB. Default 1. */
  refValue?: number;
}

/**
 * `multiplier·log10(max(x, amin)) − multiplier·log10(max(amin, refValue))`, multiplier 10 for
 * power and 20 for magnitude. With `topDb`, values below (max − topDb) are raised to it, the max
 * taken as torchaudio does: over the last three dims of a tensor with more than two (so one
 * `[channels, freq, frames]` example's channels share it), over the whole of a 2-D one.
 *
 * @example
 * nb.audio.amplitudeToDb(mel, { topDb: 80 })   // log-mel features in dB, 80 dB of range
 */
export function amplitudeToDb(x: Tensor, opts: AmplitudeToDbOptions = {}): Tensor {
  const who = 'amplitudeToDb';
  checkKeys(who, opts, ['stype', 'topDb', 'amin', 'refValue']);
  if (!(x instanceof Tensor) || !isFloat(x.dtype)) throw new ValueError(`${who}: x must be a float tensor of powers or magnitudes`);
  const stype = choiceOption(who, 'stype', opts.stype, ['power', 'magnitude'] as const, 'power');
  const amin = numberOption(who, 'amin', opts.amin, 1e-10);
  if (amin <= 0) throw new ValueError(`${who}: amin must be > 0 (the floor before the log), got ${amin}`);
  const refValue = numberOption(who, 'refValue', opts.refValue, 1);
  const topDb = opts.topDb === null ? null : opts.topDb === undefined ? null : numberOption(who, 'topDb', opts.topDb, 0);
  if (topDb !== null && topDb < 0) throw new ValueError(`${who}: topDb must be ≥ 0 dB, got ${topDb}`);
  const multiplier = stype === 'power' ? 10 : 20;
  // multiplier·log10(v) = (multiplier / ln 10)·ln(v)
  const offset = multiplier * Math.log10(Math.max(amin, refValue));
  let db: Tensor;
  if (isGradEnabled() && x.requiresGrad) {
    const scaled = mul(log(clamp(x, amin)), multiplier / Math.LN10);
    db = offset === 0 ? scaled : sub(scaled, offset);
  } else {
    // nothing to differentiate: floor, log, scale and reference in one pass
    db = apply('decibels', [x], { scale: multiplier / Math.LN10, amin, sub: offset });
  }
  if (topDb === null) return db;
  if (x.ndim < 2) throw new ValueError(`${who}: topDb needs at least 2 dims [..., freq, frames], got shape [${x.shape.join(',')}]`);
  const shape = x.shape;
  const examples = reshape(db, [-1, x.ndim > 2 ? shape[x.ndim - 3]! : 1, shape[x.ndim - 2]!, shape[x.ndim - 1]!]);
  const floor = sub(max(examples, [1, 2, 3], true), topDb);
  db = reshape(maximum(examples, floor), shape);
  return db;
}
