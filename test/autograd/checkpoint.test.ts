import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { layers } from '../../src/nn/index.js';
import type { Layer, Tensor } from '../../src/index.js';
import { graphBytes } from '../../src/nn/summary.js';

/** An MLP block: Dense → GELU → Dense, with an optional dropout in between. */
class Block extends nb.Layer {
  up = new layers.Dense(16, { activation: 'gelu' });
  drop: Layer;
  down = new layers.Dense(8);
  constructor(dropout: number, seed?: number) {
    super();
    this.drop = new layers.Dropout(dropout, seed === undefined ? {} : { seed });
  }
  call(x: Tensor, training = false): Tensor {
    return this.down.apply(this.drop.apply(this.up.apply(x), training), training).add(x);
  }
}

/** The gradients of the block's weights and of x after `loss.backward()`, in a fixed order. */
function gradsOf(block: Layer, x: Tensor): number[][] {
  return [...block.weights.map((w) => Array.from(w.grad!.data())), Array.from(x.grad!.data())];
}

/** Runs `steps` blocks in sequence, each through `wrap`, and backpropagates a loss. */
function run(blocks: Layer[], x: Tensor, wrap: (b: Layer, h: Tensor) => Tensor): Tensor {
  let h = x;
  for (const b of blocks) h = wrap(b, h);
  const loss = h.mul(h).mean();
  loss.backward();
  return loss;
}

const plain = (b: Layer, h: Tensor) => b.apply(h, true);
const checkpointed = (b: Layer, h: Tensor) => nb.checkpoint((t) => b.apply(t, true), h);

function zeroGrads(blocks: Layer[], x: Tensor): void {
  for (const b of blocks) for (const w of b.weights) w.grad = null;
  x.grad = null;
}

test('checkpoint gives the same gradients as the plain block (MLP, weights closed over)', () => {
  nb.manualSeed(1);
  const blocks = [new Block(0), new Block(0), new Block(0)];
  const x = nb.randn([4, 8]).requireGrad();
  const l1 = run(blocks, x, plain).item();
  const ref = blocks.map((b) => gradsOf(b, x));
  zeroGrads(blocks, x);
  const l2 = run(blocks, x, checkpointed).item();
  assert.equal(l2, l1);
  assert.deepEqual(blocks.map((b) => gradsOf(b, x)), ref);
});

test('checkpoint replays dropout: same masks in the recompute, and the random streams are left as without it', () => {
  for (const seeded of [false, true]) {
    const rates = [0.5, 0.3];
    const blocks = rates.map((r, i) => new Block(r, seeded ? 11 + i : undefined));
    const x = nb.randn([6, 8]).requireGrad();
    nb.noGrad(() => blocks.forEach((b) => b.apply(x))); // build the weights first: their init draws too
    // the same random state for both runs: the global seed, and fresh seeded Dropout layers
    const rewind = () => {
      nb.manualSeed(7);
      blocks.forEach((b, i) => ((b as Block).drop = new layers.Dropout(rates[i]!, seeded ? { seed: 11 + i } : {})));
    };
    // what each generator draws next, after the step: the global one and each block's dropout
    const nextDraws = () => [nb.rand([3]).toArray(), ...blocks.map((b) => (b as Block).drop.apply(nb.ones([8]), true).toArray())];
    rewind();
    const l1 = run(blocks, x, plain).item();
    const ref = blocks.map((b) => gradsOf(b, x));
    const after = nextDraws();
    zeroGrads(blocks, x);
    rewind();
    const l2 = run(blocks, x, checkpointed).item();
    assert.equal(l2, l1, `loss (seeded: ${seeded})`);
    assert.deepEqual(blocks.map((b) => gradsOf(b, x)), ref, `gradients (seeded: ${seeded})`);
    assert.deepEqual(nextDraws(), after, `random streams after backward (seeded: ${seeded})`);
  }
});

test('the recompute runs with the training flag of the forward: a block applied without one inside a model called with training = true', () => {
  /** Applies each block through checkpoint, without a training flag: they inherit the model's. */
  class Net extends nb.Model {
    blocks = [new Block(0.5), new Block(0.5)];
    ckpt = true;
    call(x: Tensor): Tensor {
      let h = x;
      for (const b of this.blocks) h = this.ckpt ? nb.checkpoint((t) => b.apply(t), h) : b.apply(h);
      return h;
    }
  }
  /** Like Block, but its call leaves training to the ambient flag, as users write it. */
  class Inheriting extends Block {
    override call(x: Tensor): Tensor {
      return this.down.apply(this.drop.apply(this.up.apply(x))).add(x);
    }
  }
  const net = new Net();
  net.blocks = [new Inheriting(0.5), new Inheriting(0.5)];
  const x = nb.randn([6, 8]).requireGrad();
  nb.noGrad(() => net.apply(x));
  const step = (ckpt: boolean) => {
    net.ckpt = ckpt;
    nb.manualSeed(3);
    const loss = net.apply(x, true).pow(2).mean();
    loss.backward();   // outside the model's call: no ambient flag any more
    const grads = net.blocks.map((b) => gradsOf(b, x));
    zeroGrads(net.blocks, x);
    return { loss: loss.item(), grads };
  };
  const plainStep = step(false);
  const ckptStep = step(true);
  assert.equal(ckptStep.loss, plainStep.loss);
  assert.deepEqual(ckptStep.grads, plainStep.grads);
});

