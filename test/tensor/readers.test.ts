import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

describe('Tensor readers', () => {
  test('data() is a fresh row-major copy, also of a non-contiguous view', () => {
    const x = nb.tensor([[1, 2, 3], [4, 5, 6]]);
    const d = x.data();
    assert.ok(d instanceof Float32Array);
    d[0] = 99;
    assert.equal(x.data()[0], 1, 'writing into data() must not change the tensor');
    assert.deepEqual(Array.from(x.transpose().data()), [1, 4, 2, 5, 3, 6]);
    assert.deepEqual(Array.from(x.slice('1, ::-1').data()), [6, 5, 4]);
    assert.deepEqual(Array.from(nb.tensor([7]).expand([3]).data()), [7, 7, 7]);
    assert.ok(nb.tensor([1], { dtype: 'int32' }).data() instanceof Int32Array);
    assert.ok(nb.tensor([true]).data() instanceof Uint8Array);
    assert.equal(nb.zeros([0, 2]).data().length, 0);
  });

  test('toArray() gives nested arrays, booleans for bool, a number for a scalar', () => {
    assert.deepEqual(nb.tensor([[1, 2], [3, 4]]).transpose().toArray(), [[1, 3], [2, 4]]);
    assert.deepEqual(nb.tensor([[true, false]]).toArray(), [[true, false]]);
    assert.equal(nb.tensor(2.5).toArray(), 2.5);
    assert.deepEqual(nb.zeros([2, 0]).toArray(), [[], []]);
    assert.deepEqual(nb.tensor([1.5, -2], { dtype: 'int32' }).toArray(), [1, -2]);
  });

  test('item() reads the single element, also of a view at an offset', () => {
    assert.equal(nb.tensor(3).item(), 3);
    assert.equal(nb.tensor([[4]]).item(), 4);
    assert.equal(nb.tensor([1, 2, 3]).slice('2:').item(), 3);
    assert.equal(nb.tensor([[1, 2], [3, 4]]).transpose().slice('0, 1').item(), 3);
    assert.throws(() => nb.tensor([1, 2]).item(), {
      name: 'ValueError',
      message: /^item: only a tensor with exactly one element can be read as a number, this one has shape \[2\] \(2 elements\)/,
    });
  });

  test('toString() prints like NumPy/PyTorch', () => {
    assert.equal(nb.tensor([[1, 2], [3, 4]]).toString(), 'tensor([[1., 2.],\n        [3., 4.]])');
    assert.equal(nb.tensor([1.5, -2.25]).toString(), 'tensor([ 1.5000, -2.2500])');
    assert.equal(nb.tensor([1, 2], { dtype: 'int32' }).toString(), 'tensor([1, 2], dtype=int32)');
    assert.equal(nb.tensor([true, false]).toString(), 'tensor([ true, false], dtype=bool)');
    assert.equal(nb.tensor(3).toString(), 'tensor(3.)');
    assert.equal(nb.tensor([1, 2], { requiresGrad: true }).toString(), 'tensor([1., 2.], requiresGrad=true)');
    assert.equal(nb.zeros([0]).toString(), 'tensor([])');
    assert.equal(nb.tensor([[1, 2], [3, 4]]).transpose().toString(), 'tensor([[1., 3.],\n        [2., 4.]])');
    assert.equal(
      nb.arange(12).reshape([2, 2, 3]).toString(),
      'tensor([[[ 0,  1,  2],\n         [ 3,  4,  5]],\n\n        [[ 6,  7,  8],\n         [ 9, 10, 11]]], dtype=int32)',
    );
    assert.equal(String(nb.tensor([2])), 'tensor([2.])');
  });

  test('toString() elides long tensors and says their shape', () => {
    assert.equal(nb.arange(2000).toString(), 'tensor([   0,    1,    2, ..., 1997, 1998, 1999], dtype=int32, shape=[2000])');
  });

  test('shape, ndim, size, contiguity and leaf status', () => {
    const x = nb.zeros([2, 3, 4]);
    assert.deepEqual([x.ndim, x.size, x.isContiguous, x.isLeaf], [3, 24, true, true]);
    const t = x.transpose();
    assert.deepEqual(t.shape, [4, 3, 2]);
    assert.equal(t.isContiguous, false);
    assert.equal(t.storage, x.storage, 'transpose is a view');
    assert.equal(nb.tensor(1).size, 1);
    assert.equal(nb.tensor([1], { requiresGrad: true }).mul(2).isLeaf, false);
  });
});

describe('dtype promotion', () => {
  test('promoteTypes orders bool < int32 < float32 < float64', () => {
    assert.equal(nb.promoteTypes('bool', 'int32'), 'int32');
    assert.equal(nb.promoteTypes('int32', 'float32'), 'float32');
    assert.equal(nb.promoteTypes('float64', 'float32'), 'float64');
    assert.equal(nb.promoteTypes('bool', 'bool'), 'bool');
  });
  test('a number takes the tensor\'s dtype unless it is fractional and the tensor integral', () => {
    const i = nb.tensor([1, 2], { dtype: 'int32' });
    assert.equal(nb.add(i, 1).dtype, 'int32');
    assert.equal(nb.add(i, 0.5).dtype, 'float32');
    assert.equal(nb.mul(nb.tensor([1], { dtype: 'float64' }), 2).dtype, 'float64');
    assert.equal(nb.add(nb.tensor([true]), 1).dtype, 'int32');
  });
});
