/**
 * The callback, generator and DataLoader states in a checkpoint come from a file: each is checked
 * (types, finite numbers, exact keys, no name that reaches Object.prototype) and a bad one is
 * refused with an error naming it before any weight or optimizer state is restored.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { quiet, toyData } from './helpers.js';

const { EarlyStopping, ReduceLROnPlateau, ModelCheckpoint, CSVLogger } = nb.callbacks;
const root = mkdtempSync(join(tmpdir(), 'nabla-resume-hostile-'));
after(() => rmSync(root, { recursive: true, force: true }));
const { x, y } = toyData(32, 2);
const fitOpts = { batchSize: 16, verbose: 0 as const, stream: quiet };

function makeModel(): nb.Sequential {
  const model = new nb.Sequential([new nb.layers.Dense(8, { activation: 'relu' }), new nb.layers.Dropout(0.2, { seed: 1 }), new nb.layers.Dense(3, { activation: 'softmax' })]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  return model;
}
const monitorLoss = () => [new ReduceLROnPlateau({ monitor: 'loss' }), new EarlyStopping({ monitor: 'loss', restoreBestWeights: true, patience: 5 })];

type Json = { extra: { fit: Record<string, unknown> & { callbacks: { name: string; state: Record<string, unknown> }[] } } } & Record<string, unknown>;

/** A checkpoint of one epoch, with checkpoint.json changed by `edit` (its text, to write keys such as `__proto__`). */
async function tampered(name: string, edit: (json: Json) => string): Promise<string> {
  const dir = join(root, name);
  await makeModel().fit(x, y, { ...fitOpts, epochs: 1, checkpointDir: dir, callbacks: monitorLoss() });
  const file = join(dir, 'checkpoint.json');
  writeFileSync(file, edit(JSON.parse(readFileSync(file, 'utf8')) as Json));
  return dir;
}

/** Fits on `dir` and expects `message`; the model's weights and optimizer are left as they were. */
async function refused(dir: string, message: RegExp): Promise<void> {
  const model = makeModel();
  model.apply(nb.zeros([1, 4]));
  const before = model.namedWeights().map(([, t]) => Array.from(t.data()));
  await assert.rejects(model.fit(x, y, { ...fitOpts, epochs: 3, checkpointDir: dir, callbacks: monitorLoss() }), message);
  assert.deepEqual(model.namedWeights().map(([, t]) => Array.from(t.data())), before, 'no weight restored');
  assert.equal(model.optimizer!.iterations, 0, 'no optimizer state restored');
}

test('a bad callback state in checkpoint.json is refused, naming the callback and the entry', async () => {
  const wait = await tampered('wait', (j) => ((j.extra.fit.callbacks[1]!.state['wait'] = -1), JSON.stringify(j)));
  await refused(wait, /fit: the checkpoint in .*wait holds an invalid state for callback 2 \(EarlyStopping\): EarlyStopping\.setState: wait must be an integer >= 0, got -1/);
  const best = await tampered('best', (j) => JSON.stringify(j).replace(/"best":[^,]*,"wait"/, '"best":1e999,"wait"'));
  await refused(best, /callback 1 \(ReduceLROnPlateau\): ReduceLROnPlateau\.setState: best must be a finite number or one of 'Infinity', '-Infinity', 'NaN', '-0', got null/);
  const text = await tampered('text', (j) => ((j.extra.fit.callbacks[0]!.state['cooldownLeft'] = '2'), JSON.stringify(j)));
  await refused(text, /ReduceLROnPlateau\.setState: cooldownLeft must be an integer >= 0, got "2"/);
  const extraKey = await tampered('key', (j) => ((j.extra.fit.callbacks[0]!.state['extra'] = 1), JSON.stringify(j)));
  await refused(extraKey, /ReduceLROnPlateau\.setState: the state needs exactly the keys best, wait, cooldownLeft \(unknown "extra"\)/);
  const weights = await tampered('weights', (j) => ((j.extra.fit.callbacks[1]!.state['hasBestWeights'] = true), JSON.stringify(j)));
  rmSync(join(weights, 'extra.safetensors'));
  await refused(weights, /EarlyStopping\.setState: the best weights lack 'layers\.0\.kernel'/);
});

