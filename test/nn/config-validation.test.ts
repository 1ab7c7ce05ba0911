/**
 * Issue 12, item 3: a model.json whose options have the wrong type is refused with an error that
 * names the layer, the option, what was given and what is expected, instead of loading and
 * predicting NaN ("epsilon": "0.001" passed `!(eps > 0)` and reached the kernel as a string).
 * Unknown (misspelt) keys are refused too. The table over every layer class is in
 * config-validation-table.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { describeValue } from '../../src/nn/config-check.js';

interface LayerSpec {
  className: string;
  config: Record<string, unknown>;
}

/** A saved Dense → LayerNormalization model whose model.json `edit` changes; returns its directory. */
async function savedModel(edit: (layers: LayerSpec[]) => void): Promise<string> {
  const model = new nb.Sequential([nb.Input([3]), new nb.layers.Dense(4, { name: 'dense_a' }), new nb.layers.LayerNormalization({ name: 'ln_a' })]);
  const dir = mkdtempSync(join(tmpdir(), 'nabla-config-check-'));
  await model.save(dir);
  const path = join(dir, 'model.json');
  const json = JSON.parse(readFileSync(path, 'utf8')) as { config: { layers: LayerSpec[] } };
  edit(json.config.layers);
  writeFileSync(path, JSON.stringify(json));
  return dir;
}

const ln = (layers: LayerSpec[]) => layers.find((l) => l.className === 'LayerNormalization')!.config;
const dense = (layers: LayerSpec[]) => layers.find((l) => l.className === 'Dense')!.config;

test('the untouched file loads and predicts finite values (the baseline the edits below break)', async () => {
  const model = nb.loadModel(await savedModel(() => {}));
  const y = model.predict(nb.tensor([[1, 2, 3]]));
  assert.ok(Array.from(y.data()).every(Number.isFinite));
});

test('"epsilon": "0.001" on a LayerNormalization is an error naming the layer, option, value and rule (it loaded and predicted NaN)', async () => {
  const dir = await savedModel((layers) => (ln(layers).epsilon = '0.001'));
  assert.throws(
    () => nb.loadModel(dir),
    (e: Error) => e instanceof nb.ValueError &&
      e.message.startsWith('LayerNormalization: epsilon must be a positive number, got the string "0.001"') &&
      e.message.includes("LayerNormalization 'ln_a'"),
  );
});

test('"epsilon": [0.001] is refused (an array is not a number, though [0.001] > 0 is true)', async () => {
  const dir = await savedModel((layers) => (ln(layers).epsilon = [0.001]));
  assert.throws(() => nb.loadModel(dir), { name: 'ValueError', message: /^LayerNormalization: epsilon must be a positive number, got the array \[0\.001\]/ });
});

test('boolean flags refuse numbers and strings: "center": 1, "useBias": 0, "trainable": "false"', async () => {
  let dir = await savedModel((layers) => (ln(layers).center = 1));
  assert.throws(() => nb.loadModel(dir), { name: 'ValueError', message: /^LayerNormalization: center must be true or false, got 1/ });
  dir = await savedModel((layers) => (dense(layers).useBias = 0));
  assert.throws(() => nb.loadModel(dir), { name: 'ValueError', message: /^Dense: useBias must be true or false, got 0 \(in the config of Dense 'dense_a'\)/ });
  dir = await savedModel((layers) => (dense(layers).trainable = 'false'));
  assert.throws(() => nb.loadModel(dir), { name: 'ValueError', message: /^Dense: trainable must be true or false, got the string "false"/ });
});

test('integers refuse fractions and numeric strings: "units": 4.5, "units": "4"', async () => {
  let dir = await savedModel((layers) => (dense(layers).units = 4.5));
  assert.throws(() => nb.loadModel(dir), { name: 'ValueError', message: /^Dense: units must be a positive integer, got 4\.5/ });
  dir = await savedModel((layers) => (dense(layers).units = '4'));
  assert.throws(() => nb.loadModel(dir), { name: 'ValueError', message: /^Dense: units must be a positive integer, got the string "4"/ });
});

