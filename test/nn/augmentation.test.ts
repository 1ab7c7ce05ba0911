/**
 * The augmentation layers: runLayerTest, identity in inference, seeding, and exact outputs on
 * hand-made images (flips, crops, shifts, 90° turns, zooms, the contrast formula), gradients.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { layerFromConfig, layers, type Layer } from '../../src/nn/index.js';
import { runLayerTest } from './run-layer-test.js';

/** The 3×3 image 1..9 as a batch of one, `[1, 3, 3, 1]`. */
const nine = () => nb.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], { shape: [1, 3, 3, 1] });
/** The H×W values of a one-image, one-channel batch. */
const grid = (t: nb.Tensor) => t.reshape([t.shape[1]!, t.shape[2]!]).toArray() as number[][];

function assertClose(actual: nb.Tensor, expected: number[], tol = 1e-6): void {
  const got = Array.from(actual.data());
  assert.equal(got.length, expected.length);
  got.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) <= tol, `[${i}]: ${v} vs ${expected[i]}`));
}

const makers: [string, () => Layer, number[]][] = [
  ['RandomFlip', () => new layers.RandomFlip('horizontal_and_vertical', { seed: 1 }), [2, 5, 5, 3]],
  ['RandomCrop', () => new layers.RandomCrop(3, 4, { seed: 1 }), [2, 3, 4, 3]],
  ['RandomTranslation', () => new layers.RandomTranslation(0.2, [-0.1, 0.3], { fillMode: 'constant', fillValue: 0.5, seed: 1 }), [2, 5, 5, 3]],
  ['RandomRotation', () => new layers.RandomRotation(0.1, { interpolation: 'nearest', fillMode: 'wrap', seed: 1 }), [2, 5, 5, 3]],
  ['RandomZoom', () => new layers.RandomZoom([-0.2, 0.2], 0.1, { seed: 1 }), [2, 5, 5, 3]],
  ['RandomContrast', () => new layers.RandomContrast([0.1, 0.4], { valueRange: null, seed: 1 }), [2, 5, 5, 3]],
];

for (const [name, make, outputShape] of makers) {
  test(`${name} passes runLayerTest and keeps its options in the config`, () => {
    runLayerTest({ make, input: nb.rand([2, 5, 5, 3]), outputShape, trainable: {} });
    const config = make().getConfig();
    assert.equal(config.seed, 1);
  });

  test(`${name} is reproducible: by seed option, and by nb.manualSeed`, () => {
    const x = nb.rand([4, 5, 5, 3], { generator: new nb.Generator(5) });
    assert.deepEqual(make().apply(x, true).toArray(), make().apply(x, true).toArray());
    const unseeded = layerFromConfig({ className: name, config: { ...make().getConfig(), name: undefined, seed: null } });
    nb.manualSeed(21);
    const a = unseeded.apply(x, true);
    nb.manualSeed(21);
    const b = unseeded.apply(x, true);
    assert.deepEqual(a.toArray(), b.toArray());
  });
}

test('the augmentation layers (but RandomCrop) are the identity in inference', () => {
  const x = nb.rand([2, 5, 5, 3]);
  for (const [name, make] of makers) {
    if (name === 'RandomCrop') continue;
    const layer = make();
    assert.equal(layer.apply(x), x, name);
    assert.equal(layer.apply(x, false), x, name);
  }
});

test('the layers change their input in training, differently per image, and accept one image [H, W, C]', () => {
  const x = nb.rand([6, 6, 6, 1], { generator: new nb.Generator(2) });
  for (const [name, make] of makers) {
    if (name === 'RandomCrop') continue;
    const y = make().apply(x, true);
    assert.deepEqual(y.shape, x.shape, name);
    assert.notDeepEqual(y.toArray(), x.toArray(), `${name} changes the batch`);
    const one = make().apply(nb.rand([6, 6, 1]), true);
    assert.deepEqual(one.shape, [6, 6, 1], `${name} on one image`);
  }
});

