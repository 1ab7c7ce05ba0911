/**
 * fft, ifft, rfft against a direct O(n²) DFT for lengths that exercise each path of the plan
 * (radix 4, 2, 3, generic primes ≤ 31, Bluestein for a larger prime factor, n = 1), on every
 * backend; gradients by gradcheck in float64 (first and second order); bad input.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { jsBackend, setBackend, type Backend, type Tensor } from '../../src/index.js';
import { backend, nativeBackend } from '../../src/backend/index.js';

/** The DFT by its definition, in double: rows of n complex numbers, interleaved. */
function naiveDft(x: number[], n: number, sign: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < x.length / (2 * n); b++) {
    for (let k = 0; k < n; k++) {
      let re = 0;
      let im = 0;
      for (let j = 0; j < n; j++) {
        // (j·k) mod n keeps the angle exact for the longer lengths
        const a = (sign * 2 * Math.PI * ((j * k) % n)) / n;
        const xr = x[2 * (b * n + j)]!;
        const xi = x[2 * (b * n + j) + 1]!;
        re += xr * Math.cos(a) - xi * Math.sin(a);
        im += xr * Math.sin(a) + xi * Math.cos(a);
      }
      out.push(re, im);
    }
  }
  return out;
}

function maxRelError(actual: Tensor, expected: number[]): number {
  const a = actual.data() as Float64Array;
  assert.equal(a.length, expected.length);
  let err = 0;
  let peak = 0;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i]! - expected[i]!));
    peak = Math.max(peak, Math.abs(expected[i]!));
  }
  return err / Math.max(peak, 1e-300);
}

// 1; powers of 2 and 4; 3, 5, 7 and their mixes; 400 (the default nFft), 201 = 3·67 and 1009
// (primes above 31: Bluestein), 255 = 3·5·17 and 31 (generic prime stages), 2·1009 (even, Bluestein half)
const LENGTHS = [1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 30, 31, 60, 64, 67, 128, 201, 255, 400, 512, 1009, 2018];

const native = nativeBackend({ minElements: 0, minGemm: 0 });
const BACKENDS: Backend[] = [jsBackend, ...(native ? [native] : [])];
const initial = backend();
after(() => setBackend(initial));

for (const b of BACKENDS) {
  describe(`fft on the ${b.name} backend`, () => {
    test('fft and ifft match the direct DFT for every kind of length (float64, batch of 2 rows)', () => {
      setBackend(b);
      for (const n of LENGTHS) {
        const x = nb.randn([2, n, 2], { dtype: 'float64', generator: new nb.Generator(n) });
        const values = Array.from(x.data() as Float64Array);
        const err = maxRelError(nb.fft(x), naiveDft(values, n, -1));
        assert.ok(err < 1e-12, `fft n=${n}: relative error ${err}`);
        const inv = naiveDft(values, n, 1).map((v) => v / n);
        const errInv = maxRelError(nb.ifft(x), inv);
        assert.ok(errInv < 1e-12, `ifft n=${n}: relative error ${errInv}`);
      }
    });

    test('rfft matches the first n/2+1 bins of the direct DFT, even and odd lengths, and a strided view', () => {
      setBackend(b);
      for (const n of LENGTHS) {
        const x = nb.randn([3, n], { dtype: 'float64', generator: new nb.Generator(100 + n) });
        const values = Array.from(x.data() as Float64Array);
        const complex = values.flatMap((v) => [v, 0]);
        const full = naiveDft(complex, n, -1);
        const bins = Math.floor(n / 2) + 1;
        const expected: number[] = [];
        for (let r = 0; r < 3; r++) expected.push(...full.slice(2 * n * r, 2 * n * r + 2 * bins));
        const y = nb.rfft(x);
        assert.deepEqual(y.shape, [3, bins, 2]);
        const err = maxRelError(y, expected);
        assert.ok(err < 1e-12, `rfft n=${n}: relative error ${err}`);
      }
      // a transposed input is read through its strides
      const x = nb.randn([6, 4], { dtype: 'float64', generator: new nb.Generator(7) });
      const viaView = nb.rfft(nb.transpose(x));
      const viaCopy = nb.rfft(nb.contiguous(nb.transpose(x)));
      assert.deepEqual(Array.from(viaView.data() as Float64Array), Array.from(viaCopy.data() as Float64Array));
    });

    test('float32 in, float32 out, accurate to float32 rounding (the math runs in double)', () => {
      setBackend(b);
      const x = nb.randn([4, 400], { generator: new nb.Generator(3) });
      const y = nb.rfft(x);
      assert.equal(y.dtype, 'float32');
      const y64 = nb.rfft(nb.cast(x, 'float64'));
      const err = maxRelError(nb.cast(y, 'float64'), Array.from(y64.data() as Float64Array));
      assert.ok(err < 1e-6, `float32 rfft relative error ${err}`);
    });
  });
}