test('a nested initializer or regularizer config is checked too, and the error says where it sits', async () => {
  let dir = await savedModel((layers) => (dense(layers).kernelInitializer = { className: 'RandomNormal', config: { stddev: '0.05' } }));
  assert.throws(() => nb.loadModel(dir), { name: 'ValueError', message: /^Dense: kernelInitializer: RandomNormal: stddev must be a non-negative number, got the string "0\.05"/ });
  dir = await savedModel((layers) => (dense(layers).kernelRegularizer = { className: 'L2', config: { l2: [0.1] } }));
  assert.throws(() => nb.loadModel(dir), { name: 'ValueError', message: /^Dense: kernelRegularizer: L2: l2 must be a non-negative number, got the array \[0\.1\]/ });
  dir = await savedModel((layers) => (dense(layers).kernelInitializer = 7));
  assert.throws(() => nb.loadModel(dir), { name: 'ValueError', message: /^Dense: kernelInitializer must be an initializer's name .*, got 7/ });
  dir = await savedModel((layers) => (dense(layers).kernelInitializer = { className: 'VarianceScaling', config: { mode: 3 } }));
  assert.throws(() => nb.loadModel(dir), { name: 'ValueError', message: /^Dense: kernelInitializer: VarianceScaling: mode must be one of fanIn, fanOut, fanAvg, got 3/ });
});

test('an unknown (misspelt) option is refused, naming it, the nearest accepted one and the accepted list', async () => {
  const dir = await savedModel((layers) => {
    const c = ln(layers);
    c.epsilom = c.epsilon;
    delete c.epsilon;
  });
  assert.throws(() => nb.loadModel(dir), (e: Error) => {
    assert.ok(e instanceof nb.ValueError);
    assert.match(e.message, /^LayerNormalization 'ln_a': Unknown option 'epsilom'\. Valid: name, trainable, dtype, inputShape, .*epsilon.*\. Did you mean 'epsilon'\?/);
    return true;
  });
});

test('unknown keys inside a nested initializer or regularizer config are refused as well', async () => {
  let dir = await savedModel((layers) => (dense(layers).kernelInitializer = { className: 'RandomNormal', config: { stdev: 1 } }));
  assert.throws(() => nb.loadModel(dir), { name: 'ValueError', message: /^Dense: kernelInitializer: RandomNormal: Unknown option 'stdev'\..*Did you mean 'stddev'\?/ });
  dir = await savedModel((layers) => (dense(layers).kernelRegularizer = { className: 'L2', config: { l1: 0.1 } }));
  assert.throws(() => nb.loadModel(dir), { name: 'ValueError', message: /^Dense: kernelRegularizer: L2: Unknown option 'l1'\. Valid: l2\./ });
});

test('a key JSON.parse makes an own property, "__proto__", is an unknown option of layerFromConfig, not a prototype', () => {
  // (loadModel refuses such a key before any layer sees it; layerFromConfig takes configs from anywhere)
  const spec = JSON.parse('{"className": "LayerNormalization", "config": {"__proto__": {"center": false}}}') as LayerSpec;
  assert.throws(() => nb.layerFromConfig(spec), { name: 'ValueError', message: /Unknown option '__proto__'/ });
  assert.equal(({} as Record<string, unknown>).center, undefined);
});

test('the same checks hold for options passed in code (what fromConfig goes through)', () => {
  const bad = (make: () => unknown, message: RegExp) => assert.throws(make, { name: 'ValueError', message });
  bad(() => new nb.layers.LayerNormalization({ epsilon: '0.001' as unknown as number }), /epsilon must be a positive number, got the string "0\.001"/);
  bad(() => new nb.layers.BatchNormalization({ momentum: NaN }), /momentum must be a number in \[0, 1\], got NaN/);
  bad(() => new nb.layers.MultiHeadAttention({ numHeads: 2, keyDim: 4, causal: 1 as unknown as boolean }), /MultiHeadAttention: causal must be true or false, got 1/);
  bad(() => new nb.layers.LSTM(4, { returnSequences: 'yes' as unknown as boolean }), /LSTM: returnSequences must be true or false, got the string "yes"/);
  bad(() => new nb.layers.Conv2D(4, 3, { dataFormat: 'NHWC' as 'channelsLast' }), /Conv2D: dataFormat must be 'channelsLast' or 'channelsFirst', got "NHWC"/);
  bad(() => new nb.layers.Dense(4, { activation: 3 as unknown as string }), /Dense: activation must be an activation's name .*, got 3/);
  bad(() => new nb.layers.Dense(4, { trainable: 0 as unknown as boolean }), /Dense: trainable must be true or false, got 0/);
  bad(() => new nb.layers.Dropout(0.5, { seed: '7' as unknown as number }), /Dropout: seed must be a finite number or null, got the string "7"/);
  bad(() => nb.layers.applyRotaryEmbedding(nb.zeros([1, 2, 4]), { maxWavelength: '1e4' as unknown as number }), /maxWavelength must be a positive number, got the string "1e4"/);
  const layer = new nb.layers.Dense(2);
  bad(() => (layer.trainable = 1 as unknown as boolean), /trainable must be true or false, got 1/);
});

test('values in messages are bounded: a deeply nested value does not overflow the stack or flood the message', () => {
  let deep: unknown = 1;
  for (let i = 0; i < 100000; i++) deep = [deep];
  const shown = describeValue(deep);
  assert.ok(shown.length < 100, shown);
  assert.equal(describeValue('x'.repeat(1000)).length < 60, true);
  assert.throws(() => new nb.layers.LayerNormalization({ epsilon: deep as number }), { name: 'ValueError', message: /got the array \[\[\[\[…\]\]\]\]$/ });
});
