import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import * as plot from '../../src/plot/index.js';
import { sampleHistory, tempDir } from './helpers.js';

const dir = tempDir();
const h = sampleHistory(4);

test('an unknown metric name lists the available ones', () => {
  assert.throws(() => plot.history(h, join(dir, 'a.png'), { metrics: ['loss', 'acc'] }), {
    name: 'ValueError',
    message: /plot\.history: no metric 'acc' in the history; available: loss, accuracy$/,
  });
  assert.throws(() => plot.history(h, join(dir, 'a.png'), { metrics: [] }), /metrics is empty; leave it out to plot everything \(loss, accuracy\)/);
});

test('an unknown extension is refused before anything is written', () => {
  assert.throws(() => plot.history(h, join(dir, 'curves.jpg')), /plot\.history: unknown image extension '\.jpg' in '.*curves\.jpg'; use \.png or \.svg/);
  assert.throws(() => plot.history(h, join(dir, 'curves')), /unknown image extension '\(none\)'/);
  assert.throws(() => plot.confusionMatrix([0, 1], [0, 1], join(dir, 'cm.gif')), /plot\.confusionMatrix: unknown image extension '\.gif'/);
  assert.throws(() => plot.history(h, join(dir, 'missing', 'curves.png')), /cannot write '.*curves\.png': directory '.*missing' does not exist/);
  assert.deepEqual(readdirSync(dir), []);
});

test('an empty history is refused clearly', () => {
  assert.throws(() => plot.history({ epoch: [], history: {} }, join(dir, 'e.png')), /plot\.history: the history is empty \(no epochs recorded\)/);
  assert.throws(() => plot.history({ epoch: [], history: { loss: [], val_loss: [] } }, join(dir, 'e.svg')), /the history is empty/);
  assert.throws(() => plot.history(new nb.History(), join(dir, 'e.svg')), /the history is empty/);
  assert.ok(!existsSync(join(dir, 'e.png')) && !existsSync(join(dir, 'e.svg')));
});

test('malformed history data names what is wrong', () => {
  const bad = (v: unknown): (() => unknown) => () => plot.historyFigure(v as plot.HistoryData);
  assert.throws(bad('loss'), /plot\.history: expected \{epoch: number\[\], history: \{loss: number\[\], …\}\} as History\.toJSON\(\) writes, got the string 'loss'/);
  assert.throws(bad({ epoch: [0] }), /'history' is undefined/);
  assert.throws(bad({ epoch: [0], history: { loss: 0.5 } }), /history\.loss must be an array of numbers, got number 0\.5/);
  assert.throws(bad({ epoch: [0], history: { loss: ['x'] } }), /history\.loss\[0\] must be a number, got the string 'x'/);
  assert.throws(bad({ epoch: [-1], history: { loss: [1] } }), /'epoch' must be an array of non-negative integers/);
  // JSON writes NaN as null; that reads back as a gap, not an error
  assert.deepEqual(plot.parseHistory({ history: { loss: [1, null, 2] } }, 'h.json'), { epoch: [0, 1, 2], history: { loss: [1, NaN, 2] } });
});

test('a size too small for the panels is refused', () => {
  assert.throws(() => plot.historyFigure(h, { width: 100 }), /plot\.history: width must be an integer of at least 320 pixels, got 100/);
  assert.throws(() => plot.historyFigure(h, { height: 300 }), /height must be an integer of at least 390 pixels for 2 panels, got 300/);
});

test('a History from fit() plots directly', async () => {
  nb.manualSeed(0);
  const x = nb.randn([32, 3]);
  const y = nb.tensor(Array.from({ length: 32 }, (_, i) => i % 2), { dtype: 'int32' });
  const model = new nb.Sequential([new nb.layers.Dense(2, { activation: 'softmax' })]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const history = await model.fit(x, y, { epochs: 3, batchSize: 16, validationSplit: 0.25, verbose: 0 });
  const fig = plot.history(history, join(dir, 'fit.svg'));
  const svg = plot.toSvg(fig);
  for (const name of ['loss', 'accuracy', 'training', 'validation']) assert.ok(svg.includes(`>${name}</text>`), name);
  assert.ok(existsSync(join(dir, 'fit.svg')));
});
