// Each supported ONNX operator on a hand-built one-node graph, against values computed by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../../src/index.js';
import { supportedOperators } from '../../../src/io/onnx/index.js';
import { assertClose, f, i, i64, init, ints, run1, runNode, s, t, T, DataType } from './helpers.js';

const range = (n: number, from = 1): number[] => Array.from({ length: n }, (_, k) => k + from);
const img = (h: number, w: number): nb.Tensor => nb.tensor(range(h * w)).reshape([1, 1, h, w]);

test('every operator the issue names is supported', () => {
  const named = ('Conv ConvTranspose Gemm MatMul Add Sub Mul Div Pow Sqrt Exp Log Erf Relu LeakyRelu Sigmoid Tanh Softmax LogSoftmax Clip ' +
    'MaxPool AveragePool GlobalAveragePool BatchNormalization LayerNormalization Flatten Reshape Transpose Concat Split Slice Gather Pad ' +
    'ReduceMean ReduceSum ReduceMax Shape Cast Where Dropout Identity Constant Unsqueeze Squeeze').split(' ');
  const have = new Set(supportedOperators());
  assert.deepEqual(named.filter((op) => !have.has(op)), []);
});

test('Conv: explicit pads, strides, bias, auto_pad SAME_UPPER/SAME_LOWER, groups, dilation, 1-D', () => {
  const x = img(3, 3);
  const w = [init('W', [1, 1, 2, 2], [1, 0, 0, 1])];
  const conv = (attrs: Parameters<typeof run1>[2], extra: string[] = [], inits = w) => run1('Conv', { x }, attrs, { inputs: ['x', 'W', ...extra], initializers: inits });
  assertClose(conv({}), [1, 1, 2, 2], [6, 8, 12, 14]);
  assertClose(conv({}, ['B'], [...w, init('B', [1], [1])]), [1, 1, 2, 2], [7, 9, 13, 15]);
  assertClose(conv({ pads: ints([0, 0, 1, 1]), strides: ints([2, 2]) }), [1, 1, 2, 2], [6, 3, 7, 9]);
  assertClose(conv({ auto_pad: s('SAME_UPPER') }), [1, 1, 3, 3], [6, 8, 3, 12, 14, 6, 7, 8, 9]);
  assertClose(conv({ auto_pad: s('SAME_LOWER') }), [1, 1, 3, 3], [1, 2, 3, 4, 6, 8, 7, 12, 14]);
  assertClose(conv({ dilations: ints([2, 2]) }, [], [init('W', [1, 1, 2, 2], [1, 1, 1, 1])]), [1, 1, 1, 1], [1 + 3 + 7 + 9]);
  // group 2: each channel with its own 1×1 filter
  const grouped = run1('Conv', { x: T([1, 2]).reshape([1, 2, 1, 1]) }, { group: i(2) }, { inputs: ['x', 'W'], initializers: [init('W', [2, 1, 1, 1], [3, 4])] });
  assertClose(grouped, [1, 2, 1, 1], [3, 8]);
  const conv1d = run1('Conv', { x: T([[[1, 2, 3, 4]]]) }, {}, { inputs: ['x', 'W'], initializers: [init('W', [1, 1, 2], [1, 1])] });
  assertClose(conv1d, [1, 1, 3], [3, 5, 7]);
});

