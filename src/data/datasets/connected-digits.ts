/**
 * Connected digits: utterances of several spoken digits in a row, made from single-digit clips
 * (FSDD) for training and testing CTC models. The sequences are drawn from a seed, so a training
 * set and a test set are reproducible from the clips and a number.
 */
import { checkInteger, checkNumber } from '../../nn/config-check.js';
import { denseData } from '../../ops/primitives/alloc.js';
import { ShapeError, ValueError } from '../../tensor/errors.js';
import { Generator } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import type { AudioData } from './audio-folder.js';

/** Options of {@link connectedDigits}. */
export interface ConnectedDigitsOptions {
  /** Sequences to make. */
  count: number;
  /** Fewest clips per sequence (default 1). */
  minDigits?: number;
  /** Most clips per sequence (default 7). */
  maxDigits?: number;
  /**
   * Seconds of silence before the first clip, between clips and after the last, each drawn
   * uniformly from `[lo, hi]` (default [0.05, 0.3]).
   */
  gapSeconds?: readonly [number, number];
  /**
   * Signal-to-noise ratio of the white background noise in dB, drawn per sequence uniformly from
   * `[lo, hi]`, or null for none (default [10, 30]). The signal's power is the mean square of the
   * whole sequence, gaps included; the noise covers the whole sequence too.
   */
  noiseSnrDb?: readonly [number, number] | null;
  /** Seed of the draws (default 0). The noise comes from its own stream, so the same seed with `noiseSnrDb: null` gives the same sequences without noise. */
  seed?: number;
}

/** The sequences {@link connectedDigits} makes. */
export interface ConnectedDigits {
  /** float32 `[count, maxSamples]`: the sequences, zero-padded at the end. */
  waveforms: Tensor;
  /** int32 `[count]`: each sequence's samples before the padding. */
  lengths: Tensor;
  /** int32 `[count, maxDigits]`: each sequence's classes, clip class k → k + 1 (0 is CTC's blank), padded with -1. */
  labels: Tensor;
  /** int32 `[count]`: each sequence's number of labels. */
  labelLengths: Tensor;
  /** The positions (in the given clips) of each sequence's clips, in order. */
  clips: number[][];
  /** The SNR in dB each sequence's noise was scaled to (NaN where there is none). */
  snrDb: number[];
  /** The names of the classes 1, 2, … (the clips' classNames; class 0 is the blank). */
  classNames: string[];
  sampleRate: number;
}

/** A `[lo, hi]` pair of finite numbers with lo ≤ hi (and lo ≥ `min`). */
function checkRange(who: string, option: string, value: unknown, min = -Infinity): [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === 'number' && Number.isFinite(v)) || value[0] > value[1] || value[0] < min) {
    throw new ValueError(`${who}: ${option} must be a pair [lo, hi] of numbers with ${min === -Infinity ? '' : `${min} ≤ `}lo ≤ hi, got ${JSON.stringify(value)}`);
  }
  return [value[0] as number, value[1] as number];
}

/**
 * Makes `count` connected-digit utterances from single-digit clips (as `audioFolder` reads FSDD):
 * each joins 1–7 clips drawn uniformly at random (their `lengths` samples, without the padding),
 * with a random silence before, between and after them, then adds white background noise at a
 * random SNR. Labels follow CTC's convention: clip class k becomes k + 1, 0 is the blank, so a
 * model over them has `classNames.length + 1` outputs. Make training sequences from the training
 * clips and test sequences from the test clips (`splitAudio(fsdd, 'fsdd')`), so that no recording
 * is in both.
 *
 * @example
 * const fsdd = nb.datasets.audioFolder('fsdd', { sampleRate: 8000 });
 * const { train, test } = nb.datasets.splitAudio(fsdd, 'fsdd');
 * const seqs = nb.datasets.connectedDigits(train, { count: 3000, seed: 1 });
 * seqs.labels   // int32 [3000, 7], e.g. [4, 10, 1, -1, …] for "3 9 0"
 */
