/**
 * The audio layers: runLayerTest, values against nb.audio's functions, SpecAugment's masks
 * (training only, shapes of the masked regions, seeded), AddNoise's SNR measured, config errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { layerFromConfig, layers, serializeLayer } from '../../src/nn/index.js';
import { runLayerTest } from './run-layer-test.js';

const wave = (n: number, samples: number, seed = 3) => nb.randn([n, samples], { generator: new nb.Generator(seed) }).mul(0.1);
const maxDiff = (a: nb.Tensor, b: nb.Tensor) => Math.max(...Array.from(a.sub(b).abs().data()));
const MEL = { sampleRate: 8000, nFft: 64, hopLength: 32, nMels: 12 } as const;

test('MelSpectrogram and MFCC pass runLayerTest', () => {
  runLayerTest({ make: () => new layers.MelSpectrogram({ ...MEL, output: 'db' }), input: wave(2, 256), outputShape: [2, 12, 9], trainable: {} });
  runLayerTest({ make: () => new layers.MFCC({ ...MEL, nMfcc: 5 }), input: wave(2, 256), outputShape: [2, 5, 9], trainable: {} });
});

test('MelSpectrogram equals nb.audio.melSpectrogram; db and log outputs per example', () => {
  const x = wave(3, 300);
  const power = new layers.MelSpectrogram(MEL).apply(x);
  assert.ok(maxDiff(power, nb.audio.melSpectrogram(x, MEL)) < 1e-6);
  // dB: each example floored 80 dB below its own maximum, as amplitudeToDb on that clip alone
  const loud = nb.concat([x.slice([[0, 1]]), x.slice([[1, 2]]).mul(1e-5), x.slice([[2, 3]])], 0);
  const db = new layers.MelSpectrogram({ ...MEL, output: 'db' }).apply(loud);
  for (let i = 0; i < 3; i++) {
    const one = nb.audio.amplitudeToDb(nb.audio.melSpectrogram(loud.slice([[i, i + 1]]), MEL), { topDb: 80 });
    assert.ok(maxDiff(db.slice([[i, i + 1]]), one) < 1e-3, `example ${i}`);
  }
  const lg = new layers.MelSpectrogram({ ...MEL, output: 'log', logOffset: 1e-3 }).apply(x);
  assert.ok(maxDiff(lg, nb.audio.melSpectrogram(x, MEL).add(1e-3).log()) < 1e-5);
});

test('MFCC equals nb.audio.mfcc clip by clip', () => {
  const x = wave(2, 400);
  const out = new layers.MFCC({ ...MEL, nMfcc: 6 }).apply(x);
  for (let i = 0; i < 2; i++) {
    const one = nb.audio.mfcc(x.slice([[i, i + 1]]), { ...MEL, nMfcc: 6 });
    assert.ok(maxDiff(out.slice([[i, i + 1]]), one) < 1e-3);
  }
});

test('feature layers refuse bad options by name, in code and from a config', () => {
  assert.throws(() => new layers.MelSpectrogram({ nFft: '256' as unknown as number }), /MelSpectrogram: nFft must be .*string "256"/);
  assert.throws(() => new layers.MelSpectrogram({ nFft: 64, winLength: 128 }), /nFft \(64\) must be at least winLength \(128\)/);
  assert.throws(() => new layers.MelSpectrogram({ output: 'decibel' as 'db' }), /output must be one of/);
  assert.throws(() => new layers.MFCC({ nMels: 10, nMfcc: 13 }), /nMfcc \(13\) cannot exceed nMels \(10\)/);
  const saved = serializeLayer(new layers.MelSpectrogram(MEL));
  assert.throws(() => layerFromConfig({ ...saved, config: { ...saved.config, nfft: 64 } }), /nfft/);
  assert.throws(() => new layers.MelSpectrogram(MEL).apply(nb.zeros([2, 0])), /empty/);
});

test('SpecAugment: identity in inference; in training whole bands and frame ranges set to maskValue, reproducible by seed', () => {
  const x = nb.ones([4, 20, 30]);
  const make = () => new layers.SpecAugment({ freqMaskParam: 5, timeMaskParam: 8, freqMasks: 1, timeMasks: 1, seed: 7 });
  assert.equal(make().apply(x), x);
  const out = make().apply(x, true);
  assert.deepEqual(out.toArray(), make().apply(x, true).toArray(), 'same seed, same masks');
  const rows = out.toArray() as number[][][];
  let masked = 0;
  for (const ex of rows) {
    const fullBands = ex.filter((band) => band.every((v) => v === 0)).length;
    const fullFrames = ex[0]!.map((_, t) => ex.every((band) => band[t] === 0)).filter(Boolean).length;
    assert.ok(fullBands <= 5 && fullFrames <= 8, `masks no wider than F and T (${fullBands}, ${fullFrames})`);
    // every zero lies in a masked band or a masked frame
    ex.forEach((band, f) => band.forEach((v, t) => {
      if (v === 0) assert.ok(band.every((w) => w === 0) || ex.every((b) => b[t] === 0), `zero at ${f},${t} outside the masks`);
    }));
    masked += fullBands + fullFrames;
  }
  assert.ok(masked > 0, 'some mask in four examples');
  const filled = new layers.SpecAugment({ freqMaskParam: 20, freqMasks: 3, timeMasks: 0, maskValue: -2, seed: 1 }).apply(x, true);
  assert.ok(Array.from(filled.data()).every((v) => v === 1 || v === -2));
  assert.ok(Array.from(filled.data()).some((v) => v === -2));
  runLayerTest({ make, input: nb.rand([2, 20, 30]), outputShape: [2, 20, 30], trainable: {} });
});

test('SpecAugment refuses bad options and inputs', () => {
  assert.throws(() => new layers.SpecAugment({ freqMaskParam: -1 }), /SpecAugment: freqMaskParam must be a non-negative integer, got -1/);
  assert.throws(() => new layers.SpecAugment({ timeMaskMaxRatio: 1.5 }), /timeMaskMaxRatio/);
  assert.throws(() => new layers.SpecAugment().apply(nb.ones([3, 4]), true), /expects spectrograms \[batch, freq, frames\]/);
});

/** 10·log10(P(x) / P(noise)) per example. */
function snrs(clean: nb.Tensor, noisy: nb.Tensor): number[] {
  const [n, len] = clean.shape as [number, number];
  const c = clean.data(); const d = noisy.data();
  return Array.from({ length: n }, (_, r) => {
    let ps = 0; let pn = 0;
    for (let i = r * len; i < (r + 1) * len; i++) { ps += c[i]! ** 2; pn += (d[i]! - c[i]!) ** 2; }
    return 10 * Math.log10(ps / pn);
  });
}

