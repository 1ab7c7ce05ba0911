import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as nb from '../../src/index.js';
import { FileNotFoundError, hasCheckpoint, loadCheckpoint, saveCheckpoint } from '../../src/io/index.js';

const root = mkdtempSync(join(tmpdir(), 'nabla-ckpt-'));
after(() => rmSync(root, { recursive: true, force: true }));

function makeModel(): nb.Sequential {
  return new nb.Sequential([
    new nb.layers.Dense(6, { activation: 'relu' }),
    new nb.layers.BatchNormalization(),
    new nb.layers.Dense(2),
  ]);
}

/** A few Adam steps on random data, so that weights, moving statistics and slots are all non-trivial. */
function trained(): { model: nb.Sequential; opt: nb.optim.Adam } {
  const model = makeModel();
  const opt = new nb.optim.Adam({ learningRate: 0.01 });
  const x = nb.randn([8, 3]);
  for (let i = 0; i < 3; i++) {
    const loss = nb.mean(nb.pow(model.apply(x, true), 2));
    loss.backward();
    opt.build(model.namedParameters());
    opt.step();
    opt.zeroGrad();
  }
  return { model, opt };
}

function snapshot(model: nb.Layer): Record<string, number[]> {
  return Object.fromEntries(model.namedWeights().map(([k, t]) => [k, Array.from(t.data())]));
}

test('a checkpoint restores weights, optimizer slots and counters, generator state, epoch, step and extra', () => {
  nb.manualSeed(11);
  const { model, opt } = trained();
  const rng = new nb.Generator(5);
  rng.normal(); // leaves a spare normal in the state
  const dir = join(root, 'roundtrip');
  saveCheckpoint(dir, { model, optimizer: opt, epoch: 3, step: 42, rng, extra: { note: 'hi', list: [1, 2] } });
  assert.deepEqual(readdirSync(dir).sort(), ['checkpoint.json', 'model.safetensors', 'optimizer.safetensors']);
  const expectedDraws = [rng.normal(), rng.uniform()];

  const model2 = makeModel(); // not built: built from the saved input shape
  const opt2 = new nb.optim.Adam({ learningRate: 0.5 });
  const rng2 = new nb.Generator(999);
  const info = loadCheckpoint(dir, { model: model2, optimizer: opt2, rng: rng2 });
  assert.deepEqual({ epoch: info.epoch, step: info.step, extra: info.extra }, { epoch: 3, step: 42, extra: { note: 'hi', list: [1, 2] } });
  assert.equal(info.optimizer?.name, 'adam');
  assert.deepEqual(snapshot(model2), snapshot(model));
  const [s1, s2] = [opt.getState(), opt2.getState()];
  assert.equal(s2.iterations, 3);
  assert.equal(s2.learningRate, 0.01);
  assert.deepEqual(Object.keys(s2.slots), Object.keys(s1.slots));
  for (const [p, slots] of Object.entries(s1.slots)) {
    for (const [k, v] of Object.entries(slots)) assert.deepEqual(Array.from(s2.slots[p]![k]!), Array.from(v), `${p}.${k}`);
  }
  assert.deepEqual([rng2.normal(), rng2.uniform()], expectedDraws);

  // the default generator is saved and restored by default; step defaults to the optimizer's count
  nb.manualSeed(3);
  const dir2 = join(root, 'defaults');
  saveCheckpoint(dir2, { model, optimizer: opt });
  const next = nb.randn([3]).toArray();
  nb.randn([10]);
  const info2 = loadCheckpoint(dir2, { model: model2 });
  assert.deepEqual(nb.randn([3]).toArray(), next);
  assert.deepEqual([info2.epoch, info2.step, info2.extra], [0, 3, null]);
});

test('saving again replaces the checkpoint and leaves no temporary directories', () => {
  const parent = join(root, 'replace');
  const dir = join(parent, 'ckpt');
  const { model } = trained();
  saveCheckpoint(dir, { model, epoch: 1 });
  saveCheckpoint(dir, { model, epoch: 2 });
  assert.deepEqual(readdirSync(parent), ['ckpt']);
  assert.equal(loadCheckpoint(dir, { model }).epoch, 2);
  // no optimizer saved: none restored, and an optimizer passed is left alone
  const opt = new nb.optim.SGD();
  loadCheckpoint(dir, { model, optimizer: opt });
  assert.equal(opt.iterations, 0);
});

test('a failure midway through writing the weights leaves the previous checkpoint intact', () => {
  const parent = join(root, 'failure');
  const dir = join(parent, 'ckpt');
  const { model, opt } = trained();
  saveCheckpoint(dir, { model, optimizer: opt, epoch: 1 });
  const before = snapshot(model);
  for (const w of model.weights) (w.storage as Float32Array).fill(123);
  // the injected failure: a tensor that throws when its bytes are streamed to disk, after others were written
  class Failing extends nb.Sequential {
    override stateDict(): Record<string, nb.Tensor> {
      const bad = nb.ones([4, 4]).transpose();
      bad.data = () => {
        throw new Error('disk full (simulated)');
      };
      return { ...super.stateDict(), zzz: bad };
    }
  }
  const failing = new Failing(model.layers);
  assert.throws(() => saveCheckpoint(dir, { model: failing, optimizer: opt, epoch: 2 }), /disk full \(simulated\)/);
  assert.deepEqual(readdirSync(parent), ['ckpt'], 'the temporary directory is removed');
  const fresh = makeModel();
  assert.equal(loadCheckpoint(dir, { model: fresh, optimizer: new nb.optim.Adam() }).epoch, 1);
  assert.deepEqual(snapshot(fresh), before);
  // bad extra is refused before anything is written
  assert.throws(() => saveCheckpoint(dir, { model, extra: { n: 1n } as unknown as nb.optim.JsonValue }), /extra must be JSON-serializable/);
  assert.equal(loadCheckpoint(dir, { model: fresh }).epoch, 1);
});

