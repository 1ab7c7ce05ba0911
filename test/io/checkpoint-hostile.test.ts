// Hostile checkpoints (issue 12, items 1-2): names from optimizer.safetensors never reach
// Object.prototype, and a generator state that would hang randn or make it return Infinity is refused.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { loadCheckpoint, loadSafetensors, saveCheckpoint, saveSafetensors } from '../../src/io/index.js';

const root = mkdtempSync(join(tmpdir(), 'nabla-ckpt-hostile-'));
after(() => rmSync(root, { recursive: true, force: true }));

function saved(name: string): { dir: string; model: nb.Sequential; opt: nb.optim.Adam } {
  const model = new nb.Sequential([new nb.layers.Dense(2)]);
  const opt = new nb.optim.Adam({ learningRate: 0.01 });
  const x = nb.randn([4, 3]);
  const loss = nb.mean(nb.pow(model.apply(x, true), 2));
  loss.backward();
  opt.build(model.namedParameters());
  opt.step();
  opt.zeroGrad();
  const dir = join(root, name);
  saveCheckpoint(dir, { model, optimizer: opt });
  return { dir, model, opt };
}

for (const key of ['__proto__.toString', 'constructor.x', 'layers.0.kernel.__proto__', 'prototype.m']) {
  test(`a tensor named '${key}' in optimizer.safetensors is refused and pollutes nothing`, () => {
    const { dir, model, opt } = saved(`proto-${key}`);
    const file = join(dir, 'optimizer.safetensors');
    const { tensors } = loadSafetensors(file);
    saveSafetensors(file, { ...tensors, [key]: nb.zeros([2]) });
    const reserved = key.split('.').find((p) => ['__proto__', 'constructor', 'prototype'].includes(p))!;
    assert.throws(() => loadCheckpoint(dir, { model, optimizer: opt }), (e: Error) => e.name === 'FormatError' && e.message.includes(`holds '${key}': '${reserved}' is not allowed in a tensor name`));
    assert.equal(String({}), '[object Object]');
    assert.equal(Object.prototype.toString.call([]), '[object Array]');
    assert.equal((Object as unknown as Record<string, unknown>)['x'], undefined);
  });
}

const badStates: [string, unknown, RegExp][] = [
  ['an all-zero state (randn would never return)', { s: [0, 0, 0, 0], spare: null }, /an all-zero state is invalid for xoshiro128\*\*/],
  ['an infinite spare normal (JSON 1e999)', { s: [1, 2, 3, 4], spare: '1e999' }, /spare must be a finite number or null, got Infinity/],
  ['a word out of range', { s: [1, 2, 3, 2 ** 32], spare: null }, /each state word must be an integer in \[0, 4294967295\], got 4294967296/],
  ['a fractional word', { s: [1.5, 2, 3, 4], spare: null }, /each state word must be an integer/],
];

for (const [label, rng, message] of badStates) {
  test(`checkpoint.json with ${label} is refused before anything is restored`, () => {
    const { dir, model, opt } = saved(`rng-${label.replace(/\W+/g, '-')}`);
    const path = join(dir, 'checkpoint.json');
    const text = readFileSync(path, 'utf8');
    const json = JSON.parse(text) as Record<string, unknown>;
    json['rng'] = rng;
    // JSON.stringify cannot write 1e999; put the literal in as a hand-edited file would have it
    writeFileSync(path, JSON.stringify(json).replace('"1e999"', '1e999'));
    const before = model.stateDict()['layers.0.kernel']!.data().slice();
    const g = new nb.Generator(7);
    const expected = new nb.Generator(7).normal();
    assert.throws(() => loadCheckpoint(dir, { model, optimizer: opt, rng: g }), (e: Error) => message.test(e.message) && e.message.includes('invalid rng state'));
    assert.equal(g.normal(), expected, 'the generator is untouched');
    assert.deepEqual(model.stateDict()['layers.0.kernel']!.data(), before, 'the weights are untouched');
  });
}

test('Generator.setState refuses the same states directly, and accepts a real one', () => {
  const g = new nb.Generator(1);
  assert.throws(() => g.setState({ s: [0, 0, 0, 0], spare: null }), /all-zero state/);
  assert.throws(() => g.setState({ s: [1, 2, 3, 4], spare: Infinity }), /spare must be a finite number or null/);
  const state = new nb.Generator(3).getState();
  g.setState(state);
  assert.equal(g.normal(), new nb.Generator(3).normal());
});

test('load-side checks are as strict as save-side: a negative epoch or step count is refused on reading (issue 12, item 6)', () => {
  const { dir, model, opt } = saved('negative-epoch');
  const path = join(dir, 'checkpoint.json');
  const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  writeFileSync(path, JSON.stringify({ ...json, epoch: -5 }));
  assert.throws(() => loadCheckpoint(dir, { model, optimizer: opt }), /checkpoint\.json needs non-negative integer epoch and step, got epoch -5 and step \d+/);
  const optimizer = json['optimizer'] as Record<string, unknown>;
  writeFileSync(path, JSON.stringify({ ...json, optimizer: { ...optimizer, iterations: -1 } }));
  assert.throws(() => loadCheckpoint(dir, { model, optimizer: opt }), /checkpoint\.json has a malformed optimizer entry/);
});

test('a missing optimizer.safetensors is an error when steps were taken, not zeroed moments with a kept step count', () => {
  const { dir, model, opt } = saved('missing-slots');
  rmSync(join(dir, 'optimizer.safetensors'));
  assert.throws(
    () => loadCheckpoint(dir, { model, optimizer: opt }),
    (e: Error) => e.name === 'FileNotFoundError' && /records 1 optimizer steps but optimizer\.safetensors is missing; restore the file, or load without the optimizer/.test(e.message),
  );
  const info = loadCheckpoint(dir, { model });
  assert.equal(info.epoch, 0);
});
