/**
 * The speech workloads of issue 15, side by side with torchaudio / PyTorch
 * (bench/peers/audio_models.py computes the same things):
 * - `audio_mel`: log-mel features of a batch of one-second 16 kHz clips (nFft 400, hop 160,
 *   64 HTK mels, power 2, centred with reflect padding, then dB), forward only, nothing recorded;
 * - `audio_crnn`: one training step of a small CRNN with CTC on padded 8 kHz clips of different
 *   lengths (log-mel 40 → Conv1D 64 k5 s2 relu ×2 → BiGRU 96 over each clip's own frames → dense
 *   11 → CTC, Adam).
 * The waveforms and labels come from formulas both sides repeat, so no file is needed.
 */
import * as nb from '../../src/index.js';
import type { Params } from '../harness.js';
import { ALL_THREADS, num, same, type Case, type ContenderName, type Plan, type Workload } from './types.js';

const { Conv1D, Bidirectional, GRU, Dense } = nb.layers;

/** The sizes of both workloads (peers/audio_models.py receives them as parameters). */
export const AUDIO = {
  mel: { batch: 32, sampleRate: 16_000, samples: 16_000, nFft: 400, hop: 160, nMels: 64 },
  crnn: { batch: 16, sampleRate: 8_000, samples: 8_000, nFft: 256, win: 200, hop: 80, nMels: 40, filters: 64, units: 96, classes: 11 },
} as const;

/**
 * `batch` clips of `samples` samples: clip b is a tone of 150 + 37·b Hz whose loudness swells at
 * 3 Hz, plus a small deterministic ripple — speech-like levels without randomness to repeat.
 */
export function clips(batch: number, samples: number, sampleRate: number): nb.Tensor {
  const x = new Float32Array(batch * samples);
  for (let b = 0; b < batch; b++) {
    const f = 150 + 37 * b;
    for (let t = 0; t < samples; t++) {
      const s = t / sampleRate;
      x[b * samples + t] = 0.3 * (0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * s)) * Math.sin(2 * Math.PI * f * s) + 0.01 * Math.sin(0.7 * t * t);
    }
  }
  return nb.tensor(x).reshape([batch, samples]);
}

/** Real samples of clip b in the CRNN batch: half a second to a second. */
export function clipLength(b: number, samples: number): number {
  return samples / 2 + ((b * 1237) % (samples / 2 + 1));
}

/** Labels of clip b: 1 + (b mod 7) digits, ids 1…10 (0 is the blank). */
export function clipLabels(b: number): number[] {
  return Array.from({ length: 1 + (b % 7) }, (_, i) => 1 + ((b * 3 + i * 7) % 10));
}

function threadCases(make: (threads: number) => Case): Case[] {
  return [...new Set([ALL_THREADS, 1])].map(make);
}

function plan(contender: ContenderName, c: Case): Plan | undefined {
  if (contender === 'nabla' || contender === 'torch') return same(c);
  return undefined;
}

/** The log-mel call of `audio_mel`: torchaudio's MelSpectrogram then AmplitudeToDB, without recording. */
function setupMel(params: Params): () => nb.Tensor {
  const sampleRate = num(params, 'sampleRate');
  const x = clips(num(params, 'batch'), num(params, 'samples'), sampleRate);
  const opts = { sampleRate, nFft: num(params, 'nFft'), hopLength: num(params, 'hop'), nMels: num(params, 'nMels') };
  const call = () => nb.noGrad(() => nb.audio.amplitudeToDb(nb.audio.melSpectrogram(x, opts)));
  call();
  return call;
}

/** The CRNN of `audio_crnn`: log-mel (dB) → two strided Conv1D + relu → BiGRU over each clip's frames → dense. */
class Crnn extends nb.Model {
  readonly p: Params;
  conv1: nb.Layer;
  conv2: nb.Layer;
  rnn: nb.Layer;
  head: nb.Layer;

  constructor(p: Params) {
    super();
    this.p = p;
    // explicit padding of 2 on both sides, as PyTorch's Conv1d(padding=2): ⌈frames/2⌉ out
    this.conv1 = new Conv1D(num(p, 'filters'), 5, { strides: 2, padding: 2, activation: 'relu' });
    this.conv2 = new Conv1D(num(p, 'filters'), 5, { strides: 2, padding: 2, activation: 'relu' });
    this.rnn = new Bidirectional(new GRU(num(p, 'units'), { returnSequences: true }));
    this.head = new Dense(num(p, 'classes'));
  }

  /** Frames of the logits for a clip of n real samples: STFT frames (not centred), halved twice, rounded up. */
  frames(n: number): number {
    const stft = Math.floor((n - num(this.p, 'nFft')) / num(this.p, 'hop')) + 1;
    return Math.ceil(Math.ceil(stft / 2) / 2);
  }

  /** Every sample real. */
  call(wave: nb.Tensor): nb.Tensor {
    return this.forward(wave, new Array<number>(wave.shape[0]!).fill(this.frames(wave.shape[1]!)));
  }

