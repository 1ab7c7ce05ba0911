import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { layers } from '../../src/nn/index.js';
import { runLayerTest } from './run-layer-test.js';

const { SimpleRNN, LSTM, GRU } = layers;
type Vec = number[];
type Mat = number[][];

function assertClose(got: nb.Tensor, want: number[] | number[][] | number[][][], tol = 1e-6): void {
  const g = Array.from(got.data());
  const w = (want as unknown[]).flat(3) as number[];
  assert.equal(g.length, w.length, `sizes ${g.length} vs ${w.length}`);
  g.forEach((v, i) => assert.ok(Math.abs(v - w[i]!) <= tol, `element ${i}: ${v} vs ${w[i]}`));
}

// ---- independent references, written gate by gate on plain numbers (Keras' formulas) ----
const sigm = (v: number) => 1 / (1 + Math.exp(-v));
/** column j of v·M */
const vm = (v: Vec, m: Mat, j: number) => v.reduce((s, vi, i) => s + vi * m[i]![j]!, 0);

function refSimpleRNN(xs: Mat, W: Mat, U: Mat, b: Vec): Mat {
  const n = b.length;
  let h: Vec = new Array<number>(n).fill(0);
  const out: Mat = [];
  for (const x of xs) {
    h = b.map((bj, j) => Math.tanh(vm(x, W, j) + vm(h, U, j) + bj));
    out.push(h);
  }
  return out;
}

function refLSTM(xs: Mat, W: Mat, U: Mat, b: Vec): { hs: Mat; c: Vec } {
  const n = b.length / 4;
  let h: Vec = new Array<number>(n).fill(0);
  let c: Vec = new Array<number>(n).fill(0);
  const hs: Mat = [];
  for (const x of xs) {
    const gate = (k: number, j: number) => vm(x, W, k * n + j) + vm(h, U, k * n + j) + b[k * n + j]!;
    const nextC: Vec = [];
    const nextH: Vec = [];
    for (let j = 0; j < n; j++) {
      const i = sigm(gate(0, j));
      const f = sigm(gate(1, j));
      const g = Math.tanh(gate(2, j));
      const o = sigm(gate(3, j));
      nextC.push(f * c[j]! + i * g);
      nextH.push(o * Math.tanh(nextC[j]!));
    }
    h = nextH;
    c = nextC;
    hs.push(h);
  }
  return { hs, c };
}

function refGRU(xs: Mat, W: Mat, U: Mat, bIn: Vec, bRec: Vec, resetAfter: boolean): Mat {
  const n = U.length;
  let h: Vec = new Array<number>(n).fill(0);
  const hs: Mat = [];
  for (const x of xs) {
    const next: Vec = [];
    for (let j = 0; j < n; j++) {
      const z = sigm(vm(x, W, j) + bIn[j]! + vm(h, U, j) + bRec[j]!);
      const r = sigm(vm(x, W, n + j) + bIn[n + j]! + vm(h, U, n + j) + bRec[n + j]!);
      let cand: number;
      if (resetAfter) {
        cand = Math.tanh(vm(x, W, 2 * n + j) + bIn[2 * n + j]! + r * (vm(h, U, 2 * n + j) + bRec[2 * n + j]!));
      } else {
        // (r ∘ h)·U_h: the reset gate of every unit k scales h_k before the product
        const rh = h.map((hk, k) => sigm(vm(x, W, n + k) + bIn[n + k]! + vm(h, U, n + k)) * hk);
        cand = Math.tanh(vm(x, W, 2 * n + j) + bIn[2 * n + j]! + vm(rh, U, 2 * n + j));
      }
      next.push(z * h[j]! + (1 - z) * cand);
    }
    h = next;
    hs.push(h);
  }
  return hs;
}

/** A deterministic, irregular matrix of small values. */
const fill = (rows: number, cols: number, seed: number): Mat =>
  Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (((i * 7 + j * 3 + seed * 5) % 13) - 6) / 10));

const X: Mat[] = [
  [[0.5, -1, 0.25], [1, 0.3, -0.7]],
  [[-0.2, 0.8, 1.5], [0.1, -0.4, 0.6]],
];

