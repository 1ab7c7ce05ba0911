// Shapes far outside the canvas (from a history.json with an epoch of 2^53 + 1 in the middle,
// which the axis, made from the first and last epochs, does not cover) are clipped, not walked:
// a disc at x = 1e17 looped forever, since there i + 1 === i (found by the fuzzer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as plot from '../../src/plot/index.js';

test('a disc or line far off the canvas leaves it untouched and returns', () => {
  const shapes: plot.Shape[] = [
    { kind: 'circle', cx: 1e17, cy: 5, r: 3, fill: '#000000' },
    { kind: 'circle', cx: 5, cy: -1e17, r: 3, fill: '#000000' },
    { kind: 'circle', cx: NaN, cy: 5, r: 3, fill: '#000000' },
    { kind: 'polyline', points: [[1e17, 2], [1e17 + 64, 8]], color: '#000000', width: 2 },
  ];
  const rgba = plot.rasterize({ width: 20, height: 10, background: '#ffffff', shapes });
  assert.ok(rgba.every((v) => v === 255), 'every pixel is still white');
});

test('a history whose middle epoch is 2^53 + 1 draws to PNG', () => {
  const figure = plot.historyFigure(plot.parseHistory(JSON.parse('{"epoch": [0, 9007199254740993, 2], "history": {"loss": [0.4, 0.6, 0.8]}}'), 'history.json'));
  assert.equal(plot.toPng(figure)[1], 0x50); // 'P' of the PNG signature
});
