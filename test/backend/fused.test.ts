/**
 * The fused kernels of the native backend (native/optim.c, native/fused.c) against the JS
 * reference (src/backend/js/fused-*.ts) on both float types, sizes on both sides of the threading
 * threshold, and NaN/infinite inputs; the optimizer updates must agree bit for bit. Also the
 * addon's argument checks. Skipped, with the reason, when the addon is not built.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { jsBackend, nativeBackend, nativeKernelInfo, nativeUnavailableReason, setNativeThreads } from '../../src/backend/index.js';
import type { CrossEntropyTarget, FloatArray, FusedActivation } from '../../src/backend/fused-kernels.js';
import { loadAddon } from '../../src/backend/native/addon.js';

const native = nativeBackend({ minElements: 0, minGemm: 0 });
const skip = native ? false : `native addon unavailable: ${nativeUnavailableReason()}`;
type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
const TYPES: [string, Ctor][] = [['float32', Float32Array], ['float64', Float64Array]];

/** Deterministic values in (−scale/2, scale/2) from a linear congruential sequence. */
function values(ctor: Ctor, n: number, seed: number, scale = 6): FloatArray {
  let s = seed >>> 0;
  const out = new ctor(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * scale;
  }
  return out;
}

function close(got: ArrayLike<number>, want: ArrayLike<number>, rtol: number, atol: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    const ok = Number.isNaN(w) ? Number.isNaN(g) : !Number.isFinite(w) ? g === w : Math.abs(g - w) <= atol + rtol * Math.abs(w);
    if (!ok) assert.fail(`${what}: [${i}] is ${g}, the JS reference gives ${w}`);
  }
}

const tol = (ctor: Ctor) => (ctor === Float32Array ? { rtol: 2e-6, atol: 1e-6 } : { rtol: 1e-12, atol: 1e-13 });
// [rows, cols]: tiny, one thread, and big enough to be shared out among threads
const SHAPES: [number, number][] = [[1, 1], [3, 10], [5, 1000], [300, 130]];