test('AddNoise: the measured SNR is the one asked for; identity in inference; seeded', () => {
  const x = wave(6, 2000);
  const fixed = new layers.AddNoise({ snrDb: 12, seed: 1 });
  assert.equal(fixed.apply(x), x);
  for (const s of snrs(x, fixed.apply(x, true))) assert.ok(Math.abs(s - 12) < 1e-3, `snr ${s}`);
  const ranged = snrs(x, new layers.AddNoise({ snrDb: [5, 30], seed: 2 }).apply(x, true));
  assert.ok(ranged.every((s) => s >= 5 - 1e-3 && s <= 30 + 1e-3) && Math.max(...ranged) - Math.min(...ranged) > 1, ranged.join(' '));
  assert.deepEqual(new layers.AddNoise({ snrDb: [5, 30], seed: 2 }).apply(x, true).toArray(), new layers.AddNoise({ snrDb: [5, 30], seed: 2 }).apply(x, true).toArray());
  // a silent clip stays silent
  assert.deepEqual(Array.from(new layers.AddNoise({ snrDb: 0, seed: 1 }).apply(nb.zeros([1, 50]), true).data()), new Array(50).fill(0));
  runLayerTest({ make: () => new layers.AddNoise({ snrDb: [0, 10], seed: 1 }), input: wave(2, 100), outputShape: [2, 100], trainable: {} });
});