test('ConvTranspose: strides, pads, output channels from W [C, M, kh, kw], output_shape', () => {
  const x = T([1, 2, 3, 4]).reshape([1, 1, 2, 2]);
  const ones = [init('W', [1, 1, 2, 2], [1, 1, 1, 1])];
  const ct = (attrs: Parameters<typeof run1>[2], inits = ones, xx = x) => run1('ConvTranspose', { x: xx }, attrs, { inputs: ['x', 'W'], initializers: inits });
  assertClose(ct({}), [1, 1, 3, 3], [1, 3, 2, 4, 10, 6, 3, 7, 4]);
  assertClose(ct({ strides: ints([2, 2]) }), [1, 1, 4, 4], [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  assertClose(ct({ pads: ints([1, 1, 1, 1]) }), [1, 1, 1, 1], [10]);
  assertClose(ct({ strides: ints([2, 2]), output_shape: ints([3, 3]) }), [1, 1, 3, 3], [1, 2, 2, 3, 4, 4, 3, 4, 4]);
  const padded = ct({ strides: ints([2, 2]), output_padding: ints([1, 1]) });
  assertClose(padded, [1, 1, 5, 5], [1, 1, 2, 2, 0, 1, 1, 2, 2, 0, 3, 3, 4, 4, 0, 3, 3, 4, 4, 0, 0, 0, 0, 0, 0]);
  const twoOut = ct({}, [init('W', [1, 2, 1, 1], [2, 3])], T([1, 2]).reshape([1, 1, 1, 2]));
  assertClose(twoOut, [1, 2, 1, 2], [2, 4, 3, 6]);
});

test('Gemm and MatMul', () => {
  const a = T([[1, 2, 3], [4, 5, 6]]);
  const b = init('B', [3, 2], [1, 0, 0, 1, 1, 1]);
  assertClose(run1('Gemm', { a }, {}, { inputs: ['a', 'B'], initializers: [b] }), [2, 2], [4, 5, 10, 11]);
  const bT = init('B', [2, 3], [1, 0, 1, 0, 1, 1]);
  const c = init('C', [2], [10, 20]);
  assertClose(run1('Gemm', { a }, { transB: i(1), alpha: f(2), beta: f(0.5) }, { inputs: ['a', 'B', 'C'], initializers: [bT, c] }), [2, 2], [13, 20, 25, 32]);
  assertClose(run1('Gemm', { a: T([[1, 4], [2, 5], [3, 6]]) }, { transA: i(1) }, { inputs: ['a', 'B'], initializers: [b] }), [2, 2], [4, 5, 10, 11]);
  assertClose(run1('MatMul', { a, v: T([1, 1, 1]) }), [2], [6, 15]);
  assertClose(run1('MatMul', { a: T([[[1, 2]], [[3, 4]]]), b: T([[1, 0], [0, 2]]) }), [2, 1, 2], [1, 4, 3, 8]);
});

test('binary math broadcasts; integer Div truncates', () => {
  const a = T([[1, 2, 3], [4, 5, 6]]);
  const b = T([1, 2, 3]);
  assertClose(run1('Add', { a, b }), [2, 3], [2, 4, 6, 5, 7, 9]);
  assertClose(run1('Sub', { a, b }), [2, 3], [0, 0, 0, 3, 3, 3]);
  assertClose(run1('Mul', { a, b }), [2, 3], [1, 4, 9, 4, 10, 18]);
  assertClose(run1('Div', { a, b }), [2, 3], [1, 1, 1, 4, 2.5, 2]);
  const q = run1('Div', { a: T([7, -7], 'int32'), b: T([2, 2], 'int32') });
  assert.equal(q.dtype, 'int32');
  assertClose(q, [2], [3, -3]);
  assertClose(run1('Pow', { a: T([2, 3]) }, {}, { inputs: ['a', 'e'], initializers: [init('e', [], [2])] }), [2], [4, 9]);
  assertClose(run1('Max', { a: T([1, 5]), b: T([3, 2]), c: T([0, 4]) }), [2], [3, 5]);
  assertClose(run1('Min', { a: T([1, 5]), b: T([3, 2]) }), [2], [1, 2]);
  assertClose(run1('Sum', { a: T([1, 5]), b: T([3, 2]) }), [2], [4, 7]);
  assertClose(run1('Mean', { a: T([1, 5]), b: T([3, 2]) }), [2], [2, 3.5]);
});

test('unary math and activations', () => {
  assertClose(run1('Sqrt', { x: T([4, 9]) }), [2], [2, 3]);
  assertClose(run1('Exp', { x: T([0, 1]) }), [2], [1, Math.E]);
  assertClose(run1('Log', { x: T([1, Math.E]) }), [2], [0, 1]);
  assertClose(run1('Erf', { x: T([0, 0.5, -1]) }), [3], [0, 0.5204998778, -0.8427007929]);
  assertClose(run1('Relu', { x: T([-1, 2]) }), [2], [0, 2]);
  assertClose(run1('LeakyRelu', { x: T([-1, 2]) }), [2], [-0.01, 2]);
  assertClose(run1('LeakyRelu', { x: T([-1, 2]) }, { alpha: f(0.1) }), [2], [-0.1, 2], 1e-6);
  assertClose(run1('Sigmoid', { x: T([0, Math.log(3)]) }), [2], [0.5, 0.75]);
  assertClose(run1('Tanh', { x: T([0, 0.5493061443]) }), [2], [0, 0.5]);
  assertClose(run1('Neg', { x: T([1, -2]) }), [2], [-1, 2]);
  assertClose(run1('Abs', { x: T([1, -2]) }), [2], [1, 2]);
  assertClose(run1('Reciprocal', { x: T([2, 4]) }), [2], [0.5, 0.25]);
  assertClose(run1('Identity', { x: T([1, 2]) }), [2], [1, 2]);
});

test('Softmax and LogSoftmax: axis -1 from opset 13, 2-D coercion at axis 1 before', () => {
  const x = T([[1, 2], [3, 3]]);
  const e = 1 / (1 + Math.E);
  assertClose(run1('Softmax', { x }), [2, 2], [e, 1 - e, 0.5, 0.5]);
  assertClose(run1('LogSoftmax', { x }), [2, 2], [Math.log(e), Math.log(1 - e), Math.log(0.5), Math.log(0.5)]);
  const cube = nb.zeros([1, 2, 2]);
  assertClose(run1('Softmax', { x: cube }, {}, { opset: 13 }), [1, 2, 2], [0.5, 0.5, 0.5, 0.5]);
  assertClose(run1('Softmax', { x: cube }, {}, { opset: 11 }), [1, 2, 2], [0.25, 0.25, 0.25, 0.25]);
  assertClose(run1('Softmax', { x: cube }, { axis: i(2) }, { opset: 11 }), [1, 2, 2], [0.5, 0.5, 0.5, 0.5]);
});

test('Clip: attributes before opset 11, optional inputs from 11', () => {
  const x = T([-1, 0.5, 2]);
  assertClose(run1('Clip', { x }, { min: f(0), max: f(1) }, { opset: 10 }), [3], [0, 0.5, 1]);
  assertClose(run1('Clip', { x }, { max: f(1) }, { opset: 7 }), [3], [-1, 0.5, 1]);
  const bounds = [init('lo', [], [0]), init('hi', [], [1])];
  assertClose(run1('Clip', { x }, {}, { opset: 13, inputs: ['x', 'lo', 'hi'], initializers: bounds }), [3], [0, 0.5, 1]);
  assertClose(run1('Clip', { x }, {}, { opset: 11, inputs: ['x', '', 'hi'], initializers: bounds }), [3], [-1, 0.5, 1]);
  assertClose(run1('Clip', { x }, {}, { opset: 12 }), [3], [-1, 0.5, 2]);
});

test('MaxPool: strides, pads (padding never wins), ceil_mode', () => {
  const x = img(4, 4);
  assertClose(run1('MaxPool', { x }, { kernel_shape: ints([2, 2]), strides: ints([2, 2]) }), [1, 1, 2, 2], [6, 8, 14, 16]);
  assertClose(run1('MaxPool', { x: nb.neg(x) }, { kernel_shape: ints([2, 2]), strides: ints([2, 2]), pads: ints([1, 1, 1, 1]) }), [1, 1, 3, 3],
    [-1, -2, -4, -5, -6, -8, -13, -14, -16]);
  assertClose(run1('MaxPool', { x: img(5, 5) }, { kernel_shape: ints([2, 2]), strides: ints([2, 2]), ceil_mode: i(1) }), [1, 1, 3, 3], [7, 9, 10, 17, 19, 20, 22, 24, 25]);
  assertClose(run1('MaxPool', { x: img(5, 5) }, { kernel_shape: ints([2, 2]), strides: ints([2, 2]) }), [1, 1, 2, 2], [7, 9, 17, 19]);
  assertClose(run1('MaxPool', { x }, { kernel_shape: ints([3, 3]), auto_pad: s('SAME_UPPER') }), [1, 1, 4, 4], [6, 7, 8, 8, 10, 11, 12, 12, 14, 15, 16, 16, 14, 15, 16, 16]);
  // default stride is 1 in ONNX
  assertClose(run1('MaxPool', { x: img(3, 3) }, { kernel_shape: ints([2, 2]) }), [1, 1, 2, 2], [5, 6, 8, 9]);
});

test('AveragePool: count_include_pad, ceil_mode; GlobalAveragePool', () => {
  const x = img(4, 4);
  const k2s2 = { kernel_shape: ints([2, 2]), strides: ints([2, 2]) };
  assertClose(run1('AveragePool', { x }, k2s2), [1, 1, 2, 2], [3.5, 5.5, 11.5, 13.5]);
  assertClose(run1('AveragePool', { x }, { ...k2s2, pads: ints([1, 1, 1, 1]) }), [1, 1, 3, 3], [1, 2.5, 4, 7, 8.5, 10, 13, 14.5, 16]);
  assertClose(run1('AveragePool', { x }, { ...k2s2, pads: ints([1, 1, 1, 1]), count_include_pad: i(1) }), [1, 1, 3, 3], [0.25, 1.25, 1, 3.5, 8.5, 5, 3.25, 7.25, 4]);
  const ceil = [4, 6, 7.5, 14, 16, 17.5, 21.5, 23.5, 25];
  assertClose(run1('AveragePool', { x: img(5, 5) }, { ...k2s2, ceil_mode: i(1) }), [1, 1, 3, 3], ceil);
  assertClose(run1('AveragePool', { x: img(5, 5) }, { ...k2s2, ceil_mode: i(1), count_include_pad: i(1) }), [1, 1, 3, 3], ceil);
  assertClose(run1('GlobalAveragePool', { x: T([1, 2, 3, 4, 10, 20, 30, 40]).reshape([1, 2, 2, 2]) }), [1, 2, 1, 1], [2.5, 25]);
  assertClose(run1('GlobalMaxPool', { x: T([1, 2, 3, 4, 10, 20, 30, 40]).reshape([1, 2, 2, 2]) }), [1, 2, 1, 1], [4, 40]);
});

test('BatchNormalization (inference), LayerNormalization, InstanceNormalization', () => {
  const x = T([1, 2, 3, 4]).reshape([1, 2, 1, 2]);
  const bn = [init('s', [2], [1, 2]), init('b', [2], [0, 1]), init('m', [2], [1, 3]), init('v', [2], [4, 1])];
  assertClose(run1('BatchNormalization', { x }, { epsilon: f(0) }, { inputs: ['x', 's', 'b', 'm', 'v'], initializers: bn }), [1, 2, 1, 2], [0, 0.5, 1, 3]);
  assertClose(run1('BatchNormalization', { x }, { epsilon: f(0) }, { inputs: ['x', 's', 'b', 'm', 'v'], initializers: bn, opset: 7 }), [1, 2, 1, 2], [0, 0.5, 1, 3]);
  const ln = [init('g', [4], [2, 2, 2, 2]), init('b', [4], [0.5, 0.5, 0.5, 0.5])];
  const inv = 1 / Math.sqrt(1.25 + 1e-5);
  assertClose(run1('LayerNormalization', { x: T([[1, 2, 3, 4]]) }, {}, { inputs: ['x', 'g', 'b'], initializers: ln }), [1, 4],
    [-1.5, -0.5, 0.5, 1.5].map((d) => 2 * d * inv + 0.5));
  const inn = [init('g', [2], [1, 1]), init('b', [2], [0, 0])];
  assertClose(run1('InstanceNormalization', { x }, { epsilon: f(0) }, { inputs: ['x', 'g', 'b'], initializers: inn }), [1, 2, 1, 2], [-1, 1, -1, 1]);
});

test('Flatten, Reshape (0 and -1), Transpose', () => {
  const x = nb.arange(24).reshape([2, 3, 4]);
  assert.deepEqual(run1('Flatten', { x }).shape, [2, 12]);
  assert.deepEqual(run1('Flatten', { x }, { axis: i(0) }).shape, [1, 24]);
  assert.deepEqual(run1('Flatten', { x }, { axis: i(-1) }).shape, [6, 4]);
  const r = run1('Reshape', { x }, {}, { inputs: ['x', 'shape'], initializers: [i64('shape', [0, -1])] });
  assert.deepEqual(r.shape, [2, 12]);
  assert.deepEqual(Array.from(r.data()), range(24, 0));
  const z = run1('Reshape', { x: nb.zeros([0, 3]) }, { allowzero: i(1) }, { inputs: ['x', 'shape'], initializers: [i64('shape', [3, 0])] });
  assert.deepEqual(z.shape, [3, 0]);
  assertClose(run1('Transpose', { x: T([[1, 2, 3], [4, 5, 6]]) }), [3, 2], [1, 4, 2, 5, 3, 6]);
  assertClose(run1('Transpose', { x: T([[[1, 2, 3], [4, 5, 6]]]) }, { perm: ints([0, 2, 1]) }), [1, 3, 2], [1, 4, 2, 5, 3, 6]);
});

test('Concat, Split (equal, sizes as attribute or input, num_outputs)', () => {
  assertClose(run1('Concat', { a: T([[1], [2]]), b: T([[3, 4], [5, 6]]) }, { axis: i(1) }), [2, 3], [1, 3, 4, 2, 5, 6]);
  assertClose(run1('Concat', { a: T([1, 2], 'int32'), b: T([3], 'int32') }, { axis: i(-1) }), [3], [1, 2, 3]);
  const x = T([1, 2, 3, 4, 5, 6]);
  const parts = (out: Record<string, nb.Tensor>, names: string[]) => names.map((n) => Array.from(out[n]!.data()));
  assert.deepEqual(parts(runNode('Split', { x }, {}, { outputs: ['a', 'b', 'c'] }), ['a', 'b', 'c']), [[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(parts(runNode('Split', { x }, { split: ints([1, 5]) }, { outputs: ['a', 'b'], opset: 11 }), ['a', 'b']), [[1], [2, 3, 4, 5, 6]]);
  assert.deepEqual(parts(runNode('Split', { x }, {}, { outputs: ['a', 'b'], opset: 13, inputs: ['x', 'sp'], initializers: [i64('sp', [2, 4])] }), ['a', 'b']), [[1, 2], [3, 4, 5, 6]]);
  const seven = T([1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(parts(runNode('Split', { x: seven }, { num_outputs: i(3) }, { outputs: ['a', 'b', 'c'], opset: 18 }), ['a', 'b', 'c']), [[1, 2, 3], [4, 5, 6], [7]]);
});

test('Slice: inputs (opset 10+) with axes, steps, negative and huge bounds; attributes before 10', () => {
  const x = nb.arange(12).reshape([3, 4]);
  const sl = (starts: number[], ends: number[], axes?: number[], steps?: number[]) => {
    const inits = [i64('st', starts), i64('en', ends), ...(axes ? [i64('ax', axes)] : []), ...(steps ? [i64('sp', steps)] : [])];
    const names = ['x', 'st', 'en', axes ? 'ax' : '', steps ? 'sp' : ''];
    return run1('Slice', { x }, {}, { inputs: names, initializers: inits, opset: 13 });
  };
  assertClose(sl([1, 0], [3, -1], [0, 1], [1, 2]), [2, 2], [4, 6, 8, 10]);
  assertClose(sl([-1], [-1000000], [1], [-1]), [3, 4], [3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8]);
  assertClose(sl([1], [1], [0]), [0, 4], []);
  // INT64_MAX as "to the end", written as raw int64
  const big = { name: 'en', dims: [1], dataType: DataType.INT64, rawData: new Uint8Array(new BigInt64Array([9223372036854775807n]).buffer) };
  const toEnd = run1('Slice', { x }, {}, { inputs: ['x', 'st', 'en', 'ax'], initializers: [i64('st', [2]), big, i64('ax', [1])], opset: 13 });
  assertClose(toEnd, [3, 2], [2, 3, 6, 7, 10, 11]);
  assertClose(run1('Slice', { x }, { starts: ints([0, 1]), ends: ints([1, 3]) }, { opset: 9 }), [1, 2], [1, 2]);
  assertClose(run1('Slice', { x }, { starts: ints([1]), ends: ints([100]), axes: ints([0]) }, { opset: 7 }), [2, 4], range(8, 4));
});

test('Gather: axis, negative and scalar indices', () => {
  const x = T([[1, 2], [3, 4], [5, 6]]);
  const g = (idx: nb.Tensor, attrs = {}) => run1('Gather', { x, idx }, attrs);
  assertClose(g(T([2, 0], 'int32')), [2, 2], [5, 6, 1, 2]);
  assertClose(g(T([-1], 'int32')), [1, 2], [5, 6]);
  assertClose(g(nb.tensor(0, { dtype: 'int32' }), { axis: i(1) }), [3], [1, 3, 5]);
  const fromInit = run1('Gather', { x }, {}, { inputs: ['x', 'idx'], initializers: [i64('idx', [1], [])] });
  assertClose(fromInit, [2], [3, 4]);
});

test('Pad: attributes before opset 11, inputs from 11, negative pads crop, opset 18 axes', () => {
  const x = T([[1, 2]]);
  assertClose(run1('Pad', { x }, { pads: ints([0, 1, 0, 2]), value: f(9) }, { opset: 10 }), [1, 5], [9, 1, 2, 9, 9]);
  assertClose(run1('Pad', { x }, {}, { opset: 13, inputs: ['x', 'p', 'v'], initializers: [i64('p', [0, 1, 0, 2]), init('v', [], [9])] }), [1, 5], [9, 1, 2, 9, 9]);
  assertClose(run1('Pad', { x }, {}, { opset: 11, inputs: ['x', 'p'], initializers: [i64('p', [1, 0, 0, 0])] }), [2, 2], [0, 0, 1, 2]);
  assertClose(run1('Pad', { x }, {}, { opset: 13, inputs: ['x', 'p'], initializers: [i64('p', [0, -1, 0, 0])] }), [1, 1], [2]);
  assertClose(run1('Pad', { x }, {}, { opset: 18, inputs: ['x', 'p', '', 'a'], initializers: [i64('p', [1, 1]), i64('a', [1])] }), [1, 4], [0, 1, 2, 0]);
  assert.throws(() => run1('Pad', { x }, { mode: s('reflect') }, { opset: 13, inputs: ['x', 'p'], initializers: [i64('p', [0, 1, 0, 1])] }), /mode 'reflect' is not supported/);
});

test('ReduceMean, ReduceSum, ReduceMax: axes as attribute or input, keepdims, noop_with_empty_axes', () => {
  const x = T([[1, 2], [3, 4]]);
  assertClose(run1('ReduceMean', { x }, { axes: ints([1]), keepdims: i(0) }), [2], [1.5, 3.5]);
  assertClose(run1('ReduceMean', { x }), [1, 1], [2.5]);
  assertClose(run1('ReduceMean', { x }, {}, { opset: 18, inputs: ['x', 'a'], initializers: [i64('a', [0])] }), [1, 2], [2, 3]);
  assertClose(run1('ReduceMax', { x }, { axes: ints([0]) }), [1, 2], [3, 4]);
  assertClose(run1('ReduceMax', { x }, { keepdims: i(0) }), [], [4]);
  assertClose(run1('ReduceSum', { x }, { axes: ints([-1]) }, { opset: 11 }), [2, 1], [3, 7]);
  assertClose(run1('ReduceSum', { x }, {}, { opset: 13, inputs: ['x', 'a'], initializers: [i64('a', [0])] }), [1, 2], [4, 6]);
  assertClose(run1('ReduceSum', { x }, { keepdims: i(0) }, { opset: 13 }), [], [10]);
  assertClose(run1('ReduceSum', { x }, { noop_with_empty_axes: i(1) }, { opset: 13 }), [2, 2], [1, 2, 3, 4]);
  assertClose(run1('ReduceMin', { x }, { axes: ints([1]), keepdims: i(0) }), [2], [1, 3]);
});

test('Shape (int32, start/end), Cast, Where, Equal/Less/Greater, Not/And/Or', () => {
  const x = nb.zeros([2, 3, 4]);
  const sh = run1('Shape', { x });
  assert.equal(sh.dtype, 'int32');
  assertClose(sh, [3], [2, 3, 4]);
  assertClose(run1('Shape', { x }, { start: i(1) }, { opset: 15 }), [2], [3, 4]);
  assertClose(run1('Shape', { x }, { start: i(-2), end: i(-1) }, { opset: 15 }), [1], [3]);
  const c = run1('Cast', { x: T([1.7, -1.7]) }, { to: i(DataType.INT64) });
  assert.equal(c.dtype, 'int32');
  assertClose(c, [2], [1, -1]);
  assert.equal(run1('Cast', { x: T([1, 0]) }, { to: i(DataType.BOOL) }).dtype, 'bool');
  assert.equal(run1('Cast', { x: T([1, 0], 'int32') }, { to: i(DataType.FLOAT) }).dtype, 'float32');
  assert.equal(run1('Cast', { x: T([1, 0]) }, { to: i(DataType.DOUBLE) }).dtype, 'float64');
  assert.throws(() => run1('Cast', { x: T([1]) }, { to: i(DataType.STRING) }), /cannot cast to STRING/);
  const cond = nb.tensor([true, false]);
  assertClose(run1('Where', { cond, a: T([1, 2]), b: T([3, 4]) }), [2], [1, 4]);
  assert.deepEqual(run1('Equal', { a: T([1, 2]), b: T([1, 3]) }).toArray(), [true, false]);
  assert.deepEqual(run1('Less', { a: T([1, 2]), b: T([2, 2]) }).toArray(), [true, false]);
  assert.deepEqual(run1('Greater', { a: T([1, 3]), b: T([2, 2]) }).toArray(), [false, true]);
  assert.deepEqual(run1('Not', { a: cond }).toArray(), [false, true]);
  assert.deepEqual(run1('And', { a: cond, b: nb.tensor([true, true]) }).toArray(), [true, false]);
  assert.deepEqual(run1('Or', { a: cond, b: nb.tensor([false, false]) }).toArray(), [true, false]);
});

test('Dropout: identity at inference (ratio as attribute or input), scaled mask in training', () => {
  const x = nb.ones([1000]);
  assertClose(run1('Dropout', { x: T([1, 2]) }, { ratio: f(0.5) }, { opset: 10 }), [2], [1, 2]);
  const out = runNode('Dropout', { x: T([1, 2]) }, {}, { opset: 13, inputs: ['x', 'r'], initializers: [init('r', [], [0.3])], outputs: ['y', 'mask'] });
  assertClose(out.y!, [2], [1, 2]);
  assert.deepEqual(out.mask!.toArray(), [true, true]);
  const trained = run1('Dropout', { x }, {}, { opset: 13, inputs: ['x', 'r'], initializers: [init('r', [], [0.5])], training: true });
  const vals = new Set(Array.from(trained.data()));
  assert.deepEqual([...vals].sort(), [0, 2]);
});

test('Constant (value, value_float, value_ints), ConstantOfShape, Range, Expand, Size', () => {
  const c = (attrs: Parameters<typeof run1>[2]) => runNode('Constant', {}, attrs, { inputs: [], outputs: ['y'] }).y!;
  assertClose(c({ value: t(init('v', [2], [1.5, 2.5])) }), [2], [1.5, 2.5]);
  assertClose(c({ value_float: f(3) }), [], [3]);
  const vi = c({ value_ints: ints([4, 5]) });
  assert.equal(vi.dtype, 'int32');
  assertClose(vi, [2], [4, 5]);
  assertClose(run1('ConstantOfShape', { shape: T([2, 1], 'int32') }, { value: t(init('v', [1], [7])) }), [2, 1], [7, 7]);
  assertClose(run1('ConstantOfShape', { shape: T([3], 'int32') }), [3], [0, 0, 0]);
  assertClose(run1('Range', { a: T(1), b: T(2), d: T(0.25) }), [4], [1, 1.25, 1.5, 1.75]);
  assertClose(run1('Range', { a: T(5, 'int32'), b: T(0, 'int32'), d: T(-2, 'int32') }), [3], [5, 3, 1]);
  assert.deepEqual(run1('Expand', { x: T([[1], [2], [3]]), s: T([2, 1, 4], 'int32') }).shape, [2, 3, 4]);
  assertClose(run1('Size', { x: nb.zeros([2, 5]) }), [], [10]);
});

test('Unsqueeze and Squeeze: axes as attributes before opset 13, as inputs from 13', () => {
  const x = nb.zeros([2, 3]);
  assert.deepEqual(run1('Unsqueeze', { x }, { axes: ints([0, 3]) }, { opset: 11 }).shape, [1, 2, 3, 1]);
  assert.deepEqual(run1('Unsqueeze', { x }, {}, { opset: 13, inputs: ['x', 'a'], initializers: [i64('a', [-1])] }).shape, [2, 3, 1]);
  const z = nb.zeros([1, 3, 1]);
  assert.deepEqual(run1('Squeeze', { z }, { axes: ints([0]) }, { opset: 11 }).shape, [3, 1]);
  assert.deepEqual(run1('Squeeze', { z }, {}, { opset: 13 }).shape, [3]);
  assert.deepEqual(run1('Squeeze', { z }, {}, { opset: 13, inputs: ['z', 'a'], initializers: [i64('a', [2])] }).shape, [1, 3]);
  assert.throws(() => run1('Squeeze', { z }, { axes: ints([1]) }, { opset: 11 }), /cannot squeeze axis 1/);
});