test('SimpleRNN: hand-computed 1-unit example and the 2-unit reference', () => {
  const rnn = new SimpleRNN(1, { returnSequences: true });
  rnn.apply(nb.zeros([1, 2, 1]));
  rnn.loadStateDict({ kernel: nb.tensor([[0.5]]), recurrentKernel: nb.tensor([[0.8]]), bias: nb.tensor([0.1]) });
  // h1 = tanh(0.5·1 + 0.1) = 0.537050; h2 = tanh(0.5·(−2) + 0.1 + 0.8·h1) = −0.438490
  assertClose(rnn.apply(nb.tensor([[[1], [-2]]])), [[[0.5370495669980353], [-0.43849042202909505]]]);

  const W = fill(3, 2, 1);
  const U = fill(2, 2, 2);
  const b = [0.1, -0.2];
  const seq = new SimpleRNN(2, { returnSequences: true });
  seq.apply(nb.zeros([2, 2, 3]));
  seq.loadStateDict({ kernel: nb.tensor(W), recurrentKernel: nb.tensor(U), bias: nb.tensor(b) });
  assertClose(seq.apply(nb.tensor(X)), X.map((xs) => refSimpleRNN(xs, W, U, b)));
});

test('LSTM: hand-computed 1-unit example (gates i, f, c, o) and the 2-unit reference', () => {
  const lstm = new LSTM(1);
  lstm.apply(nb.zeros([1, 2, 1]));
  lstm.loadStateDict({ kernel: nb.tensor([[0.5, 0.4, 0.3, 0.2]]), recurrentKernel: nb.tensor([[0.1, 0.2, 0.3, 0.4]]), bias: nb.tensor([0, 1, 0, 0]) });
  // step 1: i=σ(.5) f=σ(1.4) g=tanh(.3) o=σ(.2): c1 = 0.181330, h1 = o·tanh(c1) = 0.098623
  // step 2 (x = −1): c2 = 0.017606, h2 = 0.008097
  const { output, states } = lstm.callWithState(nb.tensor([[[1], [-1]]]));
  assertClose(output, [[0.008097061959377679]]);
  assertClose(states[0]!, [[0.008097061959377679]]);
  assertClose(states[1]!, [[0.017606106365597937]]);

  const W = fill(3, 8, 3);
  const U = fill(2, 8, 4);
  const b = [0.1, -0.1, 1, 1.2, 0, 0.3, -0.2, 0.2];
  const seq = new LSTM(2, { returnSequences: true });
  seq.apply(nb.zeros([2, 2, 3]));
  seq.loadStateDict({ kernel: nb.tensor(W), recurrentKernel: nb.tensor(U), bias: nb.tensor(b) });
  const res = seq.callWithState(nb.tensor(X));
  const refs = X.map((xs) => refLSTM(xs, W, U, b));
  assertClose(res.output, refs.map((r) => r.hs));
  assertClose(res.states[1]!, refs.map((r) => r.c));
});

test('GRU: hand-computed 1-unit examples and 2-unit references (resetAfter true and false)', () => {
  const after = new GRU(1, { returnSequences: true });
  after.apply(nb.zeros([1, 2, 1]));
  assert.deepEqual(after.bias!.shape, [2, 3]);
  after.loadStateDict({ kernel: nb.tensor([[0.5, -0.4, 0.3]]), recurrentKernel: nb.tensor([[0.2, 0.6, -0.7]]), bias: nb.tensor([[0.1, 0, 0.2], [0, 0.3, -0.1]]) });
  // z, r from x·W + b_in + h·U + b_rec; ĥ = tanh(x·W_h + b_in_h + r·(h·U_h + b_rec_h)); h = z·h + (1−z)·ĥ
  assertClose(after.apply(nb.tensor([[[1], [2]]])), [[[0.15022405562356006], [0.2638870596613285]]]);

  const before = new GRU(1, { returnSequences: true, resetAfter: false });
  before.apply(nb.zeros([1, 2, 1]));
  assert.deepEqual(before.bias!.shape, [3]);
  before.loadStateDict({ kernel: nb.tensor([[0.5, -0.4, 0.3]]), recurrentKernel: nb.tensor([[0.2, 0.6, -0.7]]), bias: nb.tensor([0.1, 0, 0.2]) });
  // ĥ = tanh(x·W_h + b_h + (r·h)·U_h)
  assertClose(before.apply(nb.tensor([[[1], [2]]])), [[[0.16374830045994684], [0.2803395739056555]]]);

  const W = fill(3, 6, 5);
  const U = fill(2, 6, 6);
  const bIn = [0.1, -0.2, 0.3, 0, 0.2, -0.1];
  const bRec = [0.05, 0.1, -0.3, 0.2, 0, 0.15];
  const g1 = new GRU(2, { returnSequences: true });
  g1.apply(nb.zeros([2, 2, 3]));
  g1.loadStateDict({ kernel: nb.tensor(W), recurrentKernel: nb.tensor(U), bias: nb.tensor([bIn, bRec]) });
  assertClose(g1.apply(nb.tensor(X)), X.map((xs) => refGRU(xs, W, U, bIn, bRec, true)));
  const g0 = new GRU(2, { returnSequences: true, resetAfter: false });
  g0.apply(nb.zeros([2, 2, 3]));
  g0.loadStateDict({ kernel: nb.tensor(W), recurrentKernel: nb.tensor(U), bias: nb.tensor(bIn) });
  assertClose(g0.apply(nb.tensor(X)), X.map((xs) => refGRU(xs, W, U, bIn, [0, 0, 0, 0, 0, 0], false)));
});

