// Initializers in raw_data and in the typed fields (packed and unpacked), every element type,
// graph-level features: dynamic batch, constant folding, IR-3 style inputs, initializer overrides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../../src/index.js';
import { decodeModelProto, encodeModelProto, loadOnnx } from '../../../src/io/onnx/index.js';
import { assertClose, build, DataType, i, i64, init, ints, modelBytes, modelProto, node, type GraphSpec } from './helpers.js';

/** y = x + c, with the initializer c under test (`Where` for bools). */
function addSpec(c: ReturnType<typeof init>): GraphSpec {
  return { nodes: [node('Add', ['x', 'c'], ['y'])], inputs: [['x', [c.dims!.length ? c.dims![0]! : 1]]], outputs: ['y'], initializers: [c] };
}

test('FLOAT initializers: float_data and raw_data give the same weights', () => {
  const vals = [1.5, -2.25, 3e-8, 1e30];
  for (const raw of [false, true]) {
    const m = build(addSpec(init('c', [4], vals, DataType.FLOAT, raw)));
    const y = m.apply(nb.zeros([4]));
    assertClose(y, [4], vals.map((v) => Math.fround(v)), 0);
  }
});

test('every numeric element type, typed field and raw_data alike', () => {
  const cases: [number, number[], 'float32' | 'float64' | 'int32'][] = [
    [DataType.DOUBLE, [0.1, -2, 1e300], 'float64'],
    [DataType.INT8, [-128, 127, 5], 'int32'],
    [DataType.UINT8, [0, 255, 7], 'int32'],
    [DataType.INT16, [-32768, 32767, -3], 'int32'],
    [DataType.UINT16, [0, 65535, 9], 'int32'],
    [DataType.INT32, [-2147483648, 2147483647, 1], 'int32'],
    [DataType.INT64, [-5, 2 ** 40, -(2 ** 40)], 'int32'],
    [DataType.UINT32, [0, 4000000000, 3], 'int32'],
    [DataType.UINT64, [0, 12, 3], 'int32'],
  ];
  for (const [type, vals, dtype] of cases) {
    for (const raw of [false, true]) {
      const m = build({ nodes: [node('Identity', ['c'], ['y'])], inputs: [], outputs: ['y'], initializers: [init('c', [3], vals, type, raw)] });
      const y = m.run({}).y!;
      assert.equal(y.dtype, dtype, `type ${type} raw=${raw}`);
      // int64/uint32 values beyond int32 saturate
      const expected = dtype === 'int32' ? vals.map((v) => Math.min(Math.max(v, -2147483648), 2147483647)) : vals;
      assert.deepEqual(Array.from(y.data()), expected, `type ${type} raw=${raw}`);
    }
  }
});

test('FLOAT16 and BFLOAT16 (bit patterns in int32_data or raw_data) become float32', () => {
  const f16 = [0x3c00, 0x3800, 0xc000, 0x7c00]; // 1, 0.5, -2, +inf
  for (const raw of [false, true]) {
    const m = build({ nodes: [node('Identity', ['c'], ['y'])], inputs: [], outputs: ['y'], initializers: [init('c', [4], f16, DataType.FLOAT16, raw)] });
    assertClose(m.run({}).y!, [4], [1, 0.5, -2, Infinity], 0);
  }
  const bf = { name: 'c', dims: [2], dataType: DataType.BFLOAT16, int32Data: [0x3f80, 0xc0a0] }; // 1, -5
  const m = build({ nodes: [node('Identity', ['c'], ['y'])], inputs: [], outputs: ['y'], initializers: [bf] });
  assertClose(m.run({}).y!, [2], [1, -5], 0);
});

test('BOOL initializers (int32_data and raw) drive Where', () => {
  for (const raw of [false, true]) {
    const cond = init('cond', [3], [1, 0, 1], DataType.BOOL, raw);
    const m = build({ nodes: [node('Where', ['cond', 'a', 'b'], ['y'])], inputs: [['a', [3]], ['b', [3]]], outputs: ['y'], initializers: [cond] });
    assert.deepEqual(Array.from(m.run({ a: nb.tensor([1, 2, 3]), b: nb.tensor([9, 9, 9]) }).y!.data()), [1, 9, 3]);
  }
});

test('packed and unpacked repeated fields decode to the same model', () => {
  const spec: GraphSpec = {
    nodes: [node('Conv', ['x', 'W', 'B'], ['y'], { kernel_shape: ints([2, 2]), pads: ints([0, 0, 1, 1]) })],
    inputs: [['x', [1, 1, 3, 3]]],
    outputs: ['y'],
    initializers: [init('W', [1, 1, 2, 2], [1, 0, 0, 1]), init('B', [1], [0.5]), i64('unused', [3, 4])],
  };
  const packed = modelBytes(spec, { packed: true });
  const unpacked = modelBytes(spec, { packed: false });
  assert.notEqual(packed.length, unpacked.length, 'the two encodings differ on the wire');
  assert.deepEqual(decodeModelProto(unpacked), decodeModelProto(packed));
  const x = nb.arange(1, 10).reshape([1, 1, 3, 3]);
  const a = loadOnnx(packed).apply(x);
  const b = loadOnnx(unpacked).apply(x);
  assertClose(a, [1, 1, 3, 3], [6.5, 8.5, 3.5, 12.5, 14.5, 6.5, 7.5, 8.5, 9.5]);
  assert.deepEqual(Array.from(b.data()), Array.from(a.data()));
});