test('RandomFlip flips exactly: each image is itself or its mirror, and both happen', () => {
  const n = 16;
  const x = nb.arange(0, n * 2 * 3).reshape([n, 2, 3, 1]).cast('float32');
  for (const mode of ['horizontal', 'vertical', 'horizontal_and_vertical'] as const) {
    const y = new layers.RandomFlip(mode, { seed: 4 }).apply(x, true);
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      const img = x.slice([i]);
      const out = JSON.stringify(y.slice([i]).toArray());
      const options: [string, nb.Tensor][] = [['none', img]];
      if (mode !== 'vertical') options.push(['h', img.slice([null, [null, null, -1]])]);
      if (mode !== 'horizontal') options.push(['v', img.slice([[null, null, -1]])]);
      if (mode === 'horizontal_and_vertical') options.push(['hv', img.slice([[null, null, -1], [null, null, -1]])]);
      const match = options.find(([, t]) => JSON.stringify(t.toArray()) === out);
      assert.ok(match, `${mode}: image ${i} is an exact flip`);
      seen.add(match[0]);
    }
    assert.equal(seen.size, mode === 'horizontal_and_vertical' ? 4 : 2, `${mode}: every outcome occurs in ${n} images`);
  }
  assert.throws(() => new layers.RandomFlip('diagonal' as 'vertical'), /RandomFlip: mode must be one of 'horizontal', 'vertical', 'horizontal_and_vertical', got "diagonal"/);
});

test('RandomCrop: a random window in training (one per batch), the centre in inference, resize when too small', () => {
  const x = nb.arange(0, 2 * 4 * 5).reshape([2, 4, 5, 1]).cast('float32');
  const crop = new layers.RandomCrop(2, 3, { seed: 3 });
  // inference: the centred window, offsets floor((4−2)/2) = 1 and floor((5−3)/2) = 1
  assert.deepEqual(grid(crop.apply(x).slice([[0, 1]])), [[6, 7, 8], [11, 12, 13]]);
  // training: for some offsets, every image of the batch is cut at the same place
  const starts = new Set<string>();
  for (let k = 0; k < 20; k++) {
    const y = crop.apply(x, true);
    const first = y.slice([0, 0, 0, 0]).item(); // x holds its own flat index: the window's corner
    const [r, c] = [Math.floor(first / 5), first % 5];
    assert.ok(r <= 2 && c <= 2, `window at ${r},${c} fits`);
    const expected = x.slice([null, [r, r + 2], [c, c + 3]]);
    assert.deepEqual(y.toArray(), expected.toArray(), 'same window for the whole batch');
    starts.add(`${r},${c}`);
  }
  assert.ok(starts.size > 3, `windows vary (${[...starts].join(' ')})`);
  // a 2×2 image and a 4×4 target: the largest centred square (the whole image), resized bilinearly
  const small = nb.tensor([[[[0], [1]], [[2], [3]]]]);
  const up = new layers.RandomCrop(4, 4).apply(small, true);
  assert.deepEqual(Array.from(up.data()), [0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3]);
  assert.deepEqual(crop.computeOutputShape([7, 9, 9, 3]), [7, 2, 3, 3]);
  assert.throws(() => new layers.RandomCrop(0, 3), /RandomCrop: height must be a positive integer, got 0/);
});

test('RandomTranslation shifts by whole and half pixels, with each fill mode', () => {
  const down = new layers.RandomTranslation([1 / 3, 1 / 3], 0, { fillMode: 'constant', fillValue: -1 });
  assert.deepEqual(grid(down.apply(nine(), true)), [[-1, -1, -1], [1, 2, 3], [4, 5, 6]]);
  // two pixels left: columns 3 and 4 lie outside, filled per mode
  const left = (fillMode: 'reflect' | 'wrap' | 'nearest' | 'constant') =>
    grid(new layers.RandomTranslation(0, [-2 / 3, -2 / 3], { fillMode }).apply(nine(), true));
  assert.deepEqual(left('reflect'), [[3, 3, 2], [6, 6, 5], [9, 9, 8]]);
  assert.deepEqual(left('wrap'), [[3, 1, 2], [6, 4, 5], [9, 7, 8]]);
  assert.deepEqual(left('nearest'), [[3, 3, 3], [6, 6, 6], [9, 9, 9]]);
  assert.deepEqual(left('constant'), [[3, 0, 0], [6, 0, 0], [9, 0, 0]]);
  // half a pixel right with bilinear interpolation: the mean of neighbours, the fill value at the edge
  const half = new layers.RandomTranslation(0, [0.5 / 3, 0.5 / 3], { fillMode: 'constant', fillValue: 3 });
  assertClose(half.apply(nine(), true), [2, 1.5, 2.5, 3.5, 4.5, 5.5, 5, 7.5, 8.5]);
  assert.throws(() => new layers.RandomTranslation(1.5, 0), /RandomTranslation: heightFactor must be a number f ≥ 0 \(meaning \[-f, f\]\) or a pair \[lower, upper\] with lower ≤ upper with bounds in \[-1, 1\], got 1.5/);
  assert.throws(() => new layers.RandomTranslation(0.1, 0.1, { fillMode: 'mirror' as 'wrap' }), /RandomTranslation: fillMode must be one of 'constant', 'reflect', 'nearest', 'wrap', got "mirror"/);
});