test('returnSequences false gives the last step; goBackwards reads the reversed sequence', () => {
  const x = nb.randn([2, 5, 3], { generator: new nb.Generator(4) });
  const seq = new LSTM(4, { returnSequences: true });
  const last = new LSTM(4);
  const back = new GRU(4, { goBackwards: true, returnSequences: true });
  const fwdOnReversed = new GRU(4, { returnSequences: true });
  for (const l of [seq, last, back, fwdOnReversed]) l.apply(x);
  last.loadStateDict(seq.stateDict());
  fwdOnReversed.loadStateDict(back.stateDict());
  assertClose(last.apply(x), seq.apply(x).slice([null, 4]).toArray() as number[][]);
  const reversed = x.slice([null, [null, null, -1]]);
  assertClose(back.apply(x), fwdOnReversed.apply(reversed).toArray() as number[][][]);
});

test('initialState starts the recurrence from the given states', () => {
  const x = nb.randn([2, 4, 3], { generator: new nb.Generator(5) });
  const lstm = new LSTM(3);
  const whole = lstm.callWithState(x);
  // running the first 2 steps, then the last 2 from the states reached, gives the same result
  const first = lstm.callWithState(x.slice([null, [0, 2]]));
  const rest = lstm.callWithState(x.slice([null, [2, 4]]), { initialState: first.states });
  assertClose(rest.output, whole.output.toArray() as number[][]);
  assertClose(rest.states[1]!, whole.states[1]!.toArray() as number[][]);
});

test('defaults follow Keras: orthogonal recurrent kernel, unit forget bias, config fields', () => {
  const lstm = new LSTM(3);
  lstm.apply(nb.zeros([1, 2, 4]));
  assert.deepEqual(Array.from(lstm.bias!.data()), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  const u = lstm.recurrentKernel; // [3, 12]: its rows are orthonormal
  const gram = nb.matmul(u, u.transpose()).toArray() as number[][];
  gram.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - (i === j ? 1 : 0)) < 1e-5, `gram[${i}][${j}] = ${v}`)));
  const noForget = new LSTM(2, { unitForgetBias: false });
  noForget.apply(nb.zeros([1, 1, 1]));
  assert.ok(Array.from(noForget.bias!.data()).every((v) => v === 0));
  const cfg = new GRU(2).getConfig();
  assert.equal(cfg.activation, 'tanh');
  assert.equal(cfg.recurrentActivation, 'sigmoid');
  assert.equal(cfg.resetAfter, true);
  assert.deepEqual(cfg.recurrentInitializer, { className: 'Orthogonal', config: { gain: 1, seed: null } });
  assert.deepEqual([cfg.returnSequences, cfg.returnState, cfg.goBackwards, cfg.dropout, cfg.recurrentDropout], [false, false, false, 0, 0]);
});

