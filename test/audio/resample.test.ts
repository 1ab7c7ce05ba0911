// nb.audio.resample equals torchaudio.functional.resample (0.13; fixtures from
// scripts/fixtures/resample.py) in float32 and float64, on leading batch dims, and has a gradient.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resample, type ResampleOptions, type ResamplingMethod } from '../../src/audio/index.js';
import { tensor, randn } from '../../src/tensor/creation.js';
import { DTypeError, ValueError } from '../../src/tensor/errors.js';
import { gradcheck } from '../../src/testing/index.js';
import { sum, mul } from '../../src/index.js';

interface Case {
  origFreq: number;
  newFreq: number;
  options: { lowpass_filter_width?: number; rolloff?: number; resampling_method?: string; beta?: number };
  inputShape: number[];
  input: number[];
  outputShape: number[];
  float32: number[];
  float64: number[];
}
const cases = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/audio/resample.json', import.meta.url)), 'utf8')) as Case[];
const optionsOf = (c: Case): ResampleOptions => ({
  lowpassFilterWidth: c.options.lowpass_filter_width,
  rolloff: c.options.rolloff,
  resamplingMethod: c.options.resampling_method as ResamplingMethod | undefined,
  beta: c.options.beta,
});

test('equals torchaudio.functional.resample within 1e-5: 8k↔16k, 44.1k↔16k, 16k→12k, 48k→16k; several filter widths, rolloffs, Kaiser windows; batch dims', () => {
  assert.equal(cases.length, 8);
  for (const c of cases) {
    const label = `${c.origFreq}→${c.newFreq} ${JSON.stringify(c.options)}`;
    for (const dtype of ['float32', 'float64'] as const) {
      const x = tensor(c.input, { shape: c.inputShape, dtype });
      const y = resample(x, c.origFreq, c.newFreq, optionsOf(c));
      assert.deepEqual(y.shape, c.outputShape, label);
      assert.equal(y.dtype, dtype, label);
      const got = y.data();
      const worst = (want: number[]) => want.reduce((w, v, i) => Math.max(w, Math.abs(got[i]! - v)), 0);
      const scale = c.float64.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      // against torchaudio in float64: the same filters up to rounding. In float32 ours are
      // computed in float64 and rounded once; torchaudio's are computed in float32, which costs
      // it up to 1.2e-5 at 44.1k → 16k (441 phases), so ours are the nearer to the exact result
      // (torchaudio 0.13 computes the Kaiser window's i0(beta) in float32 even for float64 input:
      // 2-3e-7 off, relative)
      const kaiser = c.options.resampling_method === 'kaiser_window';
      assert.ok(worst(c.float64) < (dtype === 'float32' ? 1e-6 : kaiser ? 1e-6 : 1e-12), `${label} ${dtype}: ${worst(c.float64)} from torchaudio float64`);
      assert.ok(worst(c.float32) < 1e-5 * scale, `${label} ${dtype}: ${worst(c.float32)} from torchaudio float32`);
    }
  }
});

test('torchaudio 0.13 names of the windows are the same filters; equal rates return the input itself', () => {
  const x = randn([1, 64]);
  const a = resample(x, 16000, 12000, { resamplingMethod: 'kaiser_window' }).data();
  const b = resample(x, 16000, 12000, { resamplingMethod: 'sinc_interp_kaiser' }).data();
  assert.deepEqual(a, b);
  const c = resample(x, 16000, 12000, { resamplingMethod: 'sinc_interpolation' }).data();
  assert.deepEqual(c, resample(x, 16000, 12000).data());
  assert.equal(resample(x, 8000, 8000), x);
  // no time at all: an empty output along time, every leading dim kept
  assert.deepEqual(resample(tensor([], { shape: [2, 0] }), 8000, 16000).shape, [2, 0]);
  assert.deepEqual(resample(randn([3]), 8000, 16000).shape, [6]);
});

test('gradcheck in float64 (upsampling, downsampling by a non-integer ratio, batch dims)', () => {
  for (const [orig, next, shape] of [[2, 3, [2, 9]], [3, 2, [1, 2, 10]], [8000, 16000, [7]]] as const) {
    const w = randn([...shape.slice(0, -1), Math.ceil((shape[shape.length - 1]! * next) / orig)], { dtype: 'float64' });
    gradcheck((x) => sum(mul(resample(x, orig, next, { lowpassFilterWidth: 3 }), w)), [randn([...shape], { dtype: 'float64' })]);
  }
});

test('bad arguments name the option and the fix', () => {
  const x = randn([1, 10]);
  assert.throws(() => resample(x, 44100, 5512.5), (e: Error) => e instanceof ValueError && /newFreq must be a positive whole number.*44100 → 5512\.5 is 8 → 1/.test(e.message));
  assert.throws(() => resample(x, 0, 8000), /origFreq must be a positive whole number/);
  assert.throws(() => resample(x, 8000, 16000, { lowpassFilterWidth: 0 }), /lowpassFilterWidth must be a positive number, got 0/);
  assert.throws(() => resample(x, 8000, 16000, { rolloff: -1 }), /rolloff must be a positive number/);
  assert.throws(() => resample(x, 8000, 16000, { resamplingMethod: 'linear' as ResamplingMethod }), /resamplingMethod must be one of 'sinc_interp_hann', 'sinc_interp_kaiser'/);
  assert.throws(() => resample(x, 8000, 16000, { resamplingMethod: 'sinc_interp_kaiser', beta: NaN }), /beta must be a finite number/);
  assert.throws(() => resample(tensor([1, 2], { dtype: 'int32' }), 8000, 16000), (e: Error) => e instanceof DTypeError && /must be a float tensor, got int32/.test(e.message));
  assert.throws(() => resample(tensor(1), 8000, 16000), /must have a time axis/);
});

test('rates whose ratio needs a huge filter (a damaged WAV header, found by the fuzzer) are refused before the filter is built', () => {
  const x = randn([1, 10]);
  // 4294967291 is prime: the filters would be 4.3e9 × 16000 taps, more than a typed array can hold
  assert.throws(() => resample(x, 4294967291, 16000), (e: Error) => e instanceof ValueError && /resample: from 4294967291 to 16000 Hz the rates reduce to 4294967291:16000, so the filters need 6\.\d+e\+13 taps/.test(e.message));
  // 2³¹ Hz → 16000 reduces to 16777216:125, about 2.3e9 taps (18 GB): a memory blow-up, not a quick error, before
  assert.throws(() => resample(x, 2 ** 31, 16000), /the rates reduce to 16777216:125, so the filters need 2\.\d+e\+9 taps \(18\.4 GB of float64; at most 16777216 are built\); check the sample rate/);
  assert.equal(resample(x, 44100, 48000).shape[1], 11);
});