test('RandomRotation turns by 90° exactly (nearest and bilinear), counter-clockwise for positive angles', () => {
  const quarter = (factor: number, interpolation: 'nearest' | 'bilinear') =>
    grid(new layers.RandomRotation([factor, factor], { interpolation }).apply(nine(), true));
  for (const interpolation of ['nearest', 'bilinear'] as const) {
    assert.deepEqual(roundAll(quarter(0.25, interpolation)), [[3, 6, 9], [2, 5, 8], [1, 4, 7]], `+90° ${interpolation}`);
    assert.deepEqual(roundAll(quarter(-0.25, interpolation)), [[7, 4, 1], [8, 5, 2], [9, 6, 3]], `-90° ${interpolation}`);
    assert.deepEqual(roundAll(quarter(0.5, interpolation)), [[9, 8, 7], [6, 5, 4], [3, 2, 1]], `180° ${interpolation}`);
  }
  // 45° with nearest: e.g. output (0, 0) reads the input at row 1 − √2 ≈ −0.41 → 0, column 1 → in[0][1] = 2;
  // the ring of 8 outer pixels moves one step counter-clockwise
  const r45 = new layers.RandomRotation([0.125, 0.125], { interpolation: 'nearest', fillMode: 'constant' }).apply(nine(), true);
  assert.deepEqual(grid(r45), [[2, 3, 6], [1, 5, 9], [4, 7, 8]]);
  assert.throws(() => new layers.RandomRotation(0.1, { interpolation: 'cubic' as 'nearest' }), /RandomRotation: interpolation must be 'bilinear' or 'nearest', got "cubic"/);
});

function roundAll(rows: number[][]): number[][] {
  return rows.map((r) => r.map((v) => Math.round(v * 1e6) / 1e6));
}

test('RandomZoom: zooming out by 2 shows a quarter of the image size, zooming in interpolates', () => {
  const out = new layers.RandomZoom([1, 1], null, { fillMode: 'constant', interpolation: 'nearest' });
  assert.deepEqual(grid(out.apply(nine(), true)), [[0, 0, 0], [0, 5, 0], [0, 0, 0]]);
  // zoom in 2×: output (y, x) reads the input at (½ + ½y, ½ + ½x); the image is linear (3r + c + 1), so bilinear is exact
  const zin = new layers.RandomZoom([-0.5, -0.5]);
  assertClose(zin.apply(nine(), true), [3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7]);
  // separate width factor: stretch columns only
  const wide = new layers.RandomZoom([0, 0], [-0.5, -0.5]);
  assertClose(wide.apply(nine(), true), [1.5, 2, 2.5, 4.5, 5, 5.5, 7.5, 8, 8.5]);
  assert.equal(new layers.RandomZoom(0.2).getConfig().widthFactor, null);
});

