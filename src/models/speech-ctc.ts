/**
 * A CRNN for CTC speech recognition (`nb.models.speechCTC`): log-mel features normalised per
 * utterance, strided 1-D convolutions over time, a bidirectional GRU and a per-frame dense layer
 * to the classes and the blank. Padded batches are handled with each sequence's length: the
 * normalisation statistics and the GRU see only the real frames.
 */
import { noGrad } from '../tensor/grad-mode.js';
import { ShapeError, ValueError } from '../tensor/errors.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { Model } from '../model/model.js';
import type { Config } from '../nn/config.js';
import { checkInteger, checkIntegerList, checkNumber, checkSeed } from '../nn/config-check.js';
import { registerLayer } from '../nn/layer-registry.js';
import type { PartialShape } from '../nn/input-shape.js';
import { setMask } from '../nn/mask.js';
import { MelSpectrogram } from '../nn/layers/audio/mel-spectrogram.js';
import { SpecAugment } from '../nn/layers/audio/spec-augment.js';
import { Conv1D } from '../nn/layers/conv.js';
import { Dense } from '../nn/layers/dense.js';
import { Dropout } from '../nn/layers/dropout.js';
import { LayerNormalization } from '../nn/layers/layer-normalization.js';
import { Bidirectional } from '../nn/layers/recurrent/bidirectional.js';
import { GRU } from '../nn/layers/recurrent/gru.js';
import { add, cast, div, mul, sub } from '../ops/binary.js';
import { relu, sqrt } from '../ops/unary.js';
import { sum } from '../ops/reduce.js';
import { pad, transpose } from '../ops/movement.js';
import { zeros } from '../tensor/creation.js';

/** Options of {@link speechCTC}. */
export interface SpeechCTCOptions {
  /** Labels the model reads (digits: 10); the output has one more, the blank, as class 0. */
  classes: number;
  /** Sample rate of the waveforms it takes, in Hz. */
  sampleRate: number;
  /** Mel bands (default 40). */
  nMels?: number;
  /** FFT size (default: the power of two nearest 32 ms; 256 at 8 kHz). */
  nFft?: number;
  /** Samples per analysis window (default 25 ms; 200 at 8 kHz). */
  winLength?: number;
  /** Samples between frames (default 10 ms; 80 at 8 kHz). */
  hopLength?: number;
  /** Filters of the conv layers, one layer each (kernel 5 over zeros 2 frames beyond each end, layer norm, ReLU, padded frames zeroed). Default [96, 96]. */
  filters?: number[];
  /** Each conv layer's stride over time (default 2 for each: the frames are cut by 4). */
  strides?: number[];
  /** Units of each direction of the bidirectional GRU (default 96). */
  units?: number;
  /** Dropout before the output layer in training (default 0.1). */
  dropout?: number;
  /** SpecAugment masks in training: F and T of `SpecAugment`, two masks of each; 0 for none. Default { freq: nMels/8, time: 6 }. */
  specAugment?: { freqMaskParam: number; timeMaskParam: number };
  /** Seed of the augmentation and dropout generators (default: the global generator). */
  seed?: number | null;
  name?: string;
}

/** The conv layers' kernels are 2·HALF_KERNEL + 1 frames wide. */
const HALF_KERNEL = 2;

/** The nearest power of two to `x`. */
const nearestPow2 = (x: number) => 2 ** Math.round(Math.log2(x));

/**
 * A CRNN trained with CTC: waveforms `[batch, samples]` at `sampleRate` → logits
 * `[batch, frames, classes + 1]` (class 0 the blank; softmax them, or give them to
 * `nb.losses.ctc` / `nb.text.ctcDecode`). `frames` is the STFT's `⌊(samples − nFft)/hop⌋ + 1`
 * (not centred) divided by each stride, rounded up ({@link SpeechCTC.outputLengths}). `call` takes every sample as real;
 * `forwardWithLengths` takes each sequence's length, so padding changes nothing.
 *
 * @example
 * const model = nb.models.speechCTC({ classes: 10, sampleRate: 8000 });
 * const { logits, logitLengths } = model.forwardWithLengths(waveforms, lengths, true);
 * const loss = nb.losses.ctc(labels, logits, { logitLengths });
 */
export class SpeechCTC extends Model {
  readonly classes: number;
  readonly sampleRate: number;
  readonly nMels: number;
  readonly nFft: number;
  readonly winLength: number;
  readonly hopLength: number;
  readonly filters: number[];
  readonly strides: number[];
  readonly units: number;
  readonly dropoutRate: number;
  readonly specAugmentParams: { freqMaskParam: number; timeMaskParam: number };
  readonly seed: number | null;
  mel: MelSpectrogram;
  augment: SpecAugment | null;
  convs: Conv1D[];
  norms: LayerNormalization[];
  rnn: Bidirectional;
  dropout: Dropout | null;
  head: Dense;

