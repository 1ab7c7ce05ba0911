/**
 * nb.audio's spectral features by hand-checked values (a tone's bin, batch dims, frame counts),
 * gradcheck in float64 for every op and option path, and the option errors.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { jsBackend } from '../../src/backend/index.js';
import { apply } from '../../src/ops/dispatch.js';
import { peakRelativeError } from './peak-error.js';

/** A copy of x that requires gradients (so the spectral ops take their differentiable path). */
const withGrad = (x: Tensor): Tensor => {
  const c = x.clone();
  c.requiresGrad = true;
  return c;
};
const f64 = (shape: number[], seed: number): Tensor => nb.randn(shape, { dtype: 'float64', generator: new nb.Generator(seed) });

describe('spectrogram values', () => {
  test('a cosine on bin 5 of a 32-point frame: power (N/2)² at bin 5, ~0 elsewhere', () => {
    const n = 32;
    const x = nb.tensor(Array.from({ length: n }, (_, i) => Math.cos((2 * Math.PI * 5 * i) / n)), { dtype: 'float64' });
    const spec = nb.audio.spectrogram(x, { nFft: n, center: false, window: nb.ones([n], { dtype: 'float64' }) });
    assert.deepEqual(spec.shape, [17, 1]);
    const v = spec.data() as Float64Array;
    assert.ok(Math.abs(v[5]! - 256) < 1e-9, `bin 5: ${v[5]}`);
    for (let k = 0; k < 17; k++) if (k !== 5) assert.ok(v[k]! < 1e-18, `bin ${k}: ${v[k]}`);
    // magnitude, and the complex STFT of the same frame: (16, 0) at bin 5
    assert.ok(Math.abs((nb.audio.spectrogram(x, { nFft: n, center: false, power: 1, window: nb.ones([n]) }).data()[5]!) - 16) < 1e-4);
    const z = nb.audio.spectrogram(x, { nFft: n, center: false, power: null, window: nb.ones([n], { dtype: 'float64' }) });
    assert.deepEqual(z.shape, [17, 1, 2]);
    assert.ok(Math.abs(z.data()[10]! - 16) < 1e-12 && Math.abs(z.data()[11]!) < 1e-12);
  });

  test('frame counts follow torchaudio: center pads nFft/2 each side; pad adds zeros first', () => {
    const x = nb.randn([100]);
    assert.deepEqual(nb.audio.spectrogram(x, { nFft: 20 }).shape, [11, 11]); // 1 + (100 + 20 − 20)/10
    assert.deepEqual(nb.audio.spectrogram(x, { nFft: 20, center: false }).shape, [11, 9]); // 1 + ⌊80/10⌋
    assert.deepEqual(nb.audio.spectrogram(x, { nFft: 21, hopLength: 7, pad: 3 }).shape, [11, 16]); // 1 + ⌊(106 + 20 − 21)/7⌋
    assert.deepEqual(nb.audio.spectrogram(x, { nFft: 16, onesided: false, center: false, hopLength: 16 }).shape, [16, 6]);
  });

  test('leading batch dims: each row of [2, 3, time] equals its own spectrogram', () => {
    const x = nb.randn([2, 3, 64], { generator: new nb.Generator(4) });
    const all = nb.audio.melSpectrogram(x, { nFft: 32, nMels: 8, sampleRate: 8000 });
    assert.deepEqual(all.shape, [2, 3, 8, 5]);
    const one = nb.audio.melSpectrogram(nb.slice(x, [1, 2]), { nFft: 32, nMels: 8, sampleRate: 8000 });
    assert.deepEqual(Array.from(nb.slice(all, [1, 2]).contiguous().data()), Array.from(one.data()));
  });

  test('onesided false mirrors the bins: bin N−k is the conjugate of bin k', () => {
    const x = nb.randn([40], { dtype: 'float64', generator: new nb.Generator(5) });
    const spec = nb.audio.spectrogram(x, { nFft: 10, onesided: false, power: null });
    assert.deepEqual(spec.shape, [10, 9, 2]);
    const z = nb.contiguous(spec).data() as Float64Array;
    const frames = 9;
    for (let k = 1; k < 10; k++) {
      for (let t = 0; t < frames; t++) {
        const a = 2 * (k * frames + t);
        const b = 2 * ((10 - k) * frames + t);
        assert.ok(Math.abs(z[a]! - z[b]!) < 1e-12 && Math.abs(z[a + 1]! + z[b + 1]!) < 1e-12);
      }
    }
  });

  test('melFilterbank: HTK triangles peak at most 1; slaney norm scales each by 2 / its width in Hz', () => {
    const htk = nb.audio.melFilterbank({ nFreqs: 201, sampleRate: 16000, nMels: 40, dtype: 'float64' });
    assert.deepEqual(htk.shape, [201, 40]);
    const peaks = nb.max(htk, 0).data() as Float64Array;
    assert.ok(peaks.every((p) => p > 0.5 && p <= 1));
    // with both scales equal the norm is the only difference: its ratio is constant down a column
    const plain = nb.audio.melFilterbank({ nFreqs: 201, sampleRate: 16000, nMels: 40, melScale: 'slaney', dtype: 'float64' });
    const normed = nb.audio.melFilterbank({ nFreqs: 201, sampleRate: 16000, nMels: 40, melScale: 'slaney', norm: 'slaney', dtype: 'float64' });
    const ratio = nb.div(nb.sum(normed, 0), nb.sum(plain, 0)).data() as Float64Array;
    // Slaney's mel of 8 kHz is 15 + ln(8)/(ln(6.4)/27); the 42 points split it evenly, and below
    // 1 kHz (mel 15) a mel is 200/3 Hz, so the first band spans 2 steps: 2·(200/3)·melMax/41 Hz
    const melMax = 15 + Math.log(8) / (Math.log(6.4) / 27);
    const width = (2 * (200 / 3) * melMax) / 41;
    assert.ok(Math.abs(ratio[0]! - 2 / width) < 1e-12, `first band: ${ratio[0]} vs ${2 / width}`);
  });
});

