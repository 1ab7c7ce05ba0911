/**
 * nb.image: PNG/JPEG decoding and encoding (exact pixel values for PNG), file errors naming the
 * file, bilinear and nearest resizing against hand-computed values, normalisation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import * as nb from '../../src/index.js';
import * as image from '../../src/image/index.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-image-'));
const at = (name: string) => join(dir, name);

/** Encodes RGBA bytes as a PNG with pngjs itself (not through nabla). */
function pngBytes(width: number, height: number, rgba: number[], opts: { colorType?: 0 | 2 | 4 | 6; bitDepth?: 8 | 16 } = {}): Buffer {
  const png = new PNG({ width, height });
  png.data = opts.bitDepth === 16 ? Buffer.from(new Uint16Array(rgba).buffer) : Buffer.from(rgba);
  return PNG.sync.write(png, { colorType: opts.colorType ?? 6, bitDepth: opts.bitDepth ?? 8 });
}

function assertClose(actual: nb.Tensor, expected: number[], tol: number, what = 'values'): void {
  const got = Array.from(actual.data());
  assert.equal(got.length, expected.length, `${what}: length`);
  got.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) <= tol, `${what}[${i}]: ${v} vs ${expected[i]}`));
}

const f32 = (bytes: number[], max = 255) => bytes.map((b) => Math.fround(b / max));

test('decodeImage reads a PNG made by pngjs with exact values, in the channels the file holds', () => {
  // 2×1 RGBA: an opaque red-ish pixel and a half-transparent one
  const rgba = [10, 20, 30, 255, 200, 100, 0, 128];
  const img = image.decodeImage(pngBytes(2, 1, rgba));
  assert.deepEqual(img.shape, [1, 2, 4]);
  assert.equal(img.dtype, 'float32');
  assert.deepEqual(Array.from(img.data()), f32(rgba));
  // RGB file → 3 channels; gray file → 1 channel
  const rgb = image.decodeImage(pngBytes(2, 1, rgba.map((v, i) => (i % 4 === 3 ? 255 : v)), { colorType: 2 }));
  assert.deepEqual(rgb.shape, [1, 2, 3]);
  assert.deepEqual(Array.from(rgb.data()), f32([10, 20, 30, 200, 100, 0]));
  const gray = image.decodeImage(pngBytes(3, 1, [0, 0, 0, 255, 7, 7, 7, 255, 255, 255, 255, 255], { colorType: 0 }));
  assert.deepEqual(gray.shape, [1, 3, 1]);
  assert.deepEqual(Array.from(gray.data()), f32([0, 7, 255]));
});

test('decodeImage keeps the 16 bits of a 16-bit PNG', () => {
  const values = [0, 257, 1000, 65535];
  const rgba = values.flatMap((v) => [v, v, v, 65535]);
  const img = image.decodeImage(pngBytes(2, 2, rgba, { colorType: 0, bitDepth: 16 }));
  assert.deepEqual(img.shape, [2, 2, 1]);
  assert.deepEqual(Array.from(img.data()), f32(values, 65535));
});

test('the channels option converts: RGBA → RGB drops alpha, colour → gray by luma, gray → RGB(A) repeats', () => {
  const bytes = pngBytes(1, 1, [200, 100, 50, 128]);
  assert.deepEqual(Array.from(image.decodeImage(bytes, { channels: 3 }).data()), f32([200, 100, 50]));
  assertClose(image.decodeImage(bytes, { channels: 1 }), [(0.299 * 200 + 0.587 * 100 + 0.114 * 50) / 255], 1e-6, 'luma');
  const gray = pngBytes(1, 1, [60, 60, 60, 255], { colorType: 0 });
  assert.deepEqual(Array.from(image.decodeImage(gray, { channels: 3 }).data()), f32([60, 60, 60]));
  assert.deepEqual(Array.from(image.decodeImage(gray, { channels: 4 }).data()), f32([60, 60, 60, 255]));
  assert.throws(() => image.decodeImage(bytes, { channels: 2 as 1 }), /decodeImage: channels must be 1, 3 or 4, got 2/);
});

test('writeImage → readImage round-trips PNG exactly (gray, RGB, RGBA, [H, W]) and takes an ArrayBuffer too', () => {
  for (const c of [1, 3, 4]) {
    const bytes = Array.from({ length: 3 * 4 * c }, (_, i) => (i * 37) % 256);
    const t = nb.tensor(f32(bytes), { shape: [3, 4, c] });
    writeImage(`rt${c}.png`, t);
    const back = image.readImage(at(`rt${c}.png`));
    assert.deepEqual(back.shape, [3, 4, c]);
    assert.deepEqual(Array.from(back.data()), f32(bytes), `${c} channels`);
  }
  image.writeImage(at('hw.png'), nb.tensor([[0, 1], [0.5, 0.25]]));
  assert.deepEqual(Array.from(image.readImage(at('hw.png')).data()), f32([0, 255, 128, 64]));
  // int32 pixels are taken in [0, 255]; floats outside [0, 1] are clipped
  image.writeImage(at('int.png'), nb.tensor([[[0], [255]], [[17], [300]]], { dtype: 'int32' }));
  assert.deepEqual(Array.from(image.readImage(at('int.png')).data()), f32([0, 255, 17, 255]));
  const file = readFileSync(at('int.png'));
  const ab = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
  assert.deepEqual(image.decodeImage(ab).shape, [2, 2, 1]);
  assert.equal(image.detectImageFormat(file), 'png');
});

