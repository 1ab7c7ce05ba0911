/**
 * nb.image and hostile sizes (issue 12, item 4): the size in a PNG's or JPEG's header is checked
 * against a pixel limit before anything is decoded (a 140 KB PNG of 12000×12000 took 3.4 GB and
 * 18 s), the limit can be raised, and an interlaced PNG whose data inflates past its size is
 * refused without inflating it whole.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import * as nb from '../../src/index.js';
import { ValueError } from '../../src/tensor/errors.js';
import { readInputFile } from '../../src/cli/image-input.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-image-limits-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** One PNG chunk: length, type, data, CRC of type and data. */
function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body) >>> 0, 8 + data.length);
  return out;
}

/** A PNG written by hand: 8-bit gray (colour type 0), the given raw (filtered) image data deflated. */
function grayPng(width: number, height: number, raw: Uint8Array, interlaced = false): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[12] = interlaced ? 1 : 0;
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}

/** A gray image's rows, each with filter byte 0 (none). */
function rows(width: number, height: number, pixel: (x: number, y: number) => number): Uint8Array {
  const out = new Uint8Array(height * (width + 1));
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * (width + 1) + 1 + x] = pixel(x, y);
  return out;
}

/** A `width`×`height` JPEG made by jpeg-js itself. */
function jpegOf(width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height * 4).fill(128);
  return jpeg.encode({ width, height, data }, 90).data;
}

test('a PNG whose header claims 12000×12000 is refused at once, naming the size, the limit and the option', () => {
  const bomb = grayPng(12000, 12000, new Uint8Array(100));
  assert.ok(bomb.length < 200, 'a tiny file');
  const start = performance.now();
  assert.throws(
    () => nb.image.decodeImage(bomb),
    (e: unknown) =>
      e instanceof ValueError &&
      e.message ===
        'decodeImage: the image is 12000×12000 (144.0 megapixels), more than the limit of 67,108,864 pixels (67.1 megapixels), ' +
          'which keeps a small file from taking gigabytes as it is decoded; if you trust the file, pass { maxPixels: 144000000 }',
  );
  assert.ok(performance.now() - start < 1000, 'refused before decoding');
  assert.equal(nb.image.DEFAULT_MAX_PIXELS, 8192 * 8192);
});

test('maxPixels lowers or raises the limit; an image of exactly the limit decodes', () => {
  const png = grayPng(300, 200, rows(300, 200, (x, y) => (x + y) % 256));
  assert.throws(() => nb.image.decodeImage(png, { maxPixels: 59_999 }), /the image is 300×200, more than the limit of 59,999 pixels, .*pass \{ maxPixels: 60000 \}/);
  const img = nb.image.decodeImage(png, { maxPixels: 60_000 });
  assert.deepEqual(img.shape, [200, 300, 1]);
  assert.equal(img.data()[7 * 300 + 5], Math.fround(12 / 255));
  assert.deepEqual(nb.image.decodeImage(png, { maxPixels: Infinity }).shape, [200, 300, 1]);
  const file = join(dir, 'small.png');
  writeFileSync(file, png);
  assert.throws(() => nb.image.readImage(file, { maxPixels: 100 }), new RegExp(`^ValueError: readImage: ${file}: the image is 300×200, more than the limit of 100 pixels, `));
});

test('maxPixels must be a positive integer or Infinity', () => {
  const png = grayPng(2, 2, rows(2, 2, () => 0));
  for (const bad of [0, -5, 1.5, Number.NaN, '100'] as unknown[]) {
    assert.throws(() => nb.image.decodeImage(png, { maxPixels: bad as number }), /decodeImage: maxPixels must be a positive integer \(or Infinity for no limit\), got/);
  }
});

test('a JPEG is held to the same limit, from its frame header, and jpeg-js gets it too', () => {
  // a frame header claiming 12000×12000 after a valid start: refused by the header check, not by jpeg-js
  const real = jpegOf(16, 16);
  const sof = real.findIndex((b, i) => b === 0xff && real[i + 1] === 0xc0);
  const big = Uint8Array.from(real);
  big.set([12000 >> 8, 12000 & 255, 12000 >> 8, 12000 & 255], sof + 5);
  assert.throws(() => nb.image.decodeImage(big), /^ValueError: decodeImage: the image is 12000×12000 \(144\.0 megapixels\), more than the limit of 67,108,864 pixels/);
  const photo = jpegOf(300, 200);
  assert.throws(() => nb.image.decodeImage(photo, { maxPixels: 59_999 }), /the image is 300×200, .* pass \{ maxPixels: 60000 \}/);
  assert.deepEqual(nb.image.decodeImage(photo, { maxPixels: 60_000 }).shape, [200, 300, 3]);
  assert.deepEqual(nb.image.decodeImage(photo, { maxPixels: Infinity }).shape, [200, 300, 3]);
});

test('nabla predict names its --max-pixels flag when an image is too large', () => {
  const file = join(dir, 'big.png');
  writeFileSync(file, grayPng(300, 200, rows(300, 200, () => 9)));
  assert.throws(() => readInputFile(file, [28, 28, 1], undefined, { maxPixels: 1000 }), new RegExp(`^ValueError: predict: cannot read ${file} as a PNG image: the image is 300×200, .* run with --max-pixels 60000$`));
  assert.deepEqual(readInputFile(file, [28, 28, 1], undefined, { maxPixels: 60_000 }).shape, [1, 28, 28, 1]);
});

/** Adam7's passes of a gray image, each row with filter byte 0: what an interlaced PNG deflates. */
function adam7(width: number, height: number, pixel: (x: number, y: number) => number): Uint8Array {
  const out: number[] = [];
  for (const [x0, y0, dx, dy] of [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const) {
    if (x0 >= width || y0 >= height) continue;
    for (let y = y0; y < height; y += dy) {
      out.push(0);
      for (let x = x0; x < width; x += dx) out.push(pixel(x, y));
    }
  }
  return Uint8Array.from(out);
}

test('an interlaced PNG decodes; one whose data inflates far past its size is refused without inflating it', () => {
  const pixel = (x: number, y: number) => 10 * y + x;
  const png = grayPng(5, 3, adam7(5, 3, pixel), true);
  assert.deepEqual(Array.from(nb.image.decodeImage(png).data()), Array.from({ length: 15 }, (_, i) => Math.fround(pixel(i % 5, Math.floor(i / 5)) / 255)));
  // 1×1 pixel, 64 MB of zeros behind it: a file of ~64 KB
  const raw = new Uint8Array(64 * 2 ** 20);
  const bomb = grayPng(1, 1, raw, true);
  assert.ok(bomb.length < 100_000);
  const start = performance.now();
  assert.throws(() => nb.image.decodeImage(bomb), /^ValueError: decodeImage: not a valid PNG \(the compressed image data inflates to more than the 2 bytes a 1×1 interlaced image takes\)$/);
  assert.ok(performance.now() - start < 1000, 'refused before inflating the data whole');
});
