import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as plot from '../../src/plot/index.js';
import { COLORS } from '../../src/plot/colors.js';
import { textWidth, type PolylineShape } from '../../src/plot/figure.js';
import { readPng, rgbOf, same, sampleHistory, tempDir, textShapes } from './helpers.js';

const dir = tempDir();
const h = sampleHistory(12);
const path = join(dir, 'curves.png');
const figure = plot.history(h, path);
const png = readPng(path);
const WHITE = [255, 255, 255];
const TRAIN = rgbOf(COLORS.train);
const VAL = rgbOf(COLORS.validation);

/** Rows of column x in [y0, y1) whose pixel is exactly `color`. */
function rowsOf(x: number, y0: number, y1: number, color: readonly number[]): number[] {
  const rows: number[] = [];
  for (let y = y0; y < y1; y++) if (same(png.rgb(x, y), color)) rows.push(y);
  return rows;
}

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

test('the PNG has the figure size and a white background at the corners', () => {
  assert.equal(png.width, 800);
  assert.equal(png.height, 650);
  assert.deepEqual([png.width, png.height], [figure.width, figure.height]);
  for (const [x, y] of [[0, 0], [799, 0], [0, 649], [799, 649]] as const) assert.deepEqual(png.rgb(x, y), WHITE);
});

test('the curves are drawn in their colours along the expected trajectory', () => {
  const curves = figure.shapes.filter((s): s is PolylineShape => s.kind === 'polyline' && s.points.length === 12);
  const [lossTrain, lossVal, accTrain] = curves;
  assert.ok(lossTrain && lossVal && accTrain);
  const panels = [[50, 350], [350, 650]] as const;
  for (const [curve, color, [top, bottom], falls] of [
    [lossTrain, TRAIN, panels[0], true],
    [lossVal, VAL, panels[0], true],
    [accTrain, TRAIN, panels[1], false],
  ] as const) {
    const first = curve.points[0]!, last = curve.points[11]!;
    // search the plot area below the legend row for the curve colour at the first and last epoch
    const at = (x: number): number[] => rowsOf(Math.round(x), top + 40, bottom, color);
    const y0 = at(first[0]), y1 = at(last[0]);
    assert.ok(y0.length > 0 && y1.length > 0, `no ${color} pixels at the first or last epoch`);
    assert.ok(Math.abs(mean(y0) - first[1]) < 4, `first point drawn at y≈${mean(y0)}, expected ${first[1]}`);
    assert.ok(Math.abs(mean(y1) - last[1]) < 4, `last point drawn at y≈${mean(y1)}, expected ${last[1]}`);
    if (falls) assert.ok(mean(y0) < mean(y1), 'a falling loss starts higher on the image than it ends');
    else assert.ok(mean(y0) > mean(y1), 'a rising accuracy starts lower on the image than it ends');
  }
});

test('without looking at the figure: the leftmost training pixels of the loss panel are above the rightmost', () => {
  const columns: { x: number; y: number }[] = [];
  for (let x = 100; x < 780; x++) {
    const rows = rowsOf(x, 100, 340, TRAIN);
    if (rows.length > 0) columns.push({ x, y: mean(rows) });
  }
  assert.ok(columns.length > 400, `the training curve spans the panel (${columns.length} columns)`);
  assert.ok(columns[0]!.y < columns.at(-1)!.y - 100);
});

test('the curves are anti-aliased: partially covered pixels between the colour and white exist', () => {
  let blends = 0;
  for (let y = 100; y < 340; y++) {
    for (let x = 100; x < 780; x++) {
      const [r, g, b] = png.rgb(x, y);
      // on the straight line between the training blue and white, strictly between them
      const t = (255 - b) / (255 - TRAIN[2]!);
      if (t > 0.1 && t < 0.9 && Math.abs(r - (255 + (TRAIN[0]! - 255) * t)) < 3 && Math.abs(g - (255 + (TRAIN[1]! - 255) * t)) < 3) blends++;
    }
  }
  assert.ok(blends > 100, `${blends} blended pixels`);
});

test('the legend text is rendered where the figure puts it', () => {
  for (const label of ['training', 'validation']) {
    const [shape] = textShapes(figure, label);
    assert.ok(shape);
    const w = textWidth(label, shape.scale);
    let ink = 0;
    for (let y = shape.y - 14; y < shape.y; y++) for (let x = shape.x; x < shape.x + w; x++) if (same(png.rgb(x, y), rgbOf(COLORS.text))) ink++;
    assert.ok(ink > 8 * label.length, `${label}: only ${ink} text pixels`);
    // the line sample in front of it carries the series colour
    const color = label === 'training' ? TRAIN : VAL;
    assert.ok(rowsOf(shape.x - 21, shape.y - 14, shape.y, color).length > 0, `${label}: no legend sample`);
  }
  // and the space above the legend is empty
  const [shape] = textShapes(figure, 'training');
  for (let y = shape!.y - 34; y < shape!.y - 20; y++) for (let x = shape!.x; x < shape!.x + 40; x++) assert.deepEqual(png.rgb(x, y), WHITE);
});

test('PNG and SVG come from the same figure', () => {
  const svgFigure = plot.history(h, join(dir, 'curves.svg'));
  assert.deepEqual(svgFigure, figure);
});

test('width and height are honoured', () => {
  const p = join(dir, 'small.png');
  plot.history(h, p, { width: 400, height: 420, metrics: ['loss'] });
  const small = readPng(p);
  assert.deepEqual([small.width, small.height], [400, 420]);
});