describe('the one-pass power spectrogram (stftPower, used when nothing needs a gradient)', () => {
  test('hand-worked: frames [1,2,3,4] and [2,3,4,5] give |X|² = [100, 8, 4] and [196, 8, 4]', () => {
    const idx = Int32Array.from([0, 1, 2, 3, 1, 2, 3, 4]);
    const x = Float64Array.from([1, 2, 3, 4, 5]);
    const out = new Float64Array(6);
    jsBackend.stftPower(x, 0, 1, 5, 2, 4, idx, Float64Array.from([1, 1, 1, 1]), 2, 1, null, 0, out);
    assert.deepEqual(Array.from(out).map((v) => Math.round(v * 1e9) / 1e9), [100, 8, 4, 196, 8, 4]);
    // |0.5·X|, and a window that keeps only the first two samples: X = [3, 1 − 2i, −1] and [5, 2 − 3i, −1]
    jsBackend.stftPower(x, 0, 1, 5, 2, 4, idx, Float64Array.from([1, 1, 1, 1]), 1, 0.5, null, 0, out);
    assert.deepEqual(Array.from(out).map((v) => Math.round(v * 1e9) / 1e9), [5, Math.round(Math.SQRT2 * 1e9) / 1e9, 1, 7, Math.round(Math.SQRT2 * 1e9) / 1e9, 1]);
    jsBackend.stftPower(x, 0, 1, 5, 2, 4, idx, Float64Array.from([1, 1, 0, 0]), 2, 1, null, 0, out);
    assert.deepEqual(Array.from(out).map((v) => Math.round(v * 1e9) / 1e9), [9, 5, 1, 25, 13, 1]);
    // times a projection [3 bins, 2 cols]: [9, 5, 1]·[[1, 0], [2, 1], [0, 3]] = [19, 8]; [25, 13, 1] → [51, 16]
    const two = new Float64Array(4);
    jsBackend.stftPower(x, 0, 1, 5, 2, 4, idx, Float64Array.from([1, 1, 0, 0]), 2, 1, Float64Array.from([1, 0, 2, 1, 0, 3]), 2, two);
    assert.deepEqual(Array.from(two).map((v) => Math.round(v * 1e9) / 1e9), [19, 8, 51, 16]);
  });

  const optionSets: [string, nb.audio.SpectrogramOptions][] = [
    ['defaults', { nFft: 64 }],
    ['center false, odd nFft, power 1', { nFft: 63, hopLength: 17, center: false, power: 1 }],
    ['constant padding, pad, window shorter than nFft', { nFft: 50, winLength: 40, hopLength: 9, pad: 5, padMode: 'constant' }],
    ['replicate, power 0.5, normalized by the window', { nFft: 32, padMode: 'replicate', power: 0.5, normalized: true }],
    ['circular, frame_length normalisation, hamming', { nFft: 30, padMode: 'circular', normalized: 'frame_length', window: 'hamming' }],
    ['a window tensor', { nFft: 16, window: nb.linspace(0.1, 1, 16) }],
  ];
  for (const [name, opts] of optionSets) {
    test(`equals the differentiable ops: ${name}`, () => {
      for (const dtype of ['float32', 'float64'] as const) {
        const x = nb.randn([2, 3, 300], { dtype, generator: new nb.Generator(11) });
        const fused = nb.noGrad(() => nb.audio.spectrogram(x, opts));
        const composite = nb.audio.spectrogram(withGrad(x), opts);
        assert.ok(composite.requiresGrad, 'the composite path keeps the gradient');
        assert.deepEqual(fused.shape, composite.shape);
        const err = peakRelativeError(fused.data() as Float32Array, composite.detach().data() as Float32Array);
        assert.ok(err < (dtype === 'float32' ? 5e-6 : 1e-12), `${name} ${dtype}: ${err}`);
        // melSpectrogram goes the same way
        const melOpts = { ...opts, power: opts.power ?? 2, sampleRate: 8000, nMels: 10 } as nb.audio.MelSpectrogramOptions;
        const mf = nb.noGrad(() => nb.audio.melSpectrogram(x, melOpts));
        const mc = nb.audio.melSpectrogram(withGrad(x), melOpts).detach();
        assert.ok(peakRelativeError(mf.data() as Float32Array, mc.data() as Float32Array) < (dtype === 'float32' ? 5e-6 : 1e-12), `${name} ${dtype} mel`);
      }
    });
  }

  test('amplitudeToDb without gradients (one decibels pass) equals its differentiable ops: power, magnitude, amin, refValue, topDb, special values', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const base = nb.abs(nb.randn([2, 3, 8, 20], { dtype, generator: new nb.Generator(5) }));
      const v = Array.from(base.data() as ArrayLike<number>);
      v[0] = 0; v[1] = Number.NaN; v[2] = Number.POSITIVE_INFINITY; v[3] = -1; v[4] = 1e-12; v[5] = 1;
      const x = nb.tensor(v, { dtype, shape: base.shape });
      for (const opts of [{}, { stype: 'magnitude' as const }, { amin: 1e-5, refValue: 2 }, { topDb: 30 }, { refValue: 0.5, topDb: 80, stype: 'magnitude' as const }]) {
        const fused = nb.noGrad(() => nb.audio.amplitudeToDb(x, opts));
        const composite = nb.audio.amplitudeToDb(withGrad(x), opts);
        assert.ok(composite.requiresGrad);
        const a = fused.data() as ArrayLike<number>;
        const b = composite.detach().data() as ArrayLike<number>;
        for (let i = 0; i < a.length; i++) {
          const ok = Object.is(a[i], b[i]) || Math.abs(a[i]! - b[i]!) <= (dtype === 'float32' ? 2e-5 : 1e-12) * (1 + Math.abs(b[i]!));
          assert.ok(ok, `${dtype} ${JSON.stringify(opts)} [${i}]: ${a[i]} vs ${b[i]}`);
        }
      }
    }
    // hand-worked: 10·log10(100) = 20 dB, magnitude 20·log10(10) = 20 dB, x below amin → amin
    const y = nb.noGrad(() => nb.audio.amplitudeToDb(nb.tensor([100, 0, 1e-3]), { amin: 1e-2 }));
    assert.deepEqual(Array.from(y.data() as Float32Array).map((d) => Math.round(d * 1e5) / 1e5), [20, -20, -20]);
    assert.throws(() => apply('decibels', [withGrad(nb.ones([2]))], { scale: 1, amin: 1e-10, sub: 0 }), /decibels has no gradient/);
  });

  test('the primitive refuses an input that needs a gradient (it has none), rather than dropping it', () => {
    const x = withGrad(nb.randn([1, 8]));
    assert.throws(
      () => apply('stftPower', [x, nb.ones([4])], { idx: new Int32Array(4), frames: 1, n: 4, power: 2, scale: 1 }),
      /stftPower has no gradient: compute the spectrogram from its differentiable ops/,
    );
  });
});

