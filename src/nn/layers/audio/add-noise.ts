import { ShapeError, ValueError } from '../../../tensor/errors.js';
import { allocate, isFloat } from '../../../tensor/dtype.js';
import { fmt } from '../../../tensor/shape.js';
import { defaultGenerator, type Generator } from '../../../tensor/random.js';
import { Tensor } from '../../../tensor/tensor.js';
import { add } from '../../../ops/binary.js';
import { denseData } from '../../../ops/primitives/alloc.js';
import type { Config } from '../../config.js';
import { checkIntegerList, describeValue } from '../../config-check.js';
import { readOptions } from '../../config-options.js';
import { Layer, type LayerOptions } from '../../layer.js';
import type { PartialShape } from '../../input-shape.js';
import { registerLayer } from '../../layer-registry.js';
import { layerGenerator, uniform } from '../augmentation/image-batch.js';

/** Options of `AddNoise`. */
export interface AddNoiseOptions extends LayerOptions {
  /** Signal-to-noise ratio in dB: a number, or `[lo, hi]` to draw each example's uniformly. Required. */
  snrDb: number | readonly [number, number];
  /**
   * Noise clips `[clips, samples]` to draw from (a random clip at a random offset, wrapping
   * around); kept as the layer's non-trainable weight `noise`, so a saved model has them.
   * Default: white Gaussian noise.
   */
  noise?: Tensor | null;
  /** The shape of `noise` (written to the config in its place; its values come from the weights file). */
  noiseShape?: readonly number[] | null;
  /** Seed of this layer's own generator; default: draw from the global one (`nb.manualSeed`). */
  seed?: number | null;
}

/**
 * Additive-noise augmentation of waveforms `[batch, samples]`: in training, each example x gets
 * noise n scaled so that 10·log10(P(x) / P(n)) equals its SNR, drawn uniformly from `snrDb`
 * (P is the mean square over the whole example as given, padding included). The noise is white
 * Gaussian, or a segment of one of the given clips. A silent example (P(x) = 0) is left alone.
 * The identity in inference; the gradient to x is the identity.
 *
 * @example
 * new nn.layers.AddNoise({ snrDb: [5, 30], seed: 0 })   // white noise, 5 to 30 dB below the signal
 */
export class AddNoise extends Layer {
  readonly snrDb: number | [number, number];
  readonly noiseShape: [number, number] | null;
  readonly seed: number | null;
  private readonly generator: Generator | null;
  private noiseValues: Float32Array | null;
  private noise: Tensor | null = null;

  constructor(opts: AddNoiseOptions) {
    super(opts);
    const o = readOptions('AddNoise', opts);
    const snr = opts?.snrDb;
    const pair = typeof snr === 'number' ? [snr, snr] : Array.isArray(snr) && snr.length === 2 ? snr : null;
    if (pair === null || !pair.every((v: unknown) => typeof v === 'number' && Number.isFinite(v)) || pair[0]! > pair[1]!) {
      throw new ValueError(`AddNoise: snrDb must be a number of dB or a pair [lo, hi] with lo ≤ hi, got ${describeValue(snr)}`);
    }
    this.snrDb = typeof snr === 'number' ? snr : [pair[0]!, pair[1]!];
    const clips = opts.noise ?? null;
    if (clips !== null) {
      if (!(clips instanceof Tensor) || clips.ndim !== 2 || clips.shape[0] === 0 || clips.shape[1] === 0 || !isFloat(clips.dtype)) {
        throw new ShapeError(`AddNoise: noise must be a float tensor of clips [clips, samples], at least one non-empty clip, got ${clips instanceof Tensor ? `shape ${fmt(clips.shape)} ${clips.dtype}` : describeValue(clips)}`);
      }
      this.noiseShape = [clips.shape[0]!, clips.shape[1]!];
      this.noiseValues = Float32Array.from(denseData(clips));
    } else {
      const shape = opts.noiseShape === undefined || opts.noiseShape === null ? null : checkIntegerList('AddNoise', 'noiseShape', opts.noiseShape, { ge: 1 }, 2);
      this.noiseShape = shape === null ? null : [shape[0]!, shape[1]!];
      this.noiseValues = null;
    }
    this.seed = o.seed('seed');
    this.generator = layerGenerator('AddNoise', this.seed);
  }

  override build(inputShape: PartialShape): void {
    if (this.noiseShape !== null) {
      this.noise = this.addWeight('noise', this.noiseShape, 'zeros', { trainable: false });
      if (this.noiseValues !== null) this.noise.storage.set(this.noiseValues);
      this.noiseValues = null;
    }
    super.build(inputShape);
  }

  call(inputs: Tensor, training = false): Tensor {
    if (!training) return inputs;
    if (inputs.ndim < 1 || !isFloat(inputs.dtype)) throw new ShapeError(`${this.describe()}: expects float waveforms [batch, samples], got shape ${fmt(inputs.shape)} ${inputs.dtype}`);
    const len = inputs.shape[inputs.ndim - 1]!;
    const x = denseData(inputs);
    const rows = len === 0 ? 0 : x.length / len;
    const out = allocate(inputs.dtype, x.length);
    const g = this.generator ?? defaultGenerator;
    const [lo, hi] = typeof this.snrDb === 'number' ? [this.snrDb, this.snrDb] : this.snrDb;
    for (let r = 0; r < rows; r++) {
      let ps = 0;
      for (let i = r * len; i < (r + 1) * len; i++) ps += x[i]! * x[i]!;
      const snr = uniform(this.generator, lo, hi);
      const seg = this.segment(len, g);
      let pn = 0;
      for (let i = 0; i < len; i++) pn += seg[i]! * seg[i]!;
      if (ps === 0 || pn === 0) continue;
      const scale = Math.sqrt(ps / pn / 10 ** (snr / 10));
      for (let i = 0; i < len; i++) out[r * len + i] = scale * seg[i]!;
    }
    return add(inputs, new Tensor(out, inputs.shape.slice()));
  }

  /** `len` samples of noise: white, or from a random clip at a random offset (wrapping around). */
  private segment(len: number, g: Generator): Float64Array {
    const seg = new Float64Array(len);
    if (this.noise === null) {
      for (let i = 0; i < len; i++) seg[i] = g.normal();
      return seg;
    }
    const [clips, width] = this.noiseShape!;
    const data = denseData(this.noise);
    const clip = Math.min(clips - 1, Math.floor(g.uniform() * clips));
    const start = Math.min(width - 1, Math.floor(g.uniform() * width));
    for (let i = 0; i < len; i++) seg[i] = data[clip * width + ((start + i) % width)]!;
    return seg;
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  override getConfig(): Config {
    return { ...super.getConfig(), snrDb: this.snrDb, noiseShape: this.noiseShape, seed: this.seed };
  }
}

registerLayer(AddNoise);
