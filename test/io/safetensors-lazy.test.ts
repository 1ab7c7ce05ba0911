import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import {
  FileNotFoundError, FormatError, loadSafetensors, loadSharded, openSafetensors, openSharded, saveSafetensors, saveSharded,
} from '../../src/io/index.js';

const root = mkdtempSync(join(tmpdir(), 'nabla-lazy-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('openSafetensors reads the header first and each tensor only when asked', () => {
  const path = join(root, 'lazy.safetensors');
  const a = nb.arange(0, 1000, 1, { dtype: 'float32' }).reshape([10, 100]);
  const b = nb.tensor([1, 2, 3], { dtype: 'int32' });
  saveSafetensors(path, { a, b }, { note: 'lazy' }, { dtypes: { b: 'I64' } });
  const file = openSafetensors(path);
  try {
    assert.deepEqual(file.keys(), ['a', 'b']);
    assert.deepEqual(file.metadata, { note: 'lazy' });
    assert.deepEqual(file.info('a'), { fileDType: 'F32', dtype: 'float32', shape: [10, 100], byteLength: 4000 });
    assert.deepEqual(file.info('b'), { fileDType: 'I64', dtype: 'int32', shape: [3], byteLength: 24 });
    assert.ok(file.has('a') && !file.has('c'));
    // change a's bytes on disk after opening: get() reads them then, from the file
    const bytes = readFileSync(path);
    const dataStart = 8 + Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, dataStart).toString()) as Record<string, { data_offsets: [number, number] }>;
    const fd = openSync(path, 'r+');
    writeSync(fd, new Uint8Array(new Float32Array([-7]).buffer), 0, 4, dataStart + header['a']!.data_offsets[0]);
    closeSync(fd);
    assert.equal(file.get('a').data()[0], -7);
    assert.deepEqual(file.get('b').toArray(), [1, 2, 3]);
    assert.throws(() => file.get('c'), /no tensor named 'c'; the file holds 'a', 'b'/);
  } finally {
    file.close();
  }
  assert.throws(() => file.get('a'), /the file is closed/);
  file.close();
  assert.deepEqual(loadSafetensors(path).tensors['b']!.toArray(), [1, 2, 3]);
});

test('a file truncated after opening gives a FormatError on get', () => {
  const path = join(root, 'shrink.safetensors');
  saveSafetensors(path, { w: nb.ones([1000]) });
  const file = openSafetensors(path);
  writeFileSync(path, readFileSync(path).subarray(0, 100));
  assert.throws(() => file.get('w'), (e: Error) => e instanceof FormatError && /the file ended after/.test(e.message));
  file.close();
  assert.throws(() => openSafetensors(join(root, 'none.safetensors')), FileNotFoundError);
  assert.throws(() => openSafetensors(path), FormatError);
});

