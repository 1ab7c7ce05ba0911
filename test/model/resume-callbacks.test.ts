/**
 * fit({ checkpointDir }) resumes stateful callbacks, the layers' own generators and a DataLoader's
 * shuffling exactly: a run stopped after some epochs and resumed (new objects, other global
 * random state) ends as the uninterrupted run, and returns the whole run's history.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { captureWarnings, quiet, toyData } from './helpers.js';

const { EarlyStopping, ReduceLROnPlateau, CSVLogger } = nb.callbacks;
const root = mkdtempSync(join(tmpdir(), 'nabla-resume-cb-'));
after(() => rmSync(root, { recursive: true, force: true }));
const { x, y } = toyData(96, 5);
const fitOpts = { batchSize: 16, verbose: 0 as const, stream: quiet };

/** A callback that feeds fit a scripted sequence of val_loss values (plateaus, then a stop). */
function scripted(values: number[]): nb.callbacks.Callback {
  return { onEpochEnd: (epoch, logs) => void (logs.val_loss = values[epoch]!) };
}
const valLoss = [5, 4, 4, 4, 3, 3.5, 3.5, 3.5, 3.5, 3.5];

function makeModel(): nb.Sequential {
  const model = new nb.Sequential([
    new nb.layers.Dense(12, { activation: 'relu' }),
    new nb.layers.Dropout(0.3, { seed: 4 }),
    new nb.layers.Dense(3, { activation: 'softmax' }),
  ]);
  const schedule = nb.optim.exponentialDecay({ initialLearningRate: 0.02, decaySteps: 5, decayRate: 0.9 });
  model.compile({ optimizer: new nb.optim.Adam({ learningRate: schedule }), loss: 'sparseCategoricalCrossentropy' });
  return model;
}

function callbacks() {
  const plateau = new ReduceLROnPlateau({ patience: 2, factor: 0.5, minDelta: 0 });
  const early = new EarlyStopping({ patience: 4, restoreBestWeights: true });
  return { plateau, early, list: [scripted(valLoss), plateau, early] };
}

function bits(model: nb.Layer): string[] {
  return model.namedWeights().map(([k, t]) => `${k}:${Buffer.from((t.data() as Float32Array).buffer).toString('hex')}`);
}

test('ReduceLROnPlateau, EarlyStopping (best weights, stop) and History resume in mid-count, bitwise', async () => {
  nb.manualSeed(8);
  const straight = makeModel();
  const s = callbacks();
  const h = await straight.fit(x, y, { ...fitOpts, epochs: 10, callbacks: s.list });
  assert.deepEqual(h.epoch, [0, 1, 2, 3, 4, 5, 6, 7, 8], 'EarlyStopping stops after epoch 8 and restores epoch 4');
  assert.equal(s.early.restoredEpoch, 4);

  for (const stopAt of [3, 6, 9]) {
    // epochs 0..stopAt-1, then a new process: new objects, other global random state, the same call
    const dir = join(root, `mid-${stopAt}`);
    nb.manualSeed(8);
    await makeModel().fit(x, y, { ...fitOpts, epochs: stopAt, checkpointDir: dir, callbacks: callbacks().list });
    nb.manualSeed(999);
    const resumed = makeModel();
    const r = callbacks();
    const hr = await resumed.fit(x, y, { ...fitOpts, epochs: 10, checkpointDir: dir, callbacks: r.list });
    assert.deepEqual(hr.epoch, h.epoch, `stopped at ${stopAt}: the whole run's epochs`);
    assert.deepEqual(hr.history, h.history, `stopped at ${stopAt}: the same losses and learning rates`);
    assert.deepEqual(bits(resumed), bits(straight), `stopped at ${stopAt}: the same final (restored best) weights`);
    assert.equal(resumed.optimizer!.learningRate, straight.optimizer!.learningRate);
    assert.deepEqual([r.early.stoppedEpoch, r.early.bestEpoch, r.early.restoredEpoch, r.early.bestValue], [8, 4, 4, 3]);
    assert.deepEqual(r.plateau.getState(), s.plateau.getState());
  }
});

