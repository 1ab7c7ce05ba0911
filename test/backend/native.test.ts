/**
 * The native backend (C addon) against the reference: GEMM against a naive triple loop, the
 * elementwise and reduction kernels against the JS backend on every layout they accept (and the
 * ones they hand back to JS), the argument checks of the addon, and the startup choice of
 * backend (`NABLA_BACKEND=js`, `NABLA_KERNEL`) in child processes. Skipped, with the reason, when
 * the addon is not built.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { jsBackend, type Backend, type BinaryOp, type ReduceOp, type UnaryOp, type View } from '../../src/backend/index.js';
import { nativeBackend, nativeKernelInfo, nativeUnavailableReason, setNativeThreads } from '../../src/backend/index.js';
import { loadAddon } from '../../src/backend/native/addon.js';
import { checkGemm, gemmFailures, sharedPackingCases } from './gemm-check.js';

// Every supported call goes to C, however small.
const native = nativeBackend({ minElements: 0, minGemm: 0 });
const skip = native ? false : `native addon unavailable: ${nativeUnavailableReason()}`;

type FloatCtor = Float32ArrayConstructor | Float64ArrayConstructor;
const FLOATS: [string, FloatCtor][] = [['float32', Float32Array], ['float64', Float64Array]];

function child(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/backend/native-child.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  assert.equal(r.status, 0, r.stderr);
  return { ...JSON.parse(r.stdout), stderr: r.stderr } as {
    backend: string;
    info: { backend: string; addon: string; simd: string; gemm: string; threads: number; kernels: string[] };
    kernel?: { simd: string; cpuSimd: string; sgemm: string; dgemm: string; threads: number; malloc: string };
    failures: string[];
    stderr: string;
  };
}

/** Values that exercise NaN, infinities, signed zeros and the usual ranges. */
function sample(n: number, seed: number, special = true): number[] {
  let s = seed;
  const out: number[] = [];
  const specials = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, 1e-30, -1e30, 88.7, -104];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    if (special && i % 37 < specials.length && i % 3 === 0) out.push(specials[i % 37]!);
    else out.push((s / 2 ** 32 - 0.5) * (i % 5 === 0 ? 40 : 6));
  }
  return out;
}

/** Same value up to `rtol` (NaN matches NaN, infinities match exactly). */
function same(a: number, e: number, rtol: number): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (!Number.isFinite(e) || rtol === 0) return a === e;
  return Math.abs(a - e) <= rtol * Math.abs(e) + 1e-300;
}

function assertSameArrays(got: ArrayLike<number>, want: ArrayLike<number>, rtol: number, what: string) {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    if (!same(got[i]!, want[i]!, rtol)) assert.fail(`${what}: [${i}] is ${got[i]}, JS gives ${want[i]}`);
  }
}

// exact: one IEEE operation on the stored value; else libm vs V8's math may differ in the last bit
const EXACT_UNARY = new Set<UnaryOp>(['neg', 'sqrt', 'abs', 'sign', 'relu']);
const UNARY: UnaryOp[] = ['neg', 'exp', 'log', 'sqrt', 'rsqrt', 'abs', 'sign', 'sin', 'cos', 'tanh', 'sigmoid', 'erf', 'relu', 'log1p', 'expm1'];
const BINARY: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge'];
const COMPARE = new Set<BinaryOp>(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);
const tolOf = (ctor: FloatCtor, exact: boolean) => (exact ? 0 : ctor === Float32Array ? 2e-7 : 1e-14);

/**
 * The layouts of a `[rows, 2, cols/2]` operand: the ones the native kernels take (they merge to
 * two dimensions) and two they give back to JS (strided columns, and one that stays 3-D).
 */
function layouts(ctor: FloatCtor, rows: number, cols: number, seed: number): [string, View][] {
  const h = cols / 2;
  const shape = [rows, 2, h];
  const dense = ctor.from(sample(rows * cols + 3, seed));
  const padded = ctor.from(sample(rows * (cols + 2) + 1, seed + 1));
  const row = ctor.from(sample(cols, seed + 2));
  const col = ctor.from(sample(rows, seed + 3));
  const twice = ctor.from(sample(2 * rows * cols, seed + 4));
  return [
    ['dense at an offset', { data: dense, shape, strides: [cols, h, 1], offset: 3 }],
    ['rows of a wider array', { data: padded, shape, strides: [cols + 2, h, 1], offset: 1 }],
    ['a row repeated', { data: row, shape, strides: [0, h, 1], offset: 0 }],
    ['a value per row', { data: col, shape, strides: [1, 0, 0], offset: 0 }],
    ['one value', { data: col, shape, strides: [0, 0, 0], offset: 2 }],
    ['transposed (strided columns)', { data: padded, shape, strides: [1, h * rows, rows], offset: 0 }],
    ['rows at an odd pitch (stays 3-D: JS)', { data: twice, shape, strides: [2 * cols - 1, h, 1], offset: 0 }],
  ];
}