test('RandomContrast follows (x − mean)·c + mean per image and channel, c in [1 − lower, 1 + upper], then clips', () => {
  const x = nb.rand([5, 4, 4, 2], { generator: new nb.Generator(8) });
  const y = new layers.RandomContrast([0.3, 0.6], { valueRange: null, seed: 2 }).apply(x, true);
  const mean = x.mean([1, 2], true);
  const factors: number[] = [];
  for (let i = 0; i < 5; i++) {
    const dx = x.slice([i]).sub(mean.slice([i]));
    const dy = y.slice([i]).sub(mean.slice([i]));
    const c = dy.slice([0, 0, 0]).item() / dx.slice([0, 0, 0]).item();
    assert.ok(c >= 0.7 - 1e-6 && c <= 1.6 + 1e-6, `factor ${c} in [0.7, 1.6]`);
    assertClose(dy, Array.from(dx.mul(c).data()), 1e-5);
    factors.push(c);
  }
  assert.ok(new Set(factors.map((c) => c.toFixed(6))).size === 5, 'one factor per image');
  // clipping to the value range
  const bright = nb.tensor([0, 0.5, 1, 1], { shape: [1, 2, 2, 1] });
  const clipped = new layers.RandomContrast([0, 1], { valueRange: [0, 1], seed: 1 }).apply(bright, true);
  for (const v of clipped.data()) assert.ok(v >= 0 && v <= 1);
  assert.deepEqual(new layers.RandomContrast(0.2).getConfig().valueRange, [0, 255]);
  assert.throws(() => new layers.RandomContrast(1.5), /RandomContrast: factor must be a number in \[0, 1\] or a pair \[lower, upper\] of them/);
});

test('gradients flow to the input through every augmentation layer', () => {
  // a flip moves gradients back to the mirrored pixels
  const x = nb.arange(0, 6).reshape([1, 2, 3, 1]).cast('float32').requireGrad();
  const w = nb.tensor([1, 2, 3, 4, 5, 6], { shape: [1, 2, 3, 1] });
  new layers.RandomFlip('horizontal', { seed: 0 }).apply(x, true).mul(w).sum().backward();
  const g = Array.from(x.grad!.data());
  assert.ok(JSON.stringify(g) === '[3,2,1,6,5,4]' || JSON.stringify(g) === '[1,2,3,4,5,6]', `flip gradient ${g}`);
  // float64 gradchecks with a fresh layer per call, so every call draws the same transform
  const img = nb.rand([2, 4, 5, 2], { dtype: 'float64', generator: new nb.Generator(3) });
  const checks: [string, () => Layer][] = [
    ['rotation', () => new layers.RandomRotation(0.2, { fillMode: 'constant', fillValue: 0.3, seed: 5, dtype: 'float64' })],
    ['zoom', () => new layers.RandomZoom(0.3, null, { fillMode: 'reflect', seed: 5, dtype: 'float64' })],
    ['translation', () => new layers.RandomTranslation(0.3, 0.3, { fillMode: 'wrap', seed: 5, dtype: 'float64' })],
    ['contrast', () => new layers.RandomContrast(0.5, { valueRange: null, seed: 5, dtype: 'float64' })],
    ['crop', () => new layers.RandomCrop(3, 3, { seed: 5, dtype: 'float64' })],
  ];
  for (const [name, make] of checks) {
    const r = nb.testing.gradcheck((t) => make().apply(t, true), [img]);
    assert.ok(r.ok, `${name}: ${JSON.stringify(r.worst)}`);
    // the graph-free path (input without requiresGrad) computes the same values
    const plain = make().apply(img, true);
    const recorded = make().apply(img.detach().requireGrad(), true);
    assert.ok(recorded.requiresGrad && !plain.requiresGrad, name);
    assertClose(plain, Array.from(recorded.data()), 1e-12);
  }
  // bilinear with every fill mode, float32: both paths agree
  const x32 = nb.rand([3, 5, 4, 2], { generator: new nb.Generator(9) });
  for (const fillMode of ['constant', 'reflect', 'nearest', 'wrap'] as const) {
    const make = () => new layers.RandomRotation(0.3, { fillMode, fillValue: 0.7, seed: 11 });
    assertClose(make().apply(x32, true), Array.from(make().apply(x32.detach().requireGrad(), true).data()), 1e-6);
  }
});

test('augmentation layers check the input rank and cast integer pixels', () => {
  const flip = new layers.RandomFlip();
  assert.throws(() => flip.apply(nb.zeros([4, 4]), true), /RandomFlip 'random_flip.*': expects channels-last images \[N, H, W, C\] \(or one image \[H, W, C\]\), got shape \[4,4\]/);
  const ints = nb.tensor([[[[1], [2]], [[3], [4]]]], { dtype: 'int32' });
  const y = new layers.RandomRotation([0.5, 0.5], { interpolation: 'nearest' }).apply(ints, true);
  assert.equal(y.dtype, 'float32');
  assert.deepEqual(Array.from(y.data()), [4, 3, 2, 1]);
  assert.throws(() => new layers.RandomZoom(0.1, null, { seed: Number.NaN }), /RandomZoom: seed must be a finite number or null/);
});

