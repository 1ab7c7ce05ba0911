import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { getMask, layers, setMask, type Layer } from '../../src/nn/index.js';
import { runLayerTest } from './run-layer-test.js';

const { SimpleRNN, LSTM, GRU, Masking, Bidirectional, TimeDistributed, Embedding, Dense, Dropout } = layers;

function assertAllClose(a: nb.Tensor, b: nb.Tensor, what: string, tol = 1e-6): void {
  assert.deepEqual(a.shape, b.shape, `${what}: shapes`);
  const bd = b.data();
  Array.from(a.data()).forEach((v, i) => assert.ok(Math.abs(v - bd[i]!) <= tol, `${what}: element ${i}: ${v} vs ${bd[i]}`));
}

const LENGTHS = [4, 2, 3];
const T = 5;
const FEATURES = 3;
const gen = new nb.Generator(11);
/** The real (unpadded) sequences, none of whose steps is all zeros. */
const SEQS = LENGTHS.map((n) => nb.add(nb.randn([1, n, FEATURES], { generator: gen }), 0.01));
/** The sequences padded with zero steps at the end (`post`) or at the start (`pre`). */
function padded(where: 'post' | 'pre'): nb.Tensor {
  return nb.concat(SEQS.map((s) => nb.pad(s, [[0, 0], where === 'post' ? [0, T - s.shape[1]!] : [T - s.shape[1]!, 0], [0, 0]])), 0);
}

/** Checks `model(padded)` against `model(unpadded)` sample by sample. */
function checkPaddingInvariance(model: Layer, seqOutput: boolean, where: 'post' | 'pre'): void {
  const y = model.apply(padded(where));
  SEQS.forEach((s, b) => {
    const n = s.shape[1]!;
    const alone = model.apply(s);
    if (!seqOutput) return assertAllClose(y.slice([[b, b + 1]]), alone, `sample ${b}`);
    const real: [number, number] = where === 'post' ? [0, n] : [T - n, T];
    assertAllClose(y.slice([[b, b + 1], real]), alone, `sample ${b} real steps`);
    const pad: [number, number] = where === 'post' ? [n, T] : [0, T - n];
    assert.ok(Array.from(y.slice([[b, b + 1], pad]).data()).every((v) => v === 0), `sample ${b}: padded steps output zeros`);
  });
}

test('Masking: padded sequences give the outputs of the unpadded ones (every layer, both paddings)', () => {
  for (const where of ['post', 'pre'] as const) {
    for (const make of [
      () => new SimpleRNN(3),
      () => new LSTM(3),
      () => new GRU(3),
      () => new GRU(3, { resetAfter: false }),
      () => new LSTM(3, { goBackwards: true }),
    ]) {
      checkPaddingInvariance(new nb.Sequential([new Masking(), make()]), false, where);
    }
    checkPaddingInvariance(new nb.Sequential([new Masking(), new LSTM(4, { returnSequences: true })]), true, where);
  }
});

test('the mask passes through Dense, Dropout and a returnSequences RNN to a stacked RNN', () => {
  const stacked = new nb.Sequential([new Masking(), new Dense(4), new Dropout(0.3), new GRU(3, { returnSequences: true }), new LSTM(2)]);
  checkPaddingInvariance(stacked, false, 'post');
  const x = padded('post');
  const m = new Masking();
  const masked = m.apply(x);
  assert.deepEqual(getMask(masked)!.toArray(), LENGTHS.map((n) => Array.from({ length: T }, (_, t) => t < n)));
  assert.equal(getMask(new Dropout(0.5).apply(masked, true)), getMask(masked), 'Dropout in training keeps the mask');
  assert.equal(getMask(new layers.Flatten().apply(masked)), null, 'Flatten drops it');
});

test('Embedding({ maskZero }) masks id 0 for the recurrent layer', () => {
  const ids = nb.tensor([[3, 1, 4, 0, 0], [2, 7, 0, 0, 0]], { dtype: 'int32' });
  const emb = new Embedding(10, 4, { maskZero: true });
  const lstm = new LSTM(3, { returnSequences: true });
  const model = new nb.Sequential([emb, lstm]);
  const y = model.apply(ids);
  assert.deepEqual(getMask(emb.apply(ids))!.toArray(), [[true, true, true, false, false], [true, true, false, false, false]]);
  assertAllClose(y.slice([[0, 1], [0, 3]]), model.apply(nb.tensor([[3, 1, 4]], { dtype: 'int32' })), 'row 0');
  assertAllClose(y.slice([[1, 2], [0, 2]]), model.apply(nb.tensor([[2, 7]], { dtype: 'int32' })), 'row 1');
  assert.equal(emb.getConfig().maskZero, true);
});