test('a dynamic batch dimension (dim_param): the PyTorch flatten pattern Shape→Gather→Unsqueeze→Concat→Reshape', () => {
  const spec: GraphSpec = {
    nodes: [
      node('Shape', ['x'], ['s']),
      node('Gather', ['s', 'zero'], ['n'], { axis: i(0) }),
      node('Unsqueeze', ['n', 'axes0'], ['n1']),
      node('Concat', ['n1', 'minus1'], ['target'], { axis: i(0) }),
      node('Reshape', ['x', 'target'], ['flat']),
      node('Gemm', ['flat', 'fc.weight', 'fc.bias'], ['y'], { transB: i(1) }),
    ],
    inputs: [['x', ['batch', 2, 2]]],
    outputs: ['y'],
    initializers: [
      i64('zero', [0], []), i64('axes0', [0]), i64('minus1', [-1]),
      init('fc.weight', [1, 4], [1, 2, 3, 4]), init('fc.bias', [1], [0.5]),
    ],
  };
  const m = build(spec);
  assert.deepEqual(m.onnx.inputs[0]!.shape, ['batch', 2, 2]);
  for (const n of [1, 3, 7]) {
    const x = nb.ones([n, 2, 2]);
    assertClose(m.apply(x), [n, 1], new Array<number>(n).fill(10.5));
  }
  assert.throws(() => m.apply(nb.ones([2, 3, 2])), /input 'x' must have shape \[batch,2,2\], got \[2,3,2\]/);
});

test('nodes computing from constants only are folded at load; weight-only nodes run each call', () => {
  const spec: GraphSpec = {
    nodes: [
      node('Constant', [], ['k'], { value_float: { f: 2 } }),
      node('Mul', ['k', 'k'], ['k2']), // constant: folded
      node('Transpose', ['W'], ['Wt']), // weight-only: recomputed, so gradients reach W
      node('MatMul', ['x', 'Wt'], ['h']),
      node('Mul', ['h', 'k2'], ['y']),
    ],
    inputs: [['x', [1, 2]]],
    outputs: ['y'],
    initializers: [init('W', [3, 2], [1, 0, 0, 1, 1, 1])],
  };
  const m = build(spec);
  assert.deepEqual(m.namedParameters().map(([n]) => n), ['MatMul_h.W']);
  const x = nb.tensor([[1, 2]]);
  assertClose(m.apply(x), [1, 3], [4, 8, 12]);
  const loss = m.apply(x).sum();
  loss.backward();
  assertClose(m.getLayerByNode('MatMul_h')!.weights[0]!.grad!, [3, 2], [4, 8, 4, 8, 4, 8]);
});

test('IR 3 models that list initializers among the inputs need only the real inputs', () => {
  const spec = modelProto({
    nodes: [node('Add', ['x', 'b'], ['y'])], inputs: [['x', [2]], ['b', [2]]], outputs: ['y'],
    initializers: [init('b', [2], [1, 2])], opset: 7, irVersion: 3,
  });
  const m = loadOnnx(encodeModelProto(spec));
  assert.deepEqual(m.inputNames, ['x']);
  assertClose(m.apply(nb.tensor([10, 20])), [2], [11, 22]);
});

test('initializer overrides: replace a value by name before building; unknown names are errors', () => {
  const spec: GraphSpec = {
    nodes: [node('Reshape', ['x', 'shape'], ['y'])], inputs: [['x', [1, 2, 3]]], outputs: ['y'], initializers: [i64('shape', [1, 6])],
  };
  const bytes = modelBytes(spec);
  assert.throws(() => loadOnnx(bytes).apply(nb.zeros([2, 2, 3])), /cannot reshape/);
  const m = loadOnnx(bytes, { initializers: { shape: [-1, 6] } });
  assert.deepEqual(m.apply(nb.zeros([4, 2, 3])).shape, [4, 6]);
  const viaTensor = loadOnnx(bytes, { initializers: { shape: nb.tensor([-1, 3], { dtype: 'int32' }) } });
  assert.deepEqual(viaTensor.apply(nb.zeros([4, 2, 3])).shape, [8, 3]);
  assert.throws(() => loadOnnx(bytes, { initializers: { nope: [1] } }), /no initializer named 'nope' to replace \(initializers: shape\)/);
});

test('run(): several inputs and outputs, intermediate values on request', () => {
  const m = build({
    nodes: [node('Add', ['a', 'b'], ['s']), node('Mul', ['s', 'a'], ['p'])],
    inputs: [['a', [2]], ['b', [2]]],
    outputs: ['s', 'p'],
  });
  const out = m.run({ a: nb.tensor([1, 2]), b: nb.tensor([3, 4]) });
  assertClose(out.s!, [2], [4, 6]);
  assertClose(out.p!, [2], [4, 12]);
  assertClose(m.run({ a: nb.tensor([1, 2]), b: nb.tensor([3, 4]) }, { outputs: ['s'] }).s!, [2], [4, 6]);
  assert.throws(() => m.apply(nb.tensor([1, 2])), /the graph has 2 inputs \(a, b\); use model\.run/);
  assert.throws(() => m.run({ a: nb.tensor([1, 2]) }), /the graph input 'b' is needed but was not given/);
  assert.throws(() => m.run({ c: nb.tensor([1, 2]) }), /no input 'c'/);
});