test('saveSharded splits by size and writes a Hugging Face index; loadSharded reads it back', () => {
  const dir = join(root, 'sharded');
  const tensors: Record<string, nb.Tensor> = {};
  for (let i = 0; i < 5; i++) tensors[`layer${i}.weight`] = nb.full([25], i); // 100 bytes each
  tensors['big'] = nb.ones([100]); // 400 bytes: a shard of its own
  tensors['ids'] = nb.tensor([1, 2], { dtype: 'int32' });
  const indexPath = saveSharded(dir, tensors, { maxShardBytes: 250, dtypes: { 'layer4.weight': 'F16' } });
  assert.equal(indexPath, join(dir, 'model.safetensors.index.json'));
  const index = JSON.parse(readFileSync(indexPath, 'utf8')) as { metadata: { total_size: number }; weight_map: Record<string, string> };
  assert.equal(index.metadata.total_size, 4 * 100 + 50 + 400 + 8);
  assert.deepEqual(index.weight_map, {
    'layer0.weight': 'model-00001-of-00004.safetensors',
    'layer1.weight': 'model-00001-of-00004.safetensors',
    'layer2.weight': 'model-00002-of-00004.safetensors',
    'layer3.weight': 'model-00002-of-00004.safetensors',
    'layer4.weight': 'model-00002-of-00004.safetensors',
    big: 'model-00003-of-00004.safetensors',
    ids: 'model-00004-of-00004.safetensors',
  });
  assert.deepEqual(loadSafetensors(join(dir, 'model-00001-of-00004.safetensors')).metadata, { format: 'pt' });
  const { tensors: back, metadata } = loadSharded(dir);
  assert.deepEqual(metadata, { total_size: 858 });
  assert.deepEqual(Object.keys(back), Object.keys(tensors));
  for (const [k, t] of Object.entries(tensors)) assert.deepEqual(back[k]!.toArray(), t.toArray(), k);
  const lazy = openSharded(join(dir, 'model.safetensors.index.json'));
  assert.deepEqual(lazy.info('layer4.weight').fileDType, 'F16');
  assert.deepEqual(lazy.get('ids').toArray(), [1, 2]);
  lazy.close();

  // saving again with fewer shards removes the old ones
  saveSharded(dir, { only: nb.ones([2]) });
  assert.deepEqual(readdirSync(dir).sort(), ['model-00001-of-00001.safetensors', 'model.safetensors.index.json']);
  assert.deepEqual(Object.keys(loadSharded(dir).tensors), ['only']);
});

test('loadSharded rejects inconsistent or hostile indexes, and reads a single model.safetensors', () => {
  const dir = join(root, 'bad-index');
  saveSharded(dir, { a: nb.ones([2]), b: nb.ones([2]) }, { maxShardBytes: 8 });
  const indexPath = join(dir, 'model.safetensors.index.json');
  const write = (index: unknown) => writeFileSync(indexPath, JSON.stringify(index));
  write({ weight_map: { a: '../../etc/passwd' } });
  assert.throws(() => loadSharded(dir), /weight_map\['a'\] is "\.\.\/\.\.\/etc\/passwd"; expected the file name of a shard next to the index/);
  write({ weight_map: { a: 'model-00002-of-00002.safetensors', b: 'model-00002-of-00002.safetensors' } });
  assert.throws(() => loadSharded(dir), /the index puts 'a' in model-00002-of-00002\.safetensors, which does not hold it/);
  const together = join(root, 'together');
  saveSharded(together, { a: nb.ones([2]), b: nb.ones([2]) });
  writeFileSync(join(together, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { a: 'model-00001-of-00001.safetensors' } }));
  assert.throws(() => loadSharded(together), /model-00001-of-00001\.safetensors holds 'b', which the index does not map to it/);
  write({ weight_map: { a: 'model-00001-of-00002.safetensors', b: 'model-00002-of-00002.safetensors' }, metadata: [] });
  assert.throws(() => loadSharded(dir), /"metadata" must be an object/);
  writeFileSync(indexPath, '{"weight_map": ');
  assert.throws(() => loadSharded(dir), (e: Error) => e instanceof FormatError && /not valid JSON/.test(e.message));
  write({ weights: {} });
  assert.throws(() => loadSharded(dir), /expected an object with a "weight_map" object/);
  write({ weight_map: { a: 'missing.safetensors' } });
  assert.throws(() => loadSharded(dir), FileNotFoundError);

  const single = join(root, 'single');
  mkdirSync(single);
  saveSafetensors(join(single, 'model.safetensors'), { w: nb.ones([3]) });
  assert.deepEqual(loadSharded(single).tensors['w']!.toArray(), [1, 1, 1]);
  assert.throws(() => loadSharded(join(root, 'nowhere')), (e: Error) => e instanceof FileNotFoundError && /no index at/.test(e.message));
  assert.ok(!existsSync(join(root, 'nowhere')));
  assert.throws(() => saveSharded(dir, { a: nb.ones([1]) }, { maxShardBytes: 0 }), /maxShardBytes must be a positive integer/);
});
