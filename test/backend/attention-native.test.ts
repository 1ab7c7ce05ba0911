/**
 * The native fused attention kernels (native/attention.c) against the JS reference kernels, called
 * directly on raw views: float32 and float64, grouped-query heads, causal with fewer queries than
 * keys, bool and float masks with broadcast (stride-0) dims, permuted q/k/v, rows that see no key,
 * several threads, the AVX2 and the portable builds of the kernels (the latter in a child process
 * with NABLA_KERNEL=portable); and the argument checks of the C wrappers. Skipped when the addon
 * is not built.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { jsBackend, type View } from '../../src/backend/index.js';
import type { AttentionGeometry } from '../../src/backend/backend.js';
import { nativeBackend, nativeKernelInfo, nativeUnavailableReason, setNativeThreads } from '../../src/backend/index.js';
import { loadAddon } from '../../src/backend/native/addon.js';

const native = nativeBackend({ minElements: 0, minGemm: 0 });
const skip = native ? false : `native addon unavailable: ${nativeUnavailableReason()}`;

type FloatCtor = Float32ArrayConstructor | Float64ArrayConstructor;

function values(n: number, seed: number, Ctor: FloatCtor): Float32Array | Float64Array {
  let s = seed;
  const out = new Ctor(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 3;
  }
  return out;
}

/** A contiguous `[B, H, T, D]` view, or (permuted) the same sizes stored as `[B, T, H, D]`. */
function heads(b: number, h: number, t: number, d: number, seed: number, Ctor: FloatCtor, permuted: boolean): View {
  const data = values(b * h * t * d + 3, seed, Ctor);
  const strides = permuted ? [t * h * d, d, h * d, 1] : [h * t * d, t * d, d, 1];
  return { data, shape: [b, h, t, d], strides, offset: 3 };
}

interface Case {
  label: string;
  g: Omit<AttentionGeometry, 'scale'>;
  mask?: 'bool' | 'float';
  permuted?: boolean;
}

const CASES: Case[] = [
  { label: 'plain', g: { batch: 2, heads: 3, kvHeads: 3, queries: 5, keys: 7, depth: 8, valueDepth: 4, causal: false } },
  { label: 'GQA causal, fewer queries than keys', g: { batch: 2, heads: 4, kvHeads: 2, queries: 3, keys: 9, depth: 5, valueDepth: 6, causal: true } },
  { label: 'MQA, bool mask broadcast over batch and heads, permuted', g: { batch: 3, heads: 4, kvHeads: 1, queries: 6, keys: 6, depth: 4, valueDepth: 4, causal: true }, mask: 'bool', permuted: true },
  { label: 'float mask broadcast over heads', g: { batch: 2, heads: 2, kvHeads: 2, queries: 4, keys: 5, depth: 16, valueDepth: 3, causal: false }, mask: 'float' },
  { label: 'two blocks of query rows (the forward splits at 64)', g: { batch: 1, heads: 2, kvHeads: 1, queries: 70, keys: 75, depth: 4, valueDepth: 3, causal: true } },
  { label: 'more queries than keys (leading rows see nothing)', g: { batch: 1, heads: 2, kvHeads: 1, queries: 6, keys: 3, depth: 3, valueDepth: 2, causal: true } },
];

function runBoth(c: Case, Ctor: FloatCtor) {
  const g: AttentionGeometry = { ...c.g, scale: 1 / Math.sqrt(c.g.depth) };
  const permuted = c.permuted ?? false;
  const q = heads(g.batch, g.heads, g.queries, g.depth, 1, Ctor, permuted);
  const k = heads(g.batch, g.kvHeads, g.keys, g.depth, 2, Ctor, permuted);
  const v = heads(g.batch, g.kvHeads, g.keys, g.valueDepth, 3, Ctor, permuted);
  const dOut = heads(g.batch, g.heads, g.queries, g.valueDepth, 4, Ctor, false);
  let mask: View | null = null;
  if (c.mask) {
    // [queries, keys] broadcast over batch and heads (also over heads only for the float mask)
    const n = g.queries * g.keys;
    const data = c.mask === 'bool' ? Uint8Array.from(values(n * g.batch, 5, Float64Array), (x, i) => (x > -0.5 || i % g.keys === 0 ? 1 : 0)) : values(n * g.batch, 5, Ctor);
    const sb = c.mask === 'bool' ? 0 : n;
    mask = { data, shape: [g.batch, g.heads, g.queries, g.keys], strides: [sb, 0, g.keys, 1], offset: 0 };
  }
  const rows = g.batch * g.heads * g.queries;
  const results = [jsBackend, native!].map((b) => {
    const out = new Ctor(rows * g.valueDepth);
    const lse = new Ctor(rows);
    b.attentionForward(q, k, v, mask, g, out, lse);
    const dq = new Ctor(rows * g.depth);
    const dk = new Ctor(g.batch * g.kvHeads * g.keys * g.depth);
    const dv = new Ctor(g.batch * g.kvHeads * g.keys * g.valueDepth);
    b.attentionBackward(q, k, v, mask, g, out, lse, dOut, dq, dk, dv);
    return { out, lse, dq, dk, dv };
  });
  return results as [typeof results[0], typeof results[0]];
}