describe('gradients (float64 gradcheck)', () => {
  const x = f64([2, 30], 1);
  const cases: [string, (t: Tensor) => Tensor][] = [
    ['spectrogram, defaults scaled down (reflect, hann, power 2)', (t) => nb.audio.spectrogram(t, { nFft: 12, hopLength: 4 })],
    ['spectrogram power 1, odd nFft, winLength < nFft', (t) => nb.audio.spectrogram(t, { nFft: 11, winLength: 8, hopLength: 3, power: 1 })],
    ['spectrogram power 0.5, replicate padding, normalized', (t) => nb.audio.spectrogram(t, { nFft: 8, power: 0.5, padMode: 'replicate', normalized: true })],
    ['complex spectrogram (power null), circular padding, two-sided', (t) => nb.audio.spectrogram(t, { nFft: 9, hopLength: 5, power: null, padMode: 'circular', onesided: false })],
    ['spectrogram center false, pad, frame_length norm, hamming', (t) => nb.audio.spectrogram(t, { nFft: 10, center: false, pad: 2, normalized: 'frame_length', window: 'hamming' })],
    ['melSpectrogram', (t) => nb.audio.melSpectrogram(t, { nFft: 16, hopLength: 4, nMels: 5, sampleRate: 8000 })],
    ['melSpectrogram slaney, power 1', (t) => nb.audio.melSpectrogram(t, { nFft: 16, nMels: 4, sampleRate: 8000, norm: 'slaney', melScale: 'slaney', power: 1 })],
    ['mfcc', (t) => nb.audio.mfcc(t, { nFft: 16, hopLength: 4, nMels: 6, nMfcc: 4, sampleRate: 8000 })],
    ['mfcc logMels, norm null', (t) => nb.audio.mfcc(t, { nFft: 16, nMels: 6, nMfcc: 3, sampleRate: 8000, logMels: true, norm: null })],
  ];
  for (const [label, fn] of cases) {
    test(label, () => {
      const r = nb.testing.gradcheck(fn, [x]);
      assert.ok(r.ok, `max error ${r.maxAbsError}`);
    });
  }

  test('amplitudeToDb with topDb: the floor follows each example\'s maximum', () => {
    // powers in [1e-3, 1] (−30…0 dB) with a 20 dB floor: some values clamped, some not
    const p = nb.add(nb.mul(nb.rand([2, 3, 4, 5], { dtype: 'float64', generator: new nb.Generator(2) }), 0.999), 1e-3);
    assert.ok(nb.testing.gradcheck((t) => nb.audio.amplitudeToDb(t, { topDb: 20 }), [p]).ok);
    assert.ok(nb.testing.gradcheck((t) => nb.audio.amplitudeToDb(t, { stype: 'magnitude' }), [p]).ok);
  });
});

