import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { datasets } from '../../src/data/index.js';
import { FileNotFoundError, FormatError } from '../../src/io/index.js';
import { ValueError } from '../../src/tensor/errors.js';
import { idxBytes } from './idx-files.js';

const { readIdx, decodeIdx } = datasets;
const dir = mkdtempSync(join(tmpdir(), 'nabla-idx-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

test('reads ubyte images, plain and gzipped', () => {
  const pixels = [0, 1, 127, 128, 254, 255];
  for (const gzip of [false, true]) {
    const path = write(`u8${gzip ? '.gz' : ''}`, idxBytes(0x08, [2, 1, 3], pixels, gzip));
    const t = readIdx(path);
    assert.equal(t.dtype, 'int32');
    assert.deepEqual(t.shape, [2, 1, 3]);
    assert.deepEqual([...t.data()], pixels);
    const f = readIdx(path, { dtype: 'float32' });
    assert.equal(f.dtype, 'float32');
    assert.deepEqual([...f.data()], pixels);
  }
});

test('reads float and double data, plain and gzipped', () => {
  const values = [1.5, -2.25, 3e-3, 1e20];
  for (const gzip of [false, true]) {
    const f = readIdx(write(`f32${gzip ? '.gz' : ''}`, idxBytes(0x0d, [4], values, gzip)));
    assert.equal(f.dtype, 'float32');
    assert.deepEqual([...f.data()], Array.from(new Float32Array(values)));
    const d = readIdx(write(`f64${gzip ? '.gz' : ''}`, idxBytes(0x0e, [2, 2], values, gzip)));
    assert.equal(d.dtype, 'float64');
    assert.deepEqual(d.shape, [2, 2]);
    assert.deepEqual([...d.data()], values);
  }
});

test('reads signed byte, short and int data', () => {
  assert.deepEqual([...decodeIdx(idxBytes(0x09, [3], [-128, -1, 127])).data()], [-128, -1, 127]);
  assert.deepEqual([...decodeIdx(idxBytes(0x0b, [3], [-32768, -2, 32767])).data()], [-32768, -2, 32767]);
  assert.deepEqual([...decodeIdx(idxBytes(0x0c, [2], [-2147483648, 123456789])).data()], [-2147483648, 123456789]);
});

test('truncated data is rejected with the sizes and the path', () => {
  const full = idxBytes(0x08, [3, 4], Array.from({ length: 12 }, (_, i) => i));
  const path = write('short-idx3-ubyte', full.subarray(0, full.length - 2));
  assert.throws(() => readIdx(path), (e: Error) =>
    e instanceof FormatError && e.message === `readIdx: ${path} is truncated: header says 12 bytes of data, file has 10`);
  const gz = write('short-idx3-ubyte.gz', gzipSync(full.subarray(0, full.length - 2)));
  assert.throws(() => readIdx(gz), new RegExp(`readIdx: ${gz} is truncated: header says 12 bytes of data, file has 10`));
  const header = write('header-only', full.subarray(0, 9));
  assert.throws(() => readIdx(header), /is truncated: its header needs 12 bytes \(2 dimensions\), file has 9/);
  const cutGzip = gzipSync(full);
  const brokenGz = write('broken.gz', cutGzip.subarray(0, cutGzip.length - 10));
  assert.throws(() => readIdx(brokenGz), /is gzipped but cannot be decompressed/);
  assert.throws(() => readIdx(write('extra', new Uint8Array([...full, 0, 0]))), /has 2 bytes after the 12 bytes of data/);
});

test('a bad magic number is rejected', () => {
  const png = write('image.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
  assert.throws(() => readIdx(png), (e: Error) =>
    e instanceof FormatError && e.message.includes(png) && /not an IDX file: it starts with bytes 89 50 4e 47, expected 00 00/.test(e.message));
  const badType = idxBytes(0x08, [1], [1]);
  badType[2] = 0x07;
  assert.throws(() => decodeIdx(badType, { source: 'x.idx' }), /readIdx: x\.idx is not an IDX file: it starts with bytes 00 00 07 01/);
});

test('a missing file is a FileNotFoundError naming the path', () => {
  const path = join(dir, 'absent-idx1-ubyte.gz');
  assert.throws(() => readIdx(path), (e: Error) => e instanceof FileNotFoundError && e.message.includes(path));
});

test('a directory where the file should be is a ValueError naming the path, not a raw EISDIR (found by the fuzzer)', () => {
  const path = join(dir, 'a-directory-idx1-ubyte');
  mkdirSync(path);
  assert.throws(() => readIdx(path), (e: Error) => e.name === 'FileReadError' && e.message === `readIdx: cannot read ${JSON.stringify(path)}: it is a directory, not a file; pass the path of the file itself`);
});
