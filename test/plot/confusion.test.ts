import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import * as plot from '../../src/plot/index.js';
import { heatColor } from '../../src/plot/colors.js';
import type { RectShape } from '../../src/plot/figure.js';
import { readPng, rgbOf, same, tempDir, textShapes } from './helpers.js';

const dir = tempDir();
const yTrue = [0, 1, 2, 2, 1, 0, 0];
const yPred = [0, 2, 2, 2, 1, 1, 0];
// by hand: class 0 (samples 0, 5, 6) → predicted 0, 1, 0; class 1 (1, 4) → 2, 1; class 2 (2, 3) → 2, 2
const expected = [
  [2, 1, 0],
  [0, 1, 1],
  [0, 0, 2],
];

test('counts match the hand-computed matrix (rows: true class, columns: predicted)', () => {
  assert.deepEqual(plot.confusionCounts(yTrue, yPred), expected);
  assert.deepEqual(plot.confusionMatrix(yTrue, yPred, join(dir, 'cm.png')), expected);
});

test('probabilities are read by their largest entry; tensors and Int32Arrays are accepted', () => {
  const probs = nb.tensor([
    [0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.2, 0.2, 0.6], [0.0, 0.1, 0.9], [0.2, 0.5, 0.3], [0.3, 0.6, 0.1], [0.5, 0.4, 0.1],
  ]);
  assert.deepEqual(plot.confusionCounts(Int32Array.from(yTrue), probs), expected);
  assert.deepEqual(plot.confusionCounts(nb.tensor(yTrue, { dtype: 'int32' }), nb.tensor(yPred).reshape([7, 1])), expected);
  // one-hot true labels work too, and a non-contiguous view is read correctly
  const oneHot = nb.oneHot(nb.tensor(yTrue, { dtype: 'int32' }), 3);
  assert.deepEqual(plot.confusionCounts(oneHot, probs.transpose().contiguous().transpose()), expected);
});

test('classNames fix the number of classes, even for classes never seen', () => {
  const counts = plot.confusionCounts([0, 1], [1, 1], 4);
  assert.deepEqual(counts, [[0, 1, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
  const path = join(dir, 'named.svg');
  plot.confusionMatrix([0, 1], [1, 1], path, { classNames: ['cat', 'dog', 'bird', 'fish & chips'] });
  const svg = readFileSync(path, 'utf8');
  for (const name of ['cat', 'dog', 'bird', 'fish &amp; chips']) assert.equal(svg.split(`>${name}</text>`).length - 1, 2, `${name} on both axes`);
  assert.ok(svg.includes('>true class</text>') && svg.includes('>predicted class</text>'));
});

test('each cell shows its count; normalize shows row percentages', () => {
  const fig = plot.confusionMatrixFigure(expected);
  const numbers = fig.shapes.filter((s) => s.kind === 'text' && /^\d+$/.test(s.text) && s.anchor === 'middle' && s.scale === 2);
  // 9 cells plus the 3 column names
  assert.equal(numbers.length, 12);
  const norm = plot.toSvg(plot.confusionMatrixFigure(expected, { normalize: true }));
  for (const cell of ['66.7%', '33.3%', '50.0%', '100%', '0%']) assert.ok(norm.includes(`>${cell}</text>`), cell);
  assert.ok(norm.includes('>Confusion matrix (% of true class)</text>'));
  // a tiny non-zero share does not read as zero
  const tiny = plot.toSvg(plot.confusionMatrixFigure([[9999, 1], [0, 5]], { normalize: true }));
  assert.match(tiny, />&lt;1%<\/text>/);
  assert.match(tiny, />&gt;99%<\/text>/);
});

test('the PNG heat map is darkest where the counts are largest', () => {
  const path = join(dir, 'heat.png');
  plot.confusionMatrix(yTrue, yPred, path, { title: 'test set' });
  const png = readPng(path);
  const fig = plot.confusionMatrixFigure(expected, { title: 'test set' });
  assert.deepEqual([png.width, png.height], [fig.width, fig.height]);
  const cells = fig.shapes.filter((s): s is RectShape => s.kind === 'rect');
  assert.equal(cells.length, 9);
  const colorAt = (r: RectShape): [number, number, number] => png.rgb(r.x + 2, r.y + 2);
  assert.ok(same(colorAt(cells[0]!), rgbOf(heatColor(1))), 'count 2 of 2 → darkest');
  assert.ok(same(colorAt(cells[1]!), rgbOf(heatColor(0.5))));
  assert.ok(same(colorAt(cells[2]!), rgbOf(heatColor(0))));
  // the count is written in the cell, in white on the dark cell
  const [cell] = cells;
  let white = 0;
  for (let y = cell!.y; y < cell!.y + cell!.h; y++) for (let x = cell!.x; x < cell!.x + cell!.w; x++) if (same(png.rgb(x, y), [255, 255, 255])) white++;
  assert.ok(white > 20, `${white} white text pixels in the top-left cell`);
  assert.equal(textShapes(fig, 'test set').length, 1);
});

test('long class names are turned upright under the columns', () => {
  const fig = plot.confusionMatrixFigure(expected, { classNames: ['T-shirt/top', 'Trouser', 'Ankle boot'] });
  const upright = fig.shapes.filter((s) => s.kind === 'text' && s.rotate === -90).map((s) => (s.kind === 'text' ? s.text : ''));
  assert.deepEqual(upright, ['T-shirt/top', 'Trouser', 'Ankle boot', 'true class']);
});

test('bad labels are refused with the sample and the reason', () => {
  assert.throws(() => plot.confusionCounts([0, 1, 2], [0, 1]), { name: 'ShapeError', message: /yTrue has 3 samples but yPred has 2/ });
  assert.throws(() => plot.confusionCounts([0, 3], [0, 1], 3), /label 3 found, but there are only 3 classes \(0…2\)/);
  assert.throws(() => plot.confusionMatrix([0, 3], [0, 1], join(dir, 'x.png'), { classNames: ['a', 'b', 'c'] }), /label 3 found, but there are only 3 classes/);
  assert.throws(() => plot.confusionCounts([0, -1], [0, 1]), /yTrue\[1\] = -1 is not a class label/);
  assert.throws(() => plot.confusionCounts([0, 1], nb.tensor([0.2, 0.9])), /yPred\[0\] = 0\.2.* threshold it first/);
  assert.throws(() => plot.confusionCounts([0], nb.zeros([1, 2, 2])), { name: 'ShapeError', message: /yPred must be labels \[n\] or class scores \[n, classes\], got shape \[1,2,2\]/ });
  assert.throws(() => plot.confusionCounts([], []), /no samples/);
  assert.throws(() => plot.confusionMatrixFigure([[1, 2]]), /counts must be a square, non-empty matrix/);
});