describe('fft gradients (float64 gradcheck)', () => {
  for (const n of [1, 5, 8, 12, 37]) {
    test(`fft, ifft and rfft at n=${n}`, () => {
      const z = nb.randn([2, n, 2], { dtype: 'float64', generator: new nb.Generator(n) });
      assert.ok(nb.testing.gradcheck((t) => nb.fft(t), [z]).ok);
      assert.ok(nb.testing.gradcheck((t) => nb.ifft(t), [z]).ok);
      const x = nb.randn([2, n], { dtype: 'float64', generator: new nb.Generator(50 + n) });
      assert.ok(nb.testing.gradcheck((t) => nb.rfft(t), [x]).ok);
    });
  }

  test('second order: the gradient of a gradient goes through the VJPs of fft and rfft', () => {
    // d/dw of ‖∂L/∂x‖² with L = Σ w·T(x): ∂L/∂x is T's VJP applied to w, so this checks its own VJP
    // (gradcheck's finite differences run under noGrad; the inner gradient needs recording)
    const inner = (transform: (t: Tensor) => Tensor, x: Tensor) => (w: Tensor) => nb.enableGrad(() => {
      const xr = x.detach().requireGrad();
      const [gx] = nb.gradients(nb.sum(nb.mul(transform(xr), w)), [xr], { createGraph: true });
      return nb.sum(nb.mul(gx!, nb.mul(gx!, gx!)));
    });
    const x = nb.randn([2, 9], { dtype: 'float64', generator: new nb.Generator(11) });
    assert.ok(nb.testing.gradcheck(inner(nb.rfft, x), [nb.randn([2, 5, 2], { dtype: 'float64', generator: new nb.Generator(12) })]).ok);
    const z = nb.randn([6, 2], { dtype: 'float64', generator: new nb.Generator(13) });
    assert.ok(nb.testing.gradcheck(inner(nb.fft, z), [nb.randn([6, 2], { dtype: 'float64', generator: new nb.Generator(14) })]).ok);
  });
});

describe('fft errors', () => {
  test('bad shapes and dtypes are refused with the fix in the message', () => {
    assert.throws(() => nb.fft(nb.randn([4, 3])), { name: 'ShapeError', message: /trailing axis of 2 \(re, im\).*got \[4,3\]/ });
    assert.throws(() => nb.fft(nb.zeros([0, 2])), { name: 'ValueError', message: /transform axis .* is empty/ });
    assert.throws(() => nb.rfft(nb.tensor(1)), { name: 'ShapeError', message: /at least 1 dimension/ });
    assert.throws(() => nb.rfft(nb.zeros([2, 0])), { name: 'ValueError', message: /signal axis \(last\) is empty/ });
    assert.throws(() => nb.rfft(nb.tensor([1, 2], { dtype: 'int32' })), { name: 'DTypeError', message: /rfft/ });
  });
});
