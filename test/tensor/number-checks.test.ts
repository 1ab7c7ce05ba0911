// Numbers that used to make silently wrong tensors (issue 12, item 8) are errors naming the value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

test('an int32 tensor refuses values it cannot hold instead of wrapping them; fractions truncate as in PyTorch', () => {
  assert.throws(() => nb.tensor([1, 3e9], { dtype: 'int32' }), /^ValueError: tensor: 3000000000 at index 1 does not fit int32 \(range -2147483648 to 2147483647\); use dtype 'float32' or 'float64'$/);
  assert.throws(() => nb.tensor([-2147483649], { dtype: 'int32' }), /-2147483649 at index 0 does not fit int32/);
  assert.throws(() => nb.tensor([NaN], { dtype: 'int32' }), /NaN at index 0 does not fit int32/);
  assert.throws(() => nb.tensor(new Float64Array([Infinity]), { dtype: 'int32' }), /Infinity at index 0 does not fit int32/);
  assert.deepEqual(Array.from(nb.tensor([2147483647, -2147483648, 1.9, -1.9], { dtype: 'int32' }).data()), [2147483647, -2147483648, 1, -1]);
});

test('slice bounds must be integers or null: NaN no longer makes a tensor of shape [NaN]', () => {
  const x = nb.arange(5);
  assert.throws(() => nb.slice(x, [[NaN, 3]]), /^ValueError: slice: start must be an integer or null, got NaN for axis 0$/);
  assert.throws(() => nb.slice(x, [[0, 2.5]]), /slice: stop must be an integer or null, got 2\.5 for axis 0/);
  assert.deepEqual(Array.from(nb.slice(x, [[1, null]]).data()), [1, 2, 3, 4]);
});

test('arange needs finite bounds', () => {
  assert.throws(() => nb.arange(0, NaN), /^ValueError: arange: start and stop must be finite numbers, got 0 and NaN$/);
  assert.throws(() => nb.arange(Infinity), /arange: start and stop must be finite numbers, got 0 and Infinity/);
});

test('a convolution kernel with a 0-wide window is an error, not a larger output of zeros', () => {
  const x = nb.zeros([1, 6, 6, 1]);
  assert.throws(() => nb.conv2d(x, nb.zeros([0, 0, 1, 1])), /^ShapeError: conv2d: the kernel's window must be at least 1 in every spatial dim, got kernel shape \[0,0,1,1\] \(keras layout\)$/);
  assert.throws(() => nb.conv2d(nb.zeros([1, 1, 6, 6]), nb.zeros([1, 1, 3, 0]), { kernelLayout: 'pytorch', dataFormat: 'channelsFirst' }), /got kernel shape \[1,1,3,0\] \(pytorch layout\)/);
  assert.throws(() => nb.conv1d(nb.zeros([1, 6, 1]), nb.zeros([0, 1, 1])), /conv1d: the kernel's window must be at least 1/);
  assert.deepEqual(nb.conv2d(x, nb.zeros([1, 1, 1, 2])).shape, [1, 6, 6, 2]);
});