  /** Logits `[batch, frames, classes]` of a padded batch; `frames`: each clip's real frames of the output. */
  forward(wave: nb.Tensor, frames: number[]): nb.Tensor {
    const p = this.p;
    const mel = nb.audio.melSpectrogram(wave, {
      sampleRate: num(p, 'sampleRate'), nFft: num(p, 'nFft'), winLength: num(p, 'win'), hopLength: num(p, 'hop'), nMels: num(p, 'nMels'), center: false,
    });
    const feats = nb.transpose(nb.audio.amplitudeToDb(mel), [0, 2, 1]); // [B, T, mels]
    const x = this.conv2.apply(this.conv1.apply(feats));
    // the GRU reads each clip's own frames (its backward direction starts at the clip's end)
    const steps = x.shape[1]!;
    const mask = nb.tensor(frames.flatMap((f) => Array.from({ length: steps }, (_, t) => (t < f ? 1 : 0))), { dtype: 'bool' }).reshape([frames.length, steps]);
    nb.setMask(x, mask);
    return this.head.apply(this.rnn.apply(x));
  }
}

/** One CTC training step of the CRNN on the fixed padded batch: forward, loss, backward, Adam. */
function setupCrnn(params: Params): () => number {
  const batch = num(params, 'batch');
  const samples = num(params, 'samples');
  const wave = clips(batch, samples, num(params, 'sampleRate'));
  const lengths = Array.from({ length: batch }, (_, b) => clipLength(b, samples));
  // silence after each clip's end: the padding of a real batch
  const keep = nb.tensor(lengths.flatMap((n) => Array.from({ length: samples }, (_, t) => (t < n ? 1 : 0)))).reshape([batch, samples]);
  const x = nb.mul(wave, keep);
  const labels = Array.from({ length: batch }, (_, b) => clipLabels(b));
  const width = Math.max(...labels.map((l) => l.length));
  const labelTensor = nb.tensor(labels.flatMap((l) => [...l, ...new Array<number>(width - l.length).fill(-1)]), { dtype: 'int32' }).reshape([batch, width]);
  nb.manualSeed(0);
  const model = new Crnn(params);
  const frames = lengths.map((n) => model.frames(n));
  let opt: nb.optim.Adam | undefined;
  const step = (): number => {
    const logits = model.forward(x, frames);
    const loss = nb.losses.ctc(labelTensor, logits, { logitLengths: frames });
    opt ??= new nb.optim.Adam(model.trainableWeights, { learningRate: 1e-3 });
    loss.backward();
    opt.step();
    opt.zeroGrad();
    return loss.item();
  };
  step();
  step();
  return step;
}

/** Log-mel features of one-second 16 kHz clips. */
export const audioMel: Workload = {
  name: 'audio_mel',
  title: 'Log-mel features',
  unit: { label: 'clips/s', kind: 'rate', scale: 1 },
  about: `melSpectrogram + amplitudeToDb of ${AUDIO.mel.batch} one-second 16 kHz clips per call (nFft 400, hop 160, 64 HTK mels, power 2, centred, reflect padding; 101 frames a clip), forward only without recording (nabla: nb.noGrad; PyTorch: torchaudio.transforms.MelSpectrogram + AmplitudeToDB under torch.no_grad).`,
  // ten calls: nabla's JIT needs four before its calls settle (30–70 ms, then ~5 ms)
  warmup: 10,
  targetSeconds: 0.5,
  // a second between samples: each nabla sample allocates ~150 MB of short-lived arrays, and
  // V8's background GC threads working them off for a while after it made PyTorch's two OpenMP
  // threads wait at every barrier (torchaudio at 2 threads measured 860–890 clips/s with 100 ms
  // pauses in three runs, 4,800–5,700 alone or after a 1 s pause)
  pauseMs: 1000,
  cases: () => threadCases((threads) => ({
    label: `${AUDIO.mel.batch} clips, ${threads} thread${threads === 1 ? '' : 's'}`,
    params: { ...AUDIO.mel, threads },
    work: AUDIO.mel.batch,
  })),
  plan,
  setupNabla: setupMel,
};

/** One CTC training step of a small CRNN. */
export const audioCrnn: Workload = {
  name: 'audio_crnn',
  title: 'CRNN + CTC training step',
  unit: { label: 'steps/s', kind: 'rate', scale: 1 },
  about: `batch ${AUDIO.crnn.batch} of 8 kHz clips padded to 1 s (0.5–1 s real): log-mel 40 (nFft 256, window 200, hop 80, not centred, dB) → Conv1D 64 k5 s2 relu ×2 → bidirectional GRU 96 over each clip's real frames → dense 11 → CTC (mean) on 1–7 labels, Adam lr 1e-3 (nabla: a Model subclass, GRU with a frame mask, nb.losses.ctc, a hand step; PyTorch: NCL Conv1d, nn.GRU on packed sequences, F.ctc_loss).`,
  warmup: 1,
  targetSeconds: 1,
  pauseMs: 200,
  cases: () => threadCases((threads) => ({
    label: `batch ${AUDIO.crnn.batch}, ${threads} thread${threads === 1 ? '' : 's'}`,
    params: { ...AUDIO.crnn, threads },
    work: 1,
  })),
  plan,
  setupNabla: setupCrnn,
};