function writeImage(name: string, t: nb.Tensor): void {
  image.writeImage(at(name), t);
}

test('decodeImage reads a JPEG made by jpeg-js; writeImage writes JPEGs that read back close', () => {
  // a flat colour survives JPEG almost exactly
  const [r, g, b] = [200, 60, 30];
  const rgba = Buffer.alloc(8 * 8 * 4);
  for (let p = 0; p < 64; p++) rgba.set([r, g, b, 255], 4 * p);
  const bytes = jpeg.encode({ width: 8, height: 8, data: rgba }, 100).data;
  assert.equal(image.detectImageFormat(bytes), 'jpeg');
  const img = image.decodeImage(bytes);
  assert.deepEqual(img.shape, [8, 8, 3]);
  assertClose(img, Array.from({ length: 64 }, () => [r / 255, g / 255, b / 255]).flat(), 3 / 255, 'flat colour');
  assertClose(image.decodeImage(bytes, { channels: 1 }), new Array(64).fill((0.299 * r + 0.587 * g + 0.114 * b) / 255), 3 / 255, 'luma');

  const smooth = nb.tensor(Array.from({ length: 16 * 16 * 3 }, (_, i) => 0.2 + 0.5 * ((i % 48) / 48)), { shape: [16, 16, 3] });
  image.writeImage(at('smooth.jpg'), smooth, { quality: 95 });
  const back = image.readImage(at('smooth.jpg'));
  assert.deepEqual(back.shape, [16, 16, 3]);
  const err = Math.max(...Array.from(back.sub(smooth).abs().data()));
  assert.ok(err < 0.05, `JPEG round trip within 0.05, got ${err}`);
  // the format comes from the content, not the name
  writeFileSync(at('really-a-jpeg.png'), bytes);
  assert.deepEqual(image.readImage(at('really-a-jpeg.png')).shape, [8, 8, 3]);
});

test('readImage names the file and the problem: unsupported, missing, empty, corrupt, truncated', () => {
  const bmp = Buffer.concat([Buffer.from('BM'), Buffer.alloc(60)]);
  writeFileSync(at('photo.bmp'), bmp);
  assert.throws(() => image.readImage(at('photo.bmp')), {
    name: 'ValueError',
    message: `readImage: ${at('photo.bmp')}: unsupported format (expected PNG or JPEG; this looks like BMP)`,
  });
  writeFileSync(at('notes.txt'), 'hello, not an image');
  assert.throws(() => image.readImage(at('notes.txt')), new RegExp(`readImage: .*notes\\.txt: unsupported format \\(expected PNG or JPEG\\)$`));
  writeFileSync(at('empty.png'), Buffer.alloc(0));
  assert.throws(() => image.readImage(at('empty.png')), /readImage: .*empty\.png: the file is empty/);
  assert.throws(() => image.readImage(at('missing.png')), /readImage: .*missing\.png: no such file or directory/);
  mkdirSync(at('folder.png'));
  assert.throws(() => image.readImage(at('folder.png')), /readImage: .*folder\.png: is a directory, not an image file/);

  const good = pngBytes(4, 4, new Array(64).fill(90));
  writeFileSync(at('broken.png'), good.subarray(0, good.length - 30));
  assert.throws(() => image.readImage(at('broken.png')), /readImage: .*broken\.png: not a valid PNG \(the data ends early, so the file is probably truncated\)/);
  const flipped = Buffer.from(good);
  flipped[40] = flipped[40]! ^ 0xff; // inside a chunk: its CRC no longer matches
  writeFileSync(at('corrupt.png'), flipped);
  assert.throws(() => image.readImage(at('corrupt.png')), /readImage: .*corrupt\.png: not a valid PNG \(.+\)/);

  const jpg = jpeg.encode({ width: 8, height: 8, data: Buffer.alloc(256, 120) }, 90).data;
  writeFileSync(at('cut.jpg'), jpg.subarray(0, jpg.length - 40));
  assert.throws(() => image.readImage(at('cut.jpg')), /readImage: .*cut\.jpg: not a valid JPEG \(.*probably truncated\)/);
  assert.throws(() => image.decodeImage(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])), /^ValueError: decodeImage: not a valid PNG/);
});