test('gradients reach weights and earlier activations that the function closes over', () => {
  const w = nb.tensor([[1, 2], [3, 4]], { requiresGrad: true });
  const a = nb.tensor([0.5, -1], { requiresGrad: true });
  const x = nb.tensor([[1, -2], [0.5, 2]], { requiresGrad: true });
  const loss = (ckpt: boolean) => {
    const outside = a.mul(3); // an activation computed before the block and read through the closure
    const f = (t: Tensor) => t.matmul(w).tanh().mul(outside);
    return (ckpt ? nb.checkpoint(f, x) : f(x)).mul(outside).sum();
  };
  loss(true).backward();
  const got = [w, a, x].map((t) => t.grad!.toArray());
  for (const t of [w, a, x]) t.grad = null;
  loss(false).backward();
  assert.deepEqual(got, [w, a, x].map((t) => t.grad!.toArray()));
  assert.ok((a.grad!.toArray() as number[]).some((v) => v !== 0));
});

test('nested checkpoints and the functional grad API', () => {
  const w1 = nb.randn([3, 3]).requireGrad();
  const w2 = nb.randn([3, 3]).requireGrad();
  const inner = (t: Tensor) => t.matmul(w2).sigmoid();
  const outer = (t: Tensor) => nb.checkpoint(inner, t.matmul(w1).relu()).mul(t);
  const f = (x: Tensor) => nb.checkpoint(outer, x).sum();
  const g = (x: Tensor) => inner(x.matmul(w1).relu()).mul(x).sum();
  const x = nb.randn([2, 3]);
  const ref = nb.gradients(g(x), [w1, w2]).map((t) => t.toArray());
  assert.deepEqual(nb.gradients(f(x), [w1, w2]).map((t) => t.toArray()), ref);
  assert.equal(w1.grad, null, 'gradients() must not accumulate into .grad through the checkpoint');
  const dx = nb.grad(f)(x) as Tensor;
  assert.deepEqual(dx.toArray(), (nb.grad(g)(x) as Tensor).toArray());
});

test('second derivatives through a checkpoint (createGraph)', () => {
  const cube = (x: Tensor) => nb.checkpoint((t) => t.mul(t).mul(t), x).sum();
  const d2 = nb.grad((x: Tensor) => (nb.grad(cube)(x) as Tensor).sum());
  assert.deepEqual((d2(nb.tensor([1, -2, 0.5], { dtype: 'float64' })) as Tensor).toArray(), [6, -12, 3]);
});

test('the graph behind a checkpointed block holds only its boundary, not its activations', () => {
  nb.manualSeed(3);
  const blocks = [new Block(0), new Block(0)];
  const x = nb.randn([32, 8]).requireGrad();
  const weights = blocks.flatMap((b) => { b.apply(x); return b.weights; });
  const forward = (wrap: (b: Layer, h: Tensor) => Tensor) => blocks.reduce((h, b) => wrap(b, h), x);
  const plainBytes = graphBytes([forward(plain)], [...weights, x]);
  const ckptBytes = graphBytes([forward(checkpointed)], [...weights, x]);
  // each checkpointed block keeps its output only: 2 blocks × [32, 8] float32
  assert.equal(ckptBytes, 2 * 32 * 8 * 4);
  // the plain blocks keep every intermediate: at least the two [32, 16] hidden layers each
  assert.ok(plainBytes > ckptBytes + 2 * 2 * 32 * 16 * 4, `plain ${plainBytes} vs checkpointed ${ckptBytes}`);
});

test('checkpoint is a plain call without recording, and checks its arguments', () => {
  const w = nb.ones([2]).requireGrad();
  const y = nb.noGrad(() => nb.checkpoint((t) => t.mul(w), nb.ones([2])));
  assert.equal(y.requiresGrad, false);
  const same = nb.tensor([1, 2], { requiresGrad: true });
  const id = nb.checkpoint((t) => t, same);
  assert.notEqual(id, same, 'returning an input gives a new tensor, leaving the input a leaf');
  assert.equal(same.isLeaf, true);
  assert.throws(() => nb.checkpoint(bad(42)), /checkpoint: the first argument must be a function of tensors, got number/);
  assert.throws(() => nb.checkpoint((t) => bad([t, t]), same), /checkpoint: the function must return one Tensor, got an array; checkpoint each output separately or concat them/);
  assert.throws(() => nb.checkpoint((t) => t, bad(null)), /checkpoint: input 0 must be a Tensor, got null/);
});

const bad = <T>(v: unknown): T => v as T;
