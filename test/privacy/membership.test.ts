import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

// A "model" whose predictions are its inputs: the losses are chosen by hand.
const identity = { predict: (x: nb.Tensor) => x, loss: (yt: nb.Tensor, yp: nb.Tensor, o?: { reduction?: 'none' | 'mean' | 'sum' }) => nb.losses.sparseCategoricalCrossentropy(yt, yp, o) };

function rows(pTrue: number[]): [nb.Tensor, nb.Tensor] {
  return [nb.tensor(pTrue.map((p) => [p, 1 - p])), nb.tensor(pTrue.map(() => 0), { dtype: 'int32' })];
}

test('membership AUC and advantage by hand: members 0.9/0.8/0.6, non-members 0.7/0.5/0.6 (one tie)', () => {
  const r = nb.privacy.membershipInference(identity, rows([0.9, 0.8, 0.6]), rows([0.7, 0.5, 0.6]));
  // losses −log p: members .105 .223 .511; non-members .357 .693 .511 — 7 of 9 pairs won, one tied
  assert.ok(Math.abs(r.auc - 7.5 / 9) < 1e-12, `auc ${r.auc}`);
  assert.ok(Math.abs(r.advantage - 2 / 3) < 1e-12, `advantage ${r.advantage}`);
  assert.ok(Math.abs(r.memberLoss - -(Math.log(0.9) + Math.log(0.8) + Math.log(0.6)) / 3) < 1e-6);
  // the same distribution on both sides: 0.5
  assert.equal(nb.privacy.membershipInference(identity, rows([0.6, 0.7]), rows([0.7, 0.6])).auc, 0.5);
});

test('membershipInference errors', () => {
  assert.throws(() => nb.privacy.membershipInference({ predict: (x: nb.Tensor) => x, loss: null }, rows([0.5]), rows([0.5])), /no compiled loss; compile it or pass \{ loss \}/);
  assert.throws(() => nb.privacy.membershipInference(identity, [nb.zeros([0, 2]), nb.zeros([0], { dtype: 'int32' })], rows([0.5])), /members must be \[x, y\] tensors with the same number \(≥ 1\) of examples/);
});