test('writeImage checks the name, the shape and the values', () => {
  const img = nb.zeros([2, 2, 3]);
  assert.throws(() => image.writeImage(at('out.bmp'), img), /writeImage: .*out\.bmp: unsupported format \(expected a \.png, \.jpg or \.jpeg file name\)/);
  assert.throws(() => image.writeImage(at('two.png'), nb.zeros([2, 2, 2])), /writeImage: .*two\.png: expects an image \[H, W, C\] with 1, 3 or 4 channels/);
  assert.throws(() => image.writeImage(at('nan.png'), nb.full([2, 2, 1], NaN)), /writeImage: .*nan\.png: the image holds NaN at flat index 0/);
  assert.throws(() => image.writeImage(at('q.jpg'), img, { quality: 0 }), /quality must be an integer from 1 to 100/);
  assert.throws(() => image.writeImage(join(dir, 'no-such-dir', 'x.png'), img), /writeImage: .*x\.png: cannot write the file/);
});

test('resize bilinear matches hand-computed values (half-pixel centres), up and down', () => {
  const x = nb.tensor([[[0], [1]], [[2], [3]]]); // [2, 2, 1]
  const up = image.resize(x, [4, 4]);
  assert.deepEqual(up.shape, [4, 4, 1]);
  // sample points (j + ½)/2 − ½ = −¼, ¼, ¾, 1¼ → clamped 0, ¼, ¾, 1
  assert.deepEqual(Array.from(up.data()), [0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3]);
  const big = nb.arange(0, 16).reshape([1, 4, 4, 1]).cast('float32'); // a batch of one
  // sample points (j + ½)·2 − ½ = ½, 2½: the mean of each 2×2 block
  assert.deepEqual(Array.from(image.resize(big, [2, 2]).data()), [2.5, 4.5, 10.5, 12.5]);
  // non-square, per channel: 1×3 → 1×2 samples at ¼ and 1¾
  const row = nb.tensor([[[0, 10], [4, 20], [8, 30]]]);
  assertClose(image.resize(row, [1, 2]), [1, 12.5, 7, 27.5], 1e-6, '1×3 → 1×2');
  assert.equal(image.resize(x, [2, 2]), x, 'same size is a no-op');
});

test('resize nearest picks the pixel whose cell holds the sample point', () => {
  const x = nb.tensor([[[0], [1]], [[2], [3]]]);
  assert.deepEqual(Array.from(image.resize(x, [4, 4], { method: 'nearest' }).data()), [0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3]);
  const big = nb.arange(0, 9).reshape([3, 3, 1]).cast('float32');
  assert.deepEqual(Array.from(image.resize(big, [2, 2], { method: 'nearest' }).data()), [0, 2, 6, 8]);
});

test('resize passes gradients to the image, and validates its arguments', () => {
  const x = nb.randn([1, 3, 3, 2], { dtype: 'float64' });
  const r = nb.testing.gradcheck((t) => image.resize(t, [5, 4]), [x]);
  assert.ok(r.ok);
  // every input pixel's weights sum to the number of outputs per input pixel
  const y = nb.ones([2, 2, 1], { requiresGrad: true });
  image.resize(y, [4, 4]).sum().backward();
  assert.deepEqual(Array.from(y.grad!.data()), [4, 4, 4, 4]);
  assert.throws(() => image.resize(nb.zeros([4, 4]), [2, 2]), /resize: expects an image \[H, W, C\] or a batch \[N, H, W, C\], got shape \[4,4\]/);
  assert.throws(() => image.resize(nb.zeros([4, 4, 1]), [0, 2]), /resize: size must be \[height, width\] of positive integers, got \[0,2\]/);
  assert.throws(() => image.resize(nb.zeros([4, 4, 1], { dtype: 'int32' }), [2, 2]), /resize: expects a float image, got int32/);
  assert.throws(() => image.resize(nb.zeros([4, 4, 1]), [2, 2], { method: 'cubic' as 'nearest' }), /resize: interpolation must be 'bilinear' or 'nearest', got "cubic"/);
});

test('normalize standardises each channel', () => {
  const x = nb.tensor([[[0.5, 0.2, 1]], [[0, 0.4, 0.6]]]); // [2, 1, 3]
  const y = image.normalize(x, [0.5, 0.2, 0.6], [0.5, 0.1, 0.2]);
  assertClose(y, [0, 0, 2, -1, 2, 0], 1e-6);
  assertClose(image.normalize(x, 0.5, 0.25), [0, -1.2, 2, -2, -0.4, 0.4], 1e-6, 'one number for every channel');
  assert.throws(() => image.normalize(x, [0.5, 0.5], 1), /normalize: mean has 2 values but the image \[2,1,3\] has 3 channels/);
  assert.throws(() => image.normalize(x, 0, [1, 0, 1]), /normalize: std must be positive in every channel/);
});
