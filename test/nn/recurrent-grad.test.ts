import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { functionalCall, layers, type Layer } from '../../src/nn/index.js';

const { SimpleRNN, LSTM, GRU, Bidirectional, TimeDistributed, Dense } = layers;

const X = () => nb.randn([2, 3, 2], { dtype: 'float64', generator: new nb.Generator(21) });
/** Sample 0 has 3 real steps, sample 1 has 2 (its last step is padding). */
const MASK = nb.tensor([[true, true, true], [true, true, false]], { dtype: 'bool' });

/** Gradcheck of `layer(x)` with respect to the input and every weight, in float64. */
function gradcheckLayer(layer: Layer, run: (l: Layer, x: nb.Tensor) => nb.Tensor = (l, x) => l.apply(x)): void {
  const x = X();
  layer.apply(x);
  const names = layer.namedParameters().map(([n]) => n);
  const weights = layer.namedParameters().map(([, w]) => w.detach());
  nb.testing.gradcheck(
    (xi, ...ws) => layer.withWeights(Object.fromEntries(names.map((n, i) => [n, ws[i]!])), () => run(layer, xi)),
    [x, ...weights],
  );
}

test('gradcheck: SimpleRNN, LSTM, GRU (both reset forms), sequences and last step', () => {
  gradcheckLayer(new SimpleRNN(2, { dtype: 'float64', returnSequences: true }));
  gradcheckLayer(new LSTM(2, { dtype: 'float64' }));
  gradcheckLayer(new LSTM(2, { dtype: 'float64', returnSequences: true, goBackwards: true }));
  gradcheckLayer(new GRU(2, { dtype: 'float64', returnSequences: true }));
  gradcheckLayer(new GRU(2, { dtype: 'float64', resetAfter: false }));
});

test('gradcheck with a mask, through the output and the final states', () => {
  const viaStates = (l: Layer, x: nb.Tensor) => {
    const { output, states } = (l as InstanceType<typeof LSTM>).callWithState(x, { mask: MASK });
    return nb.concat([output.reshape([2, -1]), ...states], 1);
  };
  gradcheckLayer(new LSTM(2, { dtype: 'float64', returnSequences: true }), viaStates);
  gradcheckLayer(new GRU(2, { dtype: 'float64', goBackwards: true }), viaStates);
  gradcheckLayer(new SimpleRNN(2, { dtype: 'float64', returnSequences: true }), viaStates);
});

test('gradcheck: initial states receive gradients', () => {
  const lstm = new LSTM(2, { dtype: 'float64' });
  const x = X();
  lstm.apply(x);
  const h0 = nb.randn([2, 2], { dtype: 'float64', generator: new nb.Generator(22) });
  const c0 = nb.randn([2, 2], { dtype: 'float64', generator: new nb.Generator(23) });
  nb.testing.gradcheck((h, c) => lstm.callWithState(x, { initialState: [h, c], mask: MASK }).output, [h0, c0]);
});

test('gradcheck: Bidirectional (masked) and TimeDistributed', () => {
  gradcheckLayer(new Bidirectional(new GRU(2, { dtype: 'float64', returnSequences: true }), { dtype: 'float64' }), (l, x) =>
    (l as InstanceType<typeof Bidirectional>).callWithState(x, { mask: MASK }).output,
  );
  gradcheckLayer(new Bidirectional(new LSTM(2, { dtype: 'float64' }), { mergeMode: 'mul', dtype: 'float64' }));
  const td = new TimeDistributed(new Dense(2, { dtype: 'float64', activation: 'tanh' }), { dtype: 'float64' });
  td.apply(X());
  const k = td.namedParameters()[0]![1].detach();
  nb.testing.gradcheck((x, kk) => functionalCall(td, { 'layer.kernel': kk }, x), [X(), k]);
});

test('a long sequence (2,000 steps) runs forward and backward without overflowing the stack', () => {
  const rnn = new GRU(4);
  const x = nb.randn([1, 2000, 2], { generator: new nb.Generator(24) });
  const y = rnn.apply(x, true);
  nb.sum(y).backward();
  const g = rnn.kernel.grad!;
  assert.deepEqual(g.shape, [2, 12]);
  assert.ok(Array.from(g.data()).every(Number.isFinite));
  assert.ok(Array.from(g.data()).some((v) => v !== 0));
});
