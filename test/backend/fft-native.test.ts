/**
 * The native FFT kernels (native/fft.c) against the JS reference kernels (double precision),
 * called directly on raw arrays: complex forward and inverse, real rows of even and odd lengths
 * (400 = 2⁴·5², the spectrogram's; primes up to the largest radix; 1 and 2), offsets, batches
 * that do and do not fill the SIMD lanes, several threads; lengths with a large prime factor and
 * float64 left to the JS kernels; and the argument checks of the C wrappers. Skipped when the
 * addon is not built.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { jsBackend, nativeBackend, nativeKernelInfo, nativeUnavailableReason, setNativeThreads } from '../../src/backend/index.js';
import { loadAddon } from '../../src/backend/native/addon.js';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fftInputs } from './fft-inputs.js';
import { peakRelativeError } from '../audio/peak-error.js';

const native = nativeBackend({ minElements: 0, minGemm: 0 });
const skip = native ? false : `native addon unavailable: ${nativeUnavailableReason()}`;

function values(n: number, seed: number): Float32Array {
  let s = seed;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 3;
  }
  return out;
}


const LENGTHS = [1, 2, 3, 5, 8, 12, 30, 31, 45, 200, 256, 375, 400, 401, 2 * 29 * 3];

describe('native FFT kernels against the JS reference', { skip }, () => {
  for (const threads of [1, 3]) {
    test(`rfft, ${threads} thread(s): even and odd lengths, offsets, partial lane groups`, () => {
      setNativeThreads(threads);
      for (const n of LENGTHS) {
        for (const batch of [1, 7, 8, 19]) {
          const x = values(batch * n + 5, n + batch);
          const bins = Math.floor(n / 2) + 1;
          const want = new Float32Array(2 * batch * bins);
          const got = new Float32Array(2 * batch * bins);
          jsBackend.rfft(x, 5, batch, n, want);
          native!.rfft(x, 5, batch, n, got);
          assert.ok(peakRelativeError(got, want) < 2e-6, `rfft n=${n} batch=${batch}: ${peakRelativeError(got, want)}`);
        }
      }
    });
    test(`fft forward and inverse with scale, ${threads} thread(s)`, () => {
      setNativeThreads(threads);
      for (const n of LENGTHS) {
        for (const [inverse, scale] of [[false, 1], [true, 1 / n], [true, 0.5]] as const) {
          const batch = 11;
          const x = values(2 * batch * n + 3, 7 * n);
          const want = new Float32Array(2 * batch * n);
          const got = new Float32Array(2 * batch * n);
          jsBackend.fft(x, 3, batch, n, inverse, scale, want);
          native!.fft(x, 3, batch, n, inverse, scale, got);
          assert.ok(peakRelativeError(got, want) < 2e-6, `fft n=${n} inverse=${inverse}: ${peakRelativeError(got, want)}`);
        }
      }
    });
  }

  test('stftPower against the JS kernel: even and odd lengths, powers, scales, reflected positions, partial lane groups', () => {
    for (const threads of [1, 3]) {
      setNativeThreads(threads);
      for (const n of [4, 15, 30, 256, 375, 400, 401]) {
        for (const [batch, length] of [[1, n], [3, 2 * n + 7]] as const) {
          const hop = Math.max(1, Math.floor(n / 3));
          const frames = 1 + Math.floor((length - 1) / hop); // the last frames run past the end and reflect
          const idx = new Int32Array(frames * n);
          for (let t = 0; t < frames; t++) {
            for (let s = 0; s < n; s++) {
              const i = t * hop + s;
              idx[t * n + s] = i < length ? i : Math.max(0, 2 * (length - 1) - i) % length;
            }
          }
          const x = values(batch * length + 2, n * 3 + batch);
          const window = values(n, n);
          for (const [power, scale] of [[2, 1], [1, 0.25], [0.7, 1]] as const) {
            const want = new Float32Array(batch * frames * (Math.floor(n / 2) + 1));
            const got = new Float32Array(want.length);
            jsBackend.stftPower(x, 2, batch, length, frames, n, idx, window, power, scale, null, 0, want);
            native!.stftPower(x, 2, batch, length, frames, n, idx, window, power, scale, null, 0, got);
            // powers of a float transform: relative to the largest, as the spectra above
            assert.ok(peakRelativeError(got, want) < 5e-6, `stftPower n=${n} batch=${batch} power=${power}: ${peakRelativeError(got, want)}`);
          }
          // times a projection with zero runs at both ends of each column (as a mel filterbank), and one all-zero column
          const bins = Math.floor(n / 2) + 1;
          const cols = 5;
          const proj = values(bins * cols, 17 + n).map((v, i) => {
            const k = Math.floor(i / cols);
            const m = i % cols;
            return m === 3 || k < m * (bins / 8) || k > bins / 2 + m ? 0 : Math.abs(v);
          });
          const want = new Float32Array(batch * frames * cols);
          const got = new Float32Array(want.length);
          jsBackend.stftPower(x, 2, batch, length, frames, n, idx, window, 2, 0.5, proj, cols, want);
          native!.stftPower(x, 2, batch, length, frames, n, idx, window, 2, 0.5, proj, cols, got);
          assert.ok(peakRelativeError(got, want) < 5e-6, `stftPower·proj n=${n} batch=${batch}: ${peakRelativeError(got, want)}`);
          for (let r = 0; r < batch * frames; r++) assert.equal(got[r * cols + 3], 0);
        }
      }
    }
  });

  test('the portable (4-wide) and AVX2 (8-wide) builds of the butterflies, and of the decibels log (2 and 4 doubles), give the same bits', (t) => {
    const levels = nativeKernelInfo()?.simd === 'portable' ? [] : ['portable'];
    if (levels.length === 0) return t.skip('this CPU runs the portable kernels only');
    setNativeThreads(2);
    const { x, n, batch, idx, frames, length, window } = fftInputs();
    const spec = new Float32Array(2 * batch * (n / 2 + 1));
    native!.rfft(x, 0, batch, n, spec);
    const power = new Float32Array(frames * (n / 2 + 1));
    native!.stftPower(x, 0, 1, length, frames, n, idx, window, 2, 1, null, 0, power);
    const odd = new Float32Array(2 * 3 * 188);
    native!.rfft(x, 0, 3, 375, odd);
    const db = new Float32Array(x.length);
    native!.decibels(x, 0, x.length, 10 / Math.LN10, 1e-10, 0.5, db);
    const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT')), NABLA_KERNEL: 'portable' };
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fft-child.ts', import.meta.url))], { encoding: 'utf8', env });
    assert.equal(r.status, 0, r.stderr);
    const child = JSON.parse(r.stdout.trim().split('\n').pop()!) as { simd: string; rfft: number[]; stftPower: number[]; odd: number[]; db: number[] };
    assert.equal(child.simd, 'portable');
    assert.deepEqual(child.rfft, Array.from(spec));
    assert.deepEqual(child.stftPower, Array.from(power));
    assert.deepEqual(child.odd, Array.from(odd));
    assert.deepEqual(child.db, Array.from(db));
  });

  // the native log is its own (a vector polynomial, libm only for values not normal after the
  // floor), the JS one Math.log: the float32 results agree but within 1e-16 of a rounding boundary
  test('decibels against the JS kernel, bit for bit: below amin, zero, negative, NaN, ±Infinity, subnormal and zero amin, offsets, threads', () => {
    for (const threads of [1, 3]) {
      setNativeThreads(threads);
      const x = values(20_003, 21).map((v, i) => (i % 5 === 0 ? v : Math.abs(v) * 10 ** ((i % 13) - 6)));
      x.set([0, -0, -1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-12, 1, 1e-45, 3e38, 1.5e-38], 7);
      for (const [scale, amin, sub] of [[10 / Math.LN10, 1e-10, 0], [20 / Math.LN10, 1e-5, 3.0103], [1, 0, 0], [1, 1e-320, -2]] as const) {
        const want = new Float32Array(20_000);
        const got = new Float32Array(20_000);
        jsBackend.decibels(x, 3, 20_000, scale, amin, sub, want);
        native!.decibels(x, 3, 20_000, scale, amin, sub, got);
        assert.deepEqual(got, want, `decibels scale ${scale} amin ${amin}`);
      }
    }
  });

  test('a row gives the same bits alone or in a batch (no size threshold for the FFT)', () => {
    const n = 400;
    const x = values(9 * n, 3);
    const all = new Float32Array(2 * 9 * 201);
    native!.rfft(x, 0, 9, n, all);
    const one = new Float32Array(2 * 201);
    native!.rfft(x, 8 * n, 1, n, one);
    assert.deepEqual(Array.from(one), Array.from(all.subarray(2 * 8 * 201)));
  });

  test('a length with a prime factor above 31 (37·2) and float64 run the JS kernels, exactly', () => {
    const x = values(3 * 74, 9);
    const want = new Float32Array(3 * 2 * 38);
    const got = new Float32Array(3 * 2 * 38);
    jsBackend.rfft(x, 0, 3, 74, want);
    native!.rfft(x, 0, 3, 74, got);
    assert.deepEqual(got, want);
    const x64 = Float64Array.from(values(2 * 400, 4));
    const w64 = new Float64Array(2 * 201 * 2);
    const g64 = new Float64Array(2 * 201 * 2);
    jsBackend.rfft(x64, 0, 2, 400, w64);
    native!.rfft(x64, 0, 2, 400, g64);
    assert.deepEqual(g64, w64);
  });

  test('the C wrappers check their arguments', () => {
    const r = loadAddon();
    assert.ok('addon' in r);
    const { addon } = r;
    assert.equal(addon.fftSupported(400), true);
    assert.equal(addon.fftSupported(37), false);
    assert.throws(() => addon.rfft(new Float32Array(10), 0, 2, 8, new Float32Array(20)), /x/);
    assert.throws(() => addon.rfft(new Float32Array(16), 0, 2, 8, new Float32Array(19)), /out/);
    assert.throws(() => addon.fft(new Float32Array(32), 0, 2, 8, false, 1, new Float32Array(31)), /out/);
    assert.throws(() => addon.rfft(new Float32Array(37), 0, 1, 37, new Float32Array(38)), /not supported/);
    assert.throws(() => addon.rfft(new Float64Array(16) as unknown as Float32Array, 0, 2, 8, new Float32Array(20)), /Float32Array/);
    const idx = Int32Array.from([0, 1, 2, 3, 1, 2, 3, 4]);
    const stft = (x: Float32Array, ix: Int32Array, out: Float32Array, proj: Float32Array | null = null) => addon.stftPower(x, 0, 1, 5, 2, 4, ix, new Float32Array(4).fill(1), 2, 1, proj, 2, out);
    stft(Float32Array.from([1, 2, 3, 4, 5]), idx, new Float32Array(6));
    assert.throws(() => stft(new Float32Array(4), idx, new Float32Array(6)), /x/);
    assert.throws(() => stft(new Float32Array(5), idx, new Float32Array(5)), /out/);
    assert.throws(() => stft(new Float32Array(5), Int32Array.from([0, 1, 2, 3, 1, 2, 3, 5]), new Float32Array(6)), /idx\[7\] = 5 is outside the signal's 5 samples/);
    stft(new Float32Array(5), idx, new Float32Array(4), new Float32Array(6));
    assert.throws(() => stft(new Float32Array(5), idx, new Float32Array(4), new Float32Array(5)), /proj/);
    assert.throws(() => stft(new Float32Array(5), idx, new Float32Array(3), new Float32Array(6)), /out/);
    assert.throws(() => addon.decibels(new Float32Array(4), 1, 4, 1, 1e-10, 0, new Float32Array(4)), /x/);
    assert.throws(() => addon.decibels(new Float32Array(4), 0, 4, 1, 1e-10, 0, new Float32Array(3)), /out/);
  });
});