test('AddNoise from noise clips: segments of the clips at the asked SNR, the clips kept as a weight through the config', () => {
  const clips = nb.tensor(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 1 : -1)), { shape: [2, 20] });
  const layer = new layers.AddNoise({ snrDb: 6, noise: clips, seed: 4 });
  const x = wave(3, 30);
  const y = layer.apply(x, true);
  for (const s of snrs(x, y)) assert.ok(Math.abs(s - 6) < 1e-3, `snr ${s}`);
  const noise = y.sub(x).data();
  for (let r = 0; r < 3; r++) {
    for (let i = r * 30 + 1; i < (r + 1) * 30; i++) assert.ok(noise[i]! * noise[i - 1]! < 0, 'the alternating clip, scaled');
  }
  assert.deepEqual(layer.getConfig().noiseShape, [2, 20]);
  runLayerTest({ make: () => new layers.AddNoise({ snrDb: 6, noise: clips, seed: 4 }), input: wave(2, 30), outputShape: [2, 30], trainable: {}, nonTrainable: { noise: [2, 20] } });
  assert.throws(() => new layers.AddNoise({ snrDb: [10, 5] }), /AddNoise: snrDb must be a number of dB or a pair \[lo, hi\] with lo ≤ hi/);
  assert.throws(() => new layers.AddNoise({ snrDb: 3, noise: nb.ones([5]) }), /noise must be a float tensor of clips \[clips, samples\]/);
});

test('DurationNormalization: each clip\'s sounding span, hand-worked, resampled to the frames asked for', () => {
  // one band pair, six frames: frames 0-3 sound, 4-5 are the floor (padding after a short word)
  const x = nb.tensor([[[1, 3, 5, 7, -80, -80], [0, 2, 0, 2, -80, -80]]]);
  // 4 sounding frames to 2: output centres at 0.5 and 2.5, the means of frames (0,1) and (2,3)
  assert.deepEqual(new layers.DurationNormalization({ frames: 2 }).apply(x).toArray(), [[[2, 6], [1, 1]]]);
  // to 8: centres at -0.25 (held at frame 0), 0.25, 0.75, …, 3.25 (held at frame 3)
  assert.deepEqual(new layers.DurationNormalization({ frames: 8 }).apply(x).toArray(),
    [[[1, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7], [0, 0.5, 1.5, 1.5, 0.5, 0.5, 1.5, 2]]]);
  // a batch: one clip with leading silence, one silent throughout (kept whole), one that fills every frame
  // (a frame sounds when some band is above the clip's floor: the third clip's first frame does
  // through its second band)
  const batch = nb.tensor([
    [[-50, -50, 4, 8, -50, -50], [-50, -50, -50, -50, -50, -50]],
    [[-9, -9, -9, -9, -9, -9], [-9, -9, -9, -9, -9, -9]],
    [[0, 1, 2, 3, 4, 5], [9, 9, 9, 9, 9, 9]],
  ]);
  assert.deepEqual(new layers.DurationNormalization({ frames: 3 }).apply(batch).toArray(),
    [[[4, 6, 8], [-50, -50, -50]], [[-9, -9, -9], [-9, -9, -9]], [[0.5, 2.5, 4.5], [9, 9, 9]]]);
  // stretch: false moves the span to the first frame, its frames kept, the rest at the clip's floor (cut after `frames`)
  const late = nb.tensor([[[-80, -80, 1, 3, 5, -80], [-80, -80, 0, 2, 0, -80]]]);
  assert.deepEqual(new layers.DurationNormalization({ frames: 5, stretch: false }).apply(late).toArray(), [[[1, 3, 5, -80, -80], [0, 2, 0, -80, -80]]]);
  assert.deepEqual(new layers.DurationNormalization({ frames: 2, stretch: false }).apply(late).toArray(), [[[1, 3], [0, 2]]]);
  const ga = nb.grad((t: nb.Tensor) => new layers.DurationNormalization({ frames: 4, stretch: false }).apply(t).sum())(late);
  // the kept frames once each; the floor (shared among the clip's -80 cells) takes the padding's two frames × two bands
  assert.ok(Math.abs(Array.from(ga.data()).reduce((a, b) => a + b, 0) - 8) < 1e-5);
  assert.deepEqual(Array.from(ga.data()).filter((_, i) => [2, 3, 4, 8, 9, 10].includes(i)), [1, 1, 1, 1, 1, 1]);
  // with one band, the clip's lowest frame is its floor: [0, 1, …, 5] sounds from frame 1 on
  assert.deepEqual(Array.from(new layers.DurationNormalization({ frames: 3 }).apply(nb.tensor([[[0, 1, 2, 3, 4, 5]]])).data(), (v) => Math.round(v * 1e4) / 1e4), [1.3333, 3, 4.6667]);
});

