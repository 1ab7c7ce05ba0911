// summary() as Keras prints it (issue 11, item 7): a table by `name (ClassName)`, output shapes
// with a None batch, totals with their bytes; printed, and returned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { resetLayerNames } from '../../src/nn/index.js';
const { Dense, Dropout } = nb.layers;

test('summary prints and returns the Keras table of a trained model, without the batch size of the last call', async () => {
  resetLayerNames();
  const model = new nb.Sequential([new Dense(16, { activation: 'relu' }), new Dropout(0.5), new Dense(3)]);
  model.compile({ optimizer: 'adam', loss: 'mse' });
  await model.fit(nb.zeros([40, 8]), nb.zeros([40, 3]), { batchSize: 20, verbose: 0 });
  const printed: string[] = [];
  const text = model.summary({ printFn: (t) => printed.push(t) });
  assert.deepEqual(printed, [text]);
  assert.equal(text.split('\n').slice(0, 13).join('\n'), [
    'Model: "sequential"',
    '┏━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━┳━━━━━━━━━┓',
    '┃ Layer (type)      ┃ Output Shape ┃ Param # ┃',
    '┡━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━╇━━━━━━━━━┩',
    '│ dense (Dense)     │ (None, 16)   │     144 │',
    '├───────────────────┼──────────────┼─────────┤',
    '│ dropout (Dropout) │ (None, 16)   │       0 │',
    '├───────────────────┼──────────────┼─────────┤',
    '│ dense_1 (Dense)   │ (None, 3)    │      51 │',
    '└───────────────────┴──────────────┴─────────┘',
    ' Total params: 195 (780 B)',
    ' Trainable params: 195 (780 B)',
    ' Non-trainable params: 0 (0 B)',
  ].join('\n'));
  // the activation-memory estimate stays, at the batch size of the last call
  assert.match(text.split('\n')[13]!, /^ Activation memory \(batch 20, training\): \d+\.\d kB kept for backward \(estimated by tracing one step\)$/);
  assert.equal(text.split('\n').length, 14);
});

test('summary prints with console.log by default; printFn: null only returns the text', () => {
  const d = new Dense(2, { name: 'out' });
  d.apply(nb.zeros([5, 3, 4]));
  const logged: unknown[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => void logged.push(...args);
  let text: string;
  try {
    text = d.summary();
    d.summary({ printFn: null });
  } finally {
    console.log = original;
  }
  assert.deepEqual(logged, [text]);
  assert.match(text, /^Layer: "out"\n/);
  assert.match(text, /│ out \(Dense\)  │ \(None, 3, 2\) │      10 │/);
});