test('a crash between the two renames is recovered on load; incomplete leftovers are ignored and cleaned', () => {
  const parent = join(root, 'crash');
  const dir = join(parent, 'ckpt');
  const { model } = trained();
  saveCheckpoint(dir, { model, epoch: 1 });
  // as if killed after renaming the old checkpoint away, before the new one was complete
  renameSync(dir, `${dir}.old-123-abcdefabcdef`);
  mkdirSync(`${dir}.tmp-123-0123456789ab`);
  writeFileSync(join(`${dir}.tmp-123-0123456789ab`, 'model.safetensors'), 'partial');
  assert.ok(hasCheckpoint(dir));
  assert.equal(loadCheckpoint(dir, { model }).epoch, 1);
  // as if killed after renaming away the old one with the new one complete: the new one wins
  saveCheckpoint(dir, { model, epoch: 2 });
  assert.deepEqual(readdirSync(parent), ['ckpt'], 'save removed the leftovers');
  renameSync(dir, `${dir}.tmp-77-aaaaaaaaaaaa`);
  saveCheckpoint(join(parent, 'other'), { model, epoch: 1 });
  renameSync(join(parent, 'other'), `${dir}.old-77-bbbbbbbbbbbb`);
  assert.equal(loadCheckpoint(dir, { model }).epoch, 2);
});

test('clear errors: no checkpoint, a directory that is not one, another optimizer, bad options', () => {
  const { model, opt } = trained();
  const missing = join(root, 'missing');
  assert.throws(() => loadCheckpoint(missing, { model }), (e: Error) => e instanceof FileNotFoundError && /no checkpoint there/.test(e.message));
  assert.ok(!hasCheckpoint(missing));
  const notOne = join(root, 'not-a-checkpoint');
  mkdirSync(notOne);
  writeFileSync(join(notOne, 'notes.txt'), 'precious');
  assert.throws(() => saveCheckpoint(notOne, { model }), /saveCheckpoint: .*not-a-checkpoint exists and is neither a checkpoint nor an empty directory; refusing to replace it/);
  assert.equal(readFileSync(join(notOne, 'notes.txt'), 'utf8'), 'precious');
  const dir = join(root, 'adam');
  saveCheckpoint(dir, { model, optimizer: opt });
  assert.throws(() => loadCheckpoint(dir, { model, optimizer: new nb.optim.SGD() }), /holds the state of a 'adam' optimizer but a 'sgd' was given/);
  assert.throws(() => saveCheckpoint(dir, { model, epoch: -1 }), /epoch must be a non-negative integer, got -1/);
  assert.throws(() => saveCheckpoint(dir, {} as never), /expected \{ model, optimizer\?/);
  writeFileSync(join(dir, 'checkpoint.json'), '{"format": "other"}');
  assert.throws(() => loadCheckpoint(dir, { model }), /checkpoint\.json is not a nabla checkpoint/);
  const wrongShape = new nb.Sequential([new nb.layers.Dense(3)]);
  saveCheckpoint(join(root, 'shape'), { model });
  assert.throws(() => loadCheckpoint(join(root, 'shape'), { model: wrongShape }), /missing keys|unexpected keys|shape/);
});

test('a writer killed with SIGKILL at random moments always leaves a loadable, consistent checkpoint', { timeout: 120_000 }, async () => {
  const fixture = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'checkpoint-writer.ts');
  const children: ChildProcess[] = [];
  const killAll = () => children.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL'));
  try {
    const runs = [0, 1].map(async (i) => {
      const dir = join(root, `killed-${i}`, 'ckpt');
      const child = spawn(process.execPath, ['--import', 'tsx', fixture, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
        child.on('exit', (code) => reject(new Error(`the writer exited (${code}) before its first checkpoint: ${stderr}`)));
      });
      // a random moment: each save takes some tens of milliseconds, so most kills land mid-save
      await new Promise((r) => setTimeout(r, 20 + 80 * i + Math.random() * 100));
      child.kill('SIGKILL');
      assert.equal(await exited, 'SIGKILL');
      const model = new nb.Sequential([new nb.layers.Dense(500)]);
      const info = loadCheckpoint(dir, { model, optimizer: new nb.optim.Adam() });
      assert.ok(info.epoch >= 1);
      assert.deepEqual(info.extra, { k: info.epoch });
      for (const w of model.weights) assert.ok((w.data() as Float32Array).every((v) => v === info.epoch), 'weights belong to the epoch in checkpoint.json');
      return info.epoch;
    });
    assert.equal((await Promise.all(runs)).length, 2);
  } finally {
    killAll();
  }
});
