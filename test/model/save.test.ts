import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { mlp, toyData } from './helpers.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'nabla-save-'));

/** An independent safetensors reader, written from the format's spec. */
function readSafetensorsBySpec(path: string): Record<string, { shape: number[]; values: number[] }> {
  const buf = readFileSync(path);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8')) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const out: Record<string, { shape: number[]; values: number[] }> = {};
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    assert.equal(info.dtype, 'F32');
    const [b, e] = info.data_offsets;
    const values: number[] = [];
    for (let p = 8 + n + b; p < 8 + n + e; p += 4) values.push(view.getFloat32(p, true));
    out[name] = { shape: info.shape, values };
  }
  return out;
}

test('model.save writes model.json and a safetensors file an independent reader understands; loadModel restores it', async () => {
  nb.manualSeed(0);
  const { x, y } = toyData(64);
  const model = mlp();
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(x, y, { epochs: 2, verbose: 0 });
  const dir = tmp();
  await model.save(dir);
  assert.deepEqual(readdirSync(dir).sort(), ['model.json', 'weights.safetensors']);
  const byspec = readSafetensorsBySpec(join(dir, 'weights.safetensors'));
  const sd = model.stateDict();
  assert.deepEqual(Object.keys(byspec).sort(), Object.keys(sd).sort());
  for (const [k, t] of Object.entries(sd)) {
    assert.deepEqual(byspec[k]!.shape, t.shape);
    assert.deepEqual(byspec[k]!.values, Array.from(t.data()));
  }
  const loaded = nb.loadModel(dir);
  assert.deepEqual(Array.from(loaded.predict(x).data()), Array.from(model.predict(x).data()));
  assert.ok(loaded.loss, 'the loaded model is compiled again');
  const ev = await loaded.evaluate(x, y);
  assert.ok(Number.isFinite(ev.accuracy));
});

test('a subclassed model round-trips through save/loadModel when its class is registered', async () => {
  class Net extends nb.Model {
    a = new nb.layers.Dense(5, { activation: 'tanh' });
    b = new nb.layers.Dense(2);
    call(x: nb.Tensor): nb.Tensor {
      return this.b.apply(this.a.apply(x));
    }
  }
  nb.registerLayer(Net);
  const net = new Net();
  const x = nb.randn([3, 4]);
  const before = net.predict(x);
  const dir = tmp();
  await net.save(dir);
  const back = nb.loadModel(dir);
  assert.ok(back instanceof Net);
  assert.deepEqual(Array.from(back.predict(x).data()), Array.from(before.data()));
  // loadWeights into a fresh instance
  const fresh = new Net();
  fresh.apply(x);
  await fresh.loadWeights(join(dir, 'weights.safetensors'));
  assert.deepEqual(Array.from(fresh.predict(x).data()), Array.from(before.data()));
});

test('a truncated or corrupted weights file is rejected with a clear error', async () => {
  const model = mlp();
  model.apply(nb.randn([1, 4]));
  const dir = tmp();
  await model.save(dir);
  const file = join(dir, 'weights.safetensors');
  const bytes = readFileSync(file);
  writeFileSync(file, bytes.subarray(0, bytes.length - 10));
  assert.throws(() => nb.loadModel(dir), /safetensors/i);
  const corrupt = Buffer.from(bytes);
  corrupt.writeBigUInt64LE(BigInt(bytes.length * 10), 0);
  writeFileSync(file, corrupt);
  assert.throws(() => nb.loadModel(dir), /header/i);
  assert.throws(() => nb.loadModel(join(dir, 'nope')), /model\.json does not exist/);
});

test('saving leaves no temporary files behind and replaces the previous save whole', async () => {
  const model = mlp();
  model.apply(nb.randn([1, 4]));
  const dir = tmp();
  await model.save(dir);
  await model.save(dir);
  assert.deepEqual(readdirSync(dir).sort(), ['model.json', 'weights.safetensors']);
  assert.ok(existsSync(join(dir, 'model.json')));
});