test('an explicit mask in callWithState equals the Masking layer; a float 0/1 mask is accepted', () => {
  const x = padded('post');
  const gru = new GRU(3);
  const viaMasking = gru.apply(new Masking().apply(x));
  const mask = nb.tensor(LENGTHS.map((n) => Array.from({ length: T }, (_, t) => (t < n ? 1 : 0))));
  assertAllClose(gru.callWithState(x, { mask }).output, viaMasking, 'explicit float mask');
  assertAllClose(gru.callWithState(x, { mask: nb.gt(mask, 0) }).output, viaMasking, 'explicit bool mask');
  // an explicit null mask ignores the attached one
  const unmasked = gru.callWithState(new Masking().apply(x), { mask: null }).output;
  assert.ok(Math.abs(unmasked.data()[3]! - viaMasking.data()[3]!) > 1e-6, 'padded steps are read when the mask is turned off');
});

test('Bidirectional with masking: padded = unpadded, for every merge mode', () => {
  for (const mergeMode of ['concat', 'sum', 'mul', 'ave'] as const) {
    checkPaddingInvariance(new nb.Sequential([new Masking(), new Bidirectional(new LSTM(3), { mergeMode })]), false, 'post');
  }
  checkPaddingInvariance(new nb.Sequential([new Masking(), new Bidirectional(new GRU(3, { returnSequences: true }))]), true, 'post');
});

test('Bidirectional merges a forward run with a backward run put back in time order', () => {
  const x = nb.randn([2, 4, 3], { generator: new nb.Generator(12) });
  const bi = new Bidirectional(new SimpleRNN(2, { returnSequences: true }), { mergeMode: 'concat' });
  const y = bi.apply(x);
  assert.deepEqual(y.shape, [2, 4, 4]);
  const fwd = new SimpleRNN(2, { returnSequences: true });
  const bwdPlain = new SimpleRNN(2, { returnSequences: true });
  fwd.apply(x);
  bwdPlain.apply(x);
  fwd.loadStateDict(bi.forwardLayer.stateDict());
  bwdPlain.loadStateDict(bi.backwardLayer.stateDict());
  const reversed = x.slice([null, [null, null, -1]]);
  const bwd = bwdPlain.apply(reversed).slice([null, [null, null, -1]]);
  assertAllClose(y, nb.concat([fwd.apply(x), bwd], -1), 'concat');
  const res = new Bidirectional(new SimpleRNN(2, { returnSequences: true }), { mergeMode: null });
  assert.throws(() => res.apply(x), /mergeMode null there are two outputs; use callWithState\(x\)\.outputs/);
  res.forwardLayer.loadStateDict(fwd.stateDict());
  res.backwardLayer.loadStateDict(bwdPlain.stateDict());
  const both = res.callWithState(x);
  assertAllClose(both.outputs[0], fwd.apply(x), 'forward output');
  assertAllClose(both.outputs[1], bwd, 'backward output');
  const ave = new Bidirectional(new SimpleRNN(2, { returnSequences: true }), { mergeMode: 'ave' });
  ave.apply(x);
  ave.loadStateDict(bi.stateDict());
  assertAllClose(ave.apply(x), nb.mul(nb.add(fwd.apply(x), bwd), 0.5), 'ave');
  const lstmBi = new Bidirectional(new LSTM(2));
  assert.equal(lstmBi.callWithState(x).states.length, 4, 'forward [h, c] then backward [h, c]');
});

test('Bidirectional and TimeDistributed pass runLayerTest', () => {
  const input = nb.randn([2, 3, 4], { generator: new nb.Generator(13) });
  runLayerTest({
    make: () => new Bidirectional(new LSTM(2, { name: 'l' }), { name: 'bi' }),
    input,
    outputShape: [2, 4],
    trainable: {
      'forwardLayer.kernel': [4, 8],
      'forwardLayer.recurrentKernel': [2, 8],
      'forwardLayer.bias': [8],
      'backwardLayer.kernel': [4, 8],
      'backwardLayer.recurrentKernel': [2, 8],
      'backwardLayer.bias': [8],
    },
  });
  runLayerTest({
    make: () => new Bidirectional(new GRU(2, { name: 'g', returnSequences: true }), { name: 'bi2', mergeMode: 'sum' }),
    input,
    outputShape: [2, 3, 2],
    trainable: {
      'forwardLayer.kernel': [4, 6],
      'forwardLayer.recurrentKernel': [2, 6],
      'forwardLayer.bias': [2, 6],
      'backwardLayer.kernel': [4, 6],
      'backwardLayer.recurrentKernel': [2, 6],
      'backwardLayer.bias': [2, 6],
    },
  });
  runLayerTest({ make: () => new TimeDistributed(new Dense(5, { name: 'd' }), { name: 'td' }), input, outputShape: [2, 3, 5], trainable: { 'layer.kernel': [4, 5], 'layer.bias': [5] } });
  runLayerTest({ make: () => new Masking({ maskValue: -1, name: 'm' }), input, outputShape: [2, 3, 4], trainable: {} });
});