describe('native backend', { skip }, () => {
  const b = native as Backend;

  test('reports its SIMD level, micro-kernels and threads', () => {
    const k = nativeKernelInfo()!;
    assert.match(k.simd, /^(avx512|avx2|portable)$/);
    assert.match(k.sgemm, /^(avx512f|avx2-fma|portable) \d+x\d+$/);
    assert.ok(k.threads >= 1);
    assert.equal(b.name, 'native');
  });

  test('GEMM matches a naive triple loop (all transposes, odd sizes, leading dims, offsets, float32/float64)', () => {
    assert.deepEqual(gemmFailures(b), []);
  });

  test('GEMM matches a naive triple loop on 1, 2 and 3 threads where threads share packing (small m, evened blocks)', () => {
    const threads = nativeKernelInfo()!.threads;
    try {
      for (const t of [1, 2, 3]) {
        setNativeThreads(t);
        const failures = sharedPackingCases().map((c) => checkGemm(b, c)).filter((f) => f !== undefined);
        assert.deepEqual(failures, [], `${t} threads`);
      }
    } finally {
      setNativeThreads(threads);
    }
  });

  test('GEMM gives the same bits on 1 thread and on all threads', () => {
    const threads = nativeKernelInfo()!.threads;
    const m = 150, n = 130, k = 300;
    const A = Float32Array.from(sample(m * k, 1, false)), B = Float32Array.from(sample(k * n, 2, false));
    const run = (t: number) => {
      setNativeThreads(t);
      const C = new Float32Array(m * n);
      b.gemm(false, true, m, n, k, A, 0, k, B, 0, k, C, 0, n);
      return C;
    };
    const one = run(1);
    const all = run(Math.max(2, threads));
    setNativeThreads(threads);
    assert.deepEqual(all, one);
  });

  test('GEMM on int32 storage falls back to the JS kernel', () => {
    const A = Int32Array.from([1, 2, 3, 4]), B = Int32Array.from([5, 6, 7, 8]), C = new Int32Array(4);
    b.gemm(false, false, 2, 2, 2, A, 0, 2, B, 0, 2, C, 0, 2);
    assert.deepEqual(Array.from(C), [19, 22, 43, 50]);
  });

  for (const [dtype, ctor] of FLOATS) {
    test(`unary ops match the JS kernels on every layout (${dtype})`, () => {
      for (const [rows, cols] of [[3, 8], [67, 1100]] as const) {
        for (const [name, x] of layouts(ctor, rows, cols, rows)) {
          for (const op of UNARY) {
            const got = new ctor(rows * cols), want = new ctor(rows * cols);
            b.unary(op, x, got);
            jsBackend.unary(op, x, want);
            assertSameArrays(got, want, tolOf(ctor, EXACT_UNARY.has(op)), `${dtype} ${op} on ${name} ${rows}x${cols}`);
          }
        }
      }
    });

    test(`binary ops match the JS kernels on every pair of layouts (${dtype})`, () => {
      // every pair at a small size; at a size that runs on several threads, the common pairs
      const pairs = (rows: number, cols: number, all: boolean) => {
        const as = layouts(ctor, rows, cols, 11);
        const bs = layouts(ctor, rows, cols, 23);
        const out: [string, View, string, View][] = [];
        for (const [an, a] of as) for (const [bn, bv] of bs) out.push([an, a, bn, bv]);
        return all ? out : out.filter(([an, , bn]) => an.startsWith('dense') || bn.startsWith('dense'));
      };
      for (const [rows, cols, all] of [[5, 6, true], [70, 1000, false]] as const) {
        for (const [an, a, bn, bv] of pairs(rows, cols, all)) {
          for (const op of BINARY) {
            const Out = COMPARE.has(op) ? Uint8Array : ctor;
            const got = new Out(rows * cols), want = new Out(rows * cols);
            b.binary(op, a, bv, got);
            jsBackend.binary(op, a, bv, want);
            assertSameArrays(got, want, tolOf(ctor, op !== 'pow'), `${dtype} ${op}(${an}, ${bn}) ${rows}x${cols}`);
          }
        }
      }
    });

    test(`last-axis reductions match the JS kernels (${dtype})`, () => {
      const ops: ReduceOp[] = ['sum', 'max', 'min', 'prod'];
      // [outer, n]: short rows, many rows, one long row and two long rows (split across threads)
      for (const [outer, n, special] of [[4, 9, true], [300, 257, true], [1, 200_001, false], [2, 100_003, true], [3, 0, false]] as const) {
        const x = ctor.from(sample(outer * n + 5, outer + n, special).map((v, i) => (i % 2 ? v : v / 4)));
        for (const op of ops) {
          const data = op === 'prod' ? x.map((v) => (Number.isFinite(v) ? 1 + v / 1e3 : v)) : x;
          const got = new ctor(outer), want = new ctor(outer);
          b.reduce(op, data, 5, outer, n, 1, got);
          jsBackend.reduce(op, data, 5, outer, n, 1, want);
          const rtol = op === 'max' || op === 'min' ? 0 : ctor === Float32Array ? 1e-6 : 1e-12;
          assertSameArrays(got, want, rtol, `${dtype} ${op} over [${outer}, ${n}]`);
        }
      }
      // inner > 1 is the JS kernel's
      const x = ctor.from(sample(24, 3, false));
      const got = new ctor(8), want = new ctor(8);
      b.reduce('sum', x, 0, 2, 3, 4, got);
      jsBackend.reduce('sum', x, 0, 2, 3, 4, want);
      assert.deepEqual(got, want);
    });
  }

  test('a broadcast along a middle axis runs in C as a 3-D layout, with the JS values', () => {
    const r = loadAddon();
    assert.ok('addon' in r);
    // x [2, 3, 4] against its maximum over the middle axis, [2, 1, 4] seen as [2, 3, 4] with stride 0
    const x = Float32Array.from({ length: 24 }, (_, i) => ((i * 7) % 5) - 2);
    const m = new Float32Array(8);
    for (let d = 0; d < 2; d++) for (let c = 0; c < 4; c++) m[d * 4 + c] = Math.max(x[d * 12 + c]!, x[d * 12 + 4 + c]!, x[d * 12 + 8 + c]!);
    const hit = new Uint8Array(24);
    r.addon.binary(7 /* eq */, x, 0, 12, 4, 1, m, 0, 4, 0, 1, 2, 3, 4, hit);
    const want = Array.from(x, (v, i) => (v === m[Math.floor(i / 12) * 4 + (i % 4)] ? 1 : 0));
    assert.deepEqual(Array.from(hit), want);
    const neg = new Float32Array(24);
    r.addon.unary(0 /* neg */, m, 0, 4, 0, 1, 2, 3, 4, neg);
    assert.deepEqual(Array.from(neg), Array.from({ length: 24 }, (_, i) => -m[Math.floor(i / 12) * 4 + (i % 4)]!));
    // the backend takes the same layouts (big enough to be split across threads) and agrees with JS
    for (const [depth, rows, cols] of [[2, 3, 4], [64, 40, 256]] as const) {
      const n = depth * rows * cols;
      const a: View = { data: Float32Array.from(sample(n, 3, true)), shape: [depth, rows, cols], strides: [rows * cols, cols, 1], offset: 0 };
      const bv: View = { data: Float32Array.from(sample(depth * cols + 1, 9, true)), shape: [depth, rows, cols], strides: [cols, 0, 1], offset: 1 };
      for (const op of ['eq', 'mul', 'sub', 'maximum'] as const) {
        const Out = COMPARE.has(op) ? Uint8Array : Float32Array;
        const got = new Out(n), want = new Out(n);
        b.binary(op, a, bv, got);
        jsBackend.binary(op, a, bv, want);
        assertSameArrays(got, want, 0, `${op} over [${depth}, ${rows}, ${cols}] with a middle-axis broadcast`);
      }
      const got = new Float32Array(n), want = new Float32Array(n);
      b.unary('exp', bv, got);
      jsBackend.unary('exp', bv, want);
      assertSameArrays(got, want, 1e-6, `exp of a middle-axis broadcast [${depth}, ${rows}, ${cols}]`);
    }
  });

  test('int32 and mixed storage go to the JS kernels', () => {
    const a: View = { data: Int32Array.from([1, -2, 3, 2147483647]), shape: [4], strides: [1], offset: 0 };
    const f: View = { data: Float32Array.from([1, 2, 3, 4]), shape: [4], strides: [1], offset: 0 };
    const got = new Int32Array(4), want = new Int32Array(4);
    b.binary('add', a, a, got);
    jsBackend.binary('add', a, a, want);
    assert.deepEqual(got, want);
    const g = new Float32Array(4), w = new Float32Array(4);
    b.binary('mul', f, a, g);
    jsBackend.binary('mul', f, a, w);
    assert.deepEqual(g, w);
  });

  test('the addon checks its arguments and the bounds of every array', () => {
    const r = loadAddon();
    assert.ok('addon' in r);
    const { addon } = r;
    const a = new Float32Array(6), c = new Float32Array(4);
    assert.throws(() => addon.gemm(false, false, 1, 2, 4, a, 0, 4, a, 0, 2, c, 0, 2), /gemm: b: a 4x2 block .* exceeds its 6 elements/);
    assert.throws(() => addon.gemm(false, false, 2, 2, 2, a, 0, 1, a, 0, 2, c, 0, 2), /leading dimension/);
    assert.throws(() => addon.gemm(false, false, 2, 2, 2, a, 0, 2, new Float64Array(6), 0, 2, c, 0, 2), /must all be Float32Array or all Float64Array/);
    assert.throws(() => addon.gemm(false, false, 2.5, 2, 2, a, 0, 2, a, 0, 2, c, 0, 2), /m must be an integer/);
    assert.throws(() => addon.unary(1, a, 1, 6, 3, 1, 1, 2, 3, new Float32Array(6)), /x: the view at offset 1 reaches elements 1\.\.6 of 6/);
    assert.throws(() => addon.unary(1, a, 0, 6, 3, 1, 2, 2, 3, new Float32Array(12)), /reaches elements 0\.\.11 of 6/);
    assert.throws(() => addon.unary(1, a, 0, 6, 3, 1, 1, 2, 3, new Float64Array(6)), /wrong element type/);
    assert.throws(() => addon.binary(7, a, 0, 6, 3, 1, a, 0, 6, 3, 1, 1, 2, 3, new Float32Array(6)), /wrong element type/);
    assert.throws(() => addon.reduce(0, a, 1, 2, 3, new Float32Array(2)), /exceeds/);
    assert.throws(() => addon.unary(99, a, 0, 6, 3, 1, 1, 2, 3, new Float32Array(6)), /unknown op/);
  });

  test('NABLA_BACKEND=js starts on the JS kernels without loading the addon', () => {
    const r = child({ NABLA_BACKEND: 'js' });
    assert.equal(r.backend, 'js');
    assert.equal(r.info.addon, 'not loaded');
    assert.equal(r.stderr, '');
  });

  test('by default the native backend is chosen, silently', () => {
    const r = child({ NABLA_BACKEND: '' });
    assert.equal(r.backend, 'native');
    assert.equal(r.info.addon, 'loaded');
    assert.ok(r.info.kernels.includes('gemm:native') && r.info.kernels.includes('im2col:native'), r.info.kernels.join(' '));
    assert.equal(r.info.simd, r.kernel!.simd);
    assert.equal(r.stderr, '');
  });

  test('an unknown NABLA_BACKEND value is named in one warning line', () => {
    const r = child({ NABLA_BACKEND: 'gpu' });
    assert.equal(r.backend, 'native');
    assert.match(r.stderr, /^nabla: NABLA_BACKEND=gpu is not 'js' or 'native'; using the native kernels\n$/);
  });

  test('on glibc the addon keeps large blocks on the heap, unless told not to or malloc is tuned already', (t) => {
    const glibc = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime;
    if (!glibc) return t.skip('not glibc: malloc is left alone');
    const clean = { NABLA_MALLOC_TUNING: '', GLIBC_TUNABLES: '', MALLOC_MMAP_THRESHOLD_: '', MALLOC_TRIM_THRESHOLD_: '' };
    assert.equal(child(clean).kernel!.malloc, 'glibc: mmap threshold 32 MiB, trim threshold 256 MiB');
    assert.equal(child({ ...clean, NABLA_MALLOC_TUNING: '0' }).kernel!.malloc, 'default (NABLA_MALLOC_TUNING=0)');
    assert.equal(child({ ...clean, GLIBC_TUNABLES: 'glibc.malloc.trim_threshold=1048576' }).kernel!.malloc, 'default (set by the environment)');
  });

  test('every other micro-kernel the CPU supports passes the GEMM suite (NABLA_KERNEL)', (t) => {
    const cpu = nativeKernelInfo()!.cpuSimd;
    const levels = ['portable', 'avx2', 'avx512'];
    const others = levels.slice(0, levels.indexOf(cpu) + 1).filter((l) => l !== nativeKernelInfo()!.simd);
    for (const level of others) {
      const r = child({ NABLA_KERNEL: level, NABLA_NUM_THREADS: '2' }, '--gemm');
      assert.equal(r.kernel!.simd, level);
      assert.equal(r.kernel!.threads, 2);
      assert.deepEqual(r.failures, [], level);
    }
    if (cpu !== 'avx512') t.diagnostic('this CPU lacks AVX-512F: the avx512f kernels were compiled but not run');
  });
});