describe('fused kernels: native against the JS reference', { skip }, () => {
  for (const [tname, ctor] of TYPES) {
    test(`adamUpdate (Adam, AdamW decay, AMSGrad) agrees bit for bit, ${tname}`, () => {
      for (const n of [7, 70000]) {
        for (const [amsgrad, decay] of [[false, 0], [true, 0], [false, 4e-6]] as const) {
          const h = { lrT: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, decay };
          const run = (b: typeof jsBackend) => {
            const p = values(ctor, n, 1), m = values(ctor, n, 2, 0.1), v = values(ctor, n, 3, 0.1).map(Math.abs), vh = values(ctor, n, 4, 0.1).map(Math.abs);
            for (let step = 0; step < 3; step++) b.adamUpdate(p, values(ctor, n, 10 + step), m, v, amsgrad ? vh : null, h);
            return [p, m, v, vh];
          };
          const [a, b] = [run(jsBackend), run(native!)];
          a.forEach((arr, i) => assert.deepEqual(b[i], arr, `n=${n} amsgrad=${amsgrad} decay=${decay}: array ${i}`));
        }
      }
    });

    test(`sgdUpdate (plain, momentum, Nesterov, weight decay) agrees bit for bit, ${tname}`, () => {
      for (const n of [5, 70000]) {
        for (const [momentum, nesterov, weightDecay] of [[0, false, 0], [0, false, 0.01], [0.9, false, 0], [0.9, true, 1e-3]] as const) {
          const run = (b: typeof jsBackend) => {
            const p = values(ctor, n, 1), vel = values(ctor, n, 2, 0.1);
            for (let step = 0; step < 3; step++) b.sgdUpdate(p, values(ctor, n, 10 + step), momentum > 0 ? vel : null, { lr: 0.05, momentum, nesterov, weightDecay });
            return [p, vel];
          };
          const [a, b] = [run(jsBackend), run(native!)];
          a.forEach((arr, i) => assert.deepEqual(b[i], arr, `n=${n} μ=${momentum} nesterov=${nesterov} λ=${weightDecay}: array ${i}`));
        }
      }
    });

    test(`softmax, logSoftmax and their backward, ${tname}`, () => {
      for (const [rows, cols] of SHAPES) {
        const x = values(ctor, rows * cols, rows + cols, 20);
        if (rows === 3) x.set([NaN, Infinity, -Infinity], 0);
        const g = values(ctor, rows * cols, 7);
        for (const log of [false, true]) {
          const [yj, yn] = [new ctor(rows * cols), new ctor(rows * cols)];
          jsBackend.softmax(x, rows, cols, log, yj);
          native!.softmax(x, rows, cols, log, yn);
          close(yn, yj, tol(ctor).rtol, tol(ctor).atol, `softmax log=${log} ${rows}x${cols}`);
          const [dj, dn] = [new ctor(rows * cols), new ctor(rows * cols)];
          jsBackend.softmaxBackward(yj, g, rows, cols, log, dj);
          native!.softmaxBackward(yj, g, rows, cols, log, dn);
          close(dn, dj, tol(ctor).rtol, tol(ctor).atol, `softmaxBackward log=${log} ${rows}x${cols}`);
        }
      }
    });

    test(`crossEntropy and its backward: labels or targets, logits or probabilities, smoothing, ${tname}`, () => {
      for (const [rows, cols] of SHAPES) {
        const labels = Int32Array.from({ length: rows }, (_, r) => (r * 7) % cols);
        const logits = values(ctor, rows * cols, 5, 10);
        const probs = values(ctor, rows * cols, 6, 2).map((v) => Math.abs(v) + (v > 0.9 ? 0 : 1e-9));
        const targets = values(ctor, rows * cols, 8, 2).map(Math.abs);
        const g = values(ctor, rows, 9);
        for (const fromLogits of [true, false]) {
          for (const smoothing of [0, 0.1]) {
            for (const t of [{ labels, targets: null }, { labels: null, targets }]) {
              const target: CrossEntropyTarget = { ...t, smoothing, fromLogits };
              const x = fromLogits ? logits : probs;
              const what = `${rows}x${cols} fromLogits=${fromLogits} ε=${smoothing} ${t.labels ? 'labels' : 'targets'}`;
              const [lj, ln] = [new ctor(rows), new ctor(rows)];
              jsBackend.crossEntropy(x, rows, cols, target, lj);
              native!.crossEntropy(x, rows, cols, target, ln);
              close(ln, lj, tol(ctor).rtol, tol(ctor).atol, `crossEntropy ${what}`);
              const [dj, dn] = [new ctor(rows * cols), new ctor(rows * cols)];
              jsBackend.crossEntropyBackward(x, rows, cols, target, g, dj);
              native!.crossEntropyBackward(x, rows, cols, target, g, dn);
              close(dn, dj, tol(ctor).rtol, tol(ctor).atol, `crossEntropyBackward ${what}`);
            }
          }
        }
      }
    });

    test(`biasActivation and its backward with the bias gradient, ${tname}`, () => {
      const acts: FusedActivation[] = ['linear', 'relu', 'sigmoid', 'tanh', 'gelu'];
      for (const [rows, cols] of SHAPES) {
        const y = values(ctor, rows * cols, 11, 8);
        const bias = values(ctor, cols, 12);
        const g = values(ctor, rows * cols, 13);
        for (const act of acts) {
          for (const b of [bias, null]) {
            const what = `${act} ${rows}x${cols} bias=${b !== null}`;
            const [oj, on] = [new ctor(rows * cols), new ctor(rows * cols)];
            jsBackend.biasActivation(act, y, b, rows, cols, oj);
            native!.biasActivation(act, y, b, rows, cols, on);
            close(on, oj, tol(ctor).rtol, tol(ctor).atol, `biasActivation ${what}`);
            const [dj, dn, bj, bn] = [new ctor(rows * cols), new ctor(rows * cols), new ctor(cols), new ctor(cols)];
            jsBackend.biasActivationBackward(act, y, b, oj, g, rows, cols, dj, bj);
            native!.biasActivationBackward(act, y, b, oj, g, rows, cols, dn, bn);
            close(dn, dj, tol(ctor).rtol, tol(ctor).atol, `biasActivationBackward dz ${what}`);
            close(bn, bj, 1e-5, 1e-5, `biasActivationBackward dbias ${what}`);
          }
        }
      }
    });

    // Float GELU runs a vectorised erfc/exp of its own in C (native/vec_math.h): over the whole
    // range, the tails (where Φ is tiny or rounds to 1) and special values it must match libm's.
    test(`gelu over [-30, 30] and special values matches the JS reference, ${tname}`, () => {
      const grid = Array.from({ length: 6001 }, (_, i) => -30 + i / 100);
      const y = ctor.from([...grid, NaN, Infinity, -Infinity, 0, -0, 1e-30, -1e-30, 1e30, -1e30]);
      const n = y.length;
      const g = new ctor(n).fill(1);
      const [oj, on, dj, dn] = [new ctor(n), new ctor(n), new ctor(n), new ctor(n)];
      jsBackend.biasActivation('gelu', y, null, 1, n, oj);
      native!.biasActivation('gelu', y, null, 1, n, on);
      close(on, oj, tol(ctor).rtol, tol(ctor).atol, 'gelu');
      jsBackend.biasActivationBackward('gelu', y, null, oj, g, 1, n, dj, null);
      native!.biasActivationBackward('gelu', y, null, oj, g, 1, n, dn, null);
      close(dn, dj, tol(ctor).rtol, tol(ctor).atol, "gelu'");
      // far tails, exactly: gelu(−30) = −0 or 0 (Φ underflows), gelu(30) = 30
      assert.equal(Math.abs(on[0]!), 0);
      assert.equal(on[6000], 30);
    });

    // The backward sums the bias gradient over fixed row chunks (at least 8192 elements or one
    // row, at most 64 chunks) shared out among threads: shapes with many rows and few columns
    // (conv outputs), a last chunk cut short, columns wider than one block (128), a row wider
    // than one chunk, and one where the chunk count bound sets the chunk size.
    const TALL: [number, number][] = [[43264, 3], [3001, 7], [2049, 32], [97, 300], [5, 9000], [5000, 120]];

    test(`biasActivationBackward over row chunks: against the JS reference and a direct sum, ${tname}`, () => {
      for (const [rows, cols] of TALL) {
        const y = values(ctor, rows * cols, rows, 8);
        const bias = values(ctor, cols, cols);
        const g = values(ctor, rows * cols, rows + 1);
        for (const act of ['relu', 'linear', 'tanh', 'gelu'] as FusedActivation[]) {
          const what = `${act} ${rows}x${cols}`;
          const out = new ctor(rows * cols);
          jsBackend.biasActivation(act, y, bias, rows, cols, out);
          const [dj, dn, bj, bn] = [new ctor(rows * cols), new ctor(rows * cols), new ctor(cols), new ctor(cols)];
          jsBackend.biasActivationBackward(act, y, bias, out, g, rows, cols, dj, bj);
          native!.biasActivationBackward(act, y, bias, out, g, rows, cols, dn, bn);
          close(dn, dj, tol(ctor).rtol, tol(ctor).atol, `biasActivationBackward dz ${what}`);
          // the bias gradient is the column sum of dz: summed here column by column, in double
          const direct = new Float64Array(cols);
          const magnitude = new Float64Array(cols);
          for (let c = 0; c < cols; c++) {
            for (let r = 0; r < rows; r++) {
              direct[c]! += dn[r * cols + c]!;
              magnitude[c]! += Math.abs(dn[r * cols + c]!);
            }
          }
          const sumTol = ctor === Float32Array ? 1e-6 : 1e-12;
          close(bn, direct, sumTol, sumTol, `biasActivationBackward dbias ${what} (direct sum)`);
          // each dz agrees with the reference to rtol (float gelu is computed in float), so their
          // column sums agree to rtol·Σ|dz|
          for (let c = 0; c < cols; c++) {
            const bound = sumTol + tol(ctor).rtol * magnitude[c]!;
            assert.ok(Math.abs(bn[c]! - bj[c]!) <= bound, `biasActivationBackward dbias ${what} (JS reference): [${c}] is ${bn[c]}, the JS reference gives ${bj[c]} (bound ${bound})`);
          }
        }
      }
    });

    test(`biasActivationBackward gives the same bits on 1, 2 and 3 threads, ${tname}`, () => {
      const before = nativeKernelInfo()!.threads;
      try {
        for (const [rows, cols] of TALL) {
          const y = values(ctor, rows * cols, 31, 8);
          const g = values(ctor, rows * cols, 32);
          const out = new ctor(rows * cols);
          native!.biasActivation('relu', y, null, rows, cols, out);
          const results = [1, 2, 3].map((threads) => {
            setNativeThreads(threads);
            const [dz, db] = [new ctor(rows * cols), new ctor(cols)];
            native!.biasActivationBackward('relu', y, null, out, g, rows, cols, dz, db);
            return [dz, db];
          });
          for (const r of results.slice(1)) {
            assert.deepEqual(r[0], results[0]![0], `dz ${rows}x${cols}`);
            assert.deepEqual(r[1], results[0]![1], `dbias ${rows}x${cols}`);
          }
        }
      } finally {
        setNativeThreads(before);
      }
    });

    test(`relu backward passes g where out > 0 and 0 elsewhere, NaN and infinite g included, ${tname}`, () => {
      const rows = 4000, cols = 3;
      const out = values(ctor, rows * cols, 41).map((v) => Math.max(v, 0));
      const g = values(ctor, rows * cols, 42);
      g.set([NaN, Infinity, -Infinity, NaN, Infinity, -Infinity], 0);
      out.set([0, 0, 0, 1, 2, 3], 0);
      const [dz, db] = [new ctor(rows * cols), new ctor(cols)];
      native!.biasActivationBackward('relu', out, null, out, g, rows, cols, dz, db);
      assert.deepEqual([...dz.subarray(0, 6)], [0, 0, 0, NaN, Infinity, -Infinity]);
      for (let i = 6; i < rows * cols; i++) assert.equal(dz[i], out[i]! > 0 ? g[i] : 0, `dz[${i}]`);
      assert.deepEqual([...db], [NaN, Infinity, -Infinity]);
    });

    test(`layerNorm and its backward, with and without gamma/beta, ${tname}`, () => {
      for (const [rows, cols] of SHAPES) {
        const x = values(ctor, rows * cols, 21, 10);
        const gamma = values(ctor, cols, 22);
        const beta = values(ctor, cols, 23);
        const g = values(ctor, rows * cols, 24);
        for (const [gm, bt] of [[gamma, beta], [null, null], [gamma, null]] as const) {
          const what = `${rows}x${cols} gamma=${gm !== null} beta=${bt !== null}`;
          const [oj, on] = [new ctor(rows * cols), new ctor(rows * cols)];
          jsBackend.layerNorm(x, gm, bt, rows, cols, 1e-3, oj);
          native!.layerNorm(x, gm, bt, rows, cols, 1e-3, on);
          close(on, oj, tol(ctor).rtol, tol(ctor).atol, `layerNorm ${what}`);
          const mk = () => [new ctor(rows * cols), new ctor(cols), new ctor(cols)] as const;
          const [j, n] = [mk(), mk()];
          jsBackend.layerNormBackward(x, gm, g, rows, cols, 1e-3, ...j);
          native!.layerNormBackward(x, gm, g, rows, cols, 1e-3, ...n);
          close(n[0], j[0], 1e-5, 1e-5, `layerNormBackward dx ${what}`);
          close(n[1], j[1], 1e-5, 1e-5, `layerNormBackward dgamma ${what}`);
          close(n[2], j[2], 1e-5, 1e-5, `layerNormBackward dbeta ${what}`);
        }
      }
    });
  }

  test('the addon rejects bad arguments with a message naming them', () => {
    const r = loadAddon();
    assert.ok('addon' in r);
    const a = r.addon;
    const f = new Float32Array(6);
    assert.throws(() => a.crossEntropy(f, 2, 3, Int32Array.from([0, 3]), null, 0, true, new Float32Array(2)), /crossEntropy: labels holds a class outside \[0, cols\)/);
    assert.throws(() => a.crossEntropy(f, 2, 3, null, null, 0, true, new Float32Array(2)), /labels or targets must be given/);
    assert.throws(() => a.softmax(f, 3, 3, false, new Float32Array(9)), /softmax: x is too short/);
    assert.throws(() => a.softmax(f, 2, 3, false, new Float64Array(6)), /softmax: out has a different element type/);
    assert.throws(() => a.adamUpdate(f, new Float32Array(5), f, f, null, 1, 0.9, 0.9, 1e-7, 0), /adamUpdate: grad is too short/);
    assert.throws(() => a.biasActivation(9, f, null, 2, 3, f), /biasActivation: activation is an unknown code/);
    assert.throws(() => a.layerNorm(f, null, null, -1, 3, 1e-3, f), /layerNorm: rows must be a non-negative integer/);
  });
});
