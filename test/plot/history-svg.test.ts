import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as plot from '../../src/plot/index.js';
import { COLORS } from '../../src/plot/colors.js';
import { sampleHistory, tempDir } from './helpers.js';

interface SvgText {
  x: number;
  y: number;
  anchor: string;
  text: string;
}

function texts(svg: string): SvgText[] {
  return [...svg.matchAll(/<text x="([\d.-]+)" y="([\d.-]+)"[^>]*text-anchor="(\w+)"[^>]*>([^<]*)<\/text>/g)].map((m) => ({
    x: Number(m[1]), y: Number(m[2]), anchor: m[3]!, text: m[4]!,
  }));
}

function polylines(svg: string, color: string): { points: number[][]; dashed: boolean }[] {
  return [...svg.matchAll(/<polyline points="([^"]*)"[^>]*stroke="(#[0-9a-f]{6})"[^>]*\/>/g)]
    .filter((m) => m[2] === color)
    .map((m) => ({ points: m[1]!.split(' ').map((p) => p.split(',').map(Number)), dashed: m[0].includes('stroke-dasharray') }));
}

const dir = tempDir();
const h = sampleHistory(12);
const path = join(dir, 'curves.svg');
plot.history(h, path, { title: 'Fashion <CNN> & friends' });
const svg = readFileSync(path, 'utf8');

test('the SVG is a standalone document of the requested size, text escaped', () => {
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="800" height="650" viewBox="0 0 800 650">/);
  assert.match(svg, /<\/svg>\n$/);
  assert.equal((svg.match(/<text /g) ?? []).length, (svg.match(/<\/text>/g) ?? []).length);
  assert.ok(svg.includes('>Fashion &lt;CNN&gt; &amp; friends</text>'));
  const content = svg.replace(/<[^>]+>/g, '');
  assert.ok(!/[<>]/.test(content) && !/&(?!amp;|lt;|gt;|quot;)/.test(content), 'unescaped markup characters in text');
});

test('each panel has a solid training curve and a dashed validation curve through every epoch', () => {
  const train = polylines(svg, COLORS.train).filter((p) => p.points.length === 12);
  const val = polylines(svg, COLORS.validation).filter((p) => p.points.length === 12);
  assert.equal(train.length, 2, 'loss and accuracy');
  assert.equal(val.length, 2);
  assert.ok(train.every((p) => !p.dashed) && val.every((p) => p.dashed));
  for (const curve of [...train, ...val]) {
    const xs = curve.points.map((p) => p[0]!);
    for (let i = 1; i < xs.length; i++) assert.ok(xs[i]! > xs[i - 1]!, 'x grows with the epoch');
  }
  // loss falls (y grows downwards on screen), accuracy rises
  const [loss, acc] = train;
  assert.ok(loss!.points[0]![1]! < loss!.points[11]![1]!);
  assert.ok(acc!.points[0]![1]! > acc!.points[11]![1]!);
  // one marker per point
  assert.equal((svg.match(new RegExp(`<circle [^>]*fill="${COLORS.train}"`, 'g')) ?? []).length, 2 * 12 + 2);
});

test('legend, panel names, title and axis label are there', () => {
  const all = texts(svg).map((t) => t.text);
  assert.equal(all.filter((t) => t === 'training').length, 2);
  assert.equal(all.filter((t) => t === 'validation').length, 2);
  assert.ok(all.includes('loss') && all.includes('accuracy'));
  assert.equal(all.filter((t) => t === 'epoch').length, 2);
});

test('tick labels are round numbers, evenly spaced and increasing along their axis', () => {
  const ts = texts(svg);
  for (const [lo, hi] of [[50, 350], [350, 650]] as const) {
    const inPanel = ts.filter((t) => t.y > lo && t.y < hi && /^-?[\d.]+$/.test(t.text));
    const y = inPanel.filter((t) => t.anchor === 'end').sort((a, b) => b.y - a.y).map((t) => Number(t.text));
    const x = inPanel.filter((t) => t.anchor === 'middle').sort((a, b) => a.x - b.x).map((t) => Number(t.text));
    assert.ok(y.length >= 3, `y ticks ${y}`);
    assert.ok(x.length >= 3, `x ticks ${x}`);
    const step = y[1]! - y[0]!;
    y.forEach((v, i) => assert.ok(Math.abs(v - (y[0]! + i * step)) < 1e-9, `y ticks ${y} not evenly spaced`));
    const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
    assert.ok([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6), `step ${step} is not 1, 2 or 5 × 10^k`);
    for (let i = 1; i < x.length; i++) assert.ok(x[i]! > x[i - 1]! && Number.isInteger(x[i]), `x ticks ${x}`);
    assert.ok(x[0]! >= 1 && x.at(-1)! <= 12, 'epochs count from 1');
  }
  // the loss axis covers the data
  const lossTicks = ts.filter((t) => t.y < 350 && t.anchor === 'end').map((t) => Number(t.text));
  const loss = h.history.loss!;
  assert.ok(Math.min(...lossTicks) <= Math.min(...loss) && Math.max(...lossTicks) >= Math.max(...h.history.val_loss!));
});

test('metrics picks and orders the panels; a val_ name means its quantity', () => {
  const fig = plot.historyFigure(h, { metrics: ['val_accuracy'], title: '' });
  const svgOne = plot.toSvg(fig);
  assert.equal(fig.height, 8 + 300);
  assert.ok(texts(svgOne).some((t) => t.text === 'accuracy'));
  assert.ok(!texts(svgOne).some((t) => t.text === 'loss'));
});

test('a history with only training values gets a one-entry legend; NaN breaks the line', () => {
  const fig = plot.historyFigure({ epoch: [0, 1, 2, 3, 4], history: { loss: [1, 0.8, NaN, 0.5, 0.4] } });
  const s = plot.toSvg(fig);
  assert.ok(texts(s).some((t) => t.text === 'training'));
  assert.ok(!texts(s).some((t) => t.text === 'validation'));
  const curves = polylines(s, COLORS.train).map((p) => p.points.length).sort();
  assert.deepEqual(curves, [2, 2, 2], 'legend sample, epochs 1–2, epochs 4–5');
});

test('a single epoch draws markers and a lone tick', () => {
  const s = plot.toSvg(plot.historyFigure({ epoch: [0], history: { loss: [0.7], val_loss: [0.9] } }));
  assert.equal(polylines(s, COLORS.train).length, 1, 'only the legend sample');
  assert.ok(s.includes(`fill="${COLORS.train}"`));
  assert.deepEqual(texts(s).filter((t) => t.anchor === 'middle' && /^\d+$/.test(t.text)).map((t) => t.text), ['1']);
});

test('epochs resumed from a checkpoint keep their numbers', () => {
  const s = plot.toSvg(plot.historyFigure({ epoch: [5, 6, 7, 8], history: { loss: [4, 3, 2, 1] } }));
  const x = texts(s).filter((t) => t.anchor === 'middle' && /^\d+$/.test(t.text)).map((t) => Number(t.text));
  assert.deepEqual(x, [6, 7, 8, 9]);
});
