import { DTypeError, ShapeError, ValueError } from '../../../tensor/errors.js';
import { fmt, normalizeAxis } from '../../../tensor/shape.js';
import { Tensor } from '../../../tensor/tensor.js';
import { allocate, isFloat } from '../../../tensor/dtype.js';
import { add, mul } from '../../../ops/binary.js';
import { concat, slice } from '../../../ops/movement.js';
import { neg } from '../../../ops/unary.js';
import type { Config } from '../../config.js';
import { checkNumber } from '../../config-check.js';
import { readOptions } from '../../config-options.js';
import { Layer, type LayerOptions } from '../../layer.js';
import { registerLayer } from '../../layer-registry.js';

/** Settings of the rotary position embedding. */
export interface RotaryOptions {
  /** Position of the first step along the sequence axis (default 0; the cache length when decoding). */
  startIndex?: number;
  /** The axis of positions (default 1: `[batch, time, …, features]`; use 2 for `[batch, heads, time, dim]`). */
  sequenceAxis?: number;
  /** The longest wavelength (default 10000). */
  maxWavelength?: number;
  /** Positions are divided by it (default 1; > 1 stretches the context, "linear scaling"). */
  scalingFactor?: number;
}

/**
 * Rotary position embedding (RoPE, Su et al. 2021) of `x` whose last axis holds the features:
 * feature pairs `(c, c + D/2)` at position p are rotated by the angle `p·θ_c`, with
 * `θ_c = maxWavelength^(−2c/D)` (the "rotate half" layout of GPT-NeoX, LLaMA and keras-hub):
 * `y = x·cos + rotateHalf(x)·sin`, `rotateHalf([x₁, x₂]) = [−x₂, x₁]`. Applied to queries and
 * keys, their dot product depends only on the distance between positions.
 *
 * @example
 * applyRotaryEmbedding(q, { sequenceAxis: 2, startIndex: cache.length })   // q [batch, heads, time, dim]
 */
export function applyRotaryEmbedding(x: Tensor, opts: RotaryOptions = {}): Tensor {
  const op = 'applyRotaryEmbedding';
  if (!(x instanceof Tensor)) throw new ValueError(`${op}: expected a Tensor`);
  if (!isFloat(x.dtype)) throw new DTypeError(`${op}: expects float inputs, got ${x.dtype}`);
  if (x.ndim < 2) throw new ShapeError(`${op}: expects inputs with a sequence axis and a feature axis, got shape ${fmt(x.shape)}`);
  const seqAxis = normalizeAxis(op, opts.sequenceAxis ?? 1, x.ndim);
  const d = x.shape[x.ndim - 1]!;
  if (seqAxis === x.ndim - 1) throw new ValueError(`${op}: the sequence axis must not be the feature (last) axis`);
  if (d % 2 !== 0) throw new ShapeError(`${op}: the feature size must be even (pairs are rotated), got ${d} in shape ${fmt(x.shape)}`);
  const start = opts.startIndex ?? 0;
  const wavelength = checkNumber(op, 'maxWavelength', opts.maxWavelength ?? 10000, { gt: 0 });
  const scaling = checkNumber(op, 'scalingFactor', opts.scalingFactor ?? 1, { gt: 0 });
  if (!Number.isInteger(start) || start < 0) throw new ValueError(`${op}: startIndex must be a non-negative integer, got ${start}`);
  const t = x.shape[seqAxis]!;
  const half = d / 2;
  const cos = allocate(x.dtype, t * d);
  const sin = allocate(x.dtype, t * d);
  for (let p = 0; p < t; p++) {
    for (let c = 0; c < half; c++) {
      const angle = ((start + p) / scaling) * wavelength ** ((-2 * c) / d);
      cos[p * d + c] = cos[p * d + c + half] = Math.cos(angle);
      sin[p * d + c] = sin[p * d + c + half] = Math.sin(angle);
    }
  }
  // [t, d] laid along (sequence axis, last axis), size 1 elsewhere, to broadcast
  const tableShape = x.shape.map((n, i) => (i === seqAxis ? t : i === x.ndim - 1 ? d : 1));
  const lead = x.shape.slice(0, -1).map(() => null);
  const x1 = slice(x, [...lead, [0, half]]);
  const x2 = slice(x, [...lead, [half, d]]);
  const rotated = concat([neg(x2), x1], x.ndim - 1);
  return add(mul(x, new Tensor(cos, tableShape)), mul(rotated, new Tensor(sin, tableShape)));
}

/** Options of `RotaryEmbedding`. */
export interface RotaryEmbeddingOptions extends LayerOptions {
  /** Default 10000. */
  maxWavelength?: number;
  /** Default 1. */
  scalingFactor?: number;
  /** Default 1 (`[batch, time, …, features]`). */
  sequenceAxis?: number;
}

/**
 * Rotary position embedding as a layer (see `applyRotaryEmbedding`; keras-hub's
 * `RotaryEmbedding`): `apply(x)` rotates positions from 0, `rotate(x, start)` from `start`
 * (the cache length when decoding). No weights.
 *
 * @example
 * const rope = new nn.layers.RotaryEmbedding({ sequenceAxis: 2 });
 * const [qr, kr] = [rope.rotate(q, offset), rope.rotate(k, offset)];
 */
export class RotaryEmbedding extends Layer {
  readonly maxWavelength: number;
  readonly scalingFactor: number;
  readonly sequenceAxis: number;

  constructor(opts: RotaryEmbeddingOptions = {}) {
    super(opts);
    const o = readOptions('RotaryEmbedding', opts);
    this.maxWavelength = o.number('maxWavelength', 10000, { gt: 0 });
    this.scalingFactor = o.number('scalingFactor', 1, { gt: 0 });
    this.sequenceAxis = o.integer('sequenceAxis', 1);
  }

  call(x: Tensor): Tensor {
    return this.rotate(x, 0);
  }

  /** `x` with positions `startIndex …` along the sequence axis rotated into its features. */
  rotate(x: Tensor, startIndex = 0): Tensor {
    return applyRotaryEmbedding(x, { startIndex, sequenceAxis: this.sequenceAxis, maxWavelength: this.maxWavelength, scalingFactor: this.scalingFactor });
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  override getConfig(): Config {
    return { ...super.getConfig(), maxWavelength: this.maxWavelength, scalingFactor: this.scalingFactor, sequenceAxis: this.sequenceAxis };
  }
}

registerLayer(RotaryEmbedding);
