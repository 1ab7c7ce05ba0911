/**
 * UtteranceNormalization: each band to mean 0, variance 1 over the frames that hold sound, the
 * padding frames (at the clip's floor in every band) set to 0; hand-worked values, the same as
 * LayerNormalization over time when a clip has no padding, independent of the padding's length.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { runLayerTest } from './run-layer-test.js';

const { layers } = nb;

test('hand-worked: two bands, the last frame at the floor (−80) in both is padding', () => {
  // band 0: −10, −20, −30 then floor; band 1: −40, −50, −60 then floor (the floor is the clip's minimum)
  const x = nb.tensor([[[-10, -20, -30, -80], [-40, -50, -80, -80]]]);
  // sounding frames: 0, 1, 2 (frame 2 has band 0 above the floor); band 1 over them: −40, −50, −80
  const y = new layers.UtteranceNormalization({ epsilon: 1e-12 }).apply(x).toArray() as number[][][];
  const norm = (v: number[]) => {
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    const s = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
    return v.map((u) => (u - m) / s);
  };
  const want = [[...norm([-10, -20, -30]), 0], [...norm([-40, -50, -80]), 0]];
  y[0]!.forEach((row, b) => row.forEach((v, t) => assert.ok(Math.abs(v - want[b]![t]!) < 1e-5, `band ${b} frame ${t}: ${v} vs ${want[b]![t]}`)));
});

test('without padding it equals LayerNormalization over time; padding of any length does not change the sounding frames', () => {
  nb.manualSeed(0);
  const x = nb.randn([3, 4, 9]);
  const ln = new layers.LayerNormalization({ axis: -1, center: false, scale: false, epsilon: 1e-5 }).apply(x).data();
  const un = new layers.UtteranceNormalization().apply(x).data();
  ln.forEach((v, i) => assert.ok(Math.abs(v - un[i]!) < 1e-5));
  // the same clip padded with 2 and with 7 floor frames
  const pad = (k: number) => nb.concat([x, nb.full([3, 4, k], -1000)], 2);
  const a = new layers.UtteranceNormalization().apply(pad(2)), b = new layers.UtteranceNormalization().apply(pad(7));
  assert.deepEqual(nb.slice(a, [null, null, [0, 9]]).data(), nb.slice(b, [null, null, [0, 9]]).data());
  assert.ok(nb.slice(b, [null, null, [9, 16]]).data().every((v) => v === 0));
  // a silent clip gives zeros
  assert.ok(new layers.UtteranceNormalization().apply(nb.full([1, 4, 5], -80)).data().every((v) => v === 0));
});

test('UtteranceNormalization passes runLayerTest; bad inputs are named', () => {
  runLayerTest({ make: () => new layers.UtteranceNormalization(), input: nb.randn([2, 3, 6]), outputShape: [2, 3, 6], trainable: {} });
  assert.throws(() => new layers.UtteranceNormalization({ name: 'un' }).apply(nb.randn([2, 3])), /UtteranceNormalization 'un': expects spectrograms \[batch, bands, frames\], got shape \[2,3\]/);
  assert.throws(() => new layers.UtteranceNormalization({ epsilon: 0 }), /epsilon/);
});
