import { test } from 'node:test';
import assert from 'node:assert/strict';
import { epochAxis, niceAxis } from '../../src/plot/ticks.js';

test('niceAxis widens to round steps of 1, 2 or 5 × 10^k', () => {
  assert.deepEqual(niceAxis(0.23, 0.91).labels, ['0.2', '0.4', '0.6', '0.8', '1.0']);
  const a = niceAxis(0.23, 0.91);
  assert.equal(a.min, 0.2);
  assert.equal(a.max, 1);
  assert.deepEqual(niceAxis(0, 2.45).ticks, [0, 0.5, 1, 1.5, 2, 2.5]);
  assert.deepEqual(niceAxis(3, 97).ticks, [0, 20, 40, 60, 80, 100]);
  assert.deepEqual(niceAxis(-0.3, 0.3).labels, ['-0.4', '-0.2', '0.0', '0.2', '0.4']);
  assert.deepEqual(niceAxis(0.912, 0.9345).labels, ['0.910', '0.915', '0.920', '0.925', '0.930', '0.935']);
});

test('niceAxis handles flat ranges and extreme magnitudes', () => {
  const flat = niceAxis(0.5, 0.5);
  assert.ok(flat.min < 0.5 && flat.max > 0.5 && flat.ticks.length >= 2);
  const zero = niceAxis(0, 0);
  assert.ok(zero.min < 0 && zero.max > 0);
  assert.match(niceAxis(1e-7, 5e-7).labels[1]!, /e-7$/);
  assert.match(niceAxis(0, 3e7).labels.at(-1)!, /e\+7$/);
  for (const [lo, hi] of [[0.001, 0.0013], [12, 12.4], [-5, 1e-3], [1e-3, 1e4]] as const) {
    const a = niceAxis(lo, hi);
    assert.ok(a.min <= lo && a.max >= hi, `${lo}..${hi} → ${a.min}..${a.max}`);
    assert.ok(a.ticks.length >= 2 && a.ticks.length <= 7, `${a.ticks}`);
    assert.equal(new Set(a.labels).size, a.labels.length, `labels repeat: ${a.labels}`);
  }
});

test('epochAxis ticks whole epochs only, padded half an epoch', () => {
  assert.deepEqual(epochAxis(1, 10).ticks, [2, 4, 6, 8, 10]);
  assert.deepEqual(epochAxis(1, 3).ticks, [1, 2, 3]);
  assert.deepEqual(epochAxis(1, 1).ticks, [1]);
  assert.deepEqual(epochAxis(1, 1).labels, ['1']);
  assert.deepEqual(epochAxis(1, 100).ticks, [20, 40, 60, 80, 100]);
  assert.equal(epochAxis(1, 3).min, 0.5);
  assert.equal(epochAxis(6, 10).ticks[0], 6);
});

test('axes beyond 2^53, where k + 1 === k, end with a few ticks (a history.json with iteration 9007199254740993 looped until out of memory; found by the fuzzer)', () => {
  const big = epochAxis(9007199254740992, 9007199254740992);
  assert.deepEqual(big.ticks, [9007199254740992]);
  const far = epochAxis(2 ** 60, 2 ** 60 + 4096).ticks;
  assert.ok(far.length >= 2 && far.length <= 8, `${far}`);
  // at 1e17 doubles are 16 apart: the ticks may coincide, but there are few of them
  const values = niceAxis(1e17, 1e17 + 16);
  assert.ok(values.ticks.length >= 1 && values.ticks.length <= 7, `${values.ticks}`);
});