test("a seeded Dropout's generator, a shuffling DataLoader and a custom callback's state resume exactly", async () => {
  class Counter implements nb.callbacks.Callback {
    seen = 0;
    onBatchEnd(): void {
      this.seen++;
    }
    getState(): nb.optim.JsonValue {
      return { seen: this.seen };
    }
    setState(state: nb.optim.JsonValue): void {
      const seen = (state as { seen?: unknown }).seen;
      if (typeof seen !== 'number') throw new Error('Counter: bad state');
      this.seen = seen;
    }
  }
  const run = async (epochs: number, dir?: string) => {
    const model = makeModel();
    const counter = new Counter();
    const loader = new nb.DataLoader([x, y], { batchSize: 16, shuffle: true });
    const h = await model.fit(loader, { ...fitOpts, epochs, callbacks: [counter], ...(dir ? { checkpointDir: dir } : {}) });
    return { model, counter, h };
  };
  nb.manualSeed(21);
  const straight = await run(4);
  const dir = join(root, 'loader');
  nb.manualSeed(21);
  await run(2, dir);
  nb.manualSeed(5);
  const resumed = await run(4, dir);
  assert.deepEqual(bits(resumed.model), bits(straight.model));
  assert.deepEqual(resumed.h.history, straight.h.history);
  assert.equal(resumed.counter.seen, 4 * 6);
});

test('a different list of callbacks on resume is a warning naming what is not restored', async (t) => {
  const dir = join(root, 'mismatch');
  const { x: xs, y: ys } = toyData(32);
  nb.manualSeed(1);
  await makeModel().fit(xs, ys, { ...fitOpts, epochs: 1, checkpointDir: dir, callbacks: [scripted(valLoss), new ReduceLROnPlateau()] });
  const warnings = captureWarnings(t);
  await makeModel().fit(xs, ys, { ...fitOpts, epochs: 2, checkpointDir: dir, callbacks: [scripted(valLoss), new EarlyStopping({ patience: 9 })] });
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0]!, /^nabla: fit: resuming from the checkpoint in .*mismatch, which does not match this run: it was saved with callbacks \[Object, ReduceLROnPlateau, History\] and this run has \[Object, EarlyStopping, History\]: EarlyStopping \(callback 2\) has no saved state; the saved state of ReduceLROnPlateau \(callback 2\) is not used\. Pass the same callbacks in the same order to resume exactly\. The resumed run may differ from an uninterrupted one\.$/);
  // the same (stateless) callbacks again: nothing to say
  warnings.length = 0;
  await makeModel().fit(xs, ys, { ...fitOpts, epochs: 3, checkpointDir: dir, callbacks: [scripted(valLoss), new EarlyStopping({ patience: 9 })] });
  assert.deepEqual(warnings, []);
});

test("CSVLogger: a resumed run's file ends as the uninterrupted run's (rows after the checkpoint are cut)", async () => {
  const straightCsv = join(root, 'straight.csv');
  nb.manualSeed(3);
  await makeModel().fit(x, y, { ...fitOpts, epochs: 4, callbacks: [new CSVLogger(straightCsv)] });
  const csv = join(root, 'resumed.csv');
  const dir = join(root, 'csv');
  nb.manualSeed(3);
  await makeModel().fit(x, y, { ...fitOpts, epochs: 2, checkpointDir: dir, callbacks: [new CSVLogger(csv)] });
  // a row of an epoch the kill interrupted after the logger wrote it, before the checkpoint
  appendFileSync(csv, '2,0.5\n');
  await makeModel().fit(x, y, { ...fitOpts, epochs: 4, checkpointDir: dir, callbacks: [new CSVLogger(csv)] });
  assert.equal(readFileSync(csv, 'utf8'), readFileSync(straightCsv, 'utf8'));
  assert.equal(readFileSync(csv, 'utf8').trim().split('\n').length, 5);
});
