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
