/**
 * loadModel and hostile sizes (issue 12, item 4): a small model.json asking for huge layers is
 * refused before anything is allocated, because the weights must all come from the weights
 * file; and building a model to load it runs no initializer (an LSTM of 4000 units used to spend
 * ~27 minutes in Orthogonal before the weights were even opened).
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { FormatError } from '../../src/formats/errors.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'nabla-limits-'));

/**
 * Watches the value computations (`fill`) of the random initializers: while `forbid` is set one
 * throws at once (so a test that would otherwise spend minutes in Orthogonal fails fast), and
 * `count()` says how many ran.
 */
function watchFills(t: TestContext): { forbid: boolean; count: () => number } {
  const watch = { forbid: true, count: () => 0 };
  const mocks: { mock: { callCount: () => number } }[] = [];
  for (const cls of [nb.initializers.Orthogonal, nb.initializers.VarianceScaling, nb.initializers.RandomUniform]) {
    const proto = cls.prototype as unknown as { fill: (...args: unknown[]) => void };
    const original = proto.fill;
    mocks.push(
      t.mock.method(proto, 'fill', function (this: unknown, ...args: unknown[]) {
        if (watch.forbid) throw new Error(`${cls.name}.fill ran while it was forbidden`);
        original.apply(this, args);
      }),
    );
  }
  watch.count = () => mocks.reduce((n, m) => n + m.mock.callCount(), 0);
  return watch;
}

/** A saved LSTM model (input [5, 3]) with `units` units; returns its directory. */
async function savedLstm(units: number): Promise<{ dir: string; model: nb.Sequential }> {
  nb.manualSeed(1);
  const model = new nb.Sequential([nb.Input([5, 3]), new nb.layers.LSTM(units), new nb.layers.Dense(2)]);
  const dir = tmp();
  await model.save(dir);
  return { dir, model };
}

/** Rewrites the units of the LSTM in `dir/model.json`. */
function setLstmUnits(dir: string, units: number): void {
  const path = join(dir, 'model.json');
  const json = JSON.parse(readFileSync(path, 'utf8')) as { config: { layers: { className: string; config: { units: number } }[] } };
  const lstm = json.config.layers.find((l) => l.className === 'LSTM')!;
  lstm.config.units = units;
  writeFileSync(path, JSON.stringify(json));
}

test('an LSTM of 4000 units in model.json with a small weights file is refused at once, naming the layer, shape and file', { timeout: 10_000 }, async (t) => {
  const { dir } = await savedLstm(4);
  setLstmUnits(dir, 4000);
  const fills = watchFills(t);
  const start = performance.now();
  assert.throws(
    () => nb.loadModel(dir),
    (e: unknown) =>
      e instanceof FormatError &&
      /LSTM '[^']+' asks for a weight 'kernel' of shape \[3, 16000\], 48,000 values/.test(e.message) &&
      /weights\.safetensors \(\d+ bytes\) holds only 138 values in all/.test(e.message) &&
      /does not match its weights file/.test(e.message),
  );
  assert.ok(performance.now() - start < 5000, 'refused quickly');
  assert.equal(fills.count(), 0, 'no initializer computed values');
  // the loading mode ends with the failed load: a new layer is initialised as usual
  fills.forbid = false;
  const dense = new nb.layers.Dense(3);
  dense.apply(nb.ones([1, 4]));
  assert.ok(dense.getWeight('kernel').data().some((v) => v !== 0));
});

test('the weights built before a layer count too: a total larger than the file is refused', async () => {
  nb.manualSeed(0);
  const model = new nb.Sequential([nb.Input([4]), new nb.layers.Dense(8), new nb.layers.Dense(8)]);
  const dir = tmp();
  await model.save(dir);
  // the file holds 4·8+8 + 8·8+8 = 112 values; a second layer of 16 units asks 8·16 = 128 more
  const path = join(dir, 'model.json');
  const json = JSON.parse(readFileSync(path, 'utf8')) as { config: { layers: { config: { units: number } }[] } };
  json.config.layers[1]!.config.units = 16;
  writeFileSync(path, JSON.stringify(json));
  assert.throws(() => nb.loadModel(dir), /'kernel' of shape \[8, 16\], 128 values \(with the 40 values of the weights built before it, 168\), but .* holds only 112 values/);
});