test("a '__proto__' name in a saved History is refused and reaches no prototype", async () => {
  const dir = await tampered('proto', (j) => JSON.stringify(j).replace(/"history":\{"loss"/, '"history":{"__proto__":[1],"loss"'));
  assert.match(readFileSync(join(dir, 'checkpoint.json'), 'utf8'), /"__proto__":\[1\]/);
  await refused(dir, /checkpoint\.json has a key '__proto__' \(at \$\.extra\.fit\.callbacks\[2\]\.state\.history\.__proto__\)/);
  // and setState itself refuses one, for states that come from elsewhere
  const h = new nb.History();
  assert.throws(() => h.setState(JSON.parse('{"epoch":[0],"history":{"__proto__":[1]}}') as nb.optim.JsonValue), /History\.setState: history holds the name '__proto__', which is not allowed/);
  assert.equal(Object.getPrototypeOf(h.history), Object.prototype);
  assert.equal(Object.getPrototypeOf({}), Object.prototype);
});

test('a bad generator or DataLoader state, shuffle seed or stop flag is refused before anything is restored', async () => {
  const zero = await tampered('gen', (j) => ((j.extra.fit['generators'] = { 'layers.1.generator': { s: [0, 0, 0, 0], spare: null } }), JSON.stringify(j)));
  await refused(zero, /fit: the checkpoint in .*gen has an invalid state for the generator of layers\.1\.generator: Generator\.setState: an all-zero state is invalid/);
  const loader = await tampered('loader', (j) => ((j.extra.fit['loaders'] = { train: { generator: { s: [1, 2, 3], spare: null } } }), JSON.stringify(j)));
  await refused(loader, /has an invalid state for the train DataLoader's generator: Generator\.setState: expected a state of four 32-bit words/);
  const seed = await tampered('seed', (j) => ((j.extra.fit['shuffleSeed'] = 'x'), JSON.stringify(j)));
  await refused(seed, /has a malformed shuffleSeed "x"/);
  const stopped = await tampered('stopped', (j) => ((j.extra.fit['stopped'] = 1), JSON.stringify(j)));
  await refused(stopped, /has a malformed stopped flag/);
  const scheduled = await tampered('scheduled', (j) => (((j['optimizer'] as Record<string, unknown>)['scheduled'] = 'no'), JSON.stringify(j)));
  await refused(scheduled, /checkpoint\.json has a malformed optimizer entry/);
});

test('setState of each built-in callback checks the whole state and changes nothing when it is bad', () => {
  const cases: [nb.callbacks.Callback & { getState(): nb.optim.JsonValue; setState(s: nb.optim.JsonValue): void }, nb.optim.JsonValue, RegExp][] = [
    [new ReduceLROnPlateau(), { best: 1, wait: 2 }, /ReduceLROnPlateau\.setState: the state needs exactly the keys best, wait, cooldownLeft \(missing cooldownLeft\)/],
    [new ReduceLROnPlateau(), { best: 1, wait: 2.5, cooldownLeft: 0 }, /wait must be an integer >= 0, got 2\.5/],
    [new EarlyStopping(), [1, 2], /EarlyStopping\.setState: expected the object getState\(\) returns, got an array/],
    [new EarlyStopping(), { best: 'Infinity', wait: 0, stoppedEpoch: -2, bestEpoch: -1, restoredEpoch: -1, lastEpoch: -1, hasBestWeights: false }, /stoppedEpoch must be an integer >= -1, got -2/],
    [new EarlyStopping(), { best: 1, wait: 0, stoppedEpoch: -1, bestEpoch: -1, restoredEpoch: -1, lastEpoch: -1, hasBestWeights: 0 }, /hasBestWeights must be true or false, got 0/],
    [new ModelCheckpoint({ filepath: 'x' }), { best: 1, saved: ['a', 2] }, /ModelCheckpoint\.setState: saved must be an array of strings/],
    [new CSVLogger(join(root, 'c.csv')), { keys: null, bytes: -1 }, /CSVLogger\.setState: bytes must be an integer >= 0, got -1/],
    [new nb.History(), { epoch: [0], history: { loss: [1, 'oops'] } }, /History\.setState: history\.loss\[1\] must be a finite number or one of/],
    [new nb.History(), null, /History\.setState: expected the object getState\(\) returns, got null/],
  ];
  for (const [cb, state, message] of cases) {
    const before = JSON.stringify(cb.getState());
    assert.throws(() => cb.setState(state), message);
    assert.equal(JSON.stringify(cb.getState()), before);
  }
  // and a good state round-trips, the values JSON lacks included
  const h = new nb.History();
  h.onEpochEnd(0, { loss: Infinity, acc: -0 });
  h.onEpochEnd(1, { loss: NaN, acc: 1 });
  const copy = new nb.History();
  copy.setState(JSON.parse(JSON.stringify(h.getState())) as nb.optim.JsonValue);
  assert.deepEqual(copy.toJSON(), h.toJSON());
  assert.ok(Object.is(copy.history['acc']![0], -0));
});

test("a callback state that JSON cannot hold is an error when fit saves, naming the callback", async () => {
  const bad: nb.callbacks.Callback = { getState: () => ({ best: Infinity }), setState: () => undefined };
  await assert.rejects(makeModel().fit(x, y, { ...fitOpts, epochs: 1, checkpointDir: join(root, 'inf'), callbacks: [bad] }), /fit: callback 1 \(Object\)\.getState\(\) returned Infinity at \.best; JSON has no Infinity/);
  const map: nb.callbacks.Callback = { getState: () => ({ seen: new Map() }) as unknown as nb.optim.JsonValue };
  await assert.rejects(makeModel().fit(x, y, { ...fitOpts, epochs: 1, checkpointDir: join(root, 'map'), callbacks: [map] }), /returned Map at \.seen; a state is JSON/);
});

test("a DataLoader's state: round trip, and a state that does not fit it is refused", () => {
  const a = new nb.DataLoader([x, y], { batchSize: 8, shuffle: true, seed: 3 });
  [...a];
  const b = new nb.DataLoader([x, y], { batchSize: 8, shuffle: true, seed: 99 });
  b.setState(a.getState());
  assert.deepEqual([...b].map(([xb]) => Array.from(xb.data())), [...a].map(([xb]) => Array.from(xb.data())));
  const plain = new nb.DataLoader([x, y], { batchSize: 8 });
  assert.deepEqual(plain.getState(), { generator: null });
  assert.throws(() => plain.setState(a.getState()), /DataLoader\.setState: the state holds a shuffling generator but this loader does not shuffle/);
  assert.throws(() => b.setState({ generator: null }), /DataLoader\.setState: the state holds no generator but this loader shuffles/);
  assert.throws(() => b.setState({ generator: { s: [0, 0, 0, 0], spare: null } }), /all-zero state is invalid/);
});

test('a learning rate that a callback had put in place of the schedule stays in place after loadCheckpoint', () => {
  const dir = join(root, 'scheduled');
  const make = () => {
    const model = makeModel();
    model.apply(nb.zeros([1, 4]));
    const opt = new nb.optim.Adam({ learningRate: nb.optim.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 }) });
    opt.build(model.namedParameters());
    return { model, opt };
  };
  const a = make();
  a.opt.learningRate = 0.003; // as ReduceLROnPlateau does
  nb.io.saveCheckpoint(dir, { model: a.model, optimizer: a.opt });
  const b = make();
  nb.io.loadCheckpoint(dir, { model: b.model, optimizer: b.opt });
  assert.equal(b.opt.learningRateSchedule, null);
  assert.equal(b.opt.learningRate, 0.003);
  // a schedule still in use stays the given optimizer's schedule
  const c = make();
  nb.io.saveCheckpoint(join(root, 'still'), { model: c.model, optimizer: c.opt });
  const d = make();
  nb.io.loadCheckpoint(join(root, 'still'), { model: d.model, optimizer: d.opt });
  assert.notEqual(d.opt.learningRateSchedule, null);
});