test('dropout and recurrentDropout change training outputs only, with one mask per sequence', () => {
  const x = nb.randn([3, 4, 5], { generator: new nb.Generator(6) });
  const plain = new LSTM(4, { seed: 1 });
  const drop = new LSTM(4, { dropout: 0.5, recurrentDropout: 0.5, seed: 1 });
  plain.apply(x);
  drop.apply(x);
  drop.loadStateDict(plain.stateDict());
  assertClose(drop.apply(x, false), plain.apply(x).toArray() as number[][]);
  const trained = drop.apply(x, true);
  assert.ok(Array.from(trained.data()).some((v, i) => Math.abs(v - plain.apply(x).data()[i]!) > 1e-4), 'training mode applies dropout');
  // an input dropped for a sequence is dropped at every step: zeroing that feature beforehand changes nothing
  const one = new SimpleRNN(2, { dropout: 0.5, seed: 3, returnSequences: true });
  const x1 = nb.randn([1, 6, 8], { generator: new nb.Generator(7) });
  one.apply(x1);
  const ref = one.apply(x1, true);
  const again = new SimpleRNN(2, { dropout: 0.5, seed: 3, returnSequences: true });
  again.apply(x1);
  again.loadStateDict(one.stateDict());
  // the same seed draws the same mask; feature k is dropped iff zeroing it leaves the output unchanged
  const outs = Array.from({ length: 8 }, (_, k) => {
    const probe = new SimpleRNN(2, { dropout: 0.5, seed: 3, returnSequences: true });
    probe.apply(x1);
    probe.loadStateDict(one.stateDict());
    const xk = nb.mul(x1, nb.tensor(Array.from({ length: 8 }, (_, j) => (j === k ? 0 : 1))));
    return probe.apply(xk, true);
  });
  assertClose(again.apply(x1, true), ref.toArray() as number[][][]);
  const unchanged = outs.filter((o) => Array.from(o.data()).every((v, i) => Math.abs(v - ref.data()[i]!) < 1e-7)).length;
  assert.ok(unchanged > 0 && unchanged < 8, `some but not all features dropped for the whole sequence (${unchanged} of 8)`);
});

test('SimpleRNN, LSTM and GRU pass runLayerTest', () => {
  const input = nb.randn([2, 3, 4], { generator: new nb.Generator(8) });
  runLayerTest({ make: () => new SimpleRNN(3, { name: 'rnn' }), input, outputShape: [2, 3], trainable: { kernel: [4, 3], recurrentKernel: [3, 3], bias: [3] } });
  runLayerTest({
    make: () => new LSTM(3, { name: 'lstm', returnSequences: true, recurrentRegularizer: 'l2' }),
    input,
    outputShape: [2, 3, 3],
    trainable: { kernel: [4, 12], recurrentKernel: [3, 12], bias: [12] },
  });
  runLayerTest({ make: () => new GRU(3, { name: 'gru', goBackwards: true }), input, outputShape: [2, 3], trainable: { kernel: [4, 9], recurrentKernel: [3, 9], bias: [2, 9] } });
  runLayerTest({ make: () => new GRU(2, { name: 'gru0', resetAfter: false, useBias: true }), input, outputShape: [2, 2], trainable: { kernel: [4, 6], recurrentKernel: [2, 6], bias: [6] } });
  runLayerTest({ make: () => new SimpleRNN(2, { name: 'nb', useBias: false, activation: 'relu' }), input, outputShape: [2, 2], trainable: { kernel: [4, 2], recurrentKernel: [2, 2] } });
});

test('bad input: wrong rank, wrong width, bad options, bad initial state', () => {
  const lstm = new LSTM(2, { name: 'lstm' });
  assert.throws(() => lstm.apply(nb.zeros([3, 4])), /LSTM 'lstm': expected inputs of shape \[batch, timesteps, features\] with at least one step, got \[3,4\]/);
  assert.throws(() => lstm.apply(nb.zeros([3, 0, 2])), /at least one step, got \[3,0,2\]/);
  lstm.apply(nb.zeros([1, 2, 5]));
  assert.throws(() => lstm.apply(nb.zeros([1, 2, 4])), /LSTM 'lstm': expected inputs with 5 features, got 4/);
  assert.throws(() => new GRU(0), /GRU: units must be a positive integer, got 0/);
  assert.throws(() => new SimpleRNN(2, { dropout: 1 }), /SimpleRNN: dropout must be a number in \[0, 1\), got 1/);
  assert.throws(() => new LSTM(2, { recurrentActivation: 'sigmod' }), /Unknown activation 'sigmod'/);
  assert.throws(() => lstm.callWithState(nb.zeros([1, 2, 5]), { initialState: [nb.zeros([1, 2])] }), /LSTM 'lstm': initialState must be an array of 2 tensor\(s\) \[batch, units\], got 1/);
  assert.throws(
    () => lstm.callWithState(nb.zeros([1, 2, 5]), { initialState: [nb.zeros([1, 2]), nb.zeros([2, 2])] }),
    /LSTM 'lstm': initialState\[1\] must have shape \[1,2\] \(\[batch, units\]\), got \[2,2\]/,
  );
});
