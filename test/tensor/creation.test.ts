import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { Tensor } from '../../src/index.js';

const check = (t: Tensor, shape: number[], dtype: string, data: number[]) => {
  assert.deepEqual(t.shape, shape);
  assert.equal(t.dtype, dtype);
  assert.deepEqual(Array.from(t.data()), data);
};

describe('tensor()', () => {
  test('nested arrays of numbers are float32', () => check(nb.tensor([[1, 2, 3], [4, 5, 6]]), [2, 3], 'float32', [1, 2, 3, 4, 5, 6]));
  test('a flat array with a shape', () => check(nb.tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2], dtype: 'int32' }), [3, 2], 'int32', [1, 2, 3, 4, 5, 6]));
  test('a number is a scalar', () => check(nb.tensor(2.5), [], 'float32', [2.5]));
  test('booleans are bool', () => check(nb.tensor([[true], [false]]), [2, 1], 'bool', [1, 0]));
  test('empty nested arrays keep their shape', () => {
    check(nb.tensor([]), [0], 'float32', []);
    check(nb.tensor([[], []]), [2, 0], 'float32', []);
  });
  test('typed arrays keep their dtype and are copied', () => {
    const src = new Float64Array([1.5, 2.5]);
    const t = nb.tensor(src);
    check(t, [2], 'float64', [1.5, 2.5]);
    src[0] = 9;
    assert.equal(t.data()[0], 1.5, 'the tensor must not share the caller\'s array');
    check(nb.tensor(new Int32Array([1, 2, 3, 4]), { shape: [2, 2] }), [2, 2], 'int32', [1, 2, 3, 4]);
    check(nb.tensor(new Uint8Array([0, 1])), [2], 'bool', [0, 1]);
  });
  test('dtype converts: to int32 truncates, to bool is != 0', () => {
    check(nb.tensor([1.9, -1.9], { dtype: 'int32' }), [2], 'int32', [1, -1]);
    check(nb.tensor([0, 3, -0.5], { dtype: 'bool' }), [3], 'bool', [0, 1, 1]);
    check(nb.tensor(new Float32Array([2.5]), { dtype: 'float64' }), [1], 'float64', [2.5]);
  });
  test('requiresGrad makes a leaf that collects gradients', () => {
    const t = nb.tensor([1, 2], { requiresGrad: true });
    assert.ok(t.requiresGrad && t.isLeaf);
  });
  test('a ragged array names the element and the expected length', () => {
    assert.throws(() => nb.tensor([[1, 2], [3]]), { name: 'ShapeError', message: /^tensor: ragged nested array: element \[1\] has length 1, expected 2; every row must have the same length/ });
    assert.throws(() => nb.tensor([[1, 2], 3] as nb.NestedArray), { name: 'ShapeError', message: /^tensor: ragged nested array: element \[1\] is a number where an array of length 2 was expected/ });
    assert.throws(() => nb.tensor([1, [2]]), { name: 'ShapeError', message: /^tensor: ragged nested array: element \[1\] has length 1, expected a number/ });
  });
  test('a non-number element is a DTypeError', () => {
    assert.throws(() => nb.tensor([1, 'a' as unknown as number]), { name: 'DTypeError', message: /^tensor: element \[1\] is string; expected numbers or booleans/ });
  });
  test('a shape that does not fit the values is an error', () => {
    assert.throws(() => nb.tensor([1, 2, 3], { shape: [2, 2] }), { name: 'ShapeError', message: /^tensor: 3 values cannot fill shape \[2,2\] \(4 elements\)/ });
  });
  test('an unknown dtype is an error', () => {
    assert.throws(() => nb.tensor([1], { dtype: 'float16' as nb.DType }), { name: 'DTypeError', message: /^unknown dtype 'float16'/ });
  });
});

describe('filled tensors', () => {
  test('zeros, ones, full', () => {
    check(nb.zeros([2, 2]), [2, 2], 'float32', [0, 0, 0, 0]);
    check(nb.ones([3], { dtype: 'int32' }), [3], 'int32', [1, 1, 1]);
    check(nb.full([2], 7.5, { dtype: 'float64' }), [2], 'float64', [7.5, 7.5]);
    check(nb.zeros([]), [], 'float32', [0]);
    check(nb.ones([0, 4]), [0, 4], 'float32', []);
  });
  test('zerosLike and onesLike keep shape and dtype unless told', () => {
    const x = nb.tensor([[1, 2]], { dtype: 'int32' });
    check(nb.zerosLike(x), [1, 2], 'int32', [0, 0]);
    check(nb.onesLike(x), [1, 2], 'int32', [1, 1]);
    check(nb.onesLike(x, { dtype: 'float64' }), [1, 2], 'float64', [1, 1]);
    check(nb.fullLike(x.transpose(), 3), [2, 1], 'int32', [3, 3]);
  });
  test('an invalid shape names the op and the bad dimension', () => {
    assert.throws(() => nb.zeros([2, -1]), { name: 'ShapeError', message: /^zeros: shape \[2,-1\] has an invalid dimension -1 \(dimensions are non-negative integers\)/ });
    assert.throws(() => nb.ones([1.5]), { name: 'ShapeError', message: /^ones: shape \[1\.5\] has an invalid dimension 1\.5/ });
    assert.throws(() => nb.full([2, 2.5], 1), { name: 'ShapeError', message: /^full: shape/ });
  });
});

describe('ranges', () => {
  test('arange', () => {
    check(nb.arange(5), [5], 'int32', [0, 1, 2, 3, 4]);
    check(nb.arange(2, 8, 2), [3], 'int32', [2, 4, 6]);
    check(nb.arange(5, 0, -2), [3], 'int32', [5, 3, 1]);
    check(nb.arange(0, 1, 0.25), [4], 'float32', [0, 0.25, 0.5, 0.75]);
    check(nb.arange(3, 3), [0], 'int32', []);
    check(nb.arange(3, 1), [0], 'int32', []);
    check(nb.arange(3, undefined, 1, { dtype: 'float64' }), [3], 'float64', [0, 1, 2]);
    assert.throws(() => nb.arange(0, 3, 0), { name: 'ValueError', message: /^arange: step must be a non-zero finite number, got 0/ });
  });
  test('linspace includes both ends', () => {
    check(nb.linspace(0, 1, 5), [5], 'float32', [0, 0.25, 0.5, 0.75, 1]);
    check(nb.linspace(2, -2, 3, { dtype: 'float64' }), [3], 'float64', [2, 0, -2]);
    check(nb.linspace(3, 9, 1), [1], 'float32', [3]);
    check(nb.linspace(3, 9, 0), [0], 'float32', []);
    assert.equal(nb.linspace(0, 0.1, 7, { dtype: 'float64' }).data()[6], 0.1, 'the last value is exactly stop');
    assert.throws(() => nb.linspace(0, 1, -1), { name: 'ValueError', message: /^linspace: num must be a non-negative integer, got -1/ });
  });
  test('eye', () => {
    check(nb.eye(3), [3, 3], 'float32', [1, 0, 0, 0, 1, 0, 0, 0, 1]);
    check(nb.eye(2, 3, { dtype: 'int32' }), [2, 3], 'int32', [1, 0, 0, 0, 1, 0]);
    check(nb.eye(3, 1), [3, 1], 'float32', [1, 0, 0]);
    assert.throws(() => nb.eye(-1), { name: 'ShapeError', message: /^eye: shape \[-1,-1\] has an invalid dimension -1/ });
  });
});
