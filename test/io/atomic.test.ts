import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/io/index.js';

const root = mkdtempSync(join(tmpdir(), 'nabla-atomic-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('writes bytes, strings and chunked sources', () => {
  const dir = mkdtempSync(join(root, 'w-'));
  const path = join(dir, 'f.bin');
  writeFileAtomic(path, new Uint8Array([1, 2, 3]));
  assert.deepEqual([...readFileSync(path)], [1, 2, 3]);
  writeFileAtomic(path, 'héllo');
  assert.equal(readFileSync(path, 'utf8'), 'héllo');
  writeFileAtomic(path, [new Uint8Array([9]), new Uint8Array(0), new Uint8Array([8, 7])]);
  assert.deepEqual([...readFileSync(path)], [9, 8, 7]);
  assert.deepEqual(readdirSync(dir), ['f.bin'], 'no temporary file is left behind');
});

test('a source that fails midway leaves the old file intact and no partial file', () => {
  const dir = mkdtempSync(join(root, 'fail-'));
  const path = join(dir, 'model.safetensors');
  writeFileSync(path, 'the old contents');
  function* failing(): Generator<Uint8Array> {
    yield new Uint8Array(1024).fill(65);
    throw new Error('disk on fire');
  }
  assert.throws(() => writeFileAtomic(path, failing()), /disk on fire/);
  assert.equal(readFileSync(path, 'utf8'), 'the old contents');
  assert.deepEqual(readdirSync(dir), ['model.safetensors'], 'the temporary file was removed');
});

test('a failed first write creates no file at the target', () => {
  const dir = mkdtempSync(join(root, 'new-'));
  const path = join(dir, 'new.bin');
  function* failing(): Generator<Uint8Array> {
    yield new Uint8Array([1]);
    throw new Error('interrupted');
  }
  assert.throws(() => writeFileAtomic(path, failing()), /interrupted/);
  assert.deepEqual(readdirSync(dir), []);
});

test('a missing directory is an error, not a silent success', () => {
  assert.throws(() => writeFileAtomic(join(root, 'no-such-dir', 'f.bin'), 'x'), /ENOENT/);
});