  constructor(opts: SpeechCTCOptions) {
    super({ name: opts?.name });
    const who = 'speechCTC';
    if (opts === null || typeof opts !== 'object') throw new ValueError(`${who}: expects options { classes, sampleRate, … }`);
    this.classes = checkInteger(who, 'classes', opts.classes, { ge: 1 });
    this.sampleRate = checkInteger(who, 'sampleRate', opts.sampleRate, { ge: 1 });
    this.nMels = checkInteger(who, 'nMels', opts.nMels ?? 40, { ge: 1 });
    this.nFft = checkInteger(who, 'nFft', opts.nFft ?? nearestPow2(0.032 * this.sampleRate), { ge: 2 });
    this.winLength = checkInteger(who, 'winLength', opts.winLength ?? Math.min(this.nFft, Math.round(0.025 * this.sampleRate)), { ge: 1, le: this.nFft });
    this.hopLength = checkInteger(who, 'hopLength', opts.hopLength ?? Math.max(1, Math.round(0.01 * this.sampleRate)), { ge: 1 });
    this.filters = checkIntegerList(who, 'filters', opts.filters ?? [96, 96], { ge: 1 });
    this.strides = checkIntegerList(who, 'strides', opts.strides ?? this.filters.map(() => 2), { ge: 1 }, this.filters.length);
    this.units = checkInteger(who, 'units', opts.units ?? 96, { ge: 1 });
    this.dropoutRate = checkNumber(who, 'dropout', opts.dropout ?? 0.1, { ge: 0, lt: 1 });
    const sa = opts.specAugment ?? { freqMaskParam: Math.round(this.nMels / 8), timeMaskParam: 6 };
    this.specAugmentParams = {
      freqMaskParam: checkInteger(who, 'specAugment.freqMaskParam', sa.freqMaskParam, { ge: 0, le: this.nMels }),
      timeMaskParam: checkInteger(who, 'specAugment.timeMaskParam', sa.timeMaskParam, { ge: 0 }),
    };
    this.seed = checkSeed(who, 'seed', opts.seed);
    const seedPlus = (k: number) => (this.seed === null ? null : this.seed + k);
    this.mel = new MelSpectrogram({ sampleRate: this.sampleRate, nFft: this.nFft, winLength: this.winLength, hopLength: this.hopLength, nMels: this.nMels, center: false, output: 'log' });
    const { freqMaskParam, timeMaskParam } = this.specAugmentParams;
    this.augment = freqMaskParam + timeMaskParam > 0
      ? new SpecAugment({ freqMaskParam, timeMaskParam, freqMasks: freqMaskParam > 0 ? 2 : 0, timeMasks: timeMaskParam > 0 ? 2 : 0, seed: seedPlus(1) })
      : null;
    this.convs = this.filters.map((f, i) => new Conv1D(f, 2 * HALF_KERNEL + 1, { strides: this.strides[i]!, padding: 'valid' }));
    this.norms = this.filters.map(() => new LayerNormalization({ epsilon: 1e-5 }));
    this.rnn = new Bidirectional(new GRU(this.units, { returnSequences: true }));
    this.dropout = this.dropoutRate > 0 ? new Dropout(this.dropoutRate, { seed: seedPlus(2) }) : null;
    this.head = new Dense(this.classes + 1);
    // loadModel builds the model on one sample of this shape: a second of audio
    this.sampleInputShape = [this.sampleRate];
  }

  /** STFT frames of `samples` samples (not centred; a clip shorter than nFft is padded to it). */
  private melFrames(samples: number): number {
    return Math.floor((Math.max(samples, this.nFft) - this.nFft) / this.hopLength) + 1;
  }

  /** Frames of the logits for waveforms of `samples` samples: the STFT's ⌊(samples − nFft)/hop⌋ + 1, then each stride, rounded up. */
  outputLength(samples: number): number {
    let frames = this.melFrames(samples);
    for (const s of this.strides) frames = Math.ceil(frames / s);
    return frames;
  }

  /** {@link SpeechCTC.outputLength} of each waveform length. */
  outputLengths(lengths: Tensor | readonly number[]): number[] {
    const values = lengths instanceof Tensor ? (lengths.toArray() as number[]) : [...lengths];
    return values.map((n) => this.outputLength(n));
  }

  override build(_inputShape?: PartialShape): void {
    noGrad(() => this.forwardWithLengths(zeros([1, this.sampleRate]), null, false));
  }

  call(waveforms: Tensor, training = false): Tensor {
    return this.forwardWithLengths(waveforms, null, training).logits;
  }

