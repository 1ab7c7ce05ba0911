// The buffer pool (issue 17, Build 2): a backward pass hands the buffers it leaves dead to later
// allocations. No tensor anyone still holds may ever change or share its buffer with another,
// gradients are the same bits with the pool on and off, and nb.memory() reports what the pool holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import * as nb from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { recurrentScan } from '../../src/ops/recurrent.js';

/** Parameters of a net that runs every path the pool touches, each buffer ≥ 64 KiB. */
function makeParams() {
  nb.manualSeed(7);
  const p = {
    kernel: nb.randn([3, 3, 8, 16]).mul(0.2),
    w: nb.randn([64, 256]).mul(0.1),
    u: nb.randn([64, 256]).mul(0.1),
    q: nb.randn([2, 4, 128, 32]),
  };
  for (const t of Object.values(p)) t.requiresGrad = true;
  return p;
}
type Params = ReturnType<typeof makeParams>;

function makeInputs() {
  nb.manualSeed(8);
  return { img: nb.randn([4, 32, 32, 8]), seq: nb.randn([16, 32, 64]), kv: nb.randn([2, 4, 128, 32]) };
}
type Inputs = ReturnType<typeof makeInputs>;

/**
 * A loss over a convolution, ReLU and max pooling; an LSTM scan; fused attention; and a product
 * used twice (its gradient accumulated). Every intermediate a user could hold is pushed on `keep`.
 */
function loss(p: Params, x: Inputs, keep: Tensor[]): Tensor {
  const conv = nb.relu(nb.conv2d(x.img, p.kernel));
  const pooled = nb.maxPool2d(conv, 2);
  const xp = nb.matmul(x.seq, p.w); // [16, 32, 256]
  const h0 = nb.zeros([32, 64]);
  const states = recurrentScan(xp, p.u, [h0, h0], { cell: 'lstm', activation: 'tanh', recurrentActivation: 'sigmoid' });
  const att = nb.scaledDotProductAttention(p.q, x.kv, x.kv, { causal: true });
  const twice = nb.matmul(x.seq.reshape([512, 64]), p.w); // read by two ops below
  keep.push(conv, pooled, xp, states, att, twice);
  return nb.add(
    nb.add(conv.mul(2).pow(2).mean(), pooled.sum().mul(1e-3)),
    nb.add(nb.add(states.mul(2).pow(2).mean(), att.mul(2).pow(2).mean()), nb.add(twice.tanh().mean(), twice.mul(2).pow(2).mean())),
  );
}

const copy = (t: Tensor) => Float32Array.from(t.data() as Float32Array);

/** Trains `steps` steps of plain SGD, returning every gradient and intermediate it made, with copies taken as each was made. */
function train(steps: number) {
  const p = makeParams();
  const x = makeInputs();
  const held: { t: Tensor; at: Float32Array; what: string }[] = [];
  for (let s = 0; s < steps; s++) {
    const keep: Tensor[] = [];
    const l = loss(p, x, keep);
    keep.push(l);
    l.backward();
    for (const [name, t] of Object.entries(p)) keep.push(t.grad!), void name;
    keep.forEach((t, i) => held.push({ t, at: copy(t), what: `step ${s}, tensor ${i}` }));
    nb.noGrad(() => {
      for (const t of Object.values(p)) {
        t.storage.set(t.sub(t.grad!.mul(0.01)).data());
        t.grad = null;
      }
    });
  }
  return held;
}

test('buffer pool: no tensor a user holds changes under later steps, and no two of them share a buffer', () => {
  const before = nb.memory();
  const held = train(4);
  const after = nb.memory();
  assert.ok(after.reusedBytes - before.reusedBytes > 10e6, `the pool was used: ${after.reusedBytes - before.reusedBytes} bytes reused`);
  for (const h of held) assert.deepEqual(copy(h.t), h.at, `${h.what} kept its values`);
  const owner = new Map<ArrayBufferLike, string>();
  for (const h of held) {
    const seen = owner.get(h.t.storage.buffer);
    assert.equal(seen, undefined, `${h.what} shares its buffer with ${seen}`);
    owner.set(h.t.storage.buffer, h.what);
  }
});

test('buffer pool: gradients are the same bits with the pool on and off (in-place accumulation included)', () => {
  const run = () => {
    const p = makeParams();
    const l = loss(p, makeInputs(), []);
    l.backward();
    return Object.values(p).map((t) => copy(t.grad!));
  };
  run(); // fills the pool
  const pooled = run();
  const previous = nb.setBufferPoolLimit(0);
  try {
    assert.equal(nb.memory().pooledBytes, 0, 'a limit of 0 empties the pool');
    const plain = run();
    pooled.forEach((g, i) => assert.deepEqual(g, plain[i], `gradient ${i}`));
  } finally {
    nb.setBufferPoolLimit(previous);
  }
});

