import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { mlp, toyData } from './helpers.js';

const { EarlyStopping, LearningRateScheduler, ReduceLROnPlateau, ModelCheckpoint, CSVLogger } = nb.callbacks;

/** A callback that feeds fit a scripted sequence of val_loss values. */
function scripted(values: number[]): nb.callbacks.Callback {
  return { onEpochEnd: (epoch, logs) => void (logs.val_loss = values[epoch]!) };
}

function compiled(lr = 0.01): nb.Sequential {
  const model = mlp();
  model.compile({ optimizer: new nb.optim.SGD({ learningRate: lr }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

test('EarlyStopping stops after `patience` epochs without improvement and restores the best weights', async () => {
  const { x, y } = toyData(64);
  const model = compiled();
  const snapshots: Float32Array[] = [];
  const record: nb.callbacks.Callback = { onEpochEnd: () => void snapshots.push(model.stateDict()['layers.0.kernel']!.data() as Float32Array) };
  const es = new EarlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true });
  const h = await model.fit(x, y, { epochs: 10, verbose: 0, callbacks: [scripted([5, 3, 4, 4.5, 1, 0]), record, es] });
  assert.deepEqual(h.epoch, [0, 1, 2, 3], 'best at epoch 1, two epochs without improvement, stop after epoch 3');
  assert.equal(es.stoppedEpoch, 3);
  assert.equal(es.bestEpoch, 1);
  assert.deepEqual(Array.from(model.stateDict()['layers.0.kernel']!.data()), Array.from(snapshots[1]!), 'weights of epoch 1 restored');
  assert.notDeepEqual(Array.from(snapshots[3]!), Array.from(snapshots[1]!));
});

test('EarlyStopping names the missing monitor', async () => {
  const { x, y } = toyData(32);
  const model = compiled();
  await assert.rejects(model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [new EarlyStopping({ monitor: 'val_acc' })] }), /EarlyStopping: 'val_acc' is not in the logs \(available: loss, accuracy\)/);
});

test('LearningRateScheduler sets the rate each epoch', async () => {
  const { x, y } = toyData(32);
  const model = compiled(0.1);
  const seen: number[] = [];
  const h = await model.fit(x, y, {
    epochs: 3,
    verbose: 0,
    callbacks: [new LearningRateScheduler((epoch) => 0.1 / (epoch + 1)), { onEpochEnd: () => void seen.push(model.optimizer!.learningRate) }],
  });
  assert.deepEqual(seen.map((v) => +v.toFixed(6)), [0.1, 0.05, 0.033333]);
  assert.deepEqual(h.history.learning_rate!.map((v) => +v.toFixed(6)), [0.1, 0.05, 0.033333]);
});

test('ReduceLROnPlateau multiplies the rate by factor after patience epochs without improvement', async () => {
  const { x, y } = toyData(32);
  const model = compiled(1);
  const rates: number[] = [];
  await model.fit(x, y, {
    epochs: 6,
    verbose: 0,
    callbacks: [scripted([1, 1, 1, 0.5, 0.5, 0.5]), new ReduceLROnPlateau({ factor: 0.5, patience: 2, minDelta: 0 }), { onEpochEnd: () => void rates.push(model.optimizer!.learningRate) }],
  });
  assert.deepEqual(rates, [1, 1, 0.5, 0.5, 0.5, 0.25]);
});

test('ModelCheckpoint writes the best model only; CSVLogger writes one row per epoch; plain objects get every hook', async () => {
  const { x, y } = toyData(32);
  const model = compiled();
  const dir = mkdtempSync(join(tmpdir(), 'nabla-cb-'));
  const ckpt = new ModelCheckpoint({ filepath: join(dir, 'best-{epoch}') });
  const csv = join(dir, 'log.csv');
  const calls: string[] = [];
  const plain: nb.callbacks.Callback = {
    onTrainBegin: () => void calls.push('trainBegin'),
    onEpochBegin: (e) => void calls.push(`epochBegin ${e}`),
    onBatchEnd: (b) => void calls.push(`batchEnd ${b}`),
    onEpochEnd: (e) => void calls.push(`epochEnd ${e}`),
    onTrainEnd: () => void calls.push('trainEnd'),
  };
  await model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0, callbacks: [scripted([2, 3, 1]), ckpt, new CSVLogger(csv), plain] });
  assert.deepEqual(ckpt.saved, [join(dir, 'best-1'), join(dir, 'best-3')]);
  assert.ok(existsSync(join(dir, 'best-3', 'model.json')));
  const lines = readFileSync(csv, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'epoch,accuracy,loss,val_loss');
  assert.equal(lines.length, 4);
  assert.match(lines[3]!, /^2,[\d.]+,[\d.]+,1$/);
  assert.deepEqual(calls, ['trainBegin', 'epochBegin 0', 'batchEnd 0', 'batchEnd 1', 'epochEnd 0', 'epochBegin 1', 'batchEnd 0', 'batchEnd 1', 'epochEnd 1', 'epochBegin 2', 'batchEnd 0', 'batchEnd 1', 'epochEnd 2', 'trainEnd']);
});

test('EarlyStopping with restoreBestWeights restores the best epoch at the end even when training runs to completion', async () => {
  const { x, y } = toyData(64);
  const model = compiled();
  const snapshots: Float32Array[] = [];
  const record: nb.callbacks.Callback = { onEpochEnd: () => void snapshots.push(model.stateDict()['layers.0.kernel']!.data() as Float32Array) };
  const es = new EarlyStopping({ monitor: 'val_loss', patience: 100, restoreBestWeights: true });
  await model.fit(x, y, { epochs: 4, verbose: 0, callbacks: [scripted([3, 1, 2, 2.5]), record, es] });
  assert.equal(es.stoppedEpoch, -1);
  assert.equal(es.restoredEpoch, 1);
  assert.equal(es.bestValue, 1);
  assert.deepEqual(Array.from(model.stateDict()['layers.0.kernel']!.data()), Array.from(snapshots[1]!));
  // when the last epoch is the best, nothing is restored
  const es2 = new EarlyStopping({ monitor: 'val_loss', patience: 100, restoreBestWeights: true });
  await model.fit(x, y, { epochs: 3, verbose: 0, callbacks: [scripted([3, 2, 1]), es2] });
  assert.equal(es2.restoredEpoch, -1);
});