  /**
   * Logits of a padded batch: waveform `b` is real up to `lengths[b]` samples (null: all of
   * them). Returns the logits `[batch, frames, classes + 1]` and each sequence's real frames.
   */
  forwardWithLengths(waveforms: Tensor, lengths: Tensor | readonly number[] | null, training = false): { logits: Tensor; logitLengths: number[] } {
    if (!(waveforms instanceof Tensor) || waveforms.ndim !== 2) {
      throw new ShapeError(`${this.describe()}: expects waveforms [batch, samples], got ${waveforms instanceof Tensor ? fmt(waveforms.shape) : typeof waveforms}`);
    }
    const [batch, given] = waveforms.shape as [number, number];
    const lens = lengths === null ? new Array<number>(batch).fill(given) : this.checkLengths(lengths, batch, given);
    // the STFT runs without centring, so a frame reads only real samples: padding cannot change it
    const samples = Math.max(given, this.nFft);
    const wave = samples > given ? pad(waveforms, [[0, 0], [0, samples - given]]) : waveforms;
    let frames = lens.map((n) => this.melFrames(n));
    let x = normalise(this.mel.apply(wave, training), frames);   // [B, nMels, T]
    if (this.augment) x = this.augment.apply(x, training);
    x = transpose(x, [0, 2, 1]);   // [B, T, nMels]
    this.convs.forEach((conv, i) => {
      // zeros on both sides and a 'valid' conv: the same window offsets whatever the padded length (a 'same' conv's depend on its parity)
      const y = relu(this.norms[i]!.apply(conv.apply(pad(x, [[0, 0], [HALF_KERNEL, HALF_KERNEL], [0, 0]]), training), training));
      frames = frames.map((f) => Math.ceil(f / this.strides[i]!));
      x = mul(y, frameMask(frames, y.shape[1]!, this.dtype, 3));
    });
    const logitLengths = frames;
    // the GRU skips padded frames (the backward direction starts at each sequence's own end)
    setMask(x, cast(frameMask(frames, x.shape[1]!, 'int32', 2), 'bool'));
    x = this.rnn.apply(x, training);
    if (this.dropout) x = this.dropout.apply(x, training);
    return { logits: this.head.apply(x, training), logitLengths };
  }

  private checkLengths(lengths: Tensor | readonly number[], batch: number, samples: number): number[] {
    const values = lengths instanceof Tensor ? (lengths.toArray() as number[]) : Array.isArray(lengths) ? [...lengths] : null;
    if (values === null || values.length !== batch || values.some((n) => !Number.isInteger(n) || n < 1 || n > samples)) {
      throw new ValueError(`${this.describe()}: lengths must be ${batch} whole numbers of samples in [1, ${samples}], one per waveform, got ${JSON.stringify(values ?? lengths).slice(0, 80)}`);
    }
    return values;
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return [inputShape[0]!, this.outputLength(inputShape[1]!), this.classes + 1];
  }

  override getConfig(): Config {
    return {
      name: this.name, classes: this.classes, sampleRate: this.sampleRate, nMels: this.nMels, nFft: this.nFft, winLength: this.winLength,
      hopLength: this.hopLength, filters: this.filters, strides: this.strides, units: this.units, dropout: this.dropoutRate,
      specAugment: this.specAugmentParams, seed: this.seed,
    };
  }

  static override fromConfig(config: Config): SpeechCTC {
    return new SpeechCTC(config as unknown as SpeechCTCOptions);
  }
}

registerLayer(SpeechCTC);

/**
 * Each mel band of each sequence to mean 0 and variance 1 over its first `frames[b]` frames (the
 * speaker's and the channel's level and tilt removed); padded frames become 0.
 */
function normalise(feats: Tensor, frames: number[]): Tensor {
  const batch = feats.shape[0]!;
  const mask = frameMask(frames, feats.shape[2]!, feats.dtype === 'float64' ? 'float64' : 'float32', 1);
  const count = cast(new Tensor(Float32Array.from(frames), [batch, 1, 1]), feats.dtype);
  const mean = div(sum(mul(feats, mask), 2, true), count);
  const centred = mul(sub(feats, mean), mask);
  const variance = div(sum(mul(centred, centred), 2, true), count);
  return div(centred, sqrt(add(variance, 1e-5)));
}

/**
 * A CRNN for CTC speech recognition ({@link SpeechCTC}): log-mel features normalised per
 * utterance, SpecAugment in training, strided conv layers, a bidirectional GRU and a dense layer
 * to `classes + 1` outputs per frame, the blank first. Train it with `nb.models.trainSpeechCTC`
 * (or your own loop over `forwardWithLengths` and `nb.losses.ctc`); read it with `transcribe`.
 *
 * @example
 * const model = nb.models.speechCTC({ classes: 10, sampleRate: 8000 });
 */
export function speechCTC(opts: SpeechCTCOptions): SpeechCTC {
  return new SpeechCTC(opts);
}

/** 1 for the first `frames[b]` of `total` frames of sequence b, else 0: `[batch, total]`, with a unit axis at `unitAxis` (1: `[batch, 1, total]`, 3: `[batch, total, 1]`), 2 for none. */
function frameMask(frames: number[], total: number, dtype: 'float32' | 'float64' | 'int32', unitAxis: 1 | 2 | 3): Tensor {
  const values = dtype === 'int32' ? new Int32Array(frames.length * total) : dtype === 'float64' ? new Float64Array(frames.length * total) : new Float32Array(frames.length * total);
  frames.forEach((f, b) => values.fill(1, b * total, b * total + Math.min(f, total)));
  const shape = unitAxis === 1 ? [frames.length, 1, total] : unitAxis === 3 ? [frames.length, total, 1] : [frames.length, total];
  return new Tensor(values, shape);
}