test('TimeDistributed applies the layer to each step on its own and keeps the mask', () => {
  const x = nb.randn([2, 3, 4], { generator: new nb.Generator(14) });
  const td = new TimeDistributed(new Dense(2));
  const y = td.apply(x);
  const dense = td.layer as InstanceType<typeof Dense>;
  for (let t = 0; t < 3; t++) assertAllClose(y.slice([null, t]), dense.apply(x.slice([null, t])), `step ${t}`);
  const masked = new Masking().apply(padded('post'));
  assert.equal(getMask(new TimeDistributed(new Dense(2)).apply(masked)), getMask(masked));
  assert.throws(() => td.apply(nb.zeros([2, 4])), /TimeDistributed 'time_distributed(_\d+)?': expected inputs of shape \[batch, timesteps, \.\.\.\] with rank >= 3, got \[2,4\]/);
});

test('Masking zeroes the masked steps; maskValue is configurable', () => {
  const x = nb.tensor([[[1, 2], [-1, -1], [0, -1]]]);
  const m = new Masking({ maskValue: -1 });
  const y = m.apply(x);
  assert.deepEqual(y.toArray(), [[[1, 2], [0, 0], [0, -1]]]);
  assert.deepEqual(getMask(y)!.toArray(), [[true, false, true]]);
  assert.throws(() => m.apply(nb.zeros([2, 3])), /Masking 'masking(_\d+)?': expected inputs of shape \[batch, timesteps, features\], got \[2,3\]/);
});

test('bad masks and bad wrappers are clear errors', () => {
  const lstm = new LSTM(2, { name: 'lstm' });
  const x = nb.zeros([2, 3, 4]);
  assert.throws(() => lstm.callWithState(x, { mask: nb.ones([2, 4], { dtype: 'bool' }) }), /LSTM 'lstm': mask of shape \[2,4\] does not match the input's \[batch, timesteps\] = \[2,3\]/);
  assert.throws(() => lstm.callWithState(x, { mask: nb.ones([2, 3, 1], { dtype: 'bool' }) }), /mask of shape \[2,3,1\] does not match/);
  assert.throws(() => setMask(x, nb.ones([3, 3], { dtype: 'bool' })), /setMask: mask of shape \[3,3\] does not match the leading dims of the tensor's shape \[2,3,4\]/);
  assert.throws(() => new Bidirectional(new Dense(2) as unknown as InstanceType<typeof LSTM>), /Bidirectional: expects a recurrent layer \(SimpleRNN, LSTM, GRU\), got Dense/);
  assert.throws(() => new Bidirectional(new LSTM(2), { mergeMode: 'max' as 'sum' }), /mergeMode must be one of 'concat', 'sum', 'mul', 'ave' or null, got "max"/);
  assert.throws(() => new Bidirectional(new LSTM(2), { backwardLayer: new LSTM(2) }), /backwardLayer must read in the opposite direction/);
});

test('a Sequential of Embedding(maskZero), Bidirectional(LSTM), TimeDistributed and GRU saves and loads', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const model = new nb.Sequential([
    new Embedding(12, 4, { maskZero: true }),
    new Bidirectional(new LSTM(3, { returnSequences: true }), { mergeMode: 'sum' }),
    new TimeDistributed(new Dense(3, { activation: 'relu' })),
    new GRU(2, { resetAfter: false }),
  ]);
  const ids = nb.tensor([[5, 3, 0, 0], [1, 2, 11, 4]], { dtype: 'int32' });
  const y = model.apply(ids);
  const dir = mkdtempSync(join(tmpdir(), 'nabla-rnn-'));
  try {
    await model.save(dir);
    const loaded = nb.loadModel(dir);
    assertAllClose(loaded.apply(ids), y, 'loaded model output', 0);
    // the loaded model still masks: row 0 equals its unpadded form
    assertAllClose(loaded.apply(ids).slice([[0, 1]]), loaded.apply(nb.tensor([[5, 3]], { dtype: 'int32' })), 'masked row');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
