// Names from safetensors files (issue 12, item 1). The format lets a tensor be called anything, so
// a tensor named '__proto__' or 'constructor' is legitimate data: it loads as an own entry (never
// through an assignment that would set a prototype), and every lookup by name finds only the
// file's own entries. What matters: no prototype changes, and no name finds an inherited property.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import {
  decodeSafetensors, encodeSafetensors, FormatError, fromTorchStateDict, loadSafetensors, loadSharded, openSafetensors,
  saveSafetensors, saveSharded,
} from '../../src/io/index.js';

const root = mkdtempSync(join(tmpdir(), 'nabla-safetensors-hostile-'));
after(() => rmSync(root, { recursive: true, force: true }));
const objectKeys = Object.getOwnPropertyNames(Object.prototype).sort();

function assertPrototypesIntact(): void {
  assert.equal(String({}), '[object Object]');
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), objectKeys);
  assert.equal(({} as Record<string, unknown>)['x'], undefined);
  assert.equal(Object.getPrototypeOf({}), Object.prototype);
}

const NAMES = ['__proto__', 'constructor', 'prototype', 'toString', '__proto__.toString', 'constructor.x'];

/** A record with a tensor under each name, built so that '__proto__' is an own key. */
function hostileTensors(): Record<string, nb.Tensor> {
  return Object.fromEntries(NAMES.map((n, i) => [n, nb.full([2], i)]));
}

test('tensors named __proto__, constructor, toString… round-trip as own entries, with their values', () => {
  const path = join(root, 'names.safetensors');
  saveSafetensors(path, hostileTensors(), Object.fromEntries([['__proto__', 'meta'], ['constructor', 'c']]));
  for (const { tensors, metadata } of [loadSafetensors(path), decodeSafetensors(readFileSync(path))]) {
    assert.deepEqual(Object.keys(tensors).sort(), [...NAMES].sort());
    NAMES.forEach((n, i) => {
      assert.ok(Object.hasOwn(tensors, n), n);
      assert.deepEqual(Array.from(tensors[n]!.data()), [i, i], n);
    });
    assert.equal(Object.getPrototypeOf(tensors), Object.prototype, 'the record keeps its prototype');
    assert.ok(Object.hasOwn(metadata, '__proto__') && metadata['__proto__'] === 'meta');
    assert.equal(metadata['constructor'], 'c');
  }
  assertPrototypesIntact();
});

test('lazy reading finds only the names the header lists', () => {
  const path = join(root, 'lazy.safetensors');
  saveSafetensors(path, { a: nb.ones([1]) });
  const file = openSafetensors(path);
  try {
    for (const n of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      assert.equal(file.has(n), false, n);
      assert.throws(() => file.get(n), (err: unknown) => err instanceof Error && !(err instanceof TypeError) && err.message.includes(`'${n}'`));
    }
  } finally {
    file.close();
  }
});

test('a model refuses tensors named like inherited properties as unexpected keys, never finding Object', () => {
  const model = new nb.Sequential([new nb.layers.Dense(2)]);
  model.apply(nb.zeros([1, 3]));
  const state = { ...model.stateDict(), ...hostileTensors() };
  assert.throws(() => model.loadStateDict(state), /unexpected keys: __proto__, constructor, prototype, toString, __proto__\.toString, constructor\.x/);
  assert.throws(() => fromTorchStateDict(model, hostileTensors()), /keys matching no weight: __proto__, constructor, prototype, toString/);
  assertPrototypesIntact();
});

test('a header written by hand with __proto__ entries decodes them as data, or refuses them as malformed', () => {
  const encode = (header: string): Uint8Array => {
    const h = new TextEncoder().encode(header);
    const bytes = new Uint8Array(8 + h.length + 4);
    new DataView(bytes.buffer).setUint32(0, h.length, true);
    bytes.set(h, 8);
    return bytes;
  };
  const ok = decodeSafetensors(encode('{"__proto__": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "__metadata__": {"__proto__": "x"}}'));
  assert.deepEqual(Object.keys(ok.tensors), ['__proto__']);
  assert.ok(Object.hasOwn(ok.metadata, '__proto__'));
  assert.throws(() => decodeSafetensors(encode('{"a": {"__proto__": {"dtype": "F32"}, "shape": [1], "data_offsets": [0, 4]}}')), (err: unknown) =>
    err instanceof FormatError && /tensor 'a' has no dtype string/.test(err.message));
  assert.throws(() => decodeSafetensors(encode('{"a": {"dtype": "toString", "shape": [1], "data_offsets": [0, 4]}}')), /tensor 'a' has unknown dtype "toString"/);
  assertPrototypesIntact();
});

test('a sharded model: an index mapping __proto__ and constructor loads them; a shard holding a name the index lacks is refused', () => {
  const dir = join(root, 'sharded');
  mkdirSync(dir);
  saveSharded(dir, hostileTensors(), { maxShardBytes: 16 });
  const loaded = loadSharded(dir);
  NAMES.forEach((n, i) => assert.deepEqual(Array.from(loaded.tensors[n]!.data()), [i, i], n));
  assert.ok(Object.hasOwn(loaded.tensors, '__proto__'));

  const index = join(dir, 'model.safetensors.index.json');
  const json = JSON.parse(readFileSync(index, 'utf8')) as { weight_map: Record<string, string> };
  const { constructor: _dropped, ...rest } = json.weight_map;
  writeFileSync(index, JSON.stringify({ ...json, weight_map: rest }));
  assert.throws(() => loadSharded(dir), (err: unknown) => err instanceof FormatError && /holds 'constructor', which the index does not map to it/.test(err.message));
  assertPrototypesIntact();
});

test('encodeSafetensors refuses only __metadata__ as a name: every other name is the caller\'s', () => {
  assert.throws(() => encodeSafetensors(Object.fromEntries([['__metadata__', nb.ones([1])]])), /'__metadata__' is reserved/);
  assert.equal(decodeSafetensors(encodeSafetensors(Object.fromEntries([['constructor', nb.ones([1])]]))).tensors['constructor']!.size, 1);
});
