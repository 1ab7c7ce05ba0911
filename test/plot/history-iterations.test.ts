/**
 * A history whose points were taken at training iterations (the GPT loop's, `{ iteration: [...] }`)
 * is drawn against the iteration, labelled so, rather than against made-up epochs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as plot from '../../src/plot/index.js';
import { textShapes } from './helpers.js';

const gpt = {
  epoch: [0, 1, 2, 3, 4, 5, 6, 7, 8],
  iteration: [0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000],
  history: { loss: [4.21, 2.42, 2.29, 2.13, 2.0, 1.9, 1.83, 1.78, 1.76], val_loss: [4.21, 2.41, 2.28, 2.17, 2.05, 1.98, 1.91, 1.89, 1.88] },
};

test('iterations along x: labelled "iteration", ticks at round iteration counts, points where they were taken', () => {
  const fig = plot.historyFigure(gpt, { metrics: ['loss'] });
  assert.equal(textShapes(fig, 'iteration').length, 1);
  assert.equal(textShapes(fig, 'epoch').length, 0);
  const ticks = fig.shapes.filter((s) => s.kind === 'text' && /^\d+$/.test(s.text) && s.anchor === 'middle').map((s) => (s.kind === 'text' ? s.text : ''));
  assert.deepEqual(ticks, ['0', '500', '1000', '1500', '2000']);
  // the training curve's points sit at x(iteration), evenly spaced as the iterations are
  const curve = fig.shapes.find((s) => s.kind === 'polyline' && s.points.length === 9);
  assert.ok(curve && curve.kind === 'polyline');
  const xs = curve.points.map((p) => p[0]);
  const tickX = (label: string) => fig.shapes.find((s) => s.kind === 'text' && s.text === label)!;
  assert.ok(Math.abs(xs[0]! - (tickX('0') as { x: number }).x) < 1 && Math.abs(xs[8]! - (tickX('2000') as { x: number }).x) < 1, 'first and last points on the 0 and 2000 ticks');
  for (let i = 2; i < 9; i++) assert.ok(Math.abs(xs[i]! - xs[i - 1]! - (xs[1]! - xs[0]!)) < 1e-6);
});

test('parseHistory reads iterations and refuses bad ones by name', () => {
  assert.deepEqual(plot.parseHistory(gpt, 'h.json').iteration, gpt.iteration);
  assert.equal(plot.parseHistory({ epoch: [0], history: { loss: [1] } }, 'h.json').iteration, undefined);
  assert.throws(() => plot.parseHistory({ ...gpt, iteration: [0, -5] }, 'h.json'), /h\.json: 'iteration' must be an array of non-negative integers, got an array/);
  assert.throws(() => plot.parseHistory({ ...gpt, iteration: [0, 250] }, 'h.json'), /h\.json: 'iteration' has 2 entries but the history has 9 points/);
});