test('buffer pool: with retainGraph the saved buffers live on, and a second backward doubles the gradients', () => {
  const p = makeParams();
  const l = loss(p, makeInputs(), []);
  l.backward(undefined, { retainGraph: true });
  const once = Object.values(p).map((t) => copy(t.grad!));
  // allocations between the two passes take whatever the pool holds
  for (let i = 0; i < 3; i++) loss(makeParams(), makeInputs(), []).backward();
  l.backward();
  Object.values(p).forEach((t, i) => {
    const twice = copy(t.grad!);
    const worst = twice.reduce((m, v, j) => Math.max(m, Math.abs(v - 2 * once[i]![j]!)), 0);
    assert.ok(worst <= 1e-5 * (1 + Math.max(...once[i]!.map(Math.abs))), `gradient ${i}: ${worst}`);
  });
});

test('buffer pool: what a customGrad VJP or a checkpointed block keeps is never pooled', () => {
  let seenGrad: Tensor | null = null;
  let madeGrad: Tensor | null = null;
  let inner: Tensor | null = null;
  const scaled = nb.customGrad((x: Tensor) => ({
    value: x.mul(2),
    grad: (dy) => {
      seenGrad = dy;
      madeGrad = dy.mul(2);
      return madeGrad;
    },
  }));
  const block = (x: Tensor) => {
    inner = x.mul(x);
    return inner.tanh();
  };
  const x = nb.randn([256, 256]).requireGrad();
  const y = scaled(nb.checkpoint(block, x.mul(1.5)));
  y.mul(2).pow(2).sum().backward();
  const kept = [seenGrad!, madeGrad!, inner!].map((t) => ({ t, at: copy(t) }));
  const gx = nb.grad((a: Tensor) => a.tanh().mul(2).pow(2).sum())(x);
  const gxAt = copy(gx);
  for (let i = 0; i < 3; i++) loss(makeParams(), makeInputs(), []).backward();
  kept.forEach((k, i) => assert.deepEqual(copy(k.t), k.at, `kept tensor ${i}`));
  assert.deepEqual(copy(gx), gxAt, 'a result of nb.grad');
});

test('memory(): pooled bytes, live bytes outside the pool, peak resident memory; the pool limit', () => {
  const x = nb.randn([512, 512]).requireGrad();
  x.tanh().mul(2).pow(2).sum().backward();
  const m = nb.memory();
  assert.ok(m.pooledBytes >= 512 * 512 * 4, `a backward leaves its dead buffers in the pool: ${m.pooledBytes}`);
  assert.equal(m.liveBytes, m.arrayBufferBytes! - m.pooledBytes, 'live: the ArrayBuffer bytes outside the pool');
  assert.ok(m.peakRssBytes! >= process.memoryUsage().rss * 0.5 && m.peakRssBytes! >= m.arrayBufferBytes!, `peak RSS ${m.peakRssBytes}`);
  const big = nb.zeros([1 << 22]); // 16 MiB, new: nothing of that size waits in the pool
  assert.ok(nb.memory().liveBytes! - m.liveBytes! >= 16 << 20, 'a new tensor shows in the live bytes');
  void big;
  const previous = nb.setBufferPoolLimit(1 << 20);
  assert.equal(previous, 1 << 30, 'the default limit is 1 GiB');
  assert.ok(nb.memory().pooledBytes <= 1 << 20, 'lowering the limit trims the pool');
  nb.setBufferPoolLimit(previous);
  assert.throws(() => nb.setBufferPoolLimit(-1), /setBufferPoolLimit: the limit must be a number of bytes ≥ 0 \(0 turns the pool off\), got -1/);
});

test('buffer pool: a synchronous loop of many backward passes keeps no per-step bookkeeping (the JS heap stays flat)', () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const w = nb.randn([256, 256]).requireGrad();
  const x = nb.randn([64, 256]);
  const step = () => {
    nb.matmul(x, w).tanh().mean().backward();
    w.grad = null;
  };
  for (let i = 0; i < 2000; i++) step();
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 20000; i++) step(); // never yields to the event loop
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  // 20,000 steps × 2 large storages: an entry per storage (≈ 100 bytes) would be ≥ 4 MB
  assert.ok(grown < 2e6, `the JS heap grew by ${(grown / 1e6).toFixed(2)} MB`);
});