export function connectedDigits(clips: AudioData, opts: ConnectedDigitsOptions): ConnectedDigits {
  const who = 'connectedDigits';
  if (opts === null || typeof opts !== 'object') throw new ValueError(`${who}: expects options { count, … }`);
  const count = checkInteger(who, 'count', opts.count, { ge: 1 });
  const minDigits = checkInteger(who, 'minDigits', opts.minDigits ?? 1, { ge: 1 });
  const maxDigits = checkInteger(who, 'maxDigits', opts.maxDigits ?? 7, { ge: 1 });
  if (minDigits > maxDigits) throw new ValueError(`${who}: minDigits (${minDigits}) must not exceed maxDigits (${maxDigits})`);
  const [gapLo, gapHi] = checkRange(who, 'gapSeconds', opts.gapSeconds ?? [0.05, 0.3], 0);
  const snr = opts.noiseSnrDb === null ? null : checkRange(who, 'noiseSnrDb', opts.noiseSnrDb ?? [10, 30]);
  const seed = checkNumber(who, 'seed', opts.seed ?? 0);
  const { waveforms, lengths, labels, sampleRate } = clips;
  if (!(waveforms instanceof Tensor) || waveforms.ndim !== 2) throw new ShapeError(`${who}: clips.waveforms must be [clips, samples], as audioFolder returns them`);
  const n = waveforms.shape[0]!;
  const width = waveforms.shape[1]!;
  if (n === 0) throw new ValueError(`${who}: no clips to join; pass the clips of a non-empty split`);
  const wave = denseData(waveforms);
  const lens = denseData(lengths);
  const classes = denseData(labels);

  // the structure and the noise have their own streams (see `seed`)
  const g = new Generator(seed);
  const noiseGen = new Generator(seed + 0x9e3779b9);
  const gap = () => Math.round((gapLo + (gapHi - gapLo) * g.uniform()) * sampleRate);
  const plans = Array.from({ length: count }, () => {
    const k = g.int(minDigits, maxDigits + 1);
    const picked = Array.from({ length: k }, () => g.int(0, n));
    const gaps = Array.from({ length: k + 1 }, gap);
    const total = gaps.reduce((a, b) => a + b, 0) + picked.reduce((a, i) => a + lens[i]!, 0);
    return { picked, gaps, total };
  });
  const longest = Math.max(...plans.map((p) => p.total));
  const out = new Float32Array(count * longest);
  const labelOut = new Int32Array(count * maxDigits).fill(-1);
  const snrOut: number[] = [];
  plans.forEach((p, s) => {
    let at = s * longest + p.gaps[0]!;
    p.picked.forEach((i, j) => {
      out.set(wave.subarray(i * width, i * width + lens[i]!), at);
      at += lens[i]! + p.gaps[j + 1]!;
      labelOut[s * maxDigits + j] = classes[i]! + 1;
    });
    snrOut.push(snr === null ? NaN : addNoise(out.subarray(s * longest, s * longest + p.total), snr, noiseGen));
  });
  return {
    waveforms: new Tensor(out, [count, longest]),
    lengths: new Tensor(Int32Array.from(plans, (p) => p.total), [count]),
    labels: new Tensor(labelOut, [count, maxDigits]),
    labelLengths: new Tensor(Int32Array.from(plans, (p) => p.picked.length), [count]),
    clips: plans.map((p) => p.picked),
    snrDb: snrOut,
    classNames: [...clips.classNames],
    sampleRate,
  };
}

/** Adds white Gaussian noise to `x` in place at an SNR drawn from `[lo, hi]`; returns that SNR. */
function addNoise(x: Float32Array, [lo, hi]: [number, number], g: Generator): number {
  const snr = lo + (hi - lo) * g.uniform();
  const noise = new Float64Array(x.length);
  let ps = 0;
  let pn = 0;
  for (let i = 0; i < x.length; i++) {
    noise[i] = g.normal();
    ps += x[i]! * x[i]!;
    pn += noise[i]! * noise[i]!;
  }
  // a silent sequence has no level to set the noise against; it stays silent
  if (ps === 0 || pn === 0) return snr;
  const scale = Math.sqrt(ps / pn / 10 ** (snr / 10));
  for (let i = 0; i < x.length; i++) x[i] = x[i]! + scale * noise[i]!;
  return snr;
}