describe('amplitudeToDb values', () => {
  test('10·log10 for power, 20·log10 for magnitude, amin and refValue', () => {
    const x = nb.tensor([[1, 10, 100, 0]], { dtype: 'float64' });
    const db = (opts: nb.audio.AmplitudeToDbOptions) => Array.from(nb.audio.amplitudeToDb(x, opts).data()).map((v) => Math.round(v * 1e9) / 1e9);
    assert.deepEqual(db({}), [0, 10, 20, -100]);
    assert.deepEqual(db({ stype: 'magnitude', refValue: 10 }), [-20, 0, 20, -220]);
    assert.deepEqual(db({ amin: 1e-2 }), [0, 10, 20, -20]);
  });

  test('topDb: per example of a 4-D batch, over the whole of a 2-D input (torchaudio)', () => {
    const x = nb.tensor([[[[1, 1e-6]]], [[[1e-4, 1e-8]]]], { dtype: 'float64' });
    const y = Array.from(nb.audio.amplitudeToDb(x, { topDb: 30 }).data()).map((v) => Math.round(v * 1e9) / 1e9);
    assert.deepEqual(y, [0, -30, -40, -70]);
    const flat = Array.from(nb.audio.amplitudeToDb(nb.tensor([[1, 1e-6], [1e-4, 1e-8]], { dtype: 'float64' }), { topDb: 30 }).data());
    assert.deepEqual(flat.map((v) => Math.round(v * 1e9) / 1e9), [0, -30, -30, -30]);
  });
});