describe('native fused attention', { skip }, () => {
  for (const [name, Ctor, tol] of [['float32', Float32Array, 2e-5], ['float64', Float64Array, 1e-12]] as const) {
    for (const c of CASES) {
      test(`${name}: ${c.label}: forward and backward match the JS kernels`, () => {
        const [js, nat] = runBoth(c, Ctor);
        for (const key of ['out', 'lse', 'dq', 'dk', 'dv'] as const) {
          const a = js[key];
          const b = nat[key];
          for (let i = 0; i < a.length; i++) {
            const ok = a[i] === b[i] || Math.abs(a[i]! - b[i]!) <= tol * (1 + Math.abs(a[i]!));
            assert.ok(ok, `${key}[${i}]: native ${b[i]}, JS ${a[i]}`);
          }
        }
        if (c.label.startsWith('more queries')) {
          // rows 0..2 of each head see no key: lse −∞, output 0
          assert.equal(nat.lse[0], -Infinity);
          assert.equal(nat.out[0], 0);
        }
      });
    }
  }

  test('one thread and several give the same result', () => {
    const c = CASES[1]!;
    setNativeThreads(1);
    const [, one] = runBoth(c, Float64Array);
    setNativeThreads(4);
    const [, four] = runBoth(c, Float64Array);
    assert.deepEqual(Array.from(one.dk), Array.from(four.dk));
    assert.deepEqual(Array.from(one.out), Array.from(four.out));
  });

  test('the C wrappers reject bad arguments with a clear message', () => {
    const r = loadAddon();
    assert.ok('addon' in r);
    const addon = r.addon;
    const dims = new Float64Array(30);
    dims.set([1, 2, 1, 2, 3, 4, 4, 0.5, 0]);
    const f = (n: number) => new Float32Array(n);
    // q is [1, 2, 2, 4] with contiguous strides, k and v [1, 1, 3, 4]
    dims.set([0, 16, 8, 4], 9);
    dims.set([0, 12, 12, 4], 13);
    dims.set([0, 12, 12, 4], 17);
    assert.doesNotThrow(() => addon.attentionForward(dims, f(16), f(12), f(12), null, f(16), f(4)));
    assert.throws(() => addon.attentionForward(dims, f(15), f(12), f(12), null, f(16), f(4)), /nabla native attentionForward: q: the block at offset 0 reaches element 15 of 15/);
    assert.throws(() => addon.attentionForward(dims, f(16), f(12), new Float64Array(12), null, f(16), f(4)), /q, k and v must be all Float32Array or all Float64Array/);
    assert.throws(() => addon.attentionForward(dims, f(16), f(12), f(12), null, f(15), f(4)), /out must be an array of the inputs' type with at least 16 elements/);
    const bad = dims.slice();
    bad[2] = 3;
    assert.throws(() => addon.attentionForward(bad, f(16), f(12), f(12), null, f(16), f(4)), /heads must be a multiple of kvHeads/);
    assert.throws(() => addon.attentionForward(dims.slice(0, 29), f(16), f(12), f(12), null, f(16), f(4)), /dims must be a Float64Array of 30 numbers/);
  });

  test('the portable (non-AVX) kernels agree with the JS ones too', { skip: process.env['NABLA_ATTENTION_CHILD'] === '1' }, () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', fileURLToPath(import.meta.url)], {
      encoding: 'utf8',
      // without NODE_TEST_CONTEXT, which would make the child report to this runner instead of stdout
      env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT')), NABLA_KERNEL: 'portable', NABLA_ATTENTION_CHILD: '1' },
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /# pass 1[1-9]/);
  });

  test('the kernels run at the SIMD level the addon reports', { skip: process.env['NABLA_ATTENTION_CHILD'] !== '1' }, () => {
    assert.equal(nativeKernelInfo()?.simd, 'portable');
  });
});