test('DurationNormalization: room noise far below the word is left out of the span (topDb), kept with topDb null', () => {
  // frames 0, 1 and 4 are room noise about 57 dB below the word (frames 2-3), frame 5 is padding at the floor
  const x = nb.tensor([[[-60, -60, 0, 0, -60, -80], [-60, -60, -10, -10, -60, -80]]]);
  assert.deepEqual(new layers.DurationNormalization({ frames: 2 }).apply(x).toArray(), [[[0, 0], [-10, -10]]]);
  // span 0-4: output centres at 0.75 and 3.25
  assert.deepEqual(new layers.DurationNormalization({ frames: 2, topDb: null }).apply(x).toArray(), [[[-60, -15], [-60, -22.5]]]);
  assert.deepEqual(new layers.DurationNormalization({ frames: 2, topDb: 60 }).apply(x).toArray(), [[[-60, -15], [-60, -22.5]]]);
  const config = serializeLayer(new layers.DurationNormalization({ frames: 5, topDb: null }));
  assert.equal((layerFromConfig(config) as InstanceType<typeof layers.DurationNormalization>).topDb, null);
});

test('DurationNormalization: the same word at two tempos gives nearly the same frames; runLayerTest; errors', () => {
  // a "word" whose bands follow smooth curves in time, spoken over 20 frames and over 32 (1.6× slower), padded to 40
  const word = (len: number) => nb.tensor([Array.from({ length: 40 }, (_, t) => (t < len ? 20 * Math.sin((Math.PI * (t + 0.5)) / len) : -80)),
    Array.from({ length: 40 }, (_, t) => (t < len ? 10 * Math.cos((2 * Math.PI * (t + 0.5)) / len) : -80))]).reshape([1, 2, 40]);
  const norm = new layers.DurationNormalization({ frames: 24 });
  const fast = norm.apply(word(20)); const slow = norm.apply(word(32));
  assert.ok(maxDiff(fast, slow) < 0.6, `tempo-normalised frames differ by ${maxDiff(fast, slow)}`);
  assert.ok(maxDiff(word(20), word(32)) > 10, 'the inputs themselves differ');
  runLayerTest({ make: () => new layers.DurationNormalization({ frames: 7 }), input: nb.rand([2, 5, 11]), outputShape: [2, 5, 7], trainable: {} });
  assert.throws(() => new layers.DurationNormalization({} as never), /DurationNormalization: frames \(the output frames, e\.g\. \{ frames: 32 \}\) is required/);
  assert.throws(() => new layers.DurationNormalization({ frames: 0 }), /frames/);
  assert.throws(() => new layers.DurationNormalization({ frames: 4 }).apply(nb.ones([3, 4])), /expects spectrograms \[batch, bands, frames\]/);
  const g = nb.grad((t: nb.Tensor) => new layers.DurationNormalization({ frames: 2 }).apply(t).sum())(nb.tensor([[[1, 3, 5, 7, -80, -80]]]));
  assert.deepEqual(Array.from(g.data()), [0.5, 0.5, 0.5, 0.5, 0, 0], 'each output the mean of two sounding frames; the padding gets no gradient');
});