test('loading a saved LSTM runs no initializer and restores its weights exactly', async (t) => {
  const { dir, model } = await savedLstm(64);
  const fills = watchFills(t);
  const loaded = nb.loadModel(dir);
  assert.equal(fills.count(), 0, 'no initializer computed values while loading');
  fills.forbid = false;
  const want = model.stateDict();
  const got = loaded.stateDict();
  assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort());
  for (const [k, w] of Object.entries(want)) assert.deepEqual(Array.from(got[k]!.data()), Array.from(w.data()), k);
  const x = nb.randn([2, 5, 3]);
  assert.deepEqual(Array.from(loaded.predict(x).data()), Array.from(model.predict(x).data()));
  // skipValues is how addWeight leaves them out; a plain call computes them
  assert.deepEqual(Array.from(nb.initializers.orthogonal().call([3, 3], { skipValues: true }).data()), new Array(9).fill(0));
  assert.equal(fills.count(), 0);
  // initializers run again once loading is over
  const fresh = new nb.layers.LSTM(4);
  fresh.apply(nb.ones([1, 2, 3]));
  assert.ok(fills.count() > 0);
  assert.ok(fresh.getWeight('recurrentKernel').data().some((v) => v !== 0));
});

test('a weight the file lacks is an error, never left uninitialised', async () => {
  const { dir } = await savedLstm(4);
  const file = join(dir, 'weights.safetensors');
  const { tensors } = nb.io.loadSafetensors(file);
  const missing = Object.keys(tensors).find((k) => k.endsWith('recurrentKernel'))!;
  delete tensors[missing];
  // a Dense kernel as large as the missing weight keeps the total the same, so only the names differ
  tensors.padding = nb.zeros([4, 16]);
  nb.io.saveSafetensors(file, tensors);
  assert.throws(() => nb.loadModel(dir), new RegExp(`missing keys: ${missing.replace('.', '\\.')}`));
});

test('the build run on model.json\'s inputShape cannot allocate past the cap: a Conv2D of 2,048 weights on [4096, 4096, 3] is refused before its 34 GB output', async () => {
  const model = new nb.Sequential([new nb.layers.Conv2D(512, 1)]);
  model.apply(nb.zeros([1, 4, 4, 3]));
  const dir = tmp();
  await model.save(dir);
  const path = join(dir, 'model.json');
  const json = JSON.parse(readFileSync(path, 'utf8')) as { inputShape: number[] };
  assert.deepEqual(json.inputShape, [4, 4, 3]);
  json.inputShape = [4096, 4096, 3];
  writeFileSync(path, JSON.stringify(json));
  assert.throws(() => nb.loadModel(dir), (err: Error) => {
    assert.ok(err instanceof nb.ValueError, String(err));
    assert.match(err.message, /building the model on one sample of its inputShape \[4096, 4096, 3\]: a tensor of 34\.36 GB was asked for \(the cap here is 1\.07 GB\).*pass \{ maxBuildBytes \}/);
    return true;
  });
  // a smaller shape loads under the default cap, and a tighter cap refuses it
  json.inputShape = [64, 64, 3];
  writeFileSync(path, JSON.stringify(json));
  const loaded = nb.loadModel(dir);
  assert.deepEqual(loaded.predict(nb.ones([1, 64, 64, 3])).shape, [1, 64, 64, 512]);
  assert.throws(() => nb.loadModel(dir, { maxBuildBytes: 1e6 }), /a tensor of 8\.4 MB was asked for \(the cap here is 1\.0 MB\)/);
  assert.throws(() => nb.loadModel(dir, { maxBuildBytes: -1 }), /maxBuildBytes must be a positive number/);
  // the cap ends with the load: ordinary code allocates as before
  assert.equal(nb.zeros([4096, 1024]).size, 4096 * 1024);
});