describe('option errors', () => {
  const x = nb.randn([1, 400]);
  const cases: [string, () => unknown, RegExp, string?][] = [
    ['nFft < winLength', () => nb.audio.spectrogram(x, { nFft: 100, winLength: 200 }), /nFft \(100\) must be at least winLength \(200\)/],
    ['hop 0', () => nb.audio.spectrogram(x, { hopLength: 0 }), /hopLength must be an integer ≥ 1, got 0/],
    ['a fractional nFft', () => nb.audio.spectrogram(x, { nFft: 40.5 }), /nFft must be an integer ≥ 1, got 40.5/],
    ['unknown window', () => nb.audio.spectrogram(x, { window: 'blackman' as never }), /window must be one of 'hann', 'hamming'; got "blackman"/],
    ['window tensor of the wrong length', () => nb.audio.spectrogram(x, { nFft: 64, window: nb.ones([32]) }), /window must be a 1-D tensor of winLength \(64\) values, got shape \[32\]/, 'ShapeError'],
    ['misspelt option', () => nb.audio.spectrogram(x, { nfft: 64 } as never), /unknown option 'nfft'. Valid: nFft/],
    ['power 0', () => nb.audio.spectrogram(x, { power: 0 }), /power must be > 0/],
    ['unknown padMode', () => nb.audio.spectrogram(x, { padMode: 'edge' as never }), /padMode must be one of 'reflect', 'constant', 'replicate', 'circular'/],
    ['a signal shorter than a frame', () => nb.audio.spectrogram(nb.randn([100]), { nFft: 400, center: false }), /100 samples after padding, fewer than nFft \(400\)/],
    ['reflect padding longer than the signal', () => nb.audio.spectrogram(nb.randn([100]), { nFft: 400 }), /reflect padding of 200 samples .* use padMode 'constant'/],
    ['an int32 waveform', () => nb.audio.spectrogram(nb.zeros([400], { dtype: 'int32' })), /float32 or float64 waveform, got int32/],
    ['an empty waveform', () => nb.audio.spectrogram(nb.zeros([2, 0])), /has no samples/],
    ['nMfcc > nMels', () => nb.audio.mfcc(x, { nMfcc: 50, nMels: 40 }), /nMfcc \(50\) cannot exceed nMels \(40\)/],
    ['dctType 3', () => nb.audio.mfcc(x, { dctType: 3 }), /dctType 3 is not supported; only 2/],
    ['an unknown mel scale', () => nb.audio.melSpectrogram(x, { melScale: 'mel' as never }), /melScale must be one of 'htk', 'slaney'/],
    ['fMin ≥ fMax', () => nb.audio.melFilterbank({ nFreqs: 201, sampleRate: 16000, fMin: 9000 }), /need 0 ≤ fMin < fMax, got fMin 9000 and fMax 8000/],
    ['a missing sampleRate', () => nb.audio.melFilterbank({ nFreqs: 201 } as never), /nFreqs and sampleRate are required/],
    ['a negative topDb', () => nb.audio.amplitudeToDb(x, { topDb: -1 }), /topDb must be ≥ 0 dB, got -1/],
    ['an unknown stype', () => nb.audio.amplitudeToDb(x, { stype: 'energy' as never }), /stype must be one of 'power', 'magnitude'/],
  ];
  for (const [label, call, message, name = 'ValueError'] of cases) {
    test(label, () => assert.throws(call, { name, message }));
  }
});