/** Every augmentation layer with one seed, in either data format. */
const inFormat: [string, (dataFormat: 'channelsLast' | 'channelsFirst') => Layer][] = [
  ['RandomFlip', (dataFormat) => new layers.RandomFlip('horizontal_and_vertical', { seed: 3, dataFormat })],
  ['RandomCrop', (dataFormat) => new layers.RandomCrop(3, 4, { seed: 3, dataFormat })],
  ['RandomTranslation', (dataFormat) => new layers.RandomTranslation(0.3, 0.2, { fillMode: 'constant', fillValue: 0.5, seed: 3, dataFormat })],
  ['RandomRotation', (dataFormat) => new layers.RandomRotation(0.2, { seed: 3, dataFormat })],
  ['RandomZoom', (dataFormat) => new layers.RandomZoom(0.3, 0.2, { seed: 3, dataFormat })],
  ['RandomContrast', (dataFormat) => new layers.RandomContrast(0.5, { valueRange: null, seed: 3, dataFormat })],
];

test("dataFormat 'channelsFirst': the same draws give the channels-last result, transposed", () => {
  const last = nb.rand([3, 5, 6, 2], { generator: new nb.Generator(12) });
  const first = last.permute([0, 3, 1, 2]).contiguous();
  for (const [name, make] of inFormat) {
    const expected = make('channelsLast').apply(last, true);
    const got = make('channelsFirst').apply(first, true);
    assert.deepEqual(got.shape, [expected.shape[0], expected.shape[3], expected.shape[1], expected.shape[2]], `${name} shape`);
    assertClose(got.permute([0, 2, 3, 1]).contiguous(), Array.from(expected.data()), 1e-6);
    assert.notDeepEqual(got.toArray(), first.toArray(), `${name} changes the images`);
    // one image [C, H, W]
    const one = make('channelsFirst').apply(first.slice([0]), true);
    assert.equal(one.ndim, 3, `${name} on one image`);
    assert.equal(one.shape[0], 2, `${name} keeps the channels first`);
    assert.equal(make('channelsFirst').getConfig().dataFormat, 'channelsFirst');
    assert.equal(make('channelsLast').getConfig().dataFormat, 'channelsLast');
  }
});

test("channels-first by hand: a horizontal flip mirrors the last axis of [N, C, H, W], a crop cuts H and W", () => {
  // two channels of a 2×3 image: channel 0 holds 0..5, channel 1 holds 10..15
  const x = nb.tensor([0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15], { shape: [1, 2, 2, 3] });
  const flip = (seed: number) => new layers.RandomFlip('horizontal', { seed, dataFormat: 'channelsFirst' }).apply(x, true);
  const outcomes = new Set([0, 1, 2, 3, 4, 5, 6, 7].map((s) => JSON.stringify(Array.from(flip(s).data()))));
  assert.deepEqual([...outcomes].sort(), [
    JSON.stringify([0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15]),
    JSON.stringify([2, 1, 0, 5, 4, 3, 12, 11, 10, 15, 14, 13]),
  ].sort());
  const crop = new layers.RandomCrop(1, 1, { dataFormat: 'channelsFirst' });
  // inference: the centred 1×1 window at row floor(1/2) = 0, column floor(2/2) = 1
  assert.deepEqual(Array.from(crop.apply(x).data()), [1, 11]);
  assert.deepEqual(crop.computeOutputShape([7, 3, 9, 9]), [7, 3, 1, 1]);
  assert.deepEqual(crop.computeOutputShape([3, 9, 9]), [3, 1, 1]);
  assert.throws(() => new layers.RandomZoom(0.1, null, { dataFormat: 'NCHW' as 'channelsFirst' }), /RandomZoom: dataFormat must be 'channelsLast' or 'channelsFirst', got "NCHW"/);
  assert.throws(() => new layers.RandomFlip('vertical', { dataFormat: 'channelsFirst' }).apply(nb.zeros([4, 4]), true), /expects channels-first images \[N, C, H, W\] \(or one image \[C, H, W\]\), got shape \[4,4\]/);
});
